import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../support/captures.js';
import { FakeUdp } from '../../../support/fake-udp.js';
import {
  DHIP_GROUP,
  DHIP_PORT,
  SADP_GROUP,
  SADP_PORT,
  SSDP_DESCRIPTION_PATH,
  SSDP_PORT,
  responderDeviceInfo,
  ssdpDescriptionXml,
  startDhipResponder,
  startDiscoveryResponders,
  startSadpResponder,
  startSsdpResponder,
  type ProbeNotice,
  type ResponderDeviceInfo,
} from '../../../../src/simulator/responders/index.js';
import { buildSadpInquiry, parseSadpMessage, type SadpProbeMatch } from '../../../../src/protocols/sadp/index.js';
import { buildDhipDiscover, parseDhipMessage, type DhipDeviceInfo } from '../../../../src/protocols/dhip/index.js';
import { buildMSearch, parseDeviceDescription, parseSsdpMessage } from '../../../../src/protocols/ssdp/index.js';
import { loadProfile } from '../../../../src/simulator/profile.js';

const HIKVISION: ResponderDeviceInfo = {
  address: '10.9.0.10',
  httpPort: 8080,
  vendor: 'Hikvision',
  model: 'DS-2CD2386G2-IU',
  firmware: 'V5.7.14 build 230512',
  serial: 'DS-2CD2386G2-IU20230101AAWRJ12345678',
  mac: 'bc:ba:c2:11:22:33',
  activated: true,
};
const SCANNER = '10.9.0.1';
const UUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

function probeMatch(data: Buffer): SadpProbeMatch {
  const message = parseSadpMessage(data);
  if (message.kind !== 'probe-match') throw new Error(`expected a probe-match, got ${message.kind}`);
  return message;
}

function deviceInfo(data: Buffer): DhipDeviceInfo {
  const message = parseDhipMessage(data);
  if (message.kind !== 'device-info') throw new Error(`expected device-info, got ${message.kind}`);
  return message;
}

