import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../support/captures.js';
import { HikvisionDecodeError } from '../../../../src/protocols/hikvision/isapi.js';
import { buildIllegalLoginLock, parseIllegalLoginLock, parseSecurityCapabilities } from '../../../../src/protocols/hikvision/illegal-login-lock.js';

describe('Hikvision Illegal Login Lock codec', () => {
  it('reads the captured GET /ISAPI/Security/illegalLoginLock (isapi.org namespace): on, 5 tries, 1800 s', () => {
    expect(parseIllegalLoginLock(readCapture('hikvision/hikvision-ISAPI-Security-illegalLoginLock-200-isapi-notes.xml'))).toEqual({ enabled: true, maxIllegalLoginTimes: 5, maxIllegalLoginLockTime: 1800 });
  });

  it('reads issupIllegalLoginLock from the captured /ISAPI/Security/capabilities', () => {
    expect(parseSecurityCapabilities(readCapture('hikvision/hikvision-ISAPI-Security-capabilities-200-isapi-notes.xml'))).toEqual({ issupIllegalLoginLock: true, isSupportUserCheck: true });
  });

  it('finds SecurityCap nested in DeviceCap (/ISAPI/System/capabilities, hikvision_next issue 100) and a false flag', () => {
    const xml = '<DeviceCap xmlns="http://www.hikvision.com/ver20/XMLSchema"><SecurityCap><issupIllegalLoginLock>false</issupIllegalLoginLock></SecurityCap></DeviceCap>';
    expect(parseSecurityCapabilities(xml)).toEqual({ issupIllegalLoginLock: false });
  });

  it('builds the minimal disabling PUT (qb60/hikvision-configure) and a threshold PUT, and parses them back', () => {
    const off = buildIllegalLoginLock({ enabled: false });
    expect(off).toContain('<enabled>false</enabled>');
    expect(off).not.toContain('maxIllegalLoginTimes');
    expect(parseIllegalLoginLock(off)).toEqual({ enabled: false });
    const on = buildIllegalLoginLock({ enabled: true, maxAttempts: 7, lockSeconds: 600 });
    expect(parseIllegalLoginLock(on)).toEqual({ enabled: true, maxIllegalLoginTimes: 7, maxIllegalLoginLockTime: 600 });
  });

  it('names its failures: HTML, another root, oversize; ignores non-numbers', () => {
    expect(() => parseIllegalLoginLock('<html><body>401</body></html>')).toThrow(HikvisionDecodeError);
    expect(() => parseIllegalLoginLock('<ResponseStatus><statusCode>4</statusCode></ResponseStatus>')).toThrow(/expected <IllegalLoginLock>/);
    expect(() => parseIllegalLoginLock(`<IllegalLoginLock>${' '.repeat(70_000)}</IllegalLoginLock>`)).toThrow(/exceeds/);
    expect(parseIllegalLoginLock('<IllegalLoginLock><enabled>maybe</enabled><maxIllegalLoginTimes>-3</maxIllegalLoginTimes></IllegalLoginLock>')).toEqual({});
  });
});
