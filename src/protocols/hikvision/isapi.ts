/**
 * Hikvision ISAPI bodies read around the one knock: `/SDK/activateStatus` (anonymous), the 401 body of
 * `/ISAPI/Security/userCheck` (lock state and remaining attempts), `/ISAPI/System/deviceInfo` (after a
 * success) and the generic `ResponseStatus`. Elements are matched by local name, so both namespaces seen in
 * the wild (`http://www.hikvision.com/ver20/XMLSchema` and `http://www.isapi.org/ver20/XMLSchema`) and none at
 * all decode the same. Results are wire types: every field optional, absent when not sent.
 */
import { normaliseMac } from '../../model/device.js';
import { XmlDecodeError, decodeXmlText, parseXml } from '../xml/parse-xml.js';
import type { XmlElement } from '../xml/parse-xml.js';
import { CodecError } from '../codec-error.js';

export type HikvisionErrorCode = 'hikvision-too-large' | 'hikvision-html' | 'hikvision-malformed' | 'hikvision-unexpected-root';

export class HikvisionDecodeError extends CodecError<HikvisionErrorCode> {}

/** ISAPI answers of interest are under 2 KB; a deviceInfo with every optional field stays far below this. */
export const MAX_ISAPI_BYTES = 64 * 1024;
const MAX_FIELD_CHARS = 256;

export interface UserCheck {
  /** 200 on success, 401 on refusal. */
  statusValue?: number;
  statusString?: string;
  /**
   * Lowercased as sent: `lock` / `unlock` on devices, `locked` in some documentation (docs/FIELD-NOTES.md §2) —
   * compare with isLockedStatus().
   */
  lockStatus?: string;
  /** Seconds until the lock lifts (`<unlockTime>`). */
  unlockTimeSeconds?: number;
  /** Attempts left before the lock (`<retryLoginTime>`). */
  retryLoginTime?: number;
  isActivated?: boolean;
  isDefaultPassword?: boolean;
  isRiskPassword?: boolean;
}

export interface ActivateStatus {
  activated?: boolean;
}

export interface IsapiDeviceInfo {
  deviceName?: string;
  deviceId?: string;
  model?: string;
  serialNumber?: string;
  /** Lowercase colon form, via normaliseMac. */
  macAddress?: string;
  firmwareVersion?: string;
  /** As sent, e.g. "build 231028". */
  firmwareReleasedDate?: string;
  deviceType?: string;
  deviceDescription?: string;
  hardwareVersion?: string;
  encoderVersion?: string;
  manufacturer?: string;
}

export interface ResponseStatus {
  requestURL?: string;
  /** ISAPI status code: 1 OK, 2 device busy, 3 device error, 4 invalid operation, 5 invalid XML, 6 invalid content, 7 reboot required. */
  statusCode?: number;
  statusString?: string;
  subStatusCode?: string;
  errorCode?: number;
  errorMsg?: string;
}

/** True for the values a locked device sends (`lock`, and `locked` as the documentation spells it). */
export function isLockedStatus(lockStatus: string | undefined): boolean {
  return lockStatus === 'lock' || lockStatus === 'locked';
}

/** The 401 (or 200) body of `/ISAPI/Security/userCheck`. */
export function parseUserCheck(xml: string | Uint8Array): UserCheck {
  const fields = leafFields(parseIsapi(xml, ['userCheck', 'UserCheck']));
  const out: UserCheck = {};
  assignInteger(out, 'statusValue', fields, 'statusValue');
  assignText(out, 'statusString', fields, 'statusString');
  const lockStatus = fields.get('lockstatus');
  if (lockStatus) out.lockStatus = lockStatus.toLowerCase();
  assignInteger(out, 'unlockTimeSeconds', fields, 'unlockTime');
  assignInteger(out, 'retryLoginTime', fields, 'retryLoginTime');
  assignBoolean(out, 'isActivated', fields, 'isActivated');
  assignBoolean(out, 'isDefaultPassword', fields, 'isDefaultPassword');
  assignBoolean(out, 'isRiskPassword', fields, 'isRiskPassword');
  return out;
}

/**
 * `GET /SDK/activateStatus`, anonymous (Hikvision ISAPI developer guide: "requires no authentication"). The
 * element is `<Activated>` in every client seen; the root name varies, so any root is accepted and the
 * element is searched case-insensitively.
 */
export function parseActivateStatus(xml: string | Uint8Array): ActivateStatus {
  const root = parseIsapi(xml, null);
  const element = findByLowerName(root, 'activated', 0);
  const value = element ? toBoolean(decodeXmlText(element.text)) : undefined;
  return value === undefined ? {} : { activated: value };
}