describe('startSadpResponder', () => {
  it('on loopback binds only its own address:37020 and answers a unicast inquiry to the sender, from that socket', async () => {
    const udp = new FakeUdp();
    const probes: ProbeNotice[] = [];
    const responder = await startSadpResponder({ device: HIKVISION, udpFactory: udp.factory, onProbe: (p) => probes.push(p) });
    expect(udp.sockets.map((s) => s.options)).toEqual([{ type: 'udp4', bindAddress: HIKVISION.address, port: SADP_PORT, reuseAddr: false }]);
    udp.sockets[0]!.deliver(buildSadpInquiry(UUID), SCANNER, 50123);
    await Promise.resolve();
    expect(udp.sent).toHaveLength(1);
    const reply = udp.sent[0]!;
    expect(reply.socket).toBe(udp.sockets[0]);
    expect([reply.address, reply.port]).toEqual([SCANNER, 50123]);
    expect(probeMatch(reply.data)).toMatchObject({
      uuid: UUID.toUpperCase(),
      model: HIKVISION.model,
      serial: HIKVISION.serial,
      mac: HIKVISION.mac,
      ipv4: HIKVISION.address,
      httpPort: 8080,
      firmware: HIKVISION.firmware,
      activated: true,
      deviceLocked: false,
    });
    // Spelled as the captured firmware spells it.
    expect(reply.data.toString()).toContain('<DeviceLock>flase</DeviceLock>');
    expect(probes).toEqual([{ source: SCANNER, credentialed: false, multicast: false }]);
    await responder.close();
    expect(udp.sockets[0]!.closed).toBe(true);
  });

  it('claims another IPv4Address when told to, and reports activation as configured', async () => {
    const udp = new FakeUdp();
    await startSadpResponder({ device: { ...HIKVISION, activated: false }, udpFactory: udp.factory, reportedAddress: '192.168.1.64' });
    udp.sockets[0]!.deliver(buildSadpInquiry(UUID), SCANNER, 50123);
    await Promise.resolve();
    expect(probeMatch(udp.sent[0]!.data)).toMatchObject({ ipv4: '192.168.1.64', activated: false });
  });

  it('S1 counter: a SADP command carrying a password is counted as credentialed and never answered', async () => {
    const udp = new FakeUdp();
    const probes: ProbeNotice[] = [];
    await startSadpResponder({ device: HIKVISION, udpFactory: udp.factory, onProbe: (p) => probes.push(p) });
    udp.sockets[0]!.deliver(`<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>${UUID}</Uuid><Types>activate</Types><Password>x</Password></Probe>`, SCANNER, 50123);
    udp.sockets[0]!.deliver('garbage <<<', SCANNER, 50123);
    udp.sockets[0]!.deliver(readCapture('hikvision/hikvision-DS-2CD2385G1-I-V5.6.2-sadp-probematch.xml'), '10.9.0.20', SADP_PORT);
    await Promise.resolve();
    expect(udp.sent).toEqual([]);
    expect(probes).toEqual([{ source: SCANNER, credentialed: true, multicast: false }]);
  });

  it('with multicast: shares one group listener per interface and answers a group inquiry on the group, from its own address', async () => {
    const udp = new FakeUdp();
    const second = { ...HIKVISION, address: '10.9.0.11', mac: 'bc:ba:c2:11:22:34', serial: 'DS-2CD2386G2-IU20230101AAWRJ12345679' };
    const multicast = { interfaceAddress: '10.9.0.254' };
    const one = await startSadpResponder({ device: HIKVISION, udpFactory: udp.factory, multicast });
    const two = await startSadpResponder({ device: second, udpFactory: udp.factory, multicast });
    const hubs = udp.sockets.filter((s) => s.options.bindAddress === SADP_GROUP);
    expect(hubs).toHaveLength(1);
    expect(hubs[0]!.options).toMatchObject({ port: SADP_PORT, reuseAddr: true, memberships: [{ group: SADP_GROUP, interfaceAddress: '10.9.0.254' }] });
    const own = udp.sockets.filter((s) => s.options.bindAddress !== SADP_GROUP);
    expect(own.map((s) => s.options)).toEqual([
      { type: 'udp4', bindAddress: HIKVISION.address, port: SADP_PORT, reuseAddr: true, multicastInterface: '10.9.0.254', multicastTtl: 1, multicastLoopback: true },
      { type: 'udp4', bindAddress: second.address, port: SADP_PORT, reuseAddr: true, multicastInterface: '10.9.0.254', multicastTtl: 1, multicastLoopback: true },
    ]);

    hubs[0]!.deliver(buildSadpInquiry(UUID), SCANNER, SADP_PORT);
    await Promise.resolve();
    expect(udp.sent.map((s) => [s.socket.localAddress, `${s.address}:${s.port}`])).toEqual([
      [HIKVISION.address, `${SADP_GROUP}:${SADP_PORT}`],
      [second.address, `${SADP_GROUP}:${SADP_PORT}`],
    ]);
    // Their own answers come back through the group: not inquiries, so not answered.
    for (const sent of [...udp.sent]) hubs[0]!.deliver(sent.data, sent.socket.localAddress, SADP_PORT);
    await Promise.resolve();
    expect(udp.sent).toHaveLength(2);

    await one.close();
    expect(hubs[0]!.closed).toBe(false);
    await two.close();
    expect(hubs[0]!.closed).toBe(true);
    expect(own.every((s) => s.closed)).toBe(true);
  });

  it('closes its own socket when the group cannot be joined', async () => {
    const udp = new FakeUdp();
    udp.openFailure = (options) => (options.bindAddress === SADP_GROUP ? new Error('addMembership ENODEV') : null);
    await expect(startSadpResponder({ device: HIKVISION, udpFactory: udp.factory, multicast: { interfaceAddress: '10.9.0.254' } })).rejects.toThrow('ENODEV');
    expect(udp.sockets).toHaveLength(1);
    expect(udp.sockets[0]!.closed).toBe(true);
  });
});

