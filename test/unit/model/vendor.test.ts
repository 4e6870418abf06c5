import { describe, expect, it } from 'vitest';
import { findKnownVendor, normaliseVendor, vendorFamilyOf } from '../../../src/model/vendor.js';
import { listCaptures, readCaptureText } from '../../support/captures.js';

function extractAll(file: string, pattern: RegExp): string[] {
  return [...readCaptureText(file).matchAll(pattern)].map((m) => m[1] ?? '');
}

describe('normaliseVendor on captured manufacturer strings', () => {
  it('ONVIF GetDeviceInformation Manufacturer of every capture', () => {
    const files = listCaptures('onvif-device').filter((f) => f.includes('GetDeviceInformationResponse'));
    const seen = Object.fromEntries(files.map((f) => {
      const [manufacturer] = extractAll(`onvif-device/${f}`, /Manufacturer>([^<]*)</g);
      return [f, normaliseVendor(manufacturer)];
    }));
    expect(seen).toEqual({
      'axis-Q6045-E-fw5.55-GetDeviceInformationResponse-onvif-nvt.xml': 'Axis',
      'hikvision-DS-2CD2012-I-V5.2.0-GetDeviceInformationResponse-onvif-nvt.xml': 'Hikvision',
      'hikvision-DS-2DF7276-AEL-V5.1.6-GetDeviceInformationResponse-onvif-nvt.xml': 'Hikvision',
      'pelco-D6230L-GetDeviceInformationResponse-onvif-nvt.xml': 'Pelco',
      'trendnet-TV-IP320PI-hikOEM-GetDeviceInformationResponse-onvif-nvt.xml': 'TRENDnet',
    });
  });

  it('DHIP Vendor (Dahua, Lorex) and its "Private" Manufacturer', () => {
    expect(extractAll('dahua-dhip/dahua-IPC-HDW5421S-phenomite.body.json', /"Vendor" : "([^"]*)"/g).map(normaliseVendor)).toEqual(['Dahua']);
    expect(extractAll('dahua-dhip/lorex-W461ASC-rapid7.body.json', /"Vendor": "([^"]*)"/g).map(normaliseVendor)).toEqual(['Lorex']);
    // Dahua puts "Private" in Manufacturer: not a vendor we know, so it comes back as it is.
    expect(extractAll('dahua-dhip/lorex-W461ASC-rapid7.body.json', /"Manufacturer": "([^"]*)"/g).map(normaliseVendor)).toEqual(['Private']);
  });

  it('UPnP description manufacturer and Axis Brand', () => {
    for (const file of ['upnp/axis-M1014-upnp-rootdesc1-axis-discovery-ssdp-js-linejoined.xml', 'upnp/axis-P3301-upnp-device-description-rootdesc.xml']) {
      expect(extractAll(file, /<manufacturer>([^<]*)</g).map(normaliseVendor)).toEqual(['Axis']);
    }
    expect(extractAll('axis/axis-M1065-LW-param-cgi-Brand.txt', /root\.Brand\.Brand=(\S+)/g).map(normaliseVendor)).toEqual(['Axis']);
  });

  it('the vendor named in WS-Discovery name scopes', () => {
    const names = (file: string) => extractAll(file, /onvif:\/\/www\.onvif\.org\/name\/(\S+?)(?=[\s<"]|$)/gi).map((n) => decodeURIComponent(n));
    expect(names('ws-discovery/hikvision-DS-2CD3955FWD-IWS-probematch.xml').map(findKnownVendor)).toEqual(['Hikvision']);
    expect(names('ws-discovery/amcrest-IP2M-841B-probematch-kupnp.xml').map(findKnownVendor)).toEqual(['Amcrest']);
    expect(names('ws-discovery/dahua-IPC-HFW2228M-I1-V2-Hello.xml').map(findKnownVendor)).toEqual(['Dahua']);
    expect(names('ws-discovery/axis-M1034-W-probematch-kupnp.xml').map(findKnownVendor)).toEqual(['Axis']);
    // Foscam's name scope is the model; its maker is in a non-standard type/manufacturer scope.
    expect(names('ws-discovery/foscam-C1-probematch-kupnp.xml').map(findKnownVendor)).toEqual([null]);
    expect(extractAll('ws-discovery/foscam-C1-probematch-kupnp.xml', /type\/manufacturer\/(\w+)/g).map(normaliseVendor)).toEqual(['Foscam']);
  });

  it('the manufacturers of the multi-vendor scope test data', () => {
    const data = JSON.parse(readCaptureText('ws-discovery/multi-vendor-scopes-FLIR-Geovision-Panasonic-Avigilon-Tiandy-onvif-discovery-testdata.json').replace(/^\uFEFF/, '')) as {
      Devices: Array<{ ExpectedMfr: string }>;
    };
    expect(data.Devices.map((d) => normaliseVendor(d.ExpectedMfr))).toEqual([
      'ONVIF_ICAMERA',
      'FLIR',
      'GeoVision',
      'Panasonic',
      'Xuất',
      'ipcamera',
      'STD',
      'FLIR',
    ]);
  });
});

describe('normaliseVendor spellings', () => {
  it.each([
    ['HIKVISION', 'Hikvision'],
    ['hikvision', 'Hikvision'],
    ['HIK', 'Hikvision'],
    ['Hangzhou Hikvision Digital Technology Co., Ltd.', 'Hikvision'],
    ['Dahua', 'Dahua'],
    ['DAHUA', 'Dahua'],
    ['Dahua Technology', 'Dahua'],
    ['ZheJiang Dahua Technology CO.,LTD.', 'Dahua'],
    ['AXIS', 'Axis'],
    ['Axis Communications AB', 'Axis'],
    ['Samsung Techwin', 'Hanwha'],
    ['Hanwha Techwin', 'Hanwha'],
    ['Hanwha Vision', 'Hanwha'],
    ['Wisenet', 'Hanwha'],
    ['SONY', 'Sony'],
    ['Bosch Security Systems', 'Bosch'],
    ['Reolink', 'Reolink'],
    ['Amcrest', 'Amcrest'],
    ['LOREX', 'Lorex'],
    ['FOSCAM', 'Foscam'],
    ['Zhejiang Uniview Technologies', 'Uniview'],
    ['UNV', 'Uniview'],
    ['VIVOTEK', 'Vivotek'],
    ['TP-LINK', 'TP-Link'],
    ['tp-link technologies', 'TP-Link'],
    ['Panasonic', 'Panasonic'],
    ['Avigilon', 'Avigilon'],
    ['FLIR Systems', 'FLIR'],
    ['Teledyne FLIR', 'FLIR'],
    ['Geovision', 'GeoVision'],
    ['Tiandy', 'Tiandy'],
    ['TRENDnet', 'TRENDnet'],
    ['Trendnet', 'TRENDnet'],
    ['Pelco', 'Pelco'],
    ['  Pelco  ', 'Pelco'],
  ])('%j → %s', (raw, expected) => {
    expect(normaliseVendor(raw)).toBe(expected);
  });

  it('keeps an unknown name trimmed, single-spaced and in its own case', () => {
    expect(normaliseVendor('  ACME  Cams ')).toBe('ACME Cams');
    expect(findKnownVendor('ACME Cams')).toBeNull();
  });

  it('does not take a vendor out of the middle of a word', () => {
    expect(normaliseVendor('Hikvisionclone')).toBe('Hikvisionclone');
    expect(normaliseVendor('Samsung')).toBe('Samsung');
    expect(findKnownVendor('Axisstar')).toBeNull();
  });

  it('returns null for empty, whitespace-only, control-only, non-string or absurdly long input', () => {
    expect(normaliseVendor('')).toBeNull();
    expect(normaliseVendor('   ')).toBeNull();
    expect(normaliseVendor('\u0000\u0007')).toBeNull();
    expect(normaliseVendor(null)).toBeNull();
    expect(normaliseVendor(undefined)).toBeNull();
    expect(normaliseVendor(7 as unknown as string)).toBeNull();
    expect(normaliseVendor('x'.repeat(200))).toBeNull();
  });

  it('removes control characters that would corrupt a terminal', () => {
    expect(normaliseVendor('Evil\u001b[2JCam')).toBe('Evil [2JCam');
  });
});

describe('vendorFamilyOf: the one vendor → API family map', () => {
  it.each([
    ['HIKVISION', 'hikvision'],
    ['Hangzhou Hikvision Digital Technology Co., Ltd.', 'hikvision'],
    ['Hik-Connect', 'hikvision'],
    ['ZheJiang Dahua Technology CO.,LTD.', 'dahua'],
    // OEM brands on Dahua firmware speak the Dahua API (and serve its stream paths).
    ['Amcrest', 'dahua'],
    ['LOREX', 'dahua'],
    ['Axis Communications AB', 'axis'],
    ['Samsung Techwin', 'hanwha'],
    ['Wisenet', 'hanwha'],
  ])('%s → %s', (raw, family) => {
    expect(vendorFamilyOf(raw)).toBe(family);
  });

  it('has no family for other vendors, unknown names and empty text', () => {
    for (const raw of ['Pelco', 'Sony', 'ONVIF_ICAMERA', '', null, undefined, 'hikvisionary']) expect(vendorFamilyOf(raw)).toBeNull();
  });
});
