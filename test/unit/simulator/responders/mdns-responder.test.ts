import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { readCapture, readCaptureText } from '../../../support/captures.js';
import { FakeUdp } from '../../../support/fake-udp.js';
import {
  MDNS_GROUP,
  MDNS_PORT,
  advertisedMdnsServices,
  buildMdnsResponse,
  responderDeviceInfo,
  startDiscoveryResponders,
  startMdnsResponder,
  type ProbeNotice,
  type ResponderDeviceInfo,
} from '../../../../src/simulator/responders/index.js';
import { parseMdnsService, type MdnsServiceInput } from '../../../../src/protocols/mdns/index.js';
import { loadProfile } from '../../../../src/simulator/profile.js';

interface DecodedRecord {
  name: string;
  type: string;
  ttl: number;
  class: string;
  flush: boolean;
  data: unknown;
}
interface DecodedPacket {
  id: number;
  type: 'query' | 'response';
  flag_aa: boolean;
  questions: Array<{ name: string; type: string; class: string }>;
  answers: DecodedRecord[];
  additionals: DecodedRecord[];
}
interface EncodablePacket {
  id?: number;
  type: 'query' | 'response';
  questions?: Array<{ name: string; type: string; class?: string }>;
  answers?: Array<{ name: string; type: string; ttl?: number; data: unknown }>;
}
// dns-packet (the codec under bonjour-service/multicast-dns) ships no types. Encoding queries with it plays the
// scanner, which sends its queries through this very codec.
const dnsPacket = createRequire(import.meta.url)('dns-packet') as { decode(buffer: Buffer): DecodedPacket; encode(packet: EncodablePacket): Buffer };

const AXIS: ResponderDeviceInfo = { address: '10.9.0.13', httpPort: 80, vendor: 'AXIS', model: 'M1034-W', firmware: '9.80.3.8', serial: 'ACCC8E123404', mac: 'ac:cc:8e:12:34:04', activated: true };
const HIKVISION: ResponderDeviceInfo = {
  address: '10.9.0.10',
  httpPort: 8080,
  vendor: 'HIKVISION',
  model: 'DS-2CD2385G1-I',
  firmware: 'V5.6.2 build 190701',
  serial: 'DS-2CD2385G1-I20200414AAWRE33842150',
  mac: '44:47:cc:37:ce:81',
  activated: true,
};
const MULTICAST = { interfaceAddress: '10.9.0.254' };
const SCANNER = '10.9.0.1';

/** A browse query as bonjour-service sends it: one PTR question, class IN, id 0. */
function browseQuery(type: string, extra: Partial<EncodablePacket> = {}): Buffer {
  return dnsPacket.encode({ type: 'query', id: 0, questions: [{ name: type, type: 'PTR' }], ...extra });
}

/** What bonjour-service's Browser.buildServicesFor resolves from one response, in the shape our parser reads. */
function resolveServices(packet: DecodedPacket, serviceName: string): MdnsServiceInput[] {
  const records = [...packet.answers, ...packet.additionals].filter((r) => r.ttl > 0);
  return records
    .filter((r) => r.type === 'PTR' && r.name.toLowerCase() === serviceName.toLowerCase())
    .map((ptr) => {
      const srv = records.find((r) => r.type === 'SRV' && r.name === ptr.data);
      const txt = records.find((r) => r.type === 'TXT' && r.name === ptr.data);
      const target = (srv?.data as { target: string; port: number }).target;
      const txtEntries = Object.fromEntries(
        ((txt?.data ?? []) as Buffer[]).filter((b) => b.length > 1).map((b) => b.toString().split(/=(.+)/).slice(0, 2) as [string, string]),
      );
      const [name, ...rest] = (ptr.data as string).split('.');
      const [type, protocol] = rest.slice(0, 2).map((label) => label.replace(/^_/, ''));
      return {
        name,
        fqdn: ptr.data as string,
        type,
        protocol,
        host: target,
        port: (srv?.data as { port: number }).port,
        addresses: records.filter((r) => r.type === 'A' && r.name === target).map((r) => r.data as string),
        txt: txtEntries,
      };
    });
}

