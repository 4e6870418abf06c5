import { describe, it, expect } from 'vitest';
import { readCapture, readCaptureText } from '../../../support/captures.js';
import { classifyEndpoint, parseDiscoveryMessage } from '../../../../src/protocols/ws-discovery/index.js';
import type { ProbeMatch } from '../../../../src/protocols/ws-discovery/index.js';

function matchOf(text: string | Buffer): ProbeMatch {
  const message = parseDiscoveryMessage(text);
  if (message.kind === 'hello') return message.match;
  if (message.kind === 'probe-matches') return message.matches[0]!;
  throw new Error(message.kind);
}

describe('classifyEndpoint on captures', () => {
  const cases: Array<[string, ReturnType<typeof classifyEndpoint>]> = [
    ['ws-discovery/amcrest-IP2M-841B-probematch-kupnp.xml', 'camera'],
    ['ws-discovery/axis-M1034-W-probematch-kupnp.xml', 'camera'],
    ['ws-discovery/dahua-IPC-HFW2228M-I1-V2-Hello.xml', 'camera'],
    ['ws-discovery/foscam-C1-probematch-kupnp.xml', 'camera'],
    ['ws-discovery/hikvision-DS-2CD3955FWD-IWS-probematch.xml', 'camera'],
    // No <Types> at all: the onvif:// scopes make it a camera.
    ['ws-discovery/generic-chinese-NVT-IPCAM-631GA-no-Types-probematch-python-ws-discovery.xml', 'camera'],
    // A uuid where the type belongs.
    ['ws-discovery/generic-chinese-NVT-IPCAM-631GA-uuid-in-Types-probematch-camera-probe.xml', 'camera'],
    ['ws-discovery/negative-windows-pc-WSD-Hello-pub-Computer-zoneminder-issue1290.xml', 'computer'],
    ['ws-discovery/negative-non-camera-linux-wsdd-Hello-wsdd-issue227.xml', 'computer'],
    // Synthetic layout reference: "Virtual tds:Device", empty Scopes.
    ['synthetic-format-references/wsdiscovery-probematch-ipv6-xaddr-UniversalScanner-selftest.xml', 'camera'],
  ];
  for (const [file, kind] of cases) {
    it(`${file} → ${kind}`, () => {
      expect(classifyEndpoint(matchOf(readCapture(file)))).toBe(kind);
    });
  }

  it('the elided edgex captures (namespaces restored) are cameras', () => {
    for (const file of ['hikvision-DFI6256TE-probematch-edgex-elided.xml', 'tplink-tapo-C200-probematch-edgex-elided.xml']) {
      const text = readCaptureText(`ws-discovery/${file}`).replace(/\n\s+\.\.\.>/, '>');
      expect(classifyEndpoint(matchOf(text))).toBe('camera');
    }
  });
});

describe('classifyEndpoint rules', () => {
  const base: ProbeMatch = { types: [], scopes: [], xaddrs: [] };

  it('NetworkVideoTransmitter under any prefix is a camera', () => {
    expect(classifyEndpoint({ ...base, types: ['ns1:NetworkVideoTransmitter'] })).toBe('camera');
  });

  it('tds:Device is a camera, wsdp:Device alone is not', () => {
    expect(classifyEndpoint({ ...base, types: ['tds:Device'] })).toBe('camera');
    expect(classifyEndpoint({ ...base, types: ['wsdp:Device'] })).toBe('computer');
  });

  it('WSD printers and scanners are not cameras', () => {
    expect(classifyEndpoint({ ...base, types: ['wsdp:Device', 'wprt:PrintDeviceType'], xaddrs: ['http://192.0.2.7:80/wsd'] })).toBe('computer');
    expect(classifyEndpoint({ ...base, types: ['wscn:ScanDeviceType'] })).toBe('computer');
  });

  it('camera evidence wins over a devices-profile port', () => {
    expect(classifyEndpoint({ ...base, scopes: ['onvif://www.onvif.org/name/X'], xaddrs: ['http://192.0.2.7:5357/x'] })).toBe('camera');
  });

  it('a recorder scope type on an ONVIF device makes an NVR', () => {
    expect(classifyEndpoint({ ...base, types: ['dn:NetworkVideoTransmitter'], scopes: ['onvif://www.onvif.org/type/NVR'] })).toBe('nvr');
    expect(classifyEndpoint({ ...base, types: ['dn:NetworkVideoStorage', 'tds:Device'] })).toBe('nvr');
  });

  it('nothing to go on is unknown', () => {
    expect(classifyEndpoint(base)).toBe('unknown');
    expect(classifyEndpoint({ ...base, types: ['x:Something'], xaddrs: ['http://192.0.2.7/'] })).toBe('unknown');
  });
});