describe('startDhipResponder', () => {
  const dahua: ResponderDeviceInfo = { address: '10.9.0.12', httpPort: 80, vendor: 'Dahua', model: 'IPC-HFW2228M-I1-V2', firmware: '2.800.0000000.7.R', serial: '6G0A1B2PAZ12345', mac: 'e0:50:8b:55:66:03', activated: true };

  it('answers DHDiscover.search with notifyDevInfo to the sender, from its own address:37810', async () => {
    const udp = new FakeUdp();
    const probes: ProbeNotice[] = [];
    await startDhipResponder({ device: dahua, udpFactory: udp.factory, onProbe: (p) => probes.push(p) });
    expect(udp.sockets[0]!.options).toMatchObject({ bindAddress: dahua.address, port: DHIP_PORT });
    udp.sockets[0]!.deliver(buildDhipDiscover(), SCANNER, 50200);
    await Promise.resolve();
    expect(udp.sent.map((s) => `${s.address}:${s.port}`)).toEqual([`${SCANNER}:50200`]);
    expect(deviceInfo(udp.sent[0]!.data)).toMatchObject({
      model: dahua.model,
      serial: dahua.serial,
      mac: dahua.mac,
      firmware: dahua.firmware,
      vendor: 'Dahua',
      httpPort: 80,
      initialised: true,
      ipv4: dahua.address,
    });
    expect(probes).toEqual([{ source: SCANNER, credentialed: false, multicast: false }]);
  });

  it('reports itself uninitialised when not activated, and answers a group search to the sender too', async () => {
    const udp = new FakeUdp();
    await startDhipResponder({ device: { ...dahua, activated: false }, udpFactory: udp.factory, multicast: { interfaceAddress: '10.9.0.254' }, reportedAddress: '192.168.1.108' });
    const hub = udp.sockets.find((s) => s.options.bindAddress === DHIP_GROUP)!;
    expect(hub.options.memberships).toEqual([{ group: DHIP_GROUP, interfaceAddress: '10.9.0.254' }]);
    hub.deliver(buildDhipDiscover(), SCANNER, 50300);
    await Promise.resolve();
    expect(udp.sent).toHaveLength(1);
    expect(udp.sent[0]!.socket.localAddress).toBe(dahua.address);
    expect(`${udp.sent[0]!.address}:${udp.sent[0]!.port}`).toBe(`${SCANNER}:50300`);
    expect(deviceInfo(udp.sent[0]!.data)).toMatchObject({ initialised: false, ipv4: '192.168.1.108' });
  });
});

