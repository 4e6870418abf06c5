import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { listCaptures, readCapture, readCaptureText } from '../../../support/captures.js';
import { MAX_DISCOVERY_BYTES, WsDiscoveryDecodeError, parseDiscoveryMessage } from '../../../../src/protocols/ws-discovery/index.js';
import type { DiscoveryMessage, ProbeMatch } from '../../../../src/protocols/ws-discovery/index.js';

const dir = 'ws-discovery';

function decodeErrorOf(input: Uint8Array | string): WsDiscoveryDecodeError {
  try {
    parseDiscoveryMessage(input);
  } catch (error) {
    if (error instanceof WsDiscoveryDecodeError) return error;
    throw error;
  }
  throw new Error('expected a WsDiscoveryDecodeError');
}

function onlyMatch(message: DiscoveryMessage): ProbeMatch {
  if (message.kind === 'hello') return message.match;
  if (message.kind !== 'probe-matches') throw new Error(`expected probe-matches, got ${message.kind}`);
  expect(message.matches).toHaveLength(1);
  return message.matches[0]!;
}

/**
 * The edgex captures had their namespace declarations elided by the author as "...". Dropping that token gives
 * back well-formed XML with the device's own elements and text, so the values can still be checked.
 */
function repairElided(file: string): string {
  const text = readCaptureText(`${dir}/${file}`);
  expect(text).toMatch(/\n\s+\.\.\.>/);
  return text.replace(/\n\s+\.\.\.>/, '>');
}

// Every capture in the folder must be listed here: a new capture fails this test until someone decides what it is.
const EXPECTED: Record<string, DiscoveryMessage['kind'] | 'xml-malformed' | 'json'> = {
  'amcrest-IP2M-841B-probematch-kupnp.xml': 'probe-matches',
  'axis-M1034-W-probematch-kupnp.xml': 'probe-matches',
  'dahua-IPC-HFW2228M-I1-V2-Hello.xml': 'hello',
  'foscam-C1-probematch-kupnp.xml': 'probe-matches',
  'generic-chinese-NVT-IPCAM-631GA-no-Types-probematch-python-ws-discovery.xml': 'probe-matches',
  'generic-chinese-NVT-IPCAM-631GA-uuid-in-Types-probematch-camera-probe.xml': 'probe-matches',
  'generic-gsoap-NVT-reply-to-SOAP11-probe-VersionMismatch-fault-zoneminder-issue1346.xml': 'fault',
  'hikvision-DFI6256TE-probematch-edgex-elided.xml': 'xml-malformed',
  'hikvision-DS-2CD3955FWD-IWS-probematch.xml': 'probe-matches',
  'multi-vendor-scopes-FLIR-Geovision-Panasonic-Avigilon-Tiandy-onvif-discovery-testdata.json': 'json',
  'negative-non-camera-linux-wsdd-Hello-wsdd-issue227.xml': 'hello',
  'negative-windows-pc-WSD-Hello-pub-Computer-zoneminder-issue1290.xml': 'hello',
  'tplink-VIGI-C340-W-probe-reply-SOAP-Fault-InvalidArgVal-excerpt-pyWSD-issue56.txt': 'xml-malformed',
  'tplink-tapo-C200-probematch-edgex-elided.xml': 'xml-malformed',
};

