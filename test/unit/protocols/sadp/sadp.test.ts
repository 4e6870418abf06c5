import { describe, it, expect } from 'vitest';
import { listCaptures, readCapture, readCaptureText } from '../../../support/captures.js';
import {
  MAX_SADP_BYTES,
  SadpDecodeError,
  buildSadpInquiry,
  parseSadpBoolean,
  parseSadpMessage,
} from '../../../../src/protocols/sadp/sadp.js';
import type { SadpMessage, SadpProbeMatch } from '../../../../src/protocols/sadp/sadp.js';

function probeMatch(message: SadpMessage): SadpProbeMatch {
  if (message.kind !== 'probe-match') throw new Error(`expected a probe-match, got ${message.kind}`);
  return message;
}

function decodeErrorOf(input: Uint8Array | string): SadpDecodeError {
  try {
    parseSadpMessage(input);
  } catch (error) {
    if (error instanceof SadpDecodeError) return error;
    throw error;
  }
  throw new Error('expected a SadpDecodeError');
}

describe('buildSadpInquiry', () => {
  it('reproduces the SADPTool inquiry capture byte for byte', () => {
    const captured = readCaptureText('hikvision/hikvision-sadp-inquiry-request-from-SADPTool-elearn.xml');
    expect(buildSadpInquiry('ab2cc373-2332-4f7b-aa18-838e08e748ae')).toBe(captured);
  });

  it('never carries a password element', () => {
    expect(buildSadpInquiry('00000000-0000-4000-8000-000000000000')).not.toMatch(/password/i);
  });

  it('refuses something that is not a UUID (no XML injection through the parameter)', () => {
    expect(() => buildSadpInquiry('</Uuid><Password>x</Password><Uuid>')).toThrow(RangeError);
    expect(() => buildSadpInquiry('')).toThrow(RangeError);
  });

  it('is decoded back as an inquiry', () => {
    expect(parseSadpMessage(buildSadpInquiry('e8ecfe09-90e4-44c0-842b-703f46b58c81'))).toEqual({
      kind: 'inquiry',
      uuid: 'E8ECFE09-90E4-44C0-842B-703F46B58C81',
    });
  });
});

