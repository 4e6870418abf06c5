import { describe, it, expect } from 'vitest';
import { readCapture, readCaptureText } from '../../../support/captures.js';
import { decodeXmlText, findElements, parseXml } from '../../../../src/protocols/xml/parse-xml.js';
import { findKnownVendor, normaliseVendor } from '../../../../src/model/vendor.js';
import { decodeScopeValue, parseDiscoveryMessage, parseScopes, vendorFromScopes } from '../../../../src/protocols/ws-discovery/index.js';

function scopesOf(file: string): string[] {
  const message = parseDiscoveryMessage(readCapture(`ws-discovery/${file}`));
  if (message.kind === 'hello') return message.match.scopes;
  if (message.kind === 'probe-matches') return message.matches[0]!.scopes;
  throw new Error(message.kind);
}

/** ScopeItem values of a GetScopesResponse capture (the authenticated view of the same scopes). */
function scopeItemsOf(file: string): string[] {
  return findElements(parseXml(readCapture(`onvif-device/${file}`)), 'ScopeItem').map((e) => decodeXmlText(e.text).trim());
}

describe('parseScopes on WS-Discovery captures', () => {
  it('Hikvision DS-2CD3955FWD-IWS: %20 in the name, two profiles, three types', () => {
    expect(parseScopes(scopesOf('hikvision-DS-2CD3955FWD-IWS-probematch.xml'))).toEqual({
      hardware: 'DS-2CD3955FWD-IWS',
      name: 'HIKVISION DS-2CD3955FWD-IWS',
      mac: null,
      location: 'city/hangzhou',
      profiles: ['Streaming', 'G'],
      types: ['video_encoder', 'audio_encoder', 'ptz'],
      other: [],
      manufacturer: null,
      firmware: null,
    });
  });

  it('Amcrest IP2M-841B: Profile Q state and an unknown key kept in other', () => {
    const info = parseScopes(scopesOf('amcrest-IP2M-841B-probematch-kupnp.xml'));
    expect(info).toMatchObject({ hardware: 'IP2M-841B', name: 'Amcrest', location: 'country/china', profiles: ['Streaming', 'Q/Operational'], types: ['Network_Video_Transmitter'] });
    expect(info.other).toEqual(['onvif://www.onvif.org/extension/unique_identifier']);
  });

  it('Axis M1034-W: an empty location scope gives null', () => {
    expect(parseScopes(scopesOf('axis-M1034-W-probematch-kupnp.xml'))).toMatchObject({ hardware: 'M1034-W', name: 'AXIS M1034-W', location: null });
  });

  it('Foscam C1: the maker hides in type/manufacturer/FOSCAM; locations are joined', () => {
    const info = parseScopes(scopesOf('foscam-C1-probematch-kupnp.xml'));
    expect(info).toMatchObject({ manufacturer: 'FOSCAM', hardware: 'C1', name: 'C1', location: 'country/china, city/Shenzhen' });
    expect(info.types).toEqual(['video_encoder', 'network_video_transmitter']);
  });

  it('generic HiSilicon NVT: capitalised Model/Name keys', () => {
    expect(parseScopes(scopesOf('generic-chinese-NVT-IPCAM-631GA-no-Types-probematch-python-ws-discovery.xml'))).toMatchObject({ hardware: '631GA', name: 'IPCAM', profiles: ['Streaming'] });
  });

  it('edgex Hikvision DFI6256TE: upper-case MAC key; a stray non-URI scope stays in other', () => {
    const text = readCaptureText('ws-discovery/hikvision-DFI6256TE-probematch-edgex-elided.xml').replace(/\n\s+\.\.\.>/, '>');
    const message = parseDiscoveryMessage(text);
    if (message.kind !== 'probe-matches') throw new Error(message.kind);
    const info = parseScopes(message.matches[0]!.scopes);
    expect(info).toMatchObject({ mac: '68:6d:bc:5c:b1:5d', hardware: 'DFI6256TE', name: null });
    expect(info.other).toEqual(['http:123']);
  });

  it('takes a whitespace-joined list as well as an array (Scopes text as sent)', () => {
    expect(parseScopes([' onvif://www.onvif.org/name/A\n onvif://www.onvif.org/hardware/B\t'])).toMatchObject({ name: 'A', hardware: 'B' });
  });
});