describe('parseDiscoveryMessage on every capture', () => {
  it('knows every file in the capture folder', () => {
    expect(listCaptures(dir)).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    if (expected === 'json') continue;
    it(`${file} → ${expected}`, () => {
      const bytes = readCapture(`${dir}/${file}`);
      if (expected === 'xml-malformed') {
        // Excerpts and elided files are not well-formed: a named error, never a crash or a half-read message.
        const error = decodeErrorOf(bytes);
        expect(error.code).toBe('xml-malformed');
        expect(error.name).toBe('WsDiscoveryDecodeError');
        return;
      }
      expect(parseDiscoveryMessage(bytes).kind).toBe(expected);
    });
  }
});

describe('ProbeMatches', () => {
  it('Hikvision DS-2CD3955FWD-IWS: scopes wrapped over lines, IPv6 link-local XAddr, wsadis prefix', () => {
    const message = parseDiscoveryMessage(readCapture(`${dir}/hikvision-DS-2CD3955FWD-IWS-probematch.xml`));
    expect(message).toMatchObject({ kind: 'probe-matches', relatesTo: 'uuid:bfe8bb88-03a2-4e1a-904a-59a7d2882649', messageId: 'urn:uuid:18ec6401-3aa0-11b5-83f6-b4a3820fd92d' });
    const match = onlyMatch(message);
    expect(match.endpoint).toBe('urn:uuid:18ec6401-3aa0-11b5-83f6-b4a3820fd92d');
    expect(match.types).toEqual(['dn:NetworkVideoTransmitter', 'tds:Device']);
    expect(match.scopes).toEqual([
      'onvif://www.onvif.org/type/video_encoder',
      'onvif://www.onvif.org/Profile/Streaming',
      'onvif://www.onvif.org/Profile/G',
      'onvif://www.onvif.org/type/audio_encoder',
      'onvif://www.onvif.org/type/ptz',
      'onvif://www.onvif.org/hardware/DS-2CD3955FWD-IWS',
      'onvif://www.onvif.org/name/HIKVISION%20DS-2CD3955FWD-IWS',
      'onvif://www.onvif.org/location/city/hangzhou',
    ]);
    expect(match.xaddrs).toEqual(['http://192.168.0.218/onvif/device_service', 'http://[fe80::b6a3:82ff:fe0f:d92d]/onvif/device_service']);
    expect(match.metadataVersion).toBe('10');
  });

  it('Axis M1034-W: two XAddrs, one on 169.254 link-local; single-line document with SOAP-ENV prefix', () => {
    const match = onlyMatch(parseDiscoveryMessage(readCapture(`${dir}/axis-M1034-W-probematch-kupnp.xml`)));
    expect(match.endpoint).toBe('urn:uuid:08a6f3cd-312c-4810-837e-fb2859be05bb');
    expect(match.xaddrs).toEqual(['http://169.254.180.212/onvif/device_service', 'http://10.0.0.246/onvif/device_service']);
    expect(match.types).toEqual(['dn:NetworkVideoTransmitter']);
    expect(match.scopes).toContain('onvif://www.onvif.org/name/AXIS%20M1034-W');
    expect(match.scopes.at(-1)).toBe('onvif://www.onvif.org/location/');
  });

  it('Amcrest IP2M-841B: endpoint "uuid:" without urn:, port 8088', () => {
    const message = parseDiscoveryMessage(readCapture(`${dir}/amcrest-IP2M-841B-probematch-kupnp.xml`));
    expect(message).toMatchObject({ relatesTo: 'urn:uuid:2e6617c4-4a15-4737-b980-ed6e9830a7a8', messageId: 'uuid:c89a766b-03ba-4bd8-83e7-a9f569617177' });
    const match = onlyMatch(message);
    expect(match.endpoint).toBe('uuid:278b1b37-153c-452d-b316-d2ed4e99e6a2');
    expect(match.xaddrs).toEqual(['http://10.0.0.154:8088/onvif/device_service']);
    expect(match.scopes).toHaveLength(7);
    expect(match.metadataVersion).toBe('1');
  });

  it('Foscam C1: MetadataVersion 0 is kept, trailing space in Scopes is not an item', () => {
    const match = onlyMatch(parseDiscoveryMessage(readCapture(`${dir}/foscam-C1-probematch-kupnp.xml`)));
    expect(match.endpoint).toBe('urn:uuid:88d87a05-d7f7-7e45-b1e9-C4D6553FDFAB');
    expect(match.metadataVersion).toBe('0');
    expect(match.scopes).toHaveLength(8);
    expect(match.scopes.at(-1)).toBe('onvif://www.onvif.org/location/city/Shenzhen');
    expect(match.xaddrs).toEqual(['http://10.0.0.227:888/onvif/device_service']);
  });

  it('generic HiSilicon NVT without <Types>: empty types, extra EndpointReference children ignored', () => {
    const match = onlyMatch(parseDiscoveryMessage(readCapture(`${dir}/generic-chinese-NVT-IPCAM-631GA-no-Types-probematch-python-ws-discovery.xml`)));
    expect(match.types).toEqual([]);
    expect(match.endpoint).toBe('urn:uuid:2419d68a-2dd2-21b2-a205-78A5DD0F9593');
    expect(match.scopes).toEqual([
      'onvif://www.onvif.org/Profile/Streaming',
      'onvif://www.onvif.org/Model/631GA',
      'onvif://www.onvif.org/Name/IPCAM',
      'onvif://www.onvif.org/location/country/china',
    ]);
    expect(match.xaddrs).toEqual(['http://192.168.1.104:80/onvif/device_service']);
  });

  it('generic NVT with a uuid in <Types> and a non-UUID RelatesTo', () => {
    const message = parseDiscoveryMessage(readCapture(`${dir}/generic-chinese-NVT-IPCAM-631GA-uuid-in-Types-probematch-camera-probe.xml`));
    expect(message).toMatchObject({ relatesTo: 'uuid:NetworkVideoTransmitter' });
    const match = onlyMatch(message);
    expect(match.types).toEqual(['tdn:4655721b-4e0e-4296-ba0b-3180423b5b0c']);
    expect(match.xaddrs).toEqual(['http://192.168.1.1:80/onvif/device_service']);
  });

  it('edgex Hikvision DFI6256TE (elided namespaces restored): MAC scope and AppSequence header', () => {
    const match = onlyMatch(parseDiscoveryMessage(repairElided('hikvision-DFI6256TE-probematch-edgex-elided.xml')));
    expect(match.endpoint).toBe('urn:uuid:cea94000-fb96-11b3-8260-686dbc5cb15d');
    expect(match.scopes).toContain('onvif://www.onvif.org/MAC/68:6d:bc:5c:b1:5d');
    expect(match.scopes.at(-1)).toBe('http:123');
    expect(match.metadataVersion).toBe('10');
  });

  it('edgex TP-Link Tapo C200 (elided namespaces restored): tdn prefix, port 2020', () => {
    const match = onlyMatch(parseDiscoveryMessage(repairElided('tplink-tapo-C200-probematch-edgex-elided.xml')));
    expect(match.endpoint).toBe('uuid:3fa1fe68-b915-4053-a3e1-c006c3afec0e');
    expect(match.types).toEqual(['tdn:NetworkVideoTransmitter']);
    expect(match.xaddrs).toEqual(['http://192.168.12.128:2020/onvif/device_service']);
  });

  it('decodes several ProbeMatch elements in one reply (hand-written: no capture has two)', () => {
    const xml = `<?xml version="1.0"?>
<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:q="http://schemas.xmlsoap.org/ws/2005/04/discovery">
 <e:Header><w:RelatesTo>uuid:0b1c</w:RelatesTo></e:Header>
 <e:Body><q:ProbeMatches>
  <q:ProbeMatch><w:EndpointReference><w:Address>urn:uuid:one</w:Address></w:EndpointReference><q:XAddrs>http://192.0.2.1/a</q:XAddrs></q:ProbeMatch>
  <q:ProbeMatch><w:EndpointReference><w:Address>urn:uuid:two</w:Address></w:EndpointReference><q:XAddrs>http://192.0.2.1/b http://[2001:db8::1]:8080/b</q:XAddrs></q:ProbeMatch>
 </q:ProbeMatches></e:Body></e:Envelope>`;
    const message = parseDiscoveryMessage(xml);
    if (message.kind !== 'probe-matches') throw new Error(message.kind);
    expect(message.relatesTo).toBe('uuid:0b1c');
    expect(message.matches.map((m) => m.endpoint)).toEqual(['urn:uuid:one', 'urn:uuid:two']);
    expect(message.matches[1]!.xaddrs).toEqual(['http://192.0.2.1/b', 'http://[2001:db8::1]:8080/b']);
    expect(message.matches[0]!.types).toEqual([]);
    expect(message.matches[0]!.metadataVersion).toBeUndefined();
  });

  it('decodes a capture preceded by a UTF-8 byte order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readCapture(`${dir}/amcrest-IP2M-841B-probematch-kupnp.xml`)]);
    expect(onlyMatch(parseDiscoveryMessage(bytes)).endpoint).toBe('uuid:278b1b37-153c-452d-b316-d2ed4e99e6a2');
    expect(onlyMatch(parseDiscoveryMessage(bytes.toString('utf8'))).endpoint).toBe('uuid:278b1b37-153c-452d-b316-d2ed4e99e6a2');
  });

  it('decodes a subarray view without reading the bytes around it', () => {
    const capture = readCapture(`${dir}/axis-M1034-W-probematch-kupnp.xml`);
    const framed = Buffer.concat([Buffer.from('garbage<'), capture, Buffer.from('>trailing')]);
    const view = new Uint8Array(framed.buffer, framed.byteOffset + 8, capture.byteLength);
    expect(onlyMatch(parseDiscoveryMessage(view)).endpoint).toBe('urn:uuid:08a6f3cd-312c-4810-837e-fb2859be05bb');
  });

  it('decodes entity references in list text', () => {
    const xml = '<s:Envelope xmlns:s="x"><s:Body><d:ProbeMatches xmlns:d="y"><d:ProbeMatch><d:XAddrs>http://192.0.2.9/x?a=1&amp;b=2</d:XAddrs></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>';
    expect(onlyMatch(parseDiscoveryMessage(xml)).xaddrs).toEqual(['http://192.0.2.9/x?a=1&b=2']);
  });
});

