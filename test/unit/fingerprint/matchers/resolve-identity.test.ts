import { describe, expect, it } from 'vitest';
import type { Evidence, EvidenceSource } from '../../../../src/model/device.js';
import { resolveIdentity } from '../../../../src/fingerprint/matchers/resolve-identity.js';
import { readCaptureText } from '../../../support/captures.js';

function tag(file: string, name: string): string {
  const value = new RegExp(`<(?:\\w+:)?${name}>([^<]*)<`).exec(readCaptureText(file))?.[1];
  if (value === undefined) throw new Error(`<${name}> not found in ${file}`);
  return value;
}

function json(file: string, key: string): string {
  const value = new RegExp(`"${key}"\\s*:\\s*"([^"]*)"`).exec(readCaptureText(file))?.[1];
  if (value === undefined) throw new Error(`"${key}" not found in ${file}`);
  return value;
}

function e(source: EvidenceSource, field: string, value: string, verified?: boolean): Evidence {
  return verified === undefined ? { source, field, value } : { source, field, value, verified };
}

const SADP_2385 = 'hikvision/hikvision-DS-2CD2385G1-I-V5.6.2-sadp-probematch.xml';
const ONVIF_AXIS = 'onvif-device/axis-Q6045-E-fw5.55-GetDeviceInformationResponse-onvif-nvt.xml';
const ONVIF_TRENDNET = 'onvif-device/trendnet-TV-IP320PI-hikOEM-GetDeviceInformationResponse-onvif-nvt.xml';
const ONVIF_PELCO = 'onvif-device/pelco-D6230L-GetDeviceInformationResponse-onvif-nvt.xml';
const DHIP_LOREX = 'dahua-dhip/lorex-W461ASC-rapid7.body.json';

