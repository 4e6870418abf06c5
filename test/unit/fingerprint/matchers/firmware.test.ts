import { describe, expect, it } from 'vitest';
import { normaliseFirmware } from '../../../../src/fingerprint/matchers/firmware.js';
import { listCaptures, readCaptureText } from '../../../support/captures.js';

describe('normaliseFirmware on captured firmware strings', () => {
  it('SADP SoftwareVersion of every Hikvision capture: the glued build gets its space', () => {
    const found = listCaptures('hikvision')
      .flatMap((f) => [...readCaptureText(`hikvision/${f}`).matchAll(/<SoftwareVersion>([^<]*)</g)].map((m) => m[1] ?? ''))
      .map((raw) => [raw, normaliseFirmware(raw)]);
    expect(found).toEqual([
      ['V5.5.6build 180326', 'V5.5.6 build 180326'],
      ['V5.6.2build 190701', 'V5.6.2 build 190701'],
      ['V3.5.38build 191215', 'V3.5.38 build 191215'],
    ]);
  });

  it('SADP DSPVersion with a comma before the build', () => {
    const raw = /<DSPVersion>([^<]*)</.exec(readCaptureText('hikvision/hikvision-DS-7804HQH-K1-DVR-sadp-probematch-truncated.xml'))?.[1];
    expect(raw).toBe('V5.0, build 191213');
    expect(normaliseFirmware(raw)).toBe('V5.0 build 191213');
  });

  it('ONVIF FirmwareVersion values are already normal and stay as they are', () => {
    const values = listCaptures('onvif-device')
      .filter((f) => f.includes('GetDeviceInformationResponse'))
      .map((f) => /FirmwareVersion>([^<]*)</.exec(readCaptureText(`onvif-device/${f}`))?.[1] ?? '');
    expect(values).toEqual(['5.55.1.2', 'V5.2.0 build 140721', 'V5.1.6 build 140401', '2.9.0.4.9340-A0.0', 'V5.3.4 build 160830']);
    for (const value of values) expect(normaliseFirmware(value)).toBe(value);
  });

  it('the SADP and ONVIF spellings of one firmware become equal', () => {
    expect(normaliseFirmware('V5.5.6build 180326')).toBe(normaliseFirmware('V5.5.6 build 180326'));
  });
});

describe('normaliseFirmware edge cases', () => {
  it.each([
    ['V5.6.2build 190701', 'V5.6.2 build 190701'],
    ['  V5.6.2   build    190701 ', 'V5.6.2 build 190701'],
    ['V5.6.2 Build 190701', 'V5.6.2 build 190701'],
    ['V1.0build 200101', 'V1.0 build 200101'],
    ['V5.6.2\tbuild\n190701', 'V5.6.2 build 190701'],
    ['2.800.0000000.7.R', '2.800.0000000.7.R'],
    ['rebuild-7', 'rebuild-7'],
  ])('%j → %j', (raw, expected) => {
    expect(normaliseFirmware(raw)).toBe(expected);
  });

  it('returns null for empty, non-string or absurdly long input', () => {
    expect(normaliseFirmware('')).toBeNull();
    expect(normaliseFirmware('   ')).toBeNull();
    expect(normaliseFirmware(null)).toBeNull();
    expect(normaliseFirmware(undefined)).toBeNull();
    expect(normaliseFirmware({} as unknown as string)).toBeNull();
    expect(normaliseFirmware('V'.repeat(300))).toBeNull();
  });
});
