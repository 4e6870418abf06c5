import { describe, it, expect } from 'vitest';
import { listCaptures, readCapture, readCaptureText } from '../../../support/captures.js';
import {
  DHIP_DISCOVER_BODY,
  DHIP_HEADER_BYTES,
  DhipDecodeError,
  buildDhipDiscover,
  decodeDhipFrame,
  encodeDhipFrame,
  parseDhipMessage,
} from '../../../../src/protocols/dhip/dhip.js';
import type { DhipDeviceInfo, DhipMessage } from '../../../../src/protocols/dhip/dhip.js';

const SELFTEST = 'synthetic-format-references/dahua-dhip-notifyDevInfo-with-32byte-header-UniversalScanner-selftest.bin';

function deviceInfo(message: DhipMessage): DhipDeviceInfo {
  if (message.kind !== 'device-info') throw new Error(`expected device-info, got ${message.kind}`);
  return message;
}

function decodeErrorOf(run: () => unknown): DhipDecodeError {
  try {
    run();
  } catch (error) {
    if (error instanceof DhipDecodeError) return error;
    throw error;
  }
  throw new Error('expected a DhipDecodeError');
}

function frameWithHeader(body: Buffer, edit: (header: Buffer) => void): Buffer {
  const frame = encodeDhipFrame(body);
  edit(frame.subarray(0, DHIP_HEADER_BYTES));
  return frame;
}

describe('DHIP framing against the UniversalScanner byte layout', () => {
  const selftest = readCapture(SELFTEST);

  it('encodeDhipFrame reproduces the reference frame exactly from its body', () => {
    expect(encodeDhipFrame(selftest.subarray(DHIP_HEADER_BYTES)).equals(selftest)).toBe(true);
  });

  it('decodeDhipFrame reads the reference header and body', () => {
    const frame = decodeDhipFrame(selftest);
    expect(frame.header).toEqual({ headerLength: 32, sessionId: 0, requestId: 0, bodyLength: 677, totalLength: 677 });
    expect(selftest.byteLength).toBe(32 + 677);
    expect(frame.body.startsWith('{ "mac" : "00:11:22:33:44:55", "method" : "client.notifyDevInfo"')).toBe(true);
    expect(frame.body.endsWith('"random" : "00000001" }\n')).toBe(true);
  });

  it('the reference body is itself invalid JSON ("Version" : "1.0000, lacks its quote): a named error', () => {
    expect(decodeErrorOf(() => parseDhipMessage(selftest)).code).toBe('dhip-bad-json');
  });
});

describe('buildDhipDiscover', () => {
  it('is the 32-byte header plus the DHDiscover.search body of docs/FIELD-NOTES.md §3', () => {
    const datagram = buildDhipDiscover();
    const body = Buffer.from('{"method":"DHDiscover.search","params":{"mac":"","uni":1}}\n');
    expect(DHIP_DISCOVER_BODY).toBe(body.toString());
    expect(datagram.subarray(0, 8).equals(Buffer.from([0x20, 0, 0, 0, 0x44, 0x48, 0x49, 0x50]))).toBe(true);
    expect(datagram.subarray(8, 16).equals(Buffer.alloc(8))).toBe(true);
    expect(datagram.readUInt32LE(16)).toBe(body.byteLength);
    expect(datagram.readUInt32LE(20)).toBe(0);
    expect(datagram.readUInt32LE(24)).toBe(body.byteLength);
    expect(datagram.readUInt32LE(28)).toBe(0);
    expect(datagram.subarray(32).equals(body)).toBe(true);
  });

  it('carries no credential and decodes as a search (our own echo, to ignore)', () => {
    expect(buildDhipDiscover().toString('latin1')).not.toMatch(/pass|user|auth/i);
    expect(parseDhipMessage(buildDhipDiscover())).toEqual({ kind: 'search' });
  });

  it('refuses an oversized body', () => {
    expect(() => encodeDhipFrame(Buffer.alloc(64 * 1024 + 1))).toThrow(RangeError);
  });
});