describe('parseScopes on GetScopes captures (same scopes, read with a login)', () => {
  it('Axis Q6045-E', () => {
    const info = parseScopes(scopeItemsOf('axis-Q6045-E-fw5.55-GetScopesResponse-onvif-nvt.xml'));
    expect(info).toMatchObject({ hardware: 'Q6045-E', name: 'AXIS Q6045-E', location: null, types: ['video_encoder', 'ptz'] });
    expect(vendorFromScopes(info)).toEqual({ vendor: 'Axis', model: 'Q6045-E' });
  });

  it('Pelco D6230L: Profile Q/FactoryDefault; the vendor from its urn:schemas-pelco-com scope', () => {
    const info = parseScopes(scopeItemsOf('pelco-D6230L-GetScopesResponse-onvif-nvt.xml'));
    expect(info).toMatchObject({ hardware: 'D6230L', name: 'D6230L-J250117', location: 'country/usa', profiles: ['G', 'Q/FactoryDefault', 'Streaming'] });
    expect(info.other).toEqual(['urn:schemas-pelco-com:onvif:extensions:1']);
    expect(vendorFromScopes(info)).toEqual({ vendor: 'Pelco', model: 'D6230L' });
  });

  it('Hikvision DS-2DF7276-AEL: a name that is only the model gives no vendor here', () => {
    const info = parseScopes(scopeItemsOf('hikvision-DS-2DF7276-AEL-V5.1.6-GetScopesResponse-onvif-nvt.xml'));
    expect(vendorFromScopes(info)).toEqual({ vendor: null, model: 'DS-2DF7276-AEL' });
  });
});

describe('vendorFromScopes', () => {
  const cases: Array<[string, string | null, string | null]> = [
    ['hikvision-DS-2CD3955FWD-IWS-probematch.xml', 'Hikvision', 'DS-2CD3955FWD-IWS'],
    ['amcrest-IP2M-841B-probematch-kupnp.xml', 'Amcrest', 'IP2M-841B'],
    ['axis-M1034-W-probematch-kupnp.xml', 'Axis', 'M1034-W'],
    ['dahua-IPC-HFW2228M-I1-V2-Hello.xml', 'Dahua', 'IPC-HFW2228M-I1-V2'],
    ['foscam-C1-probematch-kupnp.xml', 'Foscam', 'C1'],
    ['generic-chinese-NVT-IPCAM-631GA-no-Types-probematch-python-ws-discovery.xml', null, '631GA'],
    ['generic-chinese-NVT-IPCAM-631GA-uuid-in-Types-probematch-camera-probe.xml', null, '631GA'],
    ['negative-windows-pc-WSD-Hello-pub-Computer-zoneminder-issue1290.xml', null, null],
  ];
  for (const [file, vendor, model] of cases) {
    it(`${file} → ${vendor ?? 'no vendor'} / ${model ?? 'no model'}`, () => {
      expect(vendorFromScopes(parseScopes(scopesOf(file)))).toEqual({ vendor, model });
    });
  }

  it('TP-Link Tapo C200: default name TP-IPC is TP-Link; hardware/MODEL is a template placeholder', () => {
    const text = readCaptureText('ws-discovery/tplink-tapo-C200-probematch-edgex-elided.xml').replace(/\n\s+\.\.\.>/, '>');
    const message = parseDiscoveryMessage(text);
    if (message.kind !== 'probe-matches') throw new Error(message.kind);
    const info = parseScopes(message.matches[0]!.scopes);
    expect(info.hardware).toBe('MODEL');
    expect(vendorFromScopes(info)).toEqual({ vendor: 'TP-Link', model: null });
  });

  it('takes the model from "<vendor> <model>" when there is no hardware scope', () => {
    expect(vendorFromScopes(parseScopes(['onvif://www.onvif.org/name/HIKVISION%20DS-2CD2032-I']))).toEqual({ vendor: 'Hikvision', model: 'DS-2CD2032-I' });
    // More than one word after the vendor is a description, not a model.
    expect(vendorFromScopes(parseScopes(['onvif://www.onvif.org/name/AXIS%20lobby%20camera']))).toEqual({ vendor: 'Axis', model: null });
  });

  describe('the multi-vendor scope table (FLIR, GeoVision, Panasonic, Avigilon, Tiandy…; UTF-8 BOM)', () => {
    const raw = readCaptureText('ws-discovery/multi-vendor-scopes-FLIR-Geovision-Panasonic-Avigilon-Tiandy-onvif-discovery-testdata.json');
    const devices = (JSON.parse(raw.replace(/^\uFEFF/, '')) as { Devices: Array<{ Scopes: string[]; ExpectedModel: string; ExpectedMfr: string }> }).Devices;

    it('starts with a byte order mark and lists 8 devices', () => {
      expect(raw.charCodeAt(0)).toBe(0xfeff);
      expect(devices).toHaveLength(8);
    });

    // Our answer for each device. The library authors' ExpectedMfr is a naive read of the name scope; where it is
    // a maker we agree (after normalising), where it is a placeholder or an installer's camera name we do not.
    const ours: Array<{ vendor: string | null; mac: string | null; firmware: string | null; why?: string }> = [
      { vendor: null, mac: null, firmware: null, why: 'name ONVIF_ICAMERA is a white-label placeholder' },
      { vendor: 'FLIR', mac: '00:1b:d8:80:cd:6c', firmware: 'fs20160805NSZ' },
      { vendor: 'GeoVision', mac: null, firmware: 'v3.12 2017-06-' },
      { vendor: 'Panasonic', mac: null, firmware: null },
      { vendor: 'Avigilon', mac: '00:18:85:14:3e:0a', firmware: '2.6.0.150(15529)', why: 'name is the installer\'s "Xuất cảnh 4"; avigilon/ scopes name the maker' },
      { vendor: null, mac: null, firmware: 'APP_V3.3.0.20200606', why: 'mfr/ipcamera is a placeholder (a Tiandy OEM, recognised by model numbering elsewhere)' },
      { vendor: null, mac: null, firmware: null, why: 'name STD is not a maker' },
      { vendor: 'FLIR', mac: '00:1b:d8:60:1f:8d', firmware: '01.05.32.5' },
    ];

    devices.forEach((device, index) => {
      const expected = ours[index]!;
      it(`#${index + 1} ${device.ExpectedMfr} ${device.ExpectedModel}`, () => {
        const info = parseScopes(device.Scopes);
        const identity = vendorFromScopes(info);
        expect(identity.model).toBe(device.ExpectedModel);
        expect(identity.vendor).toBe(expected.vendor);
        expect(info.mac).toBe(expected.mac);
        expect(info.firmware).toBe(expected.firmware);
        const annotated = findKnownVendor(device.ExpectedMfr);
        if (annotated) expect(identity.vendor).toBe(normaliseVendor(device.ExpectedMfr));
        else expect(expected.why).toBeDefined();
      });
    });

    it('decodes UTF-8 percent sequences and encoded slashes', () => {
      expect(parseScopes(devices[4]!.Scopes).name).toBe('acc/Xuất cảnh 4');
      expect(parseScopes(devices[5]!.Scopes).hardware).toBe('TC-C32TS SPEC:I8/A/E/Y/M/H/2.7-13.5mm');
      expect(parseScopes(devices[1]!.Scopes).manufacturer).toBe('FLIR Systems');
    });
  });
});

