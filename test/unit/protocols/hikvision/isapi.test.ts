import { describe, it, expect } from 'vitest';
import { listCaptures, readCapture, readCaptureText } from '../../../support/captures.js';
import {
  HikvisionDecodeError,
  MAX_ISAPI_BYTES,
  isLockedStatus,
  parseActivateStatus,
  parseIsapiDeviceInfo,
  parseResponseStatus,
  parseUserCheck,
} from '../../../../src/protocols/hikvision/isapi.js';
import { parseHttpResponseHead } from '../../../../src/protocols/http-message/http-message.js';

function decodeErrorOf(run: () => unknown): HikvisionDecodeError {
  try {
    run();
  } catch (error) {
    if (error instanceof HikvisionDecodeError) return error;
    throw error;
  }
  throw new Error('expected a HikvisionDecodeError');
}

describe('parseIsapiDeviceInfo on captures', () => {
  it('reads the DS-2CD2386G2-IU (hikvision.com namespace, indented)', () => {
    expect(parseIsapiDeviceInfo(readCapture('hikvision/hikvision-DS-2CD2386G2-IU-V5.7.14-ISAPI-deviceInfo-hikvision_next.xml'))).toEqual({
      deviceName: 'yard',
      deviceId: '6aff4000-1f90-00b0-0000-000c00000000',
      deviceDescription: 'IPCamera',
      model: 'DS-2CD2386G2-IU',
      serialNumber: 'DS-2CD2386G2-IU00000000AAWRJ00000000',
      macAddress: '14:92:3c:4f:f8:42',
      firmwareVersion: 'V5.7.14',
      firmwareReleasedDate: 'build 231028',
      encoderVersion: 'V7.3',
      hardwareVersion: '0x0',
      deviceType: 'IPCamera',
      manufacturer: 'hikvision',
    });
  });

  it('reads the DS-2CD2T43G2-4I (xmlns before version)', () => {
    expect(parseIsapiDeviceInfo(readCaptureText('hikvision/hikvision-DS-2CD2T43G2-4I-V5.7.18-ISAPI-deviceInfo.xml'))).toEqual({
      deviceName: 'DS-2CD2T43G2-4I',
      deviceId: '2ca59c0b-c97e-11b2-8140-2ca59c0bc97e',
      deviceDescription: 'IPCamera',
      model: 'DS-2CD2T43G2-4I',
      serialNumber: 'DS-2CD2T43G2-4I20210105AAWRF30001259',
      macAddress: '2c:a5:9c:0b:c9:7e',
      firmwareVersion: 'V5.7.18',
      firmwareReleasedDate: 'build 240826',
      encoderVersion: 'V7.3',
      deviceType: 'IPCamera',
    });
  });

  it('reads the DS-7608NXI-I2 NVR (isapi.org namespace)', () => {
    expect(parseIsapiDeviceInfo(readCapture('hikvision/hikvision-NVR-DS-7608NXI-I2-V4.62.210-ISAPI-deviceInfo-isapi.org-ns-hikvision_next.xml'))).toEqual({
      deviceName: 'nvr',
      deviceId: '484a3831-3130-0000-0000-000c0000f00e',
      model: 'DS-7608NXI-I2/8P/S',
      serialNumber: 'DS-7608NXI-I0/0P/S0000000000CCRRJ00000000WCVU',
      macAddress: 'cc:ed:d6:41:a8:39',
      firmwareVersion: 'V4.62.210',
      firmwareReleasedDate: 'build 230612',
      encoderVersion: 'V5.0',
      hardwareVersion: '0100000092010000',
      deviceType: 'NVR',
    });
  });

  it('covers every deviceInfo capture', () => {
    const files = listCaptures('hikvision').filter((f) => f.includes('deviceInfo'));
    expect(files).toHaveLength(3);
    for (const file of files) {
      const info = parseIsapiDeviceInfo(readCapture(`hikvision/${file}`));
      expect(file).toContain(info.model!.split('/')[0]!);
      expect(info.macAddress).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
      expect(info.firmwareVersion).toMatch(/^V\d+\.\d+\.\d+$/);
    }
  });
});