describe('resolveIdentity from captured evidence', () => {
  it('Hikvision SADP + ONVIF + anonymous HTTP: one identity, spellings reconciled, no conflicts', () => {
    const evidence = [
      e('sadp', 'model', tag(SADP_2385, 'DeviceDescription')),
      e('sadp', 'serial', tag(SADP_2385, 'DeviceSN')),
      e('sadp', 'mac', tag(SADP_2385, 'MAC')),
      e('sadp', 'firmware', tag(SADP_2385, 'SoftwareVersion')),
      e('sadp', 'activated', tag(SADP_2385, 'Activated')),
      e('onvif', 'vendor', 'HIKVISION'),
      e('onvif', 'firmware', 'V5.6.2 build 190701'),
      e('http', 'server', 'App-webs/'),
      e('http', 'realm', 'a1b2c3d4e5f60718293a4b5c'),
    ];
    const identity = resolveIdentity(evidence);
    expect(identity).toMatchObject({
      vendor: 'Hikvision',
      model: 'DS-2CD2385G1-I',
      firmware: 'V5.6.2 build 190701',
      serial: 'DS-2CD2385G1-I20200414AAWRE33842150',
      mac: '58:50:ed:1f:e3:85',
      activated: true,
      conflicts: [],
    });
    expect(identity.sources).toEqual({
      vendor: { source: 'onvif', verified: false, via: 'stated' },
      model: { source: 'sadp', verified: false, via: 'stated' },
      firmware: { source: 'sadp', verified: false, via: 'stated' },
      serial: { source: 'sadp', verified: false, via: 'stated' },
      mac: { source: 'sadp', verified: false, via: 'stated' },
      activated: { source: 'sadp', verified: false, via: 'stated' },
    });
    // Every inference is kept with its reason, used or not.
    expect(identity.hints.map((h) => `${h.field}:${h.value}:${h.via}:${h.confidence}`)).toEqual([
      'vendor:Hikvision:model:high',
      'vendor:Hikvision:server:high',
      'vendor:Hikvision:realm:low',
    ]);
  });

  it('Axis ONVIF: the AXIS model prefix is no conflict, and the serial gives the MAC', () => {
    const identity = resolveIdentity([
      e('ws-discovery', 'model', 'Q6045-E'),
      e('onvif', 'vendor', tag(ONVIF_AXIS, 'Manufacturer')),
      e('onvif', 'model', tag(ONVIF_AXIS, 'Model')),
      e('onvif', 'firmware', tag(ONVIF_AXIS, 'FirmwareVersion')),
      e('onvif', 'serial', tag(ONVIF_AXIS, 'SerialNumber')),
    ]);
    expect(identity).toMatchObject({ vendor: 'Axis', model: 'AXIS Q6045-E', firmware: '5.55.1.2', serial: '00408CFAB754', mac: '00:40:8c:fa:b7:54', conflicts: [] });
    expect(identity.sources.mac).toEqual({ source: 'onvif', verified: false, via: 'axis-serial' });
  });

  it('a 12-hex serial is not read as a MAC when the vendor is not Axis', () => {
    const identity = resolveIdentity([e('onvif', 'vendor', 'Pelco'), e('onvif', 'serial', '00408CFAB754')]);
    expect(identity.mac).toBeNull();
  });

  it('Axis RTSP realm alone gives vendor, serial and MAC', () => {
    const realm = /realm="([^"]*)"/.exec(readCaptureText('rtsp/axis-AXISOS-GStreamer-DESCRIBE-401-Kane610-axis.txt'))?.[1] ?? '';
    const identity = resolveIdentity([e('rtsp', 'realm', realm), e('rtsp', 'server', 'GStreamer RTSP server')]);
    expect(identity).toMatchObject({ vendor: 'Axis', serial: 'ACCC8E012345', mac: 'ac:cc:8e:01:23:45' });
    expect(identity.sources.vendor).toEqual({ source: 'rtsp', verified: false, via: 'realm' });
  });

  it('Lorex DHIP + Dahua realm: the OEM relation is no conflict; the redacted DHIP serial is dropped for the realm one', () => {
    expect(json(DHIP_LOREX, 'SerialNo')).toMatch(/^\*+$/);
    const identity = resolveIdentity([
      e('dhip', 'vendor', json(DHIP_LOREX, 'Vendor')),
      e('dhip', 'model', json(DHIP_LOREX, 'DeviceType')),
      e('dhip', 'firmware', json(DHIP_LOREX, 'Version')),
      e('dhip', 'serial', json(DHIP_LOREX, 'SerialNo')),
      e('dhip', 'mac', JSON.parse(readCaptureText(DHIP_LOREX)).mac as string),
      e('rtsp', 'realm', 'Login to ND011811000000'),
    ]);
    expect(identity).toMatchObject({
      vendor: 'Lorex',
      model: 'W461ASC',
      firmware: '2.800.030000000.3.R',
      serial: 'ND011811000000',
      mac: '00:1f:54:a9:2e:58',
      conflicts: [],
    });
    expect(identity.sources.serial).toEqual({ source: 'rtsp', verified: false, via: 'realm' });
  });

  it('TRENDnet ONVIF with a Hikvision realm: the OEM is reported as a vendor conflict, the stated vendor wins', () => {
    const identity = resolveIdentity([
      e('onvif', 'vendor', tag(ONVIF_TRENDNET, 'Manufacturer')),
      e('onvif', 'model', tag(ONVIF_TRENDNET, 'Model')),
      e('http', 'realm', 'IP Camera(C2183)'),
    ]);
    expect(identity.vendor).toBe('TRENDnet');
    expect(identity.conflicts).toEqual([
      {
        field: 'vendor',
        values: [
          { source: 'onvif', value: 'TRENDnet', via: 'stated', verified: false },
          { source: 'http', value: 'Hikvision', via: 'realm', verified: false },
        ],
      },
    ]);
  });

  it('Pelco ONVIF alone', () => {
    const identity = resolveIdentity([
      e('onvif', 'vendor', tag(ONVIF_PELCO, 'Manufacturer')),
      e('onvif', 'model', tag(ONVIF_PELCO, 'Model')),
      e('onvif', 'firmware', tag(ONVIF_PELCO, 'FirmwareVersion')),
      e('onvif', 'serial', tag(ONVIF_PELCO, 'SerialNumber')),
      e('onvif', 'mac', tag(ONVIF_PELCO, 'HardwareId')),
    ]);
    expect(identity).toMatchObject({ vendor: 'Pelco', model: 'D6230L', firmware: '2.9.0.4.9340-A0.0', serial: 'J250117', mac: '00:04:7d:0e:b8:5c', activated: null, conflicts: [] });
  });

  it('the WS-Discovery name scope "HIKVISION <model>" is a vendor hint', () => {
    const name = /name\/(\S+)/.exec(readCaptureText('ws-discovery/hikvision-DS-2CD3955FWD-IWS-probematch.xml'))?.[1] ?? '';
    const identity = resolveIdentity([e('ws-discovery', 'name', decodeURIComponent(name))]);
    expect(identity.vendor).toBe('Hikvision');
    expect(identity.sources.vendor).toEqual({ source: 'ws-discovery', verified: false, via: 'name' });
  });
});