describe('parseSadpMessage on captures', () => {
  it('decodes every SADP capture without throwing', () => {
    const files = listCaptures('hikvision').filter((f) => f.includes('sadp'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const message = parseSadpMessage(readCapture(`hikvision/${file}`));
      expect(['probe-match', 'inquiry']).toContain(message.kind);
    }
  });

  it('recognises the SADPTool inquiry as one to ignore', () => {
    const message = parseSadpMessage(readCapture('hikvision/hikvision-sadp-inquiry-request-from-SADPTool-elearn.xml'));
    expect(message).toEqual({ kind: 'inquiry', uuid: 'AB2CC373-2332-4F7B-AA18-838E08E748AE' });
  });

  it('DS-2CD2320D-I V5.5.6: identity, network, and DeviceLock=true', () => {
    const match = probeMatch(parseSadpMessage(readCapture('hikvision/hikvision-DS-2CD2320D-I-V5.5.6-sadp-probematch.xml')));
    expect(match).toMatchObject({
      kind: 'probe-match',
      uuid: 'F93CF8DC-DF53-424B-98A7-9FC0536E1083',
      deviceType: '142378',
      model: 'DS-2CD2320D-I',
      serial: 'DS-2CD2320D-I20180919AACHC52932642',
      mac: '44:47:cc:37:ce:81',
      ipv4: '192.168.1.112',
      ipv4Mask: '255.255.255.0',
      ipv4Gateway: '192.168.1.1',
      ipv6: '240e:361:c0a:2a00:4647:ccff:fe37:ce81',
      httpPort: 80,
      commandPort: 8000,
      firmware: 'V5.5.6build 180326',
      dspVersion: 'V7.3 build 180326',
      activated: true,
      dhcp: true,
      deviceLocked: true,
    });
    expect(match.truncated).toBeUndefined();
    expect(match.oemCode).toBeUndefined();
    expect(match.httpsPort).toBeUndefined();
    expect(match.raw['HCPlatformEnable']).toBe('flase');
    expect(match.raw['MAC']).toBe('44-47-cc-37-ce-81');
    expect(match.raw['BootTime']).toBe('2024-09-18 09:21:28');
  });

  it('DS-2CD2385G1-I V5.6.2: tab-indented, "flase" DeviceLock, "::" IPv6 omitted, OEM code', () => {
    const match = probeMatch(parseSadpMessage(readCapture('hikvision/hikvision-DS-2CD2385G1-I-V5.6.2-sadp-probematch.xml')));
    expect(match).toMatchObject({
      uuid: 'e8ecfe09-90e4-44c0-842b-703f46b58c81',
      deviceType: '141945',
      model: 'DS-2CD2385G1-I',
      serial: 'DS-2CD2385G1-I20200414AAWRE33842150',
      mac: '58:50:ed:1f:e3:85',
      ipv4: '192.168.124.40',
      ipv4Gateway: '192.168.124.1',
      httpPort: 80,
      commandPort: 8000,
      firmware: 'V5.6.2build 190701',
      dspVersion: 'V7.3 build 190626',
      activated: true,
      dhcp: true,
      deviceLocked: false,
      oemCode: '1',
    });
    expect(match.ipv6).toBeUndefined();
    expect(match.raw['IPv6Address']).toBe('::');
    expect(match.raw['SDKOverTLSPort']).toBe('8443');
  });

  it('DS-7804HQH-K1 DVR cut mid-tag: decoded partially and flagged truncated', () => {
    const text = readCaptureText('hikvision/hikvision-DS-7804HQH-K1-DVR-sadp-probematch-truncated.xml');
    expect(text.trimEnd().endsWith('<HCP')).toBe(true);
    const match = probeMatch(parseSadpMessage(readCapture('hikvision/hikvision-DS-7804HQH-K1-DVR-sadp-probematch-truncated.xml')));
    expect(match).toMatchObject({
      truncated: true,
      uuid: '8282F1DB-2FA6-4709-B261-3C6B6A48CA17',
      deviceType: '44322',
      model: 'DS-7804HQH-K1',
      serial: 'DS-7804HQH-K10420190822CCCHD53257168WCVU',
      mac: '68:6d:bc:ee:f8:f0',
      ipv4: '192.168.1.227',
      ipv6: 'fe80::6a6d:bcff:feee:f8f0',
      httpPort: 80,
      commandPort: 8000,
      dhcp: false,
      firmware: 'V3.5.38build 191215',
      dspVersion: 'V5.0, build 191213',
      activated: true,
      deviceLocked: true,
    });
    expect(match.raw['OEMInfo']).toBe('N/A');
    expect(match.raw['SupportHCPlatform']).toBe('true');
    // The element cut in half is not invented.
    expect(Object.keys(match.raw).some((k) => k.startsWith('HCP'))).toBe(false);
  });

  it('UniversalScanner self-test layout (CRLF line ends)', () => {
    const match = probeMatch(parseSadpMessage(readCapture('synthetic-format-references/hikvision-sadp-probematch-UniversalScanner-selftest.xml')));
    expect(match).toMatchObject({
      uuid: '11223344-5566-7788-9900-112233445566',
      model: 'Virtual',
      serial: 'Virtual-123456789',
      mac: '00:11:22:33:44:55',
      ipv4: '240.0.5.0',
      ipv4Mask: '255.0.0.0',
      ipv4Gateway: '240.0.0.1',
      firmware: 'V1.0build 200101',
      activated: true,
      dhcp: false,
    });
    expect(match.raw['HCPlatformEnable']).toBe('flase');
    expect(match.deviceLocked).toBeUndefined();
  });

  it('accepts a string as well as bytes', () => {
    const text = readCaptureText('hikvision/hikvision-DS-2CD2385G1-I-V5.6.2-sadp-probematch.xml');
    expect(parseSadpMessage(text)).toEqual(parseSadpMessage(new Uint8Array(Buffer.from(text))));
  });
});

describe('parseSadpMessage on hostile or odd input', () => {
  const wrap = (inner: string): string => `<?xml version="1.0" encoding="UTF-8"?><ProbeMatch>${inner}</ProbeMatch>`;

  it('names every failure', () => {
    expect(decodeErrorOf('').code).toBe('sadp-empty');
    expect(decodeErrorOf('   \n').code).toBe('sadp-empty');
    expect(decodeErrorOf('not xml at all').code).toBe('sadp-malformed');
    expect(decodeErrorOf(new Uint8Array([0xff, 0x00, 0x3c, 0x3e])).code).toBe('sadp-malformed');
    expect(decodeErrorOf('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><ProbeMatch/>').code).toBe('sadp-malformed');
    expect(decodeErrorOf('<Envelope><Body/></Envelope>').code).toBe('sadp-unsupported');
    expect(decodeErrorOf('<Probe><Uuid>X</Uuid><Types>update</Types><Password>p</Password></Probe>').code).toBe('sadp-unsupported');
    expect(decodeErrorOf('x'.repeat(MAX_SADP_BYTES + 1)).code).toBe('sadp-too-large');
  });

  it('a truncated datagram with no complete element is an error, not an empty device', () => {
    expect(decodeErrorOf('<ProbeMatch><Uu').code).toBe('sadp-malformed');
  });

  it('malformed XML that is not a truncated ProbeMatch is not salvaged', () => {
    expect(decodeErrorOf('<ProbeMatch><Uuid>a</Uuid><Bad></ProbeMatch>').code).toBe('sadp-malformed');
    expect(decodeErrorOf('<Other><Uuid>a</Uuid>').code).toBe('sadp-malformed');
  });

  it('ports must be integers 1..65535', () => {
    const ports = (value: string) => probeMatch(parseSadpMessage(wrap(`<HttpPort>${value}</HttpPort>`))).httpPort;
    expect(ports('80')).toBe(80);
    expect(ports(' 8080 ')).toBe(8080);
    expect(ports('65535')).toBe(65535);
    expect(ports('0')).toBeUndefined();
    expect(ports('65536')).toBeUndefined();
    expect(ports('80a')).toBeUndefined();
    expect(ports('-1')).toBeUndefined();
    expect(ports('8e1')).toBeUndefined();
    expect(ports('')).toBeUndefined();
  });

  it('booleans: true/false, the firmware misspelling flase, any case, 1/0; anything else unknown', () => {
    expect(parseSadpBoolean('true')).toBe(true);
    expect(parseSadpBoolean('True')).toBe(true);
    expect(parseSadpBoolean('1')).toBe(true);
    expect(parseSadpBoolean('false')).toBe(false);
    expect(parseSadpBoolean('flase')).toBe(false);
    expect(parseSadpBoolean('FALSE')).toBe(false);
    expect(parseSadpBoolean('0')).toBe(false);
    expect(parseSadpBoolean('yes')).toBeUndefined();
    expect(parseSadpBoolean(undefined)).toBeUndefined();
    expect(probeMatch(parseSadpMessage(wrap('<Activated>flase</Activated>'))).activated).toBe(false);
    expect(probeMatch(parseSadpMessage(wrap('<Activated>maybe</Activated>'))).activated).toBeUndefined();
  });

  it('drops unusable MACs and addresses but keeps them raw', () => {
    const match = probeMatch(parseSadpMessage(wrap('<MAC>00-00-00-00-00-00</MAC><IPv4Address>999.1.1.1</IPv4Address><IPv6Address>nope</IPv6Address>')));
    expect(match.mac).toBeUndefined();
    expect(match.ipv4).toBeUndefined();
    expect(match.ipv6).toBeUndefined();
    expect(match.raw).toMatchObject({ MAC: '00-00-00-00-00-00', IPv4Address: '999.1.1.1' });
  });

  it('decodes entities, keeps the first of duplicated elements, ignores nested ones', () => {
    const match = probeMatch(parseSadpMessage(wrap('<DeviceDescription>A&amp;B</DeviceDescription><DeviceDescription>second</DeviceDescription><Nested><DeviceSN>x</DeviceSN></Nested>')));
    expect(match.model).toBe('A&B');
    expect(match.serial).toBeUndefined();
  });

  it('an element named __proto__ is refused whole, and skipped when salvaging a truncated datagram', () => {
    expect(decodeErrorOf(wrap('<__proto__>polluted</__proto__><DeviceSN>S1</DeviceSN>')).code).toBe('sadp-malformed');
    const match = probeMatch(parseSadpMessage('<ProbeMatch><__proto__>polluted</__proto__><DeviceSN>S1</DeviceSN><HCP'));
    expect(match.truncated).toBe(true);
    expect(match.serial).toBe('S1');
    expect(Object.getPrototypeOf(match.raw)).toBe(Object.prototype);
    expect(Object.keys(match.raw)).toEqual(['DeviceSN']);
  });

  it('a ProbeMatch with no fields still decodes, with nothing invented', () => {
    expect(parseSadpMessage('<ProbeMatch></ProbeMatch>')).toEqual({ kind: 'probe-match', raw: {} });
  });
});