describe('parseDhipMessage on captured notifyDevInfo bodies', () => {
  it('every *.body.json capture decodes to device-info', () => {
    const files = listCaptures('dahua-dhip').filter((f) => f.endsWith('.body.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const message = deviceInfo(parseDhipMessage(encodeDhipFrame(readCapture(`dahua-dhip/${file}`))));
      expect(message.method).toBe('client.notifyDevInfo');
      expect(message.model).toBeTruthy();
    }
  });

  it('Dahua IPC-HDW5421S (internet scan reply): identity, ports, IPv4 block; no Init field', () => {
    const message = deviceInfo(parseDhipMessage(encodeDhipFrame(readCapture('dahua-dhip/dahua-IPC-HDW5421S-phenomite.body.json'))));
    expect(message).toMatchObject({
      model: 'IPC-HDW5421S',
      serial: '1F006E4PAX00075',
      mac: '4c:11:bf:c2:0b:9d',
      firmware: '2.400.0.8',
      httpPort: 80,
      sdkPort: 37777,
      vendor: 'Dahua',
      machineName: '1F006E4PAX00075',
      deviceClass: 'IPC',
      ipv4: '218.5.136.140',
      ipv4Mask: '255.255.255.0',
      ipv4Gateway: '218.5.136.1',
      dhcp: false,
    });
    expect(message.initialised).toBeUndefined();
    expect(message.httpsPort).toBeUndefined();
    expect(message.raw['Manufacturer']).toBe('Private');
    expect(message.raw['VideoOutputChannels']).toBe(16);
  });

  it('Lorex W461ASC (Dahua OEM): Init=1162 means initialised; the redacted serial is not taken as a serial', () => {
    const message = deviceInfo(parseDhipMessage(encodeDhipFrame(readCapture('dahua-dhip/lorex-W461ASC-rapid7.body.json'))));
    expect(message).toMatchObject({
      model: 'W461ASC',
      mac: '00:1f:54:a9:2e:58',
      firmware: '2.800.030000000.3.R',
      httpPort: 80,
      sdkPort: 35000,
      vendor: 'Lorex',
      deviceClass: 'IPC',
      initialised: true,
      ipv4: '192.168.86.81',
      ipv4Gateway: '192.168.86.1',
      dhcp: true,
    });
    expect(message.serial).toBeUndefined();
    expect(message.raw['SerialNo']).toBe('**************');
    expect(message.raw['Init']).toBe(1162);
    expect(message.raw['Find']).toBe('BC');
  });

  it('the markdown rendering of the Dahua reply is not byte-exact (header shown as spaces) but its JSON is the same body', () => {
    const text = readCaptureText('dahua-dhip/dahua-IPC-HDW5421S-phenomite.txt');
    expect(decodeErrorOf(() => decodeDhipFrame(Buffer.from(text))).code).toBe('dhip-bad-magic');
    const json = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
    expect(JSON.parse(json)).toEqual(JSON.parse(readCaptureText('dahua-dhip/dahua-IPC-HDW5421S-phenomite.body.json')));
    expect(deviceInfo(parseDhipMessage(encodeDhipFrame(json))).serial).toBe('1F006E4PAX00075');
  });

  it('the Rapid7 Ruby pp dump agrees with the JSON body derived from it, value for value', () => {
    const pp = readCaptureText('dahua-dhip/lorex-W461ASC-rapid7-rubypp.txt');
    const message = deviceInfo(parseDhipMessage(encodeDhipFrame(readCapture('dahua-dhip/lorex-W461ASC-rapid7.body.json'))));
    const flat: Record<string, unknown> = { ...message.raw };
    const ipv4 = message.raw['IPv4Address'] as Record<string, unknown>;
    Object.assign(flat, ipv4);
    const pairs = [...pp.matchAll(/"(\w+)"=>("[^"]*"|\d+|true|false)/g)];
    expect(pairs.length).toBeGreaterThan(20);
    for (const [, key, value] of pairs) {
      if (key === 'mac' || key === 'method') continue;
      expect(flat[key!], key).toEqual(JSON.parse(value!));
    }
  });
});

describe('decodeDhipFrame on hostile input', () => {
  const body = Buffer.from('{"method":"DHDiscover.search","params":{"mac":"","uni":1}}\n');

  it('names every failure', () => {
    expect(decodeErrorOf(() => decodeDhipFrame(Buffer.alloc(0))).code).toBe('dhip-too-short');
    expect(decodeErrorOf(() => decodeDhipFrame(Buffer.alloc(31))).code).toBe('dhip-too-short');
    expect(decodeErrorOf(() => decodeDhipFrame(frameWithHeader(body, (h) => h.write('DVRP', 4)))).code).toBe('dhip-bad-magic');
    expect(decodeErrorOf(() => decodeDhipFrame(frameWithHeader(body, (h) => h.writeUInt32LE(0x21, 0)))).code).toBe('dhip-bad-magic');
    expect(decodeErrorOf(() => decodeDhipFrame(frameWithHeader(body, (h) => { h.writeUInt32LE(0xffffffff, 16); h.writeUInt32LE(0xffffffff, 24); }))).code).toBe('dhip-too-large');
    expect(decodeErrorOf(() => decodeDhipFrame(frameWithHeader(body, (h) => h.writeUInt32LE(body.byteLength + 10, 24)))).code).toBe('dhip-length-mismatch');
    expect(decodeErrorOf(() => decodeDhipFrame(encodeDhipFrame(body).subarray(0, 40))).code).toBe('dhip-truncated');
    expect(decodeErrorOf(() => decodeDhipFrame(Buffer.concat([encodeDhipFrame(body), Buffer.from('junk')]))).code).toBe('dhip-trailing-data');
  });

  it('tolerates NUL padding after the body and inside the announced length', () => {
    const padded = Buffer.concat([encodeDhipFrame(body), Buffer.alloc(16)]);
    expect(decodeDhipFrame(padded).body).toBe(body.toString());
    const nulTerminated = encodeDhipFrame(Buffer.concat([body, Buffer.from([0, 0])]));
    expect(decodeDhipFrame(nulTerminated).body).toBe(body.toString());
    expect(parseDhipMessage(nulTerminated)).toEqual({ kind: 'search' });
  });

  it('accepts a frame inside a larger buffer (offset views)', () => {
    const backing = Buffer.concat([Buffer.from('prefix'), encodeDhipFrame(body)]);
    expect(decodeDhipFrame(backing.subarray(6)).body).toBe(body.toString());
  });

  it('an empty body decodes as a frame but is not a message', () => {
    expect(decodeDhipFrame(encodeDhipFrame('')).body).toBe('');
    expect(decodeErrorOf(() => parseDhipMessage(encodeDhipFrame(''))).code).toBe('dhip-bad-json');
  });
});

describe('parseDhipMessage on odd bodies', () => {
  const parse = (json: unknown): DhipMessage => parseDhipMessage(encodeDhipFrame(JSON.stringify(json)));
  const info = (deviceInfoFields: Record<string, unknown>, extra: Record<string, unknown> = {}): DhipDeviceInfo =>
    deviceInfo(parse({ method: 'client.notifyDevInfo', params: { deviceInfo: deviceInfoFields }, ...extra }));

  it('names bodies that are not discovery', () => {
    for (const json of ['null', '[]', '"x"', '42']) {
      expect(decodeErrorOf(() => parseDhipMessage(encodeDhipFrame(json))).code).toBe('dhip-bad-json');
    }
    expect(decodeErrorOf(() => parse({ method: 'global.login', params: {} })).code).toBe('dhip-unsupported');
    expect(decodeErrorOf(() => parse({ params: {} })).code).toBe('dhip-unsupported');
    expect(decodeErrorOf(() => parse({ method: 'client.notifyDevInfo' })).code).toBe('dhip-unsupported');
    expect(decodeErrorOf(() => parse({ method: 'client.notifyDevInfo', params: { deviceInfo: [] } })).code).toBe('dhip-unsupported');
  });

  it('deeply nested JSON is a named error or a value, never a crash', () => {
    const depth = 30_000; // 60 KB, inside the 64 KiB body limit
    const deep = `{"method":"client.notifyDevInfo","params":{"deviceInfo":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    expect(decodeErrorOf(() => parseDhipMessage(encodeDhipFrame(deep))).code).toBe('dhip-unsupported');
  });

  it('Init bits 0–1: 1 = not initialised, 2 = initialised, 0 or 3 = unknown; DeviceInit booleans', () => {
    expect(info({ Init: 1 }).initialised).toBe(false);
    expect(info({ Init: 0b1000_0101 }).initialised).toBe(false);
    expect(info({ Init: 2 }).initialised).toBe(true);
    expect(info({ Init: '2714' }).initialised).toBe(true);
    expect(info({ Init: 0 }).initialised).toBeNull();
    expect(info({ Init: 3 }).initialised).toBeNull();
    expect(info({ Init: -2 }).initialised).toBeNull();
    expect(info({ Init: 2.5 }).initialised).toBeNull();
    expect(info({ Init: 'yes' }).initialised).toBeNull();
    expect(info({ DeviceInit: false }).initialised).toBe(false);
    expect(info({ DeviceInit: true, Init: 1 }).initialised).toBe(true);
    expect(info({ DeviceInit: 'x' }).initialised).toBeNull();
    expect(info({}).initialised).toBeUndefined();
  });

  it('validates ports, addresses and the MAC; wrong types are ignored, not thrown', () => {
    const message = info(
      { HttpPort: 0, HttpsPort: '443', Port: 70000, DeviceType: 12, SerialNo: '  ', IPv4Address: { IPAddress: '1.2.3', DhcpEnable: 'yes' } },
      { mac: 'ff:ff:ff:ff:ff:ff' },
    );
    expect(message.httpPort).toBeUndefined();
    expect(message.httpsPort).toBe(443);
    expect(message.sdkPort).toBeUndefined();
    expect(message.model).toBeUndefined();
    expect(message.serial).toBeUndefined();
    expect(message.mac).toBeUndefined();
    expect(message.ipv4).toBeUndefined();
    expect(message.dhcp).toBeUndefined();
  });

  it('falls back to a MAC inside deviceInfo', () => {
    expect(info({ mac: '4C-11-BF-C2-0B-9D' }).mac).toBe('4c:11:bf:c2:0b:9d');
  });
});