describe('parseIsapiDeviceInfo edge cases', () => {
  it('drops an unusable MAC and empty fields, and matches names without a namespace', () => {
    expect(parseIsapiDeviceInfo('<DeviceInfo><model>DS-X</model><macAddress>00:00:00:00:00:00</macAddress><serialNumber> </serialNumber></DeviceInfo>')).toEqual({ model: 'DS-X' });
    expect(parseIsapiDeviceInfo('<DeviceInfo><macAddress>14-92-3C-4F-F8-42</macAddress></DeviceInfo>').macAddress).toBe('14:92:3c:4f:f8:42');
  });

  it('bounds field lengths', () => {
    expect(parseIsapiDeviceInfo(`<DeviceInfo><model>${'M'.repeat(5000)}</model></DeviceInfo>`).model).toHaveLength(256);
  });

  it('refuses another document', () => {
    expect(decodeErrorOf(() => parseIsapiDeviceInfo(readCapture('hikvision/hikvision-NVR-userCheck-401-HikLoad-issue3.xml'))).code).toBe('hikvision-unexpected-root');
  });
});

describe('parseUserCheck', () => {
  it('reads the NVR userCheck 401 capture (HikLoad issue 3)', () => {
    expect(parseUserCheck(readCapture('hikvision/hikvision-NVR-userCheck-401-HikLoad-issue3.xml'))).toEqual({ statusValue: 401, statusString: 'Unauthorized' });
  });

  it('reads the body of the full Hikvision NVR 401 capture', () => {
    const bytes = readCapture('http-auth/hikvision-NVR-ERI-K104-P4-ISAPI-System-status-401-full-hikvision_next-issue50.txt');
    const head = parseHttpResponseHead(bytes);
    expect(parseUserCheck(bytes.subarray(head.bodyOffset!))).toEqual({ statusValue: 401, statusString: 'Unauthorized' });
  });

  it('reads a locked device in both spellings (docs/FIELD-NOTES.md §2)', () => {
    const locked = parseUserCheck(
      '<?xml version="1.0" encoding="UTF-8"?>\n<userCheck version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">\n' +
        '<statusValue>401</statusValue>\n<statusString>Unauthorized</statusString>\n<isDefaultPassword>false</isDefaultPassword>\n' +
        '<isRiskPassword>false</isRiskPassword>\n<isActivated>true</isActivated>\n' +
        '<lockStatus>lock</lockStatus>\n<unlockTime>1786</unlockTime>\n<retryLoginTime>0</retryLoginTime>\n</userCheck>\n',
    );
    expect(locked).toEqual({
      statusValue: 401, statusString: 'Unauthorized', lockStatus: 'lock', unlockTimeSeconds: 1786, retryLoginTime: 0,
      isActivated: true, isDefaultPassword: false, isRiskPassword: false,
    });
    expect(isLockedStatus(locked.lockStatus)).toBe(true);
    const documented = parseUserCheck('<userCheck><lockStatus>Locked</lockStatus><unlockTime>600</unlockTime></userCheck>');
    expect(documented.lockStatus).toBe('locked');
    expect(isLockedStatus(documented.lockStatus)).toBe(true);
  });

  it('reads remaining attempts on an unlocked device', () => {
    const check = parseUserCheck('<userCheck><statusValue>401</statusValue><lockStatus>unlock</lockStatus><unlockTime>0</unlockTime><retryLoginTime>4</retryLoginTime></userCheck>');
    expect(check.retryLoginTime).toBe(4);
    expect(isLockedStatus(check.lockStatus)).toBe(false);
    expect(isLockedStatus(undefined)).toBe(false);
  });

  it('ignores non-numeric counters rather than guessing', () => {
    expect(parseUserCheck('<userCheck><retryLoginTime>many</retryLoginTime><unlockTime>1.5</unlockTime></userCheck>')).toEqual({});
  });
});

