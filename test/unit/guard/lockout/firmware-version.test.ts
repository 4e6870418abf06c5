import { describe, expect, it } from 'vitest';
import { checkFirmwareRange, compareFirmware, parseFirmwareVersion, type FirmwareVersion } from '../../../../src/guard/lockout/firmware-version.js';
import { readCaptureText } from '../../../support/captures.js';

/** The first capture group of a pattern in a capture file; fails the test when the capture does not contain it. */
function extract(file: string, pattern: RegExp): string {
  const value = pattern.exec(readCaptureText(file))?.[1];
  if (value === undefined) throw new Error(`${pattern} not found in ${file}`);
  return value;
}

function v(major: number, minor: number, patch: number, build: number | null = null): FirmwareVersion {
  return { major, minor, patch, build };
}

describe('parseFirmwareVersion on captured firmware strings', () => {
  const cases: Array<{ file: string; pattern: RegExp; raw: string; expected: FirmwareVersion }> = [
    { file: 'hikvision/hikvision-DS-2CD2385G1-I-V5.6.2-sadp-probematch.xml', pattern: /<SoftwareVersion>([^<]*)</, raw: 'V5.6.2build 190701', expected: v(5, 6, 2, 190701) },
    { file: 'hikvision/hikvision-DS-2CD2320D-I-V5.5.6-sadp-probematch.xml', pattern: /<SoftwareVersion>([^<]*)</, raw: 'V5.5.6build 180326', expected: v(5, 5, 6, 180326) },
    { file: 'hikvision/hikvision-DS-7804HQH-K1-DVR-sadp-probematch-truncated.xml', pattern: /<SoftwareVersion>([^<]*)</, raw: 'V3.5.38build 191215', expected: v(3, 5, 38, 191215) },
    { file: 'hikvision/hikvision-DS-7804HQH-K1-DVR-sadp-probematch-truncated.xml', pattern: /<DSPVersion>([^<]*)</, raw: 'V5.0, build 191213', expected: v(5, 0, 0, 191213) },
    { file: 'hikvision/hikvision-DS-2CD2T43G2-4I-V5.7.18-ISAPI-deviceInfo.xml', pattern: /<firmwareVersion>([^<]*)</, raw: 'V5.7.18', expected: v(5, 7, 18) },
    { file: 'hikvision/hikvision-NVR-DS-7608NXI-I2-V4.62.210-ISAPI-deviceInfo-isapi.org-ns-hikvision_next.xml', pattern: /<firmwareVersion>([^<]*)</, raw: 'V4.62.210', expected: v(4, 62, 210) },
    { file: 'onvif-device/hikvision-DS-2DF7276-AEL-V5.1.6-GetDeviceInformationResponse-onvif-nvt.xml', pattern: /FirmwareVersion>([^<]*)</, raw: 'V5.1.6 build 140401', expected: v(5, 1, 6, 140401) },
    { file: 'onvif-device/hikvision-DS-2CD2012-I-V5.2.0-GetDeviceInformationResponse-onvif-nvt.xml', pattern: /FirmwareVersion>([^<]*)</, raw: 'V5.2.0 build 140721', expected: v(5, 2, 0, 140721) },
    { file: 'onvif-device/trendnet-TV-IP320PI-hikOEM-GetDeviceInformationResponse-onvif-nvt.xml', pattern: /FirmwareVersion>([^<]*)</, raw: 'V5.3.4 build 160830', expected: v(5, 3, 4, 160830) },
    { file: 'onvif-device/axis-Q6045-E-fw5.55-GetDeviceInformationResponse-onvif-nvt.xml', pattern: /FirmwareVersion>([^<]*)</, raw: '5.55.1.2', expected: v(5, 55, 1) },
    { file: 'onvif-device/pelco-D6230L-GetDeviceInformationResponse-onvif-nvt.xml', pattern: /FirmwareVersion>([^<]*)</, raw: '2.9.0.4.9340-A0.0', expected: v(2, 9, 0) },
    { file: 'dahua-dhip/dahua-IPC-HDW5421S-phenomite.body.json', pattern: /"Version" : "([^"]*)"/, raw: '2.400.0.8', expected: v(2, 400, 0) },
    { file: 'dahua-dhip/lorex-W461ASC-rapid7.body.json', pattern: /"Version": "([^"]*)"/, raw: '2.800.030000000.3.R', expected: v(2, 800, 30000000) },
    { file: 'axis/axis-fw9.10.1-param-cgi-Properties.txt', pattern: /Firmware\.Version=(\S+)/, raw: '9.10.1', expected: v(9, 10, 1) },
    { file: 'axis/axis-M1065-LW-basicdeviceinfo-getAllProperties.json', pattern: /"Version": "([^"]*)"/, raw: '9.80.1', expected: v(9, 80, 1) },
  ];
  for (const c of cases) {
    it(`${c.raw} (${c.file})`, () => {
      const raw = extract(c.file, c.pattern);
      expect(raw).toBe(c.raw);
      expect(parseFirmwareVersion(raw)).toEqual(c.expected);
    });
  }

  it('reads the ISAPI split form (firmwareVersion + firmwareReleasedDate) as one version with its build', () => {
    const file = 'hikvision/hikvision-DS-2CD2386G2-IU-V5.7.14-ISAPI-deviceInfo-hikvision_next.xml';
    const joined = `${extract(file, /<firmwareVersion>([^<]*)</)} ${extract(file, /<firmwareReleasedDate>([^<]*)</)}`;
    expect(joined).toBe('V5.7.14 build 231028');
    expect(parseFirmwareVersion(joined)).toEqual(v(5, 7, 14, 231028));
  });
});