describe('advertisedMdnsServices and buildMdnsResponse: the records, decoded as the scanner decodes them', () => {
  it('Axis: _axis-video._tcp "AXIS M1034-W - ACCC8E123404", TXT macaddress=, A = the device, as in the captures', () => {
    const services = advertisedMdnsServices(AXIS);
    expect(services).toEqual([
      { serviceType: '_axis-video._tcp', instance: 'AXIS M1034-W - ACCC8E123404', host: 'axis-accc8e123404.local', port: 80, txt: ['macaddress=ACCC8E123404'] },
    ]);
    const packet = dnsPacket.decode(buildMdnsResponse(services, { address: AXIS.address }));
    expect(packet).toMatchObject({ id: 0, type: 'response', flag_aa: true, questions: [] });
    expect(packet.answers).toEqual([
      { name: '_axis-video._tcp.local', type: 'PTR', class: 'IN', flush: false, ttl: 4500, data: 'AXIS M1034-W - ACCC8E123404._axis-video._tcp.local' },
    ]);
    expect(packet.additionals.map((r) => [r.type, r.name, r.ttl, r.flush])).toEqual([
      ['SRV', 'AXIS M1034-W - ACCC8E123404._axis-video._tcp.local', 120, true],
      ['TXT', 'AXIS M1034-W - ACCC8E123404._axis-video._tcp.local', 4500, true],
      ['A', 'axis-accc8e123404.local', 120, true],
    ]);
    expect(packet.additionals[0]!.data).toEqual({ priority: 0, weight: 0, port: 80, target: 'axis-accc8e123404.local' });
    expect((packet.additionals[1]!.data as Buffer[]).map(String)).toEqual(['macaddress=ACCC8E123404']);
    expect(packet.additionals[2]!.data).toBe(AXIS.address);

    const [resolved] = resolveServices(packet, '_axis-video._tcp.local');
    expect(parseMdnsService(resolved!)).toEqual({
      vendor: 'Axis',
      model: 'AXIS M1034-W',
      mac: 'ac:cc:8e:12:34:04',
      serial: 'ACCC8E123404',
      serialTail: null,
      name: 'AXIS M1034-W - ACCC8E123404',
      port: 80,
      addresses: [AXIS.address],
      serviceType: '_axis-video._tcp',
    });
  });

  it('Axis records take the shape of the captured Home Assistant M1065-LW service (name form, hostname form, TXT key)', () => {
    const ha = JSON.parse(readCaptureText('axis/axis-M1065-LW-mdns-axis-video-tcp-parsed-ha.json')) as { hostname: string; type: string; name: string; properties: Record<string, string> };
    const m1065: ResponderDeviceInfo = { ...AXIS, model: 'M1065-LW', serial: '00408C123456', mac: '00:40:8c:12:34:56' };
    const [service] = advertisedMdnsServices(m1065);
    expect(`${service!.instance}.${service!.serviceType}.local.`).toBe(ha.name);
    expect(`${service!.serviceType}.local.`).toBe(ha.type);
    expect(`${service!.host}.`).toBe(ha.hostname);
    expect(service!.txt).toEqual(Object.entries(ha.properties).map(([key, value]) => `${key}=${value}`));
  });

  it('the layout of the Axis selftest response: PTR answers, TXT and A additionals with the cache-flush bit', () => {
    const reference = dnsPacket.decode(readCapture('synthetic-format-references/axis-mdns-response-axis-video-rtsp-UniversalScanner-selftest.bin'));
    const ours = dnsPacket.decode(buildMdnsResponse(advertisedMdnsServices(AXIS), { address: AXIS.address }));
    expect(reference.answers.map((r) => r.type)).toEqual(['PTR']);
    expect(ours.answers.map((r) => r.type)).toEqual(['PTR']);
    expect([reference.type, reference.flag_aa, reference.id]).toEqual([ours.type, ours.flag_aa, ours.id]);
    for (const type of ['TXT', 'A']) {
      expect(reference.additionals.find((r) => r.type === type)?.flush, type).toBe(true);
      expect(ours.additionals.find((r) => r.type === type)?.flush, type).toBe(true);
    }
    // Same TXT key as the reference, this device's MAC.
    const referenceTxt = (reference.additionals.find((r) => r.type === 'TXT')!.data as Buffer[]).map(String);
    expect(referenceTxt[0]).toMatch(/^macaddress=[0-9A-F]{12}$/);
  });

  it('Hikvision: _CGI._tcp "HIKVISION <model> - <serial tail>": the parser finds the model and the tail, never a full serial', () => {
    const services = advertisedMdnsServices(HIKVISION);
    expect(services).toEqual([
      { serviceType: '_CGI._tcp', instance: 'HIKVISION DS-2CD2385G1-I - E33842150', host: 'DS-2CD2385G1-I20200414AAWRE33842150.local', port: 8080, txt: [''] },
    ]);
    const packet = dnsPacket.decode(buildMdnsResponse(services, { address: HIKVISION.address }));
    expect((packet.additionals.find((r) => r.type === 'TXT')!.data as Buffer[]).map((b) => b.length)).toEqual([0]);
    const [resolved] = resolveServices(packet, '_CGI._tcp.local');
    expect(parseMdnsService(resolved!)).toEqual({
      vendor: 'Hikvision',
      model: 'DS-2CD2385G1-I',
      mac: null,
      serial: null,
      serialTail: 'E33842150',
      name: 'HIKVISION DS-2CD2385G1-I - E33842150',
      port: 8080,
      addresses: [HIKVISION.address],
      serviceType: '_cgi._tcp',
    });
  });

  it('a vendor with no known mDNS presence advertises nothing, and a profile listing mdns for it fails loudly', async () => {
    const pelco = { ...AXIS, vendor: 'Pelco', model: 'D6230L' };
    expect(advertisedMdnsServices(pelco)).toEqual([]);
    await expect(startMdnsResponder({ device: pelco, udpFactory: new FakeUdp().factory })).rejects.toThrow(/no DNS-SD services known for vendor "Pelco"/);
  });

  it('a name dns-packet cannot carry (a dot in the instance) fails at start rather than going out corrupt', async () => {
    await expect(startMdnsResponder({ device: { ...AXIS, model: 'M1034-W v1.2' }, udpFactory: new FakeUdp().factory, multicast: MULTICAST })).rejects.toThrow(/cannot encode/);
  });

  it('legacy unicast form: echoes id and questions, TTLs at most 10 s, no cache-flush bits', () => {
    const packet = dnsPacket.decode(buildMdnsResponse(advertisedMdnsServices(AXIS), { address: AXIS.address, legacy: { id: 4242, questions: [{ name: '_axis-video._tcp.local', type: 'PTR', class: 'IN' }] } }));
    expect(packet.id).toBe(4242);
    expect(packet.questions).toEqual([{ name: '_axis-video._tcp.local', type: 'PTR', class: 'IN' }]);
    for (const record of [...packet.answers, ...packet.additionals]) {
      expect(record.ttl, record.type).toBeLessThanOrEqual(10);
      expect(record.flush, record.type).toBe(false);
    }
  });
});