describe('scope keys and %-decoding', () => {
  it('reads keys in either case', () => {
    const info = parseScopes([
      'onvif://www.onvif.org/Hardware/H1',
      'onvif://www.onvif.org/NAME/N1',
      'onvif://www.onvif.org/mac/00-11-22-33-44-55',
      'onvif://www.onvif.org/Location/L1',
      'onvif://www.onvif.org/PROFILE/T',
      'onvif://www.onvif.org/Type/video_encoder',
      'ONVIF://WWW.ONVIF.ORG/firmware/1.2.3',
    ]);
    expect(info).toEqual({
      hardware: 'H1',
      name: 'N1',
      mac: '00:11:22:33:44:55',
      location: 'L1',
      profiles: ['T'],
      types: ['video_encoder'],
      other: [],
      manufacturer: null,
      firmware: '1.2.3',
    });
  });

  it('first value wins; hardware beats Model; duplicates are dropped', () => {
    const info = parseScopes(['onvif://www.onvif.org/Model/M', 'onvif://www.onvif.org/hardware/H', 'onvif://www.onvif.org/hardware/H2', 'onvif://www.onvif.org/Profile/S', 'onvif://www.onvif.org/Profile/S']);
    expect(info.hardware).toBe('H');
    expect(info.profiles).toEqual(['S']);
  });

  it('tolerates bad % sequences instead of throwing (decodeURIComponent would)', () => {
    expect(decodeScopeValue('100%')).toBe('100%');
    expect(decodeScopeValue('a%zzb')).toBe('a%zzb');
    expect(decodeScopeValue('cut%e1%ba')).toBe('cut%e1%ba');
    expect(decodeScopeValue('%ff%fe')).toBe('%ff%fe');
    expect(decodeScopeValue('ok%20%e1%ba%a5')).toBe('ok ấ');
    expect(decodeScopeValue('a+b')).toBe('a+b');
    expect(decodeScopeValue('x%00%0ay')).toBe('x y');
    expect(decodeScopeValue('%20%20')).toBeNull();
    expect(parseScopes(['onvif://www.onvif.org/name/%E0%A4%A']).name).toBe('%E0%A4%A');
  });

  it('ignores an empty MAC and a MAC that is not one', () => {
    expect(parseScopes(['onvif://www.onvif.org/mac', 'onvif://www.onvif.org/MAC/zz']).mac).toBeNull();
    expect(parseScopes(['onvif://www.onvif.org/MAC/00:00:00:00:00:00']).mac).toBeNull();
  });

  it('is bounded: at most 128 scopes are read, over-long scopes are skipped', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `onvif://www.onvif.org/type/t${i}`);
    expect(parseScopes([...many, 'onvif://www.onvif.org/name/late']).name).toBeNull();
    expect(parseScopes(many).types).toHaveLength(128);
    expect(parseScopes([`onvif://www.onvif.org/name/${'x'.repeat(2000)}`, 'onvif://www.onvif.org/name/short']).name).toBe('short');
  });

  it('survives non-string entries from a careless caller', () => {
    expect(parseScopes([null as unknown as string, 'onvif://www.onvif.org/name/A']).name).toBe('A');
  });
});