describe('parseFirmwareVersion on other spellings', () => {
  it.each([
    ['V5.6.2 build 190701', v(5, 6, 2, 190701)],
    ['V5.5.6build 190506', v(5, 5, 6, 190506)],
    ['5.3.8', v(5, 3, 8)],
    ['2.420.0000000.8.R', v(2, 420, 0)],
    ['9.10.1', v(9, 10, 1)],
    ['V4.62.210', v(4, 62, 210)],
    ['v5.3.10 Build 150917', v(5, 3, 10, 150917)],
    ['6.30', v(6, 30, 0)],
    ['APP_V3.3.0.20200606', v(3, 3, 0)],
    ['2.6.0.150(15529)', v(2, 6, 0)],
    ['  V5.3.0   build   150513  ', v(5, 3, 0, 150513)],
  ])('%j', (raw, expected) => {
    expect(parseFirmwareVersion(raw)).toEqual(expected);
  });

  it.each([
    [''],
    ['abc'],
    ['V5'],
    ['fs20160805NSZ'],
    ['build 190701'],
    ['1.2345678901234'],
    [`V5.3.0 build 150513${' '.repeat(200)}`],
  ])('refuses %j', (raw) => {
    expect(parseFirmwareVersion(raw)).toBeNull();
  });

  it('refuses non-strings without throwing', () => {
    expect(parseFirmwareVersion(null)).toBeNull();
    expect(parseFirmwareVersion(undefined)).toBeNull();
    expect(parseFirmwareVersion(42 as unknown as string)).toBeNull();
  });
});

describe('compareFirmware', () => {
  const p = (text: string): FirmwareVersion => {
    const parsed = parseFirmwareVersion(text);
    if (!parsed) throw new Error(`unparseable ${text}`);
    return parsed;
  };

  it('orders by major, minor and patch numerically, not as text', () => {
    expect(compareFirmware(p('5.2.9'), p('5.3.0'))).toBe(-1);
    expect(compareFirmware(p('5.3.10'), p('5.3.9'))).toBe(1);
    expect(compareFirmware(p('V5.10.0'), p('V5.9.99'))).toBe(1);
    expect(compareFirmware(p('6.0.0'), p('5.99.99'))).toBe(1);
    expect(compareFirmware(p('5.3.0'), p('5.3.0'))).toBe(0);
  });

  it('orders by build when both carry one', () => {
    expect(compareFirmware(p('5.3.8 build 150707'), p('5.3.8 build 150722'))).toBe(-1);
    expect(compareFirmware(p('5.3.8 build 151224'), p('5.3.8 build 150722'))).toBe(1);
  });

  it('treats a missing build as equal to any build (cannot be placed)', () => {
    expect(compareFirmware(p('5.3.8'), p('5.3.8 build 150722'))).toBe(0);
    expect(compareFirmware(p('5.3.8 build 150722'), p('5.3.8'))).toBe(0);
  });
});

describe('checkFirmwareRange', () => {
  const p = (text: string): FirmwareVersion => parseFirmwareVersion(text) as FirmwareVersion;

  it('applies min and max inclusively and before exclusively', () => {
    expect(checkFirmwareRange(p('5.3.0'), { min: '5.3.0' })).toBe('in');
    expect(checkFirmwareRange(p('5.2.99'), { min: '5.3.0' })).toBe('out');
    expect(checkFirmwareRange(p('5.3.8'), { max: '5.3.8' })).toBe('in');
    expect(checkFirmwareRange(p('5.3.9'), { max: '5.3.8' })).toBe('out');
    expect(checkFirmwareRange(p('5.2.9'), { before: '5.3.0' })).toBe('in');
    expect(checkFirmwareRange(p('5.3.0'), { before: '5.3.0' })).toBe('out');
  });

  it('matches an exact build row only on that build', () => {
    const row = { min: '5.3.8 build 150722', max: '5.3.8 build 150722' };
    expect(checkFirmwareRange(p('V5.3.8 build 150722'), row)).toBe('in');
    expect(checkFirmwareRange(p('V5.3.8 build 150707'), row)).toBe('out');
    expect(checkFirmwareRange(p('V5.3.9 build 150722'), row)).toBe('out');
  });

  it('says when only the missing build let a version through', () => {
    expect(checkFirmwareRange(p('5.3.8'), { min: '5.3.8 build 150722', max: '5.3.8 build 150722' })).toBe('in-without-build');
    // The build of a bound with another version number decides nothing.
    expect(checkFirmwareRange(p('5.4.0'), { min: '5.3.0 build 150513' })).toBe('in');
  });
});
