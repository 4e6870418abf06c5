import { describe, it, expect } from 'vitest';
import { readCapture, readCaptureText } from '../../../support/captures.js';
import { parseOnvifAuthFault, parseSoapFault } from '../../../../src/protocols/onvif/index.js';
import type { SoapFault } from '../../../../src/protocols/onvif/index.js';

function faultOf(path: string): SoapFault {
  const fault = parseSoapFault(readCapture(path));
  if (!fault) throw new Error(`no fault in ${path}`);
  return fault;
}

describe('parseOnvifAuthFault on captured faults', () => {
  it('Trendnet ter:NotAuthorized → not-authorized, attempts unknown', () => {
    expect(parseOnvifAuthFault(faultOf('onvif-device/trendnet-TV-IP320PI-hikOEM-GetDeviceInformation-fault-NotAuthorized-onvif-nvt.xml'))).toEqual({ kind: 'not-authorized', remainingAttempts: null });
  });

  it('Vivotek (completed excerpt): WS-Security header refused → not-authorized', () => {
    const text = `${readCaptureText('onvif-device/vivotek-GetSystemDateAndTime-fault-NotAuthorized-agsh-issue301-truncated.txt')}</env:Reason></env:Fault></env:Body></env:Envelope>`;
    expect(parseOnvifAuthFault(parseSoapFault(text)!)).toEqual({ kind: 'not-authorized', remainingAttempts: null });
  });

  it('faults that are not about credentials → other', () => {
    for (const path of [
      'onvif-device/axis-2024-fault-Sender-ter-WellFormed-hammeraj.xml',
      'onvif-device/axis-Q6045-E-fw5.55-GetServices-fault-Receiver-ter-Action-onvif-nvt.xml',
      'onvif-device/hikvision-DS-2DF7276-AEL-GetServices-fault-InvalidArgVal-onvif-nvt.xml',
      'ws-discovery/generic-gsoap-NVT-reply-to-SOAP11-probe-VersionMismatch-fault-zoneminder-issue1346.xml',
    ]) {
      expect(parseOnvifAuthFault(faultOf(path)), path).toEqual({ kind: 'other', remainingAttempts: null });
    }
  });
});

describe('parseOnvifAuthFault on vendor texts (docs/FIELD-NOTES.md §2, §5)', () => {
  const notAuthorized = { code: 'Sender', subcodes: ['NotAuthorized'] };

  it('Hikvision lock text → locked, no attempts left', () => {
    const fault = { ...notAuthorized, reason: 'The device is locked because of entering wrong username/password many times. Please try it after 30 minutes!' };
    expect(parseOnvifAuthFault(fault)).toEqual({ kind: 'locked', remainingAttempts: 0 });
  });

  it('the lock sentence is recognised in Detail too, whatever the codes', () => {
    expect(parseOnvifAuthFault({ subcodes: [], detail: 'User is locked for 1800 seconds' })).toEqual({ kind: 'locked', remainingAttempts: 0 });
  });

  it('"You still have N attempt(s)" → remaining attempts', () => {
    expect(parseOnvifAuthFault({ ...notAuthorized, reason: 'Sender not Authorized. You still have 3 attempt(s)' })).toEqual({ kind: 'not-authorized', remainingAttempts: 3 });
    expect(parseOnvifAuthFault({ ...notAuthorized, reason: 'You still have 1 attempt' })).toEqual({ kind: 'not-authorized', remainingAttempts: 1 });
    expect(parseOnvifAuthFault({ ...notAuthorized, reason: 'Wrong password, 2 attempts left' })).toEqual({ kind: 'not-authorized', remainingAttempts: 2 });
    expect(parseOnvifAuthFault({ ...notAuthorized, reason: 'You still have 0 attempt(s)' })).toEqual({ kind: 'not-authorized', remainingAttempts: 0 });
  });

  it('a remaining-attempts sentence alone marks a credential refusal', () => {
    expect(parseOnvifAuthFault({ subcodes: [], reason: 'You still have 4 attempt(s)' })).toEqual({ kind: 'not-authorized', remainingAttempts: 4 });
  });

  it('WS-Security fault codes count as a refused login', () => {
    for (const code of ['FailedAuthentication', 'InvalidSecurity', 'InvalidSecurityToken', 'MessageExpired']) {
      expect(parseOnvifAuthFault({ code, subcodes: [] }).kind, code).toBe('not-authorized');
      expect(parseOnvifAuthFault({ code: 'Sender', subcodes: [code] }).kind, code).toBe('not-authorized');
    }
  });

  it('words that only look similar do not', () => {
    expect(parseOnvifAuthFault({ code: 'Receiver', subcodes: ['Action'], reason: 'Unlock failed: 3 presets remain' })).toEqual({ kind: 'other', remainingAttempts: null });
    expect(parseOnvifAuthFault({ code: 'Sender', subcodes: ['InvalidArgVal'], reason: 'Clock lock status unknown' })).toEqual({ kind: 'other', remainingAttempts: null });
  });
});