describe('startMdnsResponder', () => {
  it('on loopback (no multicast) opens nothing: mDNS is multicast only', async () => {
    const udp = new FakeUdp();
    const responder = await startMdnsResponder({ device: AXIS, udpFactory: udp.factory });
    expect(udp.sockets).toEqual([]);
    await responder.close();
  });

  it('with multicast: own socket on the device address:5353 (reuseAddr) plus the shared 224.0.0.251:5353 hub', async () => {
    const udp = new FakeUdp();
    const responder = await startMdnsResponder({ device: AXIS, udpFactory: udp.factory, multicast: MULTICAST });
    expect(udp.sockets.map((s) => s.options)).toEqual([
      { type: 'udp4', bindAddress: AXIS.address, port: MDNS_PORT, reuseAddr: true, multicastInterface: MULTICAST.interfaceAddress, multicastTtl: 1, multicastLoopback: true },
      {
        type: 'udp4',
        bindAddress: MDNS_GROUP,
        port: MDNS_PORT,
        reuseAddr: true,
        memberships: [{ group: MDNS_GROUP, interfaceAddress: MULTICAST.interfaceAddress }],
        multicastInterface: MULTICAST.interfaceAddress,
        multicastLoopback: true,
      },
    ]);
    await responder.close();
    expect(udp.sockets.every((s) => s.closed)).toBe(true);
  });

  it('answers a group browse to the group, from its own address:5353, and counts every query as a probe', async () => {
    const udp = new FakeUdp();
    const probes: ProbeNotice[] = [];
    await startMdnsResponder({ device: AXIS, udpFactory: udp.factory, multicast: MULTICAST, onProbe: (p) => probes.push(p) });
    const hub = udp.sockets.find((s) => s.options.bindAddress === MDNS_GROUP)!;
    // The scanner browses every camera type; this device answers only its own (names compare case-insensitively).
    for (const type of ['_axis-video._tcp.local', '_CGI._tcp.local', '_onvif._tcp.local', '_http._tcp.local', '_rtsp._tcp.local', '_AXIS-VIDEO._TCP.LOCAL']) {
      hub.deliver(browseQuery(type), SCANNER, MDNS_PORT);
    }
    await Promise.resolve();
    expect(probes).toHaveLength(6);
    expect(probes[0]).toEqual({ source: SCANNER, credentialed: false, multicast: true });
    expect(udp.sent.map((s) => [s.socket.localAddress, s.socket.localPort, `${s.address}:${s.port}`])).toEqual([
      [AXIS.address, MDNS_PORT, `${MDNS_GROUP}:${MDNS_PORT}`],
      [AXIS.address, MDNS_PORT, `${MDNS_GROUP}:${MDNS_PORT}`],
    ]);
    const packet = dnsPacket.decode(udp.sent[0]!.data);
    expect(packet.answers.map((r) => r.data)).toEqual(['AXIS M1034-W - ACCC8E123404._axis-video._tcp.local']);
    expect(packet.additionals.find((r) => r.type === 'A')?.data).toBe(AXIS.address);
  });

  it('ignores responses (its own, looped back by the group), garbage and question-less packets', async () => {
    const udp = new FakeUdp();
    const probes: ProbeNotice[] = [];
    await startMdnsResponder({ device: AXIS, udpFactory: udp.factory, multicast: MULTICAST, onProbe: (p) => probes.push(p) });
    const hub = udp.sockets.find((s) => s.options.bindAddress === MDNS_GROUP)!;
    hub.deliver(buildMdnsResponse(advertisedMdnsServices(AXIS), { address: AXIS.address }), AXIS.address, MDNS_PORT);
    hub.deliver(readCapture('synthetic-format-references/axis-mdns-response-axis-video-rtsp-UniversalScanner-selftest.bin'), '10.9.0.40', MDNS_PORT);
    hub.deliver(Buffer.from([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c]), SCANNER, MDNS_PORT);
    hub.deliver('not dns', SCANNER, MDNS_PORT);
    hub.deliver(dnsPacket.encode({ type: 'query', questions: [] }), SCANNER, MDNS_PORT);
    hub.deliver(Buffer.alloc(9001), SCANNER, MDNS_PORT);
    await Promise.resolve();
    expect(udp.sent).toEqual([]);
    expect(probes).toEqual([]);
  });

  it('QU question (RFC 6762 §5.4): answers the querier by unicast, still from its own address:5353', async () => {
    const udp = new FakeUdp();
    await startMdnsResponder({ device: AXIS, udpFactory: udp.factory, multicast: MULTICAST });
    const hub = udp.sockets.find((s) => s.options.bindAddress === MDNS_GROUP)!;
    // dns-packet 5 cannot encode the QU bit: set the question's class (the last two bytes) to 0x8001 = QU | IN.
    const query = Buffer.from(browseQuery('_axis-video._tcp.local'));
    query.writeUInt16BE(0x8001, query.length - 2);
    hub.deliver(query, SCANNER, MDNS_PORT);
    await Promise.resolve();
    expect(udp.sent.map((s) => [s.socket.localAddress, `${s.address}:${s.port}`])).toEqual([[AXIS.address, `${SCANNER}:${MDNS_PORT}`]]);
  });

  it('legacy unicast query from an ephemeral port (RFC 6762 §6.7): answered to that port with the id echoed', async () => {
    const udp = new FakeUdp();
    await startMdnsResponder({ device: AXIS, udpFactory: udp.factory, multicast: MULTICAST });
    const own = udp.sockets.find((s) => s.options.bindAddress === AXIS.address)!;
    own.deliver(browseQuery('_axis-video._tcp.local', { id: 777 }), SCANNER, 50123);
    await Promise.resolve();
    expect(udp.sent.map((s) => `${s.address}:${s.port}`)).toEqual([`${SCANNER}:50123`]);
    const packet = dnsPacket.decode(udp.sent[0]!.data);
    expect(packet.id).toBe(777);
    expect(packet.questions.map((q) => q.name)).toEqual(['_axis-video._tcp.local']);
    expect(Math.max(...[...packet.answers, ...packet.additionals].map((r) => r.ttl))).toBeLessThanOrEqual(10);
  });

  it('known-answer suppression (RFC 6762 §7.1): no answer when the querier already holds our PTR with half its TTL left', async () => {
    const udp = new FakeUdp();
    await startMdnsResponder({ device: AXIS, udpFactory: udp.factory, multicast: MULTICAST });
    const hub = udp.sockets.find((s) => s.options.bindAddress === MDNS_GROUP)!;
    const known = (ttl: number): Buffer =>
      browseQuery('_axis-video._tcp.local', { answers: [{ name: '_axis-video._tcp.local', type: 'PTR', ttl, data: 'AXIS M1034-W - ACCC8E123404._axis-video._tcp.local' }] });
    hub.deliver(known(4000), SCANNER, MDNS_PORT);
    await Promise.resolve();
    expect(udp.sent).toEqual([]);
    hub.deliver(known(1000), SCANNER, MDNS_PORT);
    await Promise.resolve();
    expect(udp.sent).toHaveLength(1);
  });

  it('two devices on one interface share the hub; each answers from its own address', async () => {
    const udp = new FakeUdp();
    const second = { ...AXIS, address: '10.9.0.14', serial: 'ACCC8E123405', mac: 'ac:cc:8e:12:34:05' };
    await startMdnsResponder({ device: AXIS, udpFactory: udp.factory, multicast: MULTICAST });
    await startMdnsResponder({ device: second, udpFactory: udp.factory, multicast: MULTICAST });
    const hubs = udp.sockets.filter((s) => s.options.bindAddress === MDNS_GROUP);
    expect(hubs).toHaveLength(1);
    hubs[0]!.deliver(browseQuery('_axis-video._tcp.local'), SCANNER, MDNS_PORT);
    await Promise.resolve();
    expect(udp.sent.map((s) => s.socket.localAddress)).toEqual([AXIS.address, second.address]);
    expect(udp.sent.map((s) => dnsPacket.decode(s.data).additionals.find((r) => r.type === 'A')?.data)).toEqual([AXIS.address, second.address]);
  });
});

describe('startDiscoveryResponders with "mdns"', () => {
  it('starts the mDNS responder for the Axis profile only when multicast is configured', async () => {
    const profile = loadProfile('axis-m1034-w');
    expect(profile.channels).toContain('mdns');
    const info = responderDeviceInfo(profile, '10.9.0.15', 80);

    const loopback = new FakeUdp();
    await (await startDiscoveryResponders({ device: info, udpFactory: loopback.factory, channels: profile.channels })).close();
    expect(loopback.sockets.map((s) => s.options.port)).not.toContain(MDNS_PORT);

    const namespace = new FakeUdp();
    const responders = await startDiscoveryResponders({ device: info, udpFactory: namespace.factory, channels: profile.channels, multicast: MULTICAST });
    expect(namespace.sockets.filter((s) => s.options.port === MDNS_PORT).map((s) => s.options.bindAddress)).toEqual([info.address, MDNS_GROUP]);
    await responders.close();
    expect(namespace.sockets.every((s) => s.closed)).toBe(true);
  });
});