describe('parseResponseStatus', () => {
  it('reads the ResponseStatus capture (isapi.org namespace)', () => {
    expect(parseResponseStatus(readCapture('hikvision/hikvision-ISAPI-ResponseStatus-deviceError-isapi.org-ns-hikvision_next.xml'))).toEqual({
      statusCode: 3,
      statusString: 'Device Error',
      subStatusCode: 'deviceError',
    });
  });

  it('reads requestURL and error codes when present', () => {
    expect(parseResponseStatus('<ResponseStatus><requestURL>/ISAPI/Security/userCheck</requestURL><statusCode>4</statusCode><subStatusCode>notSupport</subStatusCode><errorCode>1073741825</errorCode><errorMsg>notSupport</errorMsg></ResponseStatus>')).toEqual({
      requestURL: '/ISAPI/Security/userCheck', statusCode: 4, subStatusCode: 'notSupport', errorCode: 1073741825, errorMsg: 'notSupport',
    });
  });

  it('names the HTML 401 page of older firmware (pyHik issue 15) instead of failing as XML', () => {
    const html = readCapture('http-auth/hikvision-ISAPI-deviceInfo-401-body-pyHik-issue15.html');
    expect(decodeErrorOf(() => parseResponseStatus(html)).code).toBe('hikvision-html');
    expect(decodeErrorOf(() => parseUserCheck(html)).code).toBe('hikvision-html');
    expect(decodeErrorOf(() => parseIsapiDeviceInfo(html)).code).toBe('hikvision-html');
  });
});

describe('parseActivateStatus', () => {
  // No capture of /SDK/activateStatus exists in fixtures/; clients read `<Activated>` out of it (Hikvision ISAPI
  // developer guide; scripts that grep the element), so these are hand-written in that shape.
  it('reads <Activated> whatever the root and namespace', () => {
    expect(parseActivateStatus('<?xml version="1.0" encoding="UTF-8"?>\n<ActivateStatus>\n<Activated>true</Activated>\n</ActivateStatus>\n')).toEqual({ activated: true });
    expect(parseActivateStatus('<ActivateStatus version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema"><Activated>false</Activated></ActivateStatus>')).toEqual({ activated: false });
    expect(parseActivateStatus('<activateStatus><activated>FALSE</activated></activateStatus>')).toEqual({ activated: false });
    expect(parseActivateStatus('<Activated>true</Activated>')).toEqual({ activated: true });
    expect(parseActivateStatus('<Root><Wrapper><Activated>flase</Activated></Wrapper></Root>')).toEqual({ activated: false });
  });

  it('says nothing when the element is absent or not a boolean', () => {
    expect(parseActivateStatus('<ActivateStatus/>')).toEqual({});
    expect(parseActivateStatus('<ActivateStatus><Activated>maybe</Activated></ActivateStatus>')).toEqual({});
  });
});

describe('hostile bodies', () => {
  it('names every failure', () => {
    expect(decodeErrorOf(() => parseUserCheck('<userCheck><statusValue>401</userCheck>')).code).toBe('hikvision-malformed');
    expect(decodeErrorOf(() => parseUserCheck('')).code).toBe('hikvision-malformed');
    expect(decodeErrorOf(() => parseActivateStatus('true')).code).toBe('hikvision-malformed');
    expect(decodeErrorOf(() => parseUserCheck('<!DOCTYPE x [<!ENTITY a "b">]><userCheck>&a;</userCheck>')).code).toBe('hikvision-malformed');
    expect(decodeErrorOf(() => parseUserCheck(`<userCheck>${' '.repeat(MAX_ISAPI_BYTES)}</userCheck>`)).code).toBe('hikvision-too-large');
    expect(decodeErrorOf(() => parseUserCheck('<html><body>401</body></html>')).code).toBe('hikvision-html');
  });
});
