import { createRequire } from 'node:module';
import { describe, it, expect } from 'vitest';
import { readCapture, readCaptureText } from '../../../support/captures.js';
import { parseMdnsService } from '../../../../src/protocols/mdns/mdns-service.js';

interface DecodedRecord {
  name: string;
  type: string;
  ttl: number;
  data: unknown;
}
interface DecodedPacket {
  answers: DecodedRecord[];
  additionals: DecodedRecord[];
}
// dns-packet (the codec under bonjour-service/multicast-dns) ships no types; only this test uses it.
const dnsPacket = createRequire(import.meta.url)('dns-packet') as { decode(buffer: Buffer): DecodedPacket };

describe('parseMdnsService: Axis _axis-video._tcp', () => {
  it('Axis M1065-LW as Home Assistant received it', () => {
    const ha = JSON.parse(readCaptureText('axis/axis-M1065-LW-mdns-axis-video-tcp-parsed-ha.json')) as {
      host: string;
      port: number;
      hostname: string;
      type: string;
      name: string;
      properties: Record<string, string>;
    };
    expect(parseMdnsService({ name: ha.name, type: ha.type, host: ha.host, port: ha.port, txt: ha.properties })).toEqual({
      vendor: 'Axis',
      model: 'AXIS M1065-LW',
      mac: '00:40:8c:12:34:56',
      serial: '00408C123456',
      serialTail: null,
      name: 'AXIS M1065-LW - 00408C123456',
      port: 80,
      addresses: ['1.2.3.4'],
      serviceType: '_axis-video._tcp',
    });
  });

  it('the same service in bonjour-service shape (type without underscores, protocol apart, hostname as host)', () => {
    const hint = parseMdnsService({
      name: 'AXIS M1065-LW - 00408C123456',
      fqdn: 'AXIS M1065-LW - 00408C123456._axis-video._tcp.local',
      type: 'axis-video',
      protocol: 'tcp',
      host: 'axis-00408c123456.local',
      port: 80,
      addresses: ['192.0.2.10', 'fe80::240:8cff:fe12:3456'],
      txt: { macaddress: '00408C123456' },
    });
    expect(hint).toMatchObject({ vendor: 'Axis', mac: '00:40:8c:12:34:56', serviceType: '_axis-video._tcp', addresses: ['192.0.2.10', 'fe80::240:8cff:fe12:3456'] });
  });

  it('takes the MAC from the name when TXT has none', () => {
    expect(parseMdnsService({ name: 'AXIS P3301 - 00408CA45086', type: '_axis-video._tcp' })).toMatchObject({
      vendor: 'Axis',
      model: 'AXIS P3301',
      mac: '00:40:8c:a4:50:86',
      serial: '00408CA45086',
    });
  });

  it('DoorBird on the Axis service type: vendor from the OUI, no Axis serial', () => {
    // Instance name as in Home Assistant's DoorBird tests; MAC from DoorBird's OUI 1CCAE3.
    expect(parseMdnsService({ name: 'Doorstation - abc123._axis-video._tcp.local.', type: '_axis-video._tcp.local.', txt: { macaddress: '1CCAE373C12C' } })).toEqual({
      vendor: 'DoorBird',
      model: null,
      mac: '1c:ca:e3:73:c1:2c',
      serial: null,
      serialTail: null,
      name: 'Doorstation - abc123',
      port: null,
      addresses: [],
      serviceType: '_axis-video._tcp',
    });
  });

  it('the TXT MAC wins over the OUI-less name; an unknown OUI gives no vendor', () => {
    expect(parseMdnsService({ name: 'Front door', type: '_axis-video._tcp', txt: { MacAddress: '00:11:22:33:44:55' } })).toMatchObject({
      vendor: null,
      mac: '00:11:22:33:44:55',
      serial: null,
    });
  });
});

describe('parseMdnsService: Hikvision _CGI._tcp', () => {
  it('"HIKVISION <model> - <serial tail>": model and the tail, never a full serial', () => {
    expect(parseMdnsService({ name: 'HIKVISION DS-2CD2385G1-I - E33842150', type: 'CGI', protocol: 'tcp', port: 80, addresses: ['192.0.2.40'] })).toEqual({
      vendor: 'Hikvision',
      model: 'DS-2CD2385G1-I',
      mac: null,
      serial: null,
      serialTail: 'E33842150',
      name: 'HIKVISION DS-2CD2385G1-I - E33842150',
      port: 80,
      addresses: ['192.0.2.40'],
      serviceType: '_cgi._tcp',
    });
  });

  it('as a full service instance name, any case', () => {
    expect(parseMdnsService({ name: 'HIKVISION DS-2CD2320D-I - 52932642._CGI._tcp.local.', type: '_CGI._tcp.local.' })).toMatchObject({
      vendor: 'Hikvision',
      model: 'DS-2CD2320D-I',
      serialTail: '52932642',
      name: 'HIKVISION DS-2CD2320D-I - 52932642',
      serviceType: '_cgi._tcp',
    });
  });

  it('a name that only starts like Hikvision is not parsed as one', () => {
    expect(parseMdnsService({ name: 'HIKVISION camera in the hall', type: '_http._tcp' })).toMatchObject({ vendor: null, model: null, serialTail: null });
  });
});