describe('Hello, Bye, Probe', () => {
  it('Dahua IPC-HFW2228M-I1-V2 Hello', () => {
    const message = parseDiscoveryMessage(readCapture(`${dir}/dahua-IPC-HFW2228M-I1-V2-Hello.xml`));
    expect(message.kind).toBe('hello');
    if (message.kind !== 'hello') return;
    expect(message.messageId).toBe('uuid:7dffd1ac-a95b-4479-ae60-0128450c7104');
    expect(message.match).toEqual({
      endpoint: 'uuid:503b687a-b9d7-474f-a2d0-a18c8b25a464',
      types: ['dn:NetworkVideoTransmitter', 'tds:Device'],
      scopes: [
        'onvif://www.onvif.org/location/country/china',
        'onvif://www.onvif.org/name/Dahua',
        'onvif://www.onvif.org/hardware/IPC-HFW2228M-I1-V2',
        'onvif://www.onvif.org/Profile/Streaming',
        'onvif://www.onvif.org/type/Network_Video_Transmitter',
        'onvif://www.onvif.org/extension/unique_identifier',
      ],
      xaddrs: ['http://192.168.1.45/onvif/device_service'],
      metadataVersion: '1',
    });
  });

  it('Windows PC Hello: wsdp:Device pub:Computer, no XAddrs', () => {
    const match = onlyMatch(parseDiscoveryMessage(readCapture(`${dir}/negative-windows-pc-WSD-Hello-pub-Computer-zoneminder-issue1290.xml`)));
    expect(match).toEqual({ endpoint: 'urn:uuid:c69f7c8c-cfe5-44ce-8c9c-47a55d291d90', types: ['wsdp:Device', 'pub:Computer'], scopes: [], xaddrs: [], metadataVersion: '35' });
  });

  it('Linux wsdd Hello: no Types, no Scopes, XAddr on port 5357', () => {
    const match = onlyMatch(parseDiscoveryMessage(readCapture(`${dir}/negative-non-camera-linux-wsdd-Hello-wsdd-issue227.xml`)));
    expect(match).toEqual({
      endpoint: 'urn:uuid:c3e195f5-cece-40a4-9760-9ae807e243d9',
      types: [],
      scopes: [],
      xaddrs: ['http://172.17.0.1:5357/c3e195f5-cece-40a4-9760-9ae807e243d9'],
      metadataVersion: '1',
    });
  });

  it('Bye carries only the endpoint', () => {
    const xml = '<soap:Envelope xmlns:soap="x"><soap:Header><wsa:MessageID xmlns:wsa="a">urn:uuid:9</wsa:MessageID></soap:Header><soap:Body><wsd:Bye xmlns:wsd="d"><wsa:EndpointReference xmlns:wsa="a"><wsa:Address>urn:uuid:c3e195f5</wsa:Address></wsa:EndpointReference></wsd:Bye></soap:Body></soap:Envelope>';
    expect(parseDiscoveryMessage(xml)).toEqual({ kind: 'bye', messageId: 'urn:uuid:9', endpoint: 'urn:uuid:c3e195f5' });
  });

  it('a Probe (ours echoed by the group, or another tool) is recognised so it can be ignored', () => {
    // The header of the TP-Link VIGI excerpt is the camera echoing a python-ws-discovery Probe.
    const xml = '<s:Envelope xmlns:s="x"><s:Header><a:MessageID xmlns:a="a">urn:uuid:8837bd04-b6df-4e95-971e-1edc3062fc0a</a:MessageID></s:Header><s:Body><d:Probe xmlns:d="d"><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>';
    expect(parseDiscoveryMessage(xml)).toEqual({ kind: 'probe', messageId: 'urn:uuid:8837bd04-b6df-4e95-971e-1edc3062fc0a', types: ['dn:NetworkVideoTransmitter'] });
  });
});

