import { describe, expect, it } from 'vitest';
import { matchModel } from '../../../../src/fingerprint/matchers/model.js';
import { listCaptures, readCaptureText } from '../../../support/captures.js';

function extractAll(file: string, pattern: RegExp): string[] {
  return [...readCaptureText(file).matchAll(pattern)].map((m) => m[1] ?? '');
}

function summary(model: string): string {
  const match = matchModel(model);
  return match.vendor === null ? 'none' : `${match.vendor}/${match.confidence}/${match.kind}${match.family ? `/${match.family}` : ''}`;
}

describe('matchModel on captured model strings', () => {
  it('ONVIF GetDeviceInformation Model of every capture', () => {
    const models = listCaptures('onvif-device')
      .filter((f) => f.includes('GetDeviceInformationResponse'))
      .flatMap((f) => extractAll(`onvif-device/${f}`, /<(?:\w+:)?Model>([^<]*)</g));
    expect(Object.fromEntries(models.map((m) => [m, summary(m)]))).toEqual({
      'AXIS Q6045-E': 'Axis/high/other',
      'DS-2CD2012-I': 'Hikvision/high/camera/DS-2CD',
      'DS-2DF7276-AEL': 'Hikvision/high/ptz/DS-2DF',
      // Pelco Sarix "D6230L" has no distinctive prefix: no guess.
      D6230L: 'none',
      'TV-IP320PI': 'TRENDnet/high/camera',
    });
  });

  it('Hikvision SADP DeviceDescription and ISAPI model of every capture', () => {
    const models = listCaptures('hikvision').flatMap((f) => extractAll(`hikvision/${f}`, /<(?:DeviceDescription|model)>([^<]*)</g));
    expect(Object.fromEntries(models.map((m) => [m, summary(m)]))).toEqual({
      'DS-2CD2320D-I': 'Hikvision/high/camera/DS-2CD',
      'DS-2CD2385G1-I': 'Hikvision/high/camera/DS-2CD',
      'DS-2CD2386G2-IU': 'Hikvision/high/camera/DS-2CD',
      'DS-2CD2T43G2-4I': 'Hikvision/high/camera/DS-2CD',
      'DS-7804HQH-K1': 'Hikvision/high/recorder/DS-78',
      'DS-7608NXI-I2/8P/S': 'Hikvision/high/recorder/DS-76',
    });
  });

  it('Dahua DHIP DeviceType: Dahua numbering is recognised, the Lorex OEM number is not', () => {
    expect(extractAll('dahua-dhip/dahua-IPC-HDW5421S-phenomite.body.json', /"DeviceType" : "([^"]*)"/g).map(summary)).toEqual(['Dahua/high/camera']);
    expect(extractAll('dahua-dhip/lorex-W461ASC-rapid7.body.json', /"DeviceType": "([^"]*)"/g).map(summary)).toEqual(['none']);
  });

  it('WS-Discovery hardware scopes of every capture', () => {
    const models = listCaptures('ws-discovery')
      .filter((f) => f.endsWith('.xml'))
      .flatMap((f) => extractAll(`ws-discovery/${f}`, /onvif:\/\/www\.onvif\.org\/(?:hardware|Model)\/(\S+?)(?=[\s<"]|$)/g))
      .map((m) => decodeURIComponent(m));
    expect(Object.fromEntries(models.map((m) => [m, summary(m)]))).toEqual({
      'IP2M-841B': 'Amcrest/medium/camera',
      // Axis only with other evidence: the bare product number is a shape other vendors share.
      'M1034-W': 'Axis/low/camera',
      'IPC-HFW2228M-I1-V2': 'Dahua/high/camera',
      C1: 'none',
      '631GA': 'none',
      DFI6256TE: 'none',
      'DS-2CD3955FWD-IWS': 'Hikvision/high/camera/DS-2CD',
      // TP-Link Tapo answers with a placeholder.
      MODEL: 'none',
    });
  });

  it('the multi-vendor scope test data', () => {
    const data = JSON.parse(readCaptureText('ws-discovery/multi-vendor-scopes-FLIR-Geovision-Panasonic-Avigilon-Tiandy-onvif-discovery-testdata.json').replace(/^\uFEFF/, '')) as {
      Devices: Array<{ ExpectedModel: string }>;
    };
    expect(data.Devices.map((d) => [d.ExpectedModel, summary(d.ExpectedModel)])).toEqual([
      ['MSTAR_IPNC', 'none'],
      ['CM-6204-11-I', 'FLIR/medium/camera'],
      ['GV-UNP2500', 'GeoVision/high/other'],
      ['WV-V1330LK', 'Panasonic/high/camera'],
      ['2.0-H3M-DO1', 'Avigilon/medium/camera'],
      ['TC-C32TS SPEC:I8/A/E/Y/M/H/2.7-13.5mm', 'Tiandy/medium/camera'],
      ['FI710-L', 'none'],
      ['CM-3102-11-I', 'FLIR/medium/camera'],
    ]);
  });

  it('Axis product numbers: high with the AXIS prefix, low without it', () => {
    expect(extractAll('axis/axis-M1065-LW-param-cgi-Brand.txt', /ProdNbr=(\S+)/g).map(summary)).toEqual(['Axis/low/camera']);
    expect(extractAll('axis/axis-M3024-L-fw5.51-param-cgi-Brand.txt', /ProdNbr=(\S+)/g).map(summary)).toEqual(['Axis/low/camera']);
    expect(extractAll('axis/axis-M1065-LW-param-cgi-Brand.txt', /ProdShortName=(.+)/g).map(summary)).toEqual(['Axis/high/other']);
    expect(extractAll('upnp/axis-M1014-upnp-rootdesc1-axis-discovery-ssdp-js-linejoined.xml', /<modelName>([^<]*)</g).map(summary)).toEqual(['Axis/high/other']);
    expect(extractAll('upnp/axis-P3301-upnp-device-description-rootdesc.xml', /<modelName>([^<]*)</g).map(summary)).toEqual(['Axis/high/other']);
  });

  it('the simulator fleet models', () => {
    expect(['DS-2CD2032-I', 'IPC-HFW2228M-I1-V2', 'M1034-W', 'D6230L', '631GA'].map(summary)).toEqual([
      'Hikvision/high/camera/DS-2CD',
      'Dahua/high/camera',
      'Axis/low/camera',
      'none',
      'none',
    ]);
  });
});

describe('matchModel numbering rules', () => {
  it.each([
    ['DS-2DE4225IW-DE', 'Hikvision/high/ptz/DS-2DE'],
    ['iDS-2CD7146G0-IZS', 'Hikvision/high/camera/DS-2CD'],
    ['ds-2df8425ix-ael', 'Hikvision/high/ptz/DS-2DF'],
    ['DS-9632NI-I8', 'Hikvision/high/recorder/DS-96'],
    ['DS-KV6113-WPE1', 'Hikvision/medium/other'],
    ['DH-IPC-HFW1230S', 'Dahua/high/other'],
    ['IPC-HDBW2431E-S-S2', 'Dahua/high/camera'],
    ['IPC-EB5531', 'Dahua/medium/camera'],
    ['SD49225T-HN', 'Dahua/medium/ptz'],
    ['HCVR5104HS-S3', 'Dahua/high/recorder'],
    ['XNO-6080R', 'Hanwha/high/other'],
    ['QNV-7080R', 'Hanwha/high/other'],
    ['SNO-6084R', 'Hanwha/high/other'],
    ['SNC-VM772R', 'Sony/high/camera'],
    ['FLEXIDOME IP 4000i', 'Bosch/high/camera'],
    ['NBN-832V-IP', 'Bosch/medium/camera'],
    ['IME329-1ES', 'Pelco/medium/camera'],
    ['RLC-410', 'Reolink/high/other'],
    ['RLN8-410', 'Reolink/high/other'],
    ['FI9821W', 'Foscam/medium/camera'],
    ['VIGI C340-W', 'TP-Link/high/camera'],
    ['FD8169A', 'Vivotek/medium/camera'],
    ['SD9364-EHL', 'Vivotek/medium/camera'],
    ['IPC2124LR3-PF40M-D', 'Uniview/low/camera'],
    ['LNB8005', 'Lorex/medium/other'],
    ['DCS-2530L', 'D-Link/high/camera'],
    ['P3301', 'Axis/low/camera'],
  ])('%s → %s', (model, expected) => {
    expect(summary(model)).toBe(expected);
  });

  it('keeps the reason for the conclusion', () => {
    expect(matchModel('DS-2DF7276-AEL').reason).toContain('PTZ family');
    expect(matchModel('M1034-W').reason).toContain('not unique to Axis');
  });

  it('says nothing about empty, non-string or absurdly long input', () => {
    for (const input of ['', '   ', null, undefined, 42 as unknown as string, `DS-2CD${'X'.repeat(300)}`]) {
      expect(matchModel(input)).toMatchObject({ vendor: null, family: null, kind: null, confidence: null });
    }
  });
});
