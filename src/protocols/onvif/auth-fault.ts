/**
 * What a refused ONVIF call says about the login. ONVIF Core's error table gives ter:NotAuthorized ("The action requested requires
 * authorization and the sender is not authorized", verbatim in the Trendnet capture) for a failed authentication; WS-Security 1.1 §12 faults (wsse:FailedAuthentication, InvalidSecurity, InvalidSecurityToken,
 * MessageExpired — the last one a Created timestamp outside the device's window) are the same outcome.
 * Hikvision puts its lock in the fault text: "The device is locked because of entering wrong username/password
 * many times. Please try it after 30 minutes!"; others add "You still have N attempt(s)" (docs/FIELD-NOTES.md §2, §5).
 */
import type { SoapFault } from './soap.js';

export interface OnvifAuthFault {
  kind: 'not-authorized' | 'locked' | 'other';
  /** Attempts the device says remain before it locks; 0 when it says it is locked; null when it does not say. */
  remainingAttempts: number | null;
}

const AUTH_CODES = new Set(['notauthorized', 'failedauthentication', 'invalidsecurity', 'invalidsecuritytoken', 'messageexpired']);

const LOCKED_TEXT = /\b(?:is|been|are|was)\s+(?:now\s+|temporarily\s+)?locked\b|\blocked\s+(?:because|due|for|after)\b|\b(?:account|user|device|ip)\s+(?:is\s+)?locked\b|\blocked\s+out\b/i;
const REMAINING_TEXT = [
  /\b(?:still\s+have|have|remaining:?)\s+(\d{1,3})\s+(?:more\s+)?(?:login\s+)?(?:attempt|chance|tr(?:y|ie))(?:s|\(s\))?/i,
  /\b(\d{1,3})\s+(?:more\s+)?(?:login\s+)?(?:attempt|chance|tr(?:y|ie))(?:s|\(s\))?\s+(?:left|remaining)\b/i,
];

export function parseOnvifAuthFault(fault: SoapFault): OnvifAuthFault {
  const text = [fault.reason, fault.detail].filter((t): t is string => typeof t === 'string').join(' ');
  if (LOCKED_TEXT.test(text)) return { kind: 'locked', remainingAttempts: 0 };
  let remainingAttempts: number | null = null;
  for (const pattern of REMAINING_TEXT) {
    const match = pattern.exec(text);
    if (match?.[1] !== undefined) {
      remainingAttempts = Number(match[1]);
      break;
    }
  }
  const codes = [fault.code, ...fault.subcodes].filter((c): c is string => typeof c === 'string').map((c) => c.toLowerCase());
  const authCode = codes.some((c) => AUTH_CODES.has(c));
  if (authCode || remainingAttempts !== null || /\bnot\s+authori[sz]ed\b/i.test(text)) return { kind: 'not-authorized', remainingAttempts };
  return { kind: 'other', remainingAttempts: null };
}