describe('resolveIdentity precedence', () => {
  it('verified (login) > vendor API > ONVIF > WS-Discovery > mDNS/SSDP > hints', () => {
    const all = [
      e('http', 'realm', 'DS-2CD0000-A'),
      e('ssdp', 'model', 'DS-2CD1111-B'),
      e('ws-discovery', 'model', 'DS-2CD2222-C'),
      e('onvif', 'model', 'DS-2CD3333-D'),
      e('isapi', 'model', 'DS-2CD4444-E'),
      e('login', 'model', 'DS-2CD5555-F', true),
    ];
    const expected = ['DS-2CD5555-F', 'DS-2CD4444-E', 'DS-2CD3333-D', 'DS-2CD2222-C', 'DS-2CD1111-B', 'DS-2CD0000-A'];
    for (let i = 0; i < all.length; i += 1) {
      // Drop the strongest sources one by one; the next in precedence must win whatever the evidence order.
      const evidence = all.slice(0, all.length - i);
      expect(resolveIdentity(evidence).model).toBe(expected[i]);
      expect(resolveIdentity([...evidence].reverse()).model).toBe(expected[i]);
    }
  });

  it('verified evidence wins whatever its source', () => {
    const identity = resolveIdentity([e('sadp', 'firmware', 'V5.5.0 build 170101'), e('onvif', 'firmware', 'V5.6.2 build 190701', true)]);
    expect(identity.firmware).toBe('V5.6.2 build 190701');
    expect(identity.sources.firmware).toEqual({ source: 'onvif', verified: true, via: 'stated' });
  });

  it('keeps every conflicting value with its source, never overwriting silently', () => {
    const identity = resolveIdentity([
      e('ws-discovery', 'model', 'DS-2CD2032-I'),
      e('onvif', 'model', 'DS-2CD2385G1-I'),
      e('login', 'model', 'DS-2CD2385G1-I', true),
    ]);
    expect(identity.model).toBe('DS-2CD2385G1-I');
    expect(identity.conflicts).toEqual([
      {
        field: 'model',
        values: [
          { source: 'login', value: 'DS-2CD2385G1-I', via: 'stated', verified: true },
          { source: 'onvif', value: 'DS-2CD2385G1-I', via: 'stated', verified: false },
          { source: 'ws-discovery', value: 'DS-2CD2032-I', via: 'stated', verified: false },
        ],
      },
    ]);
  });

  it('at equal rank the first value seen wins, and the other is a conflict', () => {
    const identity = resolveIdentity([e('sadp', 'mac', '58-50-ed-1f-e3-85'), e('dhip', 'mac', '4c:11:bf:c2:0b:9d')]);
    expect(identity.mac).toBe('58:50:ed:1f:e3:85');
    expect(identity.conflicts.map((c) => c.field)).toEqual(['mac']);
  });

  it('two stated vendors that differ conflict even when one is the other\'s OEM', () => {
    const identity = resolveIdentity([e('dhip', 'vendor', 'Lorex'), e('onvif', 'vendor', 'Dahua')]);
    expect(identity.vendor).toBe('Lorex');
    expect(identity.conflicts.map((c) => c.field)).toEqual(['vendor']);
  });
});

describe('resolveIdentity normalisation', () => {
  it('compares MACs normalised', () => {
    const identity = resolveIdentity([e('axis', 'mac', 'ACCC8E494578'), e('ws-discovery', 'mac', 'ac-cc-8e-49-45-78'), e('mdns', 'mac', 'accc.8e49.4578')]);
    expect(identity).toMatchObject({ mac: 'ac:cc:8e:49:45:78', conflicts: [] });
  });

  it('compares firmware normalised, and a version without its build matches the same version with it', () => {
    const file = 'hikvision/hikvision-DS-2CD2386G2-IU-V5.7.14-ISAPI-deviceInfo-hikvision_next.xml';
    const identity = resolveIdentity([
      e('isapi', 'firmware', tag(file, 'firmwareVersion')),
      e('login', 'firmware', `${tag(file, 'firmwareVersion')} ${tag(file, 'firmwareReleasedDate')}`, true),
      e('sadp', 'firmware', 'V5.7.14build 231028'),
    ]);
    expect(identity).toMatchObject({ firmware: 'V5.7.14 build 231028', conflicts: [] });
  });

  it('a different build is a firmware conflict', () => {
    const identity = resolveIdentity([e('sadp', 'firmware', 'V5.7.14build 231028'), e('onvif', 'firmware', 'V5.7.14 build 221123')]);
    expect(identity.conflicts.map((c) => c.field)).toEqual(['firmware']);
  });

  it('compares vendors normalised', () => {
    expect(resolveIdentity([e('onvif', 'vendor', 'HIKVISION'), e('ws-discovery', 'vendor', 'hikvision'), e('ssdp', 'vendor', 'Hangzhou Hikvision Digital Technology Co., Ltd.')])).toMatchObject({
      vendor: 'Hikvision',
      conflicts: [],
    });
  });

  it('Hikvision long serial and its tail (ISAPI subSerialNumber) are one serial', () => {
    const file = 'hikvision/hikvision-DS-2CD2386G2-IU-V5.7.14-ISAPI-deviceInfo-hikvision_next.xml';
    const identity = resolveIdentity([e('isapi', 'serial', tag(file, 'serialNumber')), e('onvif', 'serial', tag(file, 'subSerialNumber'))]);
    expect(identity).toMatchObject({ serial: 'DS-2CD2386G2-IU00000000AAWRJ00000000', conflicts: [] });
  });

  it('reads SADP\'s "flase" as false', () => {
    expect(resolveIdentity([e('sadp', 'activated', 'flase')]).activated).toBe(false);
    expect(resolveIdentity([e('sadp', 'activated', 'true')]).activated).toBe(true);
    expect(resolveIdentity([e('sadp', 'activated', 'maybe')]).activated).toBeNull();
  });
});