describe('startSsdpResponder and ssdpDescriptionXml', () => {
  const axis: ResponderDeviceInfo = { address: '10.9.0.13', httpPort: 8081, vendor: 'AXIS', model: 'M1034-W', firmware: '9.80.3.8', serial: 'ACCC8E123404', mac: 'ac:cc:8e:12:34:04', activated: true };

  it('answers ssdp:all with one answer per root device, UDN, device type and service, each pointing at its description', async () => {
    const udp = new FakeUdp();
    await startSsdpResponder({ device: axis, udpFactory: udp.factory });
    expect(udp.sockets[0]!.options).toMatchObject({ bindAddress: axis.address, port: SSDP_PORT });
    udp.sockets[0]!.deliver(buildMSearch('ssdp:all', 1), SCANNER, 50400);
    await Promise.resolve();
    expect(udp.sent).toHaveLength(4);
    const answers = udp.sent.map((s) => parseSsdpMessage(s.data));
    for (const answer of answers) {
      expect(answer).toMatchObject({ kind: 'response', statusCode: 200, location: `http://${axis.address}:8081${SSDP_DESCRIPTION_PATH}`, uuid: 'Upnp-BasicDevice-1_0-ACCC8E123404' });
      expect(answer.server).toBe('Linux/2.6.35, UPnP/1.0, Portable SDK for UPnP devices/1.6.18');
    }
    expect(answers.map((a) => a.st)).toEqual(['upnp:rootdevice', 'uuid:Upnp-BasicDevice-1_0-ACCC8E123404', 'urn:schemas-upnp-org:device:Basic:1', 'urn:axis-com:service:BasicService:1']);
    expect(answers.map((a) => a.usn)).toContain('uuid:Upnp-BasicDevice-1_0-ACCC8E123404');
    expect(answers.map((a) => a.usn)).toContain('uuid:Upnp-BasicDevice-1_0-ACCC8E123404::upnp:rootdevice');
    expect(udp.sent.every((s) => s.data.toString().endsWith('\r\n\r\n'))).toBe(true);
  });

  it('answers a specific search target once, and other targets not at all', async () => {
    const udp = new FakeUdp();
    await startSsdpResponder({ device: axis, udpFactory: udp.factory, locationUrl: 'http://10.9.0.99/elsewhere.xml' });
    udp.sockets[0]!.deliver(buildMSearch('upnp:rootdevice', 1), SCANNER, 50400);
    udp.sockets[0]!.deliver(buildMSearch('urn:schemas-upnp-org:device:MediaRenderer:1', 1), SCANNER, 50400);
    await Promise.resolve();
    expect(udp.sent).toHaveLength(1);
    expect(parseSsdpMessage(udp.sent[0]!.data).location).toBe('http://10.9.0.99/elsewhere.xml');
  });

  it('serves a description derived from the P3301 capture with this device\'s identity', () => {
    const description = parseDeviceDescription(ssdpDescriptionXml(axis));
    expect(description).toMatchObject({
      manufacturer: 'AXIS',
      modelName: 'AXIS M1034-W',
      modelNumber: 'M1034-W',
      serialNumber: 'ACCC8E123404',
      friendlyName: 'AXIS M1034-W - ACCC8E123404',
      udn: 'uuid:Upnp-BasicDevice-1_0-ACCC8E123404',
      urlBase: 'http://10.9.0.13:8081/',
      deviceType: 'urn:schemas-upnp-org:device:Basic:1',
    });
  });

  it('escapes identity values into the XML', () => {
    const description = parseDeviceDescription(ssdpDescriptionXml({ ...axis, vendor: 'A&B <Cams>', model: 'X"1' }));
    expect(description.manufacturer).toBe('A&B <Cams>');
    expect(description.modelNumber).toBe('X"1');
  });
});

describe('startDiscoveryResponders', () => {
  it('starts the responders for the channels a profile lists, from the profile, and closes them together', async () => {
    const udp = new FakeUdp();
    const profile = loadProfile('hikvision-ds-2cd2386g2-v5.7');
    const info = responderDeviceInfo(profile, '10.9.0.14', 8082);
    expect(info).toMatchObject({ address: '10.9.0.14', httpPort: 8082, model: profile.identity.model, serial: profile.identity.serial, activated: profile.activated });
    const responders = await startDiscoveryResponders({ device: info, udpFactory: udp.factory, channels: ['ws-discovery', 'sadp', 'ssdp'] });
    expect(udp.sockets.map((s) => s.options.port)).toEqual([SADP_PORT, SSDP_PORT]);
    await responders.close();
    expect(udp.sockets.every((s) => s.closed)).toBe(true);
  });

  it('closes what it started when a later responder fails', async () => {
    const udp = new FakeUdp();
    udp.openFailure = (options) => (options.port === DHIP_PORT ? new Error('EADDRINUSE') : null);
    await expect(startDiscoveryResponders({ device: HIKVISION, udpFactory: udp.factory, channels: ['sadp', 'dhip', 'ssdp'] })).rejects.toThrow('EADDRINUSE');
    expect(udp.sockets.map((s) => [s.options.port, s.closed])).toEqual([[SADP_PORT, true]]);
  });
});
