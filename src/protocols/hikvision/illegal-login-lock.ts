/**
 * Hikvision's lock setting ("Illegal Login Lock"), read and written with the one accepted credential set:
 *
 * - `GET/PUT /ISAPI/Security/illegalLoginLock` — `<IllegalLoginLock><enabled/><maxIllegalLoginTimes/>
 *   <maxIllegalLoginLockTime/></IllegalLoginLock>`; the lock time is in seconds (a real camera answered 5 / 1800,
 *   matching the "30 min" reports; fixtures/captures/hikvision/…illegalLoginLock-200…). The minimal PUT that turns
 *   it off, `<IllegalLoginLock><enabled>false</enabled></IllegalLoginLock>`, is what qb60/hikvision-configure
 *   (hik_cam_config.py, `ip_ban_option_url`) sends.
 * - `GET /ISAPI/Security/capabilities` — `<SecurityCap>` with `<issupIllegalLoginLock>` (whether the device has the
 *   switch at all). The same element appears under `DeviceCap/SecurityCap` of /ISAPI/System/capabilities
 *   (maciej-or/hikvision_next issue 100), so it is searched at any depth.
 *
 * UNCONFIRMED: the valid ranges. Manuals of newer lines give 3–10 attempts and 10–3600 s (manua.ls DS-PEA22-F p.76);
 * a note says the ranges are in /ISAPI/Security/capabilities?username=… — not seen in any capture, so not parsed.
 */
import { decodeXmlText, escapeXml, findElement, type XmlElement } from '../xml/parse-xml.js';
import { parseIsapi } from './isapi.js';

export const ILLEGAL_LOGIN_LOCK_PATH = '/ISAPI/Security/illegalLoginLock';
export const SECURITY_CAPABILITIES_PATH = '/ISAPI/Security/capabilities';

/** Wire type: every field optional, absent when not sent. */
export interface IllegalLoginLock {
  enabled?: boolean;
  maxIllegalLoginTimes?: number;
  /** Seconds. */
  maxIllegalLoginLockTime?: number;
}

export interface SecurityCapabilities {
  issupIllegalLoginLock?: boolean;
  isSupportUserCheck?: boolean;
}

function leaf(root: XmlElement, name: string): string | undefined {
  const element = findElement(root, name);
  if (!element || element.children.length > 0) return undefined;
  const value = decodeXmlText(element.text).trim();
  return value === '' ? undefined : value.slice(0, 64);
}

function toBoolean(value: string | undefined): boolean | undefined {
  const v = value?.toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return undefined;
}

function toCount(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

/** The body of `GET /ISAPI/Security/illegalLoginLock`. */
export function parseIllegalLoginLock(xml: string | Uint8Array): IllegalLoginLock {
  const root = parseIsapi(xml, ['IllegalLoginLock']);
  const out: IllegalLoginLock = {};
  const enabled = toBoolean(leaf(root, 'enabled'));
  if (enabled !== undefined) out.enabled = enabled;
  const times = toCount(leaf(root, 'maxIllegalLoginTimes'));
  if (times !== undefined) out.maxIllegalLoginTimes = times;
  const seconds = toCount(leaf(root, 'maxIllegalLoginLockTime'));
  if (seconds !== undefined) out.maxIllegalLoginLockTime = seconds;
  return out;
}

/** The body of `GET /ISAPI/Security/capabilities` (or /ISAPI/System/capabilities, whose DeviceCap nests SecurityCap). */
export function parseSecurityCapabilities(xml: string | Uint8Array): SecurityCapabilities {
  const root = parseIsapi(xml, ['SecurityCap', 'DeviceCap']);
  const out: SecurityCapabilities = {};
  const lock = toBoolean(leaf(root, 'issupIllegalLoginLock'));
  if (lock !== undefined) out.issupIllegalLoginLock = lock;
  const check = toBoolean(leaf(root, 'isSupportUserCheck'));
  if (check !== undefined) out.isSupportUserCheck = check;
  return out;
}

/**
 * The PUT body. Turning the lock off sends only `<enabled>false</enabled>` (as qb60/hikvision-configure does), so
 * the device keeps its thresholds for when someone turns it back on; new thresholds send all three elements.
 */
export function buildIllegalLoginLock(setting: { enabled: boolean; maxAttempts?: number; lockSeconds?: number }): string {
  const parts = [`<enabled>${setting.enabled ? 'true' : 'false'}</enabled>`];
  if (setting.maxAttempts !== undefined) parts.push(`<maxIllegalLoginTimes>${escapeXml(String(Math.trunc(setting.maxAttempts)))}</maxIllegalLoginTimes>`);
  if (setting.lockSeconds !== undefined) parts.push(`<maxIllegalLoginLockTime>${escapeXml(String(Math.trunc(setting.lockSeconds)))}</maxIllegalLoginLockTime>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<IllegalLoginLock version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema">${parts.join('')}</IllegalLoginLock>\n`;
}