describe('resolveIdentity hints', () => {
  it('a hex realm alone does not make a device Hikvision', () => {
    const identity = resolveIdentity([e('http', 'realm', 'a1b2c3d4e5f60718293a4b5c')]);
    expect(identity.vendor).toBeNull();
    expect(identity.hints).toEqual([
      expect.objectContaining({ field: 'vendor', value: 'Hikvision', via: 'realm', confidence: 'low' }),
    ]);
  });

  it('a low hint counts when an independent hint agrees (bare Axis model + GStreamer RTSP server)', () => {
    expect(resolveIdentity([e('ws-discovery', 'model', 'M1034-W')]).vendor).toBeNull();
    expect(resolveIdentity([e('rtsp', 'server', 'GStreamer RTSP server')]).vendor).toBeNull();
    const both = resolveIdentity([e('ws-discovery', 'model', 'M1034-W'), e('rtsp', 'server', 'GStreamer RTSP server')]);
    expect(both.vendor).toBe('Axis');
    expect(both.sources.vendor?.via).toBe('model');
  });

  it('a stated vendor beats any hint', () => {
    const identity = resolveIdentity([e('http', 'server', 'App-webs/'), e('ws-discovery', 'vendor', 'Dahua')]);
    expect(identity.vendor).toBe('Dahua');
    expect(identity.conflicts).toEqual([
      {
        field: 'vendor',
        values: [
          { source: 'ws-discovery', value: 'Dahua', via: 'stated', verified: false },
          { source: 'http', value: 'Hikvision', via: 'server', verified: false },
        ],
      },
    ]);
  });

  it('a Hikvision model-as-realm agrees with the stated model', () => {
    const identity = resolveIdentity([e('ws-discovery', 'model', 'DS-2CD2032-I'), e('http', 'realm', 'DS-2CD2032-I')]);
    expect(identity).toMatchObject({ vendor: 'Hikvision', model: 'DS-2CD2032-I', conflicts: [] });
  });
});

describe('resolveIdentity on empty or hostile evidence', () => {
  it('nothing known from nothing', () => {
    expect(resolveIdentity([])).toEqual({
      vendor: null,
      model: null,
      firmware: null,
      serial: null,
      mac: null,
      activated: null,
      conflicts: [],
      sources: { vendor: null, model: null, firmware: null, serial: null, mac: null, activated: null },
      hints: [],
    });
  });

  it('ignores unknown fields, empty values, invalid MACs, blank-filled serials and absurdly long values', () => {
    const identity = resolveIdentity([
      e('onvif', 'capability:media', 'http://192.0.2.1/onvif/media'),
      e('onvif', 'vendor', '   '),
      e('onvif', 'model', ''),
      e('sadp', 'mac', '00-00-00-00-00-00'),
      e('sadp', 'mac', 'not a mac'),
      e('sadp', 'serial', '000000000000'),
      e('sadp', 'serial', 'bad serial with spaces'),
      e('onvif', 'firmware', 'V5.6.2'.repeat(100)),
      e('http', 'realm', 'x'.repeat(10_000)),
    ]);
    expect(identity).toMatchObject({ vendor: null, model: null, firmware: null, serial: null, mac: null, conflicts: [] });
  });

  it('does not throw on evidence with a non-string value or an unknown source', () => {
    const weird = [{ source: 'carrier-pigeon', field: 'vendor', value: 'Sony' }, { source: 'onvif', field: 'model', value: 42 }] as unknown as Evidence[];
    expect(resolveIdentity(weird)).toMatchObject({ vendor: 'Sony', model: null });
  });
});