describe('parseMdnsService: other service types and odd input', () => {
  it('_onvif._tcp, _http._tcp and _rtsp._tcp keep name, port and addresses', () => {
    for (const type of ['_onvif._tcp', '_http._tcp', '_rtsp._tcp']) {
      expect(parseMdnsService({ name: 'IPCAM-631GA', type, port: 8899, host: '192.0.2.5' })).toEqual({
        vendor: null,
        model: null,
        mac: null,
        serial: null,
        serialTail: null,
        name: 'IPCAM-631GA',
        port: 8899,
        addresses: ['192.0.2.5'],
        serviceType: type,
      });
    }
  });

  it('service type from the fqdn when type is missing; junk types are null', () => {
    expect(parseMdnsService({ fqdn: 'cam._rtsp._tcp.local' }).serviceType).toBe('_rtsp._tcp');
    expect(parseMdnsService({ fqdn: 'cam._rtsp._tcp.local' }).name).toBe('cam');
    expect(parseMdnsService({ type: '../../etc' }).serviceType).toBeNull();
    expect(parseMdnsService({}).serviceType).toBeNull();
  });

  it('prefers the fqdn over a name that bonjour-service cut at a dot', () => {
    const hint = parseMdnsService({ name: 'AXIS M5014 - ACCC8E3C0419 H', fqdn: 'AXIS M5014 - ACCC8E3C0419 H.264._axis-video._tcp.local', type: 'axis-video' });
    expect(hint.name).toBe('AXIS M5014 - ACCC8E3C0419 H.264');
  });

  it('unescapes DNS-SD presentation escapes and drops control characters', () => {
    expect(parseMdnsService({ name: 'Cam\\.1\\032A\u0000\u001b' }).name).toBe('Cam.1 A');
    expect(parseMdnsService({ name: '   ' }).name).toBeNull();
    expect(parseMdnsService({ name: 'x'.repeat(1000) }).name).toHaveLength(255);
  });

  it('validates ports, addresses and TXT values; wrong types are ignored, not thrown', () => {
    const hostile = {
      port: 70000,
      host: 'camera.local',
      addresses: ['192.0.2.1', 'not-an-ip', '192.0.2.1', 42 as unknown as string, '::1'],
      txt: { macaddress: { toString: () => 'x' }, mac: Buffer.from('AC-CC-8E-27-0A-D8') } as Record<string, unknown>,
    };
    expect(parseMdnsService(hostile)).toMatchObject({ port: null, addresses: ['192.0.2.1', '::1'], mac: 'ac:cc:8e:27:0a:d8', vendor: 'Axis' });
    expect(parseMdnsService({ port: 0 }).port).toBeNull();
    expect(parseMdnsService({ port: 80.5 }).port).toBeNull();
    expect(parseMdnsService({ txt: { macaddress: true } }).mac).toBeNull();
    expect(parseMdnsService({ txt: null as unknown as Record<string, unknown> }).mac).toBeNull();
  });
});

describe('mDNS wire bytes end to end (UniversalScanner Axis self-test, decoded with dns-packet)', () => {
  const packet = dnsPacket.decode(readCapture('synthetic-format-references/axis-mdns-response-axis-video-rtsp-UniversalScanner-selftest.bin'));
  const records = [...packet.answers, ...packet.additionals];
  const txt: Record<string, string> = {};
  for (const record of records.filter((r) => r.type === 'TXT')) {
    for (const entry of record.data as Buffer[]) {
      const text = entry.toString('utf8');
      const eq = text.indexOf('=');
      if (eq > 0) txt[text.slice(0, eq)] = text.slice(eq + 1);
    }
  }
  const addresses = records.filter((r) => r.type === 'A').map((r) => r.data as string);
  const pointers = records.filter((r) => r.type === 'PTR');

  it('holds the records the self-test describes', () => {
    expect(pointers.map((p) => [p.name, p.data])).toEqual([
      ['_axis-video._tcp.local', 'Virtual - 001122334455._axis-video._tcp.local'],
      ['_rtsp._tcp.local', 'AXIS M5014 - ACCC8E3C0419 H.264._axis-video._tcp.local'],
    ]);
    expect(txt).toEqual({ macaddress: '001122334455' });
    expect(addresses).toEqual(['240.0.6.0', '169.254.65.120']);
  });

  it('the _axis-video._tcp service: MAC from the TXT record', () => {
    const ptr = pointers[0]!;
    expect(parseMdnsService({ type: ptr.name, fqdn: ptr.data as string, txt, addresses })).toEqual({
      vendor: null,
      model: null,
      mac: '00:11:22:33:44:55',
      serial: null,
      serialTail: null,
      name: 'Virtual - 001122334455',
      port: null,
      addresses: ['240.0.6.0', '169.254.65.120'],
      serviceType: '_axis-video._tcp',
    });
  });

  it('the _rtsp._tcp pointer to an Axis instance: vendor, model and MAC from the name', () => {
    const ptr = pointers[1]!;
    expect(parseMdnsService({ type: ptr.name, fqdn: ptr.data as string, addresses })).toMatchObject({
      vendor: 'Axis',
      model: 'AXIS M5014',
      mac: 'ac:cc:8e:3c:04:19',
      serial: 'ACCC8E3C0419',
      name: 'AXIS M5014 - ACCC8E3C0419 H.264',
      serviceType: '_rtsp._tcp',
    });
  });
});