describe('faults', () => {
  it('gSOAP camera: SOAP-1.1-style faultcode/faultstring inside a SOAP 1.2 envelope', () => {
    const message = parseDiscoveryMessage(readCapture(`${dir}/generic-gsoap-NVT-reply-to-SOAP11-probe-VersionMismatch-fault-zoneminder-issue1346.xml`));
    expect(message).toEqual({ kind: 'fault', code: 'VersionMismatch', reason: 'Invalid SOAP message or SOAP version mismatch' });
  });

  it('TP-Link VIGI C340-W excerpt: rejected as posted; with the Envelope start tag the reporter left out, its fault reads', () => {
    const excerpt = readCaptureText(`${dir}/tplink-VIGI-C340-W-probe-reply-SOAP-Fault-InvalidArgVal-excerpt-pyWSD-issue56.txt`);
    expect(decodeErrorOf(excerpt).code).toBe('xml-malformed');
    const restored = `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope">${excerpt}`;
    expect(parseDiscoveryMessage(restored)).toEqual({ kind: 'fault', code: 'Sender', subcode: 'InvalidArgVal', reason: 'error' });
  });
});

describe('hostile and malformed input', () => {
  const cases: Array<[string, string | Uint8Array, string]> = [
    ['empty string', '', 'xml-empty'],
    ['whitespace only', ' \r\n\t', 'xml-empty'],
    ['not XML', 'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n\r\n', 'xml-malformed'],
    ['binary', new Uint8Array([0x20, 0, 0, 0, 0x44, 0x48, 0x49, 0x50, 0xff, 0xfe]), 'xml-malformed'],
    ['DOCTYPE entity bomb', '<!DOCTYPE x [<!ENTITY a "aaaa">]><Envelope><Body>&a;</Body></Envelope>', 'xml-doctype'],
    ['SADP datagram (not SOAP)', '<?xml version="1.0"?><Probe><Uuid>X</Uuid><Types>inquiry</Types></Probe>', 'not-soap'],
    ['Envelope without Body', '<s:Envelope xmlns:s="x"><s:Header/></s:Envelope>', 'not-soap'],
    ['empty Body', '<s:Envelope xmlns:s="x"><s:Body/></s:Envelope>', 'unknown-message'],
    ['Resolve', '<s:Envelope xmlns:s="x"><s:Body><d:Resolve xmlns:d="d"/></s:Body></s:Envelope>', 'unknown-message'],
    ['unclosed', '<s:Envelope><s:Body><d:ProbeMatches>', 'xml-malformed'],
    ['deep nesting', `<Envelope><Body>${'<a>'.repeat(80)}${'</a>'.repeat(80)}</Body></Envelope>`, 'xml-too-deep'],
  ];
  for (const [label, input, code] of cases) {
    it(`${label} → ${code}`, () => {
      expect(decodeErrorOf(input).code).toBe(code);
    });
  }

  it('refuses a datagram larger than any UDP payload before parsing it', () => {
    const big = `<s:Envelope><s:Body><d:Hello><d:Scopes>${'x'.repeat(MAX_DISCOVERY_BYTES)}</d:Scopes></d:Hello></s:Body></s:Envelope>`;
    expect(decodeErrorOf(big).code).toBe('xml-too-large');
  });

  it('bounds list lengths and item sizes', () => {
    const scopes = Array.from({ length: 500 }, (_, i) => `onvif://www.onvif.org/name/n${i}`).join(' ');
    const xml = `<s:Envelope><s:Body><d:Hello><d:Scopes>${scopes} ${'y'.repeat(5000)}</d:Scopes><d:XAddrs>${'z'.repeat(5000)} http://192.0.2.1/</d:XAddrs></d:Hello></s:Body></s:Envelope>`;
    const match = onlyMatch(parseDiscoveryMessage(xml));
    expect(match.scopes).toHaveLength(64);
    expect(match.scopes[0]).toBe('onvif://www.onvif.org/name/n0');
    expect(match.xaddrs).toEqual(['http://192.0.2.1/']);
  });

  it('bounds the number of matches', () => {
    const one = '<d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:x</a:Address></a:EndpointReference></d:ProbeMatch>';
    const xml = `<s:Envelope><s:Body><d:ProbeMatches>${one.repeat(300)}</d:ProbeMatches></s:Body></s:Envelope>`;
    const message = parseDiscoveryMessage(xml);
    expect(message.kind === 'probe-matches' && message.matches.length).toBe(64);
  });

  it('every truncation of every capture decodes or fails with WsDiscoveryDecodeError', () => {
    const captures = listCaptures(dir).filter((f) => !f.endsWith('.json')).map((f) => readCaptureText(`${dir}/${f}`));
    fc.assert(
      fc.property(fc.constantFrom(...captures), fc.nat(), (text, cut) => {
        const prefix = text.slice(0, cut % (text.length + 1));
        try {
          parseDiscoveryMessage(prefix);
        } catch (error) {
          expect(error).toBeInstanceOf(WsDiscoveryDecodeError);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('arbitrary strings never escape as anything but WsDiscoveryDecodeError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        try {
          parseDiscoveryMessage(`<s:Envelope><s:Body>${text}</s:Body></s:Envelope>`);
        } catch (error) {
          expect(error).toBeInstanceOf(WsDiscoveryDecodeError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