/** `GET /ISAPI/System/deviceInfo`. */
export function parseIsapiDeviceInfo(xml: string | Uint8Array): IsapiDeviceInfo {
  const fields = leafFields(parseIsapi(xml, ['DeviceInfo']));
  const out: IsapiDeviceInfo = {};
  assignText(out, 'deviceName', fields, 'deviceName');
  assignText(out, 'deviceId', fields, 'deviceID');
  assignText(out, 'model', fields, 'model');
  assignText(out, 'serialNumber', fields, 'serialNumber');
  const mac = normaliseMac(fields.get('macaddress'));
  if (mac) out.macAddress = mac;
  assignText(out, 'firmwareVersion', fields, 'firmwareVersion');
  assignText(out, 'firmwareReleasedDate', fields, 'firmwareReleasedDate');
  assignText(out, 'deviceType', fields, 'deviceType');
  assignText(out, 'deviceDescription', fields, 'deviceDescription');
  assignText(out, 'hardwareVersion', fields, 'hardwareVersion');
  assignText(out, 'encoderVersion', fields, 'encoderVersion');
  assignText(out, 'manufacturer', fields, 'manufacturer');
  return out;
}

/** ISAPI's generic `<ResponseStatus>`. */
export function parseResponseStatus(xml: string | Uint8Array): ResponseStatus {
  const fields = leafFields(parseIsapi(xml, ['ResponseStatus']));
  const out: ResponseStatus = {};
  assignText(out, 'requestURL', fields, 'requestURL');
  assignInteger(out, 'statusCode', fields, 'statusCode');
  assignText(out, 'statusString', fields, 'statusString');
  assignText(out, 'subStatusCode', fields, 'subStatusCode');
  assignInteger(out, 'errorCode', fields, 'errorCode');
  assignText(out, 'errorMsg', fields, 'errorMsg');
  return out;
}

/**
 * Parse, refusing HTML by name: older firmware (the GoAhead-derived "Webs" server) answers 401 with an HTML
 * error page, not XML (pyHik issue 15).
 */
export function parseIsapi(xml: string | Uint8Array, roots: readonly string[] | null): XmlElement {
  const size = typeof xml === 'string' ? Buffer.byteLength(xml) : xml.byteLength;
  if (size > MAX_ISAPI_BYTES) throw new HikvisionDecodeError('hikvision-too-large', `ISAPI body of ${size} bytes exceeds ${MAX_ISAPI_BYTES}`);
  const text = typeof xml === 'string' ? xml : Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength).toString('utf8');
  if (/^\s*(?:\uFEFF)?\s*<(?:!DOCTYPE\s+html|html)\b/i.test(text)) {
    throw new HikvisionDecodeError('hikvision-html', 'the device answered with an HTML page, not ISAPI XML');
  }
  let root: XmlElement;
  try {
    root = parseXml(text, MAX_ISAPI_BYTES);
  } catch (error) {
    const detail = error instanceof XmlDecodeError ? `${error.code}: ${error.message}` : String(error);
    throw new HikvisionDecodeError('hikvision-malformed', `unreadable ISAPI body (${detail})`, { cause: error });
  }
  if (roots && !roots.includes(root.name)) {
    throw new HikvisionDecodeError('hikvision-unexpected-root', `expected <${roots[0] ?? ''}>, got <${root.name}>`);
  }
  return root;
}

/** Leaf children of the root, keyed by lowercased local name, first occurrence wins, trimmed and bounded. */
function leafFields(root: XmlElement): Map<string, string> {
  const fields = new Map<string, string>();
  for (const child of root.children) {
    if (child.children.length > 0) continue;
    const key = child.name.toLowerCase();
    if (fields.has(key)) continue;
    fields.set(key, decodeXmlText(child.text).trim().slice(0, MAX_FIELD_CHARS));
  }
  return fields;
}

function findByLowerName(element: XmlElement, name: string, depth: number): XmlElement | undefined {
  if (element.name.toLowerCase() === name) return element;
  if (depth >= 4) return undefined;
  for (const child of element.children) {
    const hit = findByLowerName(child, name, depth + 1);
    if (hit) return hit;
  }
  return undefined;
}

function assignText<T>(out: T, key: keyof T, fields: Map<string, string>, name: string): void {
  const value = fields.get(name.toLowerCase());
  if (value) (out as Record<keyof T, unknown>)[key] = value;
}

function assignInteger<T>(out: T, key: keyof T, fields: Map<string, string>, name: string): void {
  const value = fields.get(name.toLowerCase());
  if (value && /^-?\d{1,10}$/.test(value)) (out as Record<keyof T, unknown>)[key] = Number(value);
}

function assignBoolean<T>(out: T, key: keyof T, fields: Map<string, string>, name: string): void {
  const value = toBoolean(fields.get(name.toLowerCase()));
  if (value !== undefined) (out as Record<keyof T, unknown>)[key] = value;
}

/** Hikvision booleans are `true`/`false`, sometimes capitalised, and on SADP even misspelt `flase`. */
function toBoolean(value: string | undefined): boolean | undefined {
  const normalised = value?.trim().toLowerCase();
  if (normalised === 'true' || normalised === '1') return true;
  if (normalised === 'false' || normalised === 'flase' || normalised === '0') return false;
  return undefined;
}
