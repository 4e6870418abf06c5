import { describe, it, expect } from 'vitest';
import { readCapture, readCaptureText } from '../../../support/captures.js';
import { macFromEndpointUuid, parseDiscoveryMessage, parseScopes } from '../../../../src/protocols/ws-discovery/index.js';
import type { ProbeMatch } from '../../../../src/protocols/ws-discovery/index.js';

function matchOf(text: string | Buffer): ProbeMatch {
  const message = parseDiscoveryMessage(text);
  if (message.kind === 'hello') return message.match;
  if (message.kind === 'probe-matches') return message.matches[0]!;
  throw new Error(message.kind);
}

/** The MAC inside a SLAAC EUI-64 IPv6 address (RFC 4291 App. A): ff:fe in the middle, U/L bit flipped. */
function macFromEui64(address: string): string {
  const groups = address.split(':').slice(-4).map((g) => g.padStart(4, '0')).join('');
  expect(groups.slice(6, 10)).toBe('fffe');
  const bytes = Buffer.from(groups.slice(0, 6) + groups.slice(10), 'hex');
  bytes[0] = bytes[0]! ^ 0x02;
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

describe('macFromEndpointUuid on captures', () => {
  it('Hikvision DS-2CD3955FWD-IWS (version-1 UUID): the node is the MAC its link-local IPv6 XAddr encodes', () => {
    const match = matchOf(readCapture('ws-discovery/hikvision-DS-2CD3955FWD-IWS-probematch.xml'));
    const ipv6 = /\[([^\]]+)\]/.exec(match.xaddrs[1]!)![1]!;
    const mac = macFromEndpointUuid(match.endpoint!, 'Hikvision');
    expect(mac).toBe('b4:a3:82:0f:d9:2d');
    expect(mac).toBe(macFromEui64(ipv6));
    // The vendor hint is not what makes the rule apply.
    expect(macFromEndpointUuid(match.endpoint!, null)).toBe(mac);
  });

  it('Hikvision DFI6256TE (version-1 UUID): the node equals the MAC scope of the same reply', () => {
    const match = matchOf(readCaptureText('ws-discovery/hikvision-DFI6256TE-probematch-edgex-elided.xml').replace(/\n\s+\.\.\.>/, '>'));
    expect(macFromEndpointUuid(match.endpoint!, null)).toBe(parseScopes(match.scopes).mac);
    expect(macFromEndpointUuid(match.endpoint!, null)).toBe('68:6d:bc:5c:b1:5d');
  });

  it('generic HiSilicon NVT: 2419d68a-2dd2-21b2-a205-<MAC>', () => {
    const match = matchOf(readCapture('ws-discovery/generic-chinese-NVT-IPCAM-631GA-no-Types-probematch-python-ws-discovery.xml'));
    expect(macFromEndpointUuid(match.endpoint!, null)).toBe('78:a5:dd:0f:95:93');
  });

  it('random UUIDs give null, whatever their last 12 digits look like', () => {
    const cases: Array<[string, string | null]> = [
      ['ws-discovery/amcrest-IP2M-841B-probematch-kupnp.xml', 'Amcrest'],
      ['ws-discovery/axis-M1034-W-probematch-kupnp.xml', 'Axis'],
      ['ws-discovery/dahua-IPC-HFW2228M-I1-V2-Hello.xml', 'Dahua'],
      // Upper-case node in a lower-case UUID (C4D6553FDFAB) suggests a MAC, but no rule proves it.
      ['ws-discovery/foscam-C1-probematch-kupnp.xml', 'Foscam'],
      ['ws-discovery/generic-chinese-NVT-IPCAM-631GA-uuid-in-Types-probematch-camera-probe.xml', null],
      ['ws-discovery/negative-windows-pc-WSD-Hello-pub-Computer-zoneminder-issue1290.xml', null],
      ['ws-discovery/negative-non-camera-linux-wsdd-Hello-wsdd-issue227.xml', null],
    ];
    for (const [file, hint] of cases) expect(macFromEndpointUuid(matchOf(readCapture(file)).endpoint!, hint)).toBeNull();
  });
});

describe('macFromEndpointUuid rules', () => {
  it('accepts urn:uuid:, uuid: and bare forms, in any case', () => {
    for (const form of ['urn:uuid:', 'uuid:', '', 'URN:UUID:']) {
      expect(macFromEndpointUuid(`${form}18EC6401-3AA0-11B5-83F6-B4A3820FD92D`, null)).toBe('b4:a3:82:0f:d9:2d');
    }
  });

  it('refuses version-1 nodes that RFC 4122 §4.5 marks as random (multicast bit) or that are locally administered', () => {
    expect(macFromEndpointUuid('urn:uuid:18ec6401-3aa0-11b5-83f6-b5a3820fd92d', null)).toBeNull();
    expect(macFromEndpointUuid('urn:uuid:18ec6401-3aa0-11b5-83f6-b6a3820fd92d', null)).toBeNull();
  });

  it('refuses version-1 layouts with a non-RFC variant, and other versions', () => {
    expect(macFromEndpointUuid('urn:uuid:18ec6401-3aa0-11b5-c3f6-b4a3820fd92d', null)).toBeNull();
    expect(macFromEndpointUuid('urn:uuid:18ec6401-3aa0-41b5-83f6-b4a3820fd92d', null)).toBeNull();
    expect(macFromEndpointUuid('urn:uuid:18ec6401-3aa0-51b5-83f6-b4a3820fd92d', null)).toBeNull();
  });

  it('trusts an OUI only together with the matching vendor hint', () => {
    const axis = 'urn:uuid:5f5a69c2-e0ae-404f-829b-accc8e123404';
    expect(macFromEndpointUuid(axis, 'Axis')).toBe('ac:cc:8e:12:34:04');
    expect(macFromEndpointUuid(axis, null)).toBeNull();
    expect(macFromEndpointUuid(axis, 'Hikvision')).toBeNull();
    expect(macFromEndpointUuid('urn:uuid:7b2f9c10-5d4e-4a3b-9f21-00047d0eb805', 'Pelco')).toBe('00:04:7d:0e:b8:05');
  });

  it('never returns the all-zero or broadcast address', () => {
    expect(macFromEndpointUuid('2419d68a-2dd2-21b2-a205-000000000000', null)).toBeNull();
    expect(macFromEndpointUuid('2419d68a-2dd2-21b2-a205-ffffffffffff', null)).toBeNull();
  });

  it('returns null for anything that is not a UUID', () => {
    for (const value of ['', 'urn:uuid:', 'uuid:NetworkVideoTransmitter', 'http://192.0.2.1/', 'urn:uuid:18ec6401-3aa0-11b5-83f6-b4a3820fd92d-00', '18ec64013aa011b583f6b4a3820fd92d']) {
      expect(macFromEndpointUuid(value, 'Hikvision')).toBeNull();
    }
  });
});

describe('macFromEndpointUuid with a hostile vendor hint', () => {
  // Regression (issue 8 fuzzing): the hint comes from a scope any host can send (mfr/constructor); looking it up
  // in a plain object reached Object.prototype and threw "ouis?.includes is not a function".
  it('treats names of Object.prototype members as unknown vendors', () => {
    for (const hint of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(macFromEndpointUuid('urn:uuid:08a6f3cd-312c-4810-837e-fb2859be05bb', hint), hint).toBeNull();
    }
  });
});
