/**
 * The simulator's own encoders (src/simulator/wire) against the scanner's decoders: two codes written apart, so
 * agreement here means something, and the captured payloads stay the decoders' oracle.
 */
import { describe, expect, it } from 'vitest';
import { helloXml, probeMatchesXml } from '../../../src/simulator/wire/ws-discovery.js';
import { sadpProbeMatchXml } from '../../../src/simulator/wire/sadp.js';
import { dhipDatagram } from '../../../src/simulator/wire/dhip.js';
import { classifyEndpoint, parseDiscoveryMessage } from '../../../src/protocols/ws-discovery/index.js';
import { parseSadpMessage } from '../../../src/protocols/sadp/index.js';
import { buildDhipDiscover, decodeDhipFrame, parseDhipMessage } from '../../../src/protocols/dhip/index.js';
import { readCapture } from '../../support/captures.js';

const endpoint = {
  address: 'urn:uuid:18ec6401-3aa0-11b5-83f6-b4a3820fd92d',
  types: 'dn:NetworkVideoTransmitter tds:Device',
  scopes: ['onvif://www.onvif.org/hardware/DS-2CD3955FWD-IWS', 'onvif://www.onvif.org/name/HIKVISION%20DS-2CD3955FWD-IWS'],
  xaddrs: ['http://192.0.2.218/onvif/device_service', 'http://[fe80::b6a3:82ff:fe0f:d92d]/onvif/device_service'],
};

describe('simulator WS-Discovery answers, read by the scanner', () => {
  it('a ProbeMatches echoes the Probe id and carries the endpoint', () => {
    const message = parseDiscoveryMessage(probeMatchesXml('0b4f0c5e-1111-4222-8333-944455556666', 'uuid:<&probe>', endpoint));
    expect(message).toMatchObject({
      kind: 'probe-matches',
      relatesTo: 'uuid:<&probe>',
      messageId: 'uuid:0b4f0c5e-1111-4222-8333-944455556666',
      matches: [{ endpoint: endpoint.address, types: ['dn:NetworkVideoTransmitter', 'tds:Device'], scopes: endpoint.scopes, xaddrs: endpoint.xaddrs }],
    });
    if (message.kind === 'probe-matches') expect(classifyEndpoint(message.matches[0]!)).toBe('camera');
  });

  it('a Hello keeps the captured Dahua shape and this device values', () => {
    const captured = parseDiscoveryMessage(readCapture('ws-discovery/dahua-IPC-HFW2228M-I1-V2-Hello.xml'));
    const built = parseDiscoveryMessage(helloXml('7dffd1ac-a95b-4479-ae60-0128450c7104', endpoint));
    expect(built.kind).toBe('hello');
    expect(captured.kind).toBe('hello');
    if (built.kind !== 'hello' || captured.kind !== 'hello') return;
    expect(built.match).toMatchObject({ endpoint: endpoint.address, scopes: endpoint.scopes, xaddrs: endpoint.xaddrs });
    expect(built.match.metadataVersion).toBe(captured.match.metadataVersion);
  });
});

describe('simulator SADP answer, read by the scanner', () => {
  it('round-trips, with the captured element order and the "flase" spelling on request', () => {
    const xml = sadpProbeMatchXml({
      uuid: 'E8ECFE09-90E4-44C0-842B-703F46B58C81', deviceType: '141945', model: 'DS-2CD2385G1-I', serial: 'DS-2CD2385G1-I20200414AAWRE33842150',
      mac: '58:50:ED:1F:E3:85', ipv4: '192.0.2.40', ipv4Mask: '255.255.255.0', httpPort: 80, commandPort: 8000, firmware: 'V5.6.2build 190701',
      activated: false, dhcp: true, deviceLocked: false, oemCode: '1', falseSpelling: 'flase',
    });
    expect(xml).toContain('<MAC>58-50-ed-1f-e3-85</MAC>');
    expect(xml).toContain('<Activated>flase</Activated>');
    const order = [...xml.matchAll(/<(\w+)>/g)].map((m) => m[1]);
    expect(order.indexOf('DeviceSN')).toBeLessThan(order.indexOf('MAC'));
    expect(order.indexOf('MAC')).toBeLessThan(order.indexOf('SoftwareVersion'));
    expect(parseSadpMessage(xml)).toMatchObject({
      kind: 'probe-match', model: 'DS-2CD2385G1-I', serial: 'DS-2CD2385G1-I20200414AAWRE33842150', mac: '58:50:ed:1f:e3:85',
      ipv4: '192.0.2.40', httpPort: 80, commandPort: 8000, activated: false, dhcp: true, deviceLocked: false,
    });
  });

  it('escapes values and leaves out what it was not given', () => {
    const xml = sadpProbeMatchXml({ uuid: 'u', model: 'A<B>&"C' });
    expect(xml).not.toContain('<IPv4Address>');
    expect(parseSadpMessage(xml)).toMatchObject({ model: 'A<B>&"C' });
  });
});

describe('simulator DHIP datagram, read by the scanner', () => {
  it('has the documented header and decodes as a device-info reply', () => {
    const body = readCapture('dahua-dhip/dahua-IPC-HDW5421S-phenomite.body.json').toString().trim();
    const datagram = dhipDatagram(body);
    expect(datagram.subarray(0, 8)).toEqual(Buffer.from([0x20, 0, 0, 0, 0x44, 0x48, 0x49, 0x50]));
    expect(datagram.readUInt32LE(16)).toBe(Buffer.byteLength(body));
    expect(datagram.readUInt32LE(24)).toBe(Buffer.byteLength(body));
    expect(decodeDhipFrame(datagram).body.toString()).toBe(body);
    expect(parseDhipMessage(datagram).kind).toBe('device-info');
  });

  it('frames the same bytes as the scanner frames its own discover request (independent codes agree)', () => {
    const scanner = buildDhipDiscover();
    expect(dhipDatagram(scanner.subarray(32))).toEqual(scanner);
  });
});
