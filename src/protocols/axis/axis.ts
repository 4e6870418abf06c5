/**
 * Axis VAPIX, anonymous reads only (docs/FIELD-NOTES.md §4): the Basic Device Information API
 * (`POST /axis-cgi/basicdeviceinfo.cgi`, getAllUnrestrictedProperties is anonymous from AXIS OS 8.40) and the
 * older `param.cgi` text format (`root.Brand.ProdNbr=M1065-LW`).
 */
import { normaliseMac } from '../../model/device.js';
import { CodecError } from '../codec-error.js';

export type AxisErrorCode = 'axis-too-large' | 'axis-malformed';

export class AxisDecodeError extends CodecError<AxisErrorCode> {}

/** The anonymous request body: only the unrestricted properties, the call AXIS OS allows without a login. */
export function buildBasicDeviceInfoRequest(): string {
  return JSON.stringify({ apiVersion: '1.0', method: 'getAllUnrestrictedProperties' });
}

export interface AxisBasicDeviceInfo {
  apiVersion?: string;
  brand?: string;
  prodNbr?: string;
  prodFullName?: string;
  prodShortName?: string;
  prodType?: string;
  /** Firmware (AXIS OS) version, e.g. "9.80.1". */
  version?: string;
  serialNumber?: string;
  /** From the serial number: on Axis devices the serial number is the MAC address. */
  mac?: string;
  architecture?: string;
  soc?: string;
  hardwareId?: string;
  buildDate?: string;
  /** VAPIX error object, when the device answered with one instead of data (e.g. an unknown method). */
  error?: { code?: number; message?: string };
}

/** Basic Device Information answers are ~1 KB; bounded well above. */
export const MAX_AXIS_JSON_BYTES = 64 * 1024;
const MAX_FIELD_CHARS = 256;

const PROPERTIES: ReadonlyArray<[keyof AxisBasicDeviceInfo, string]> = [
  ['brand', 'Brand'],
  ['prodNbr', 'ProdNbr'],
  ['prodFullName', 'ProdFullName'],
  ['prodShortName', 'ProdShortName'],
  ['prodType', 'ProdType'],
  ['version', 'Version'],
  ['serialNumber', 'SerialNumber'],
  ['architecture', 'Architecture'],
  ['soc', 'Soc'],
  ['hardwareId', 'HardwareID'],
  ['buildDate', 'BuildDate'],
];

/**
 * Decode a getAllUnrestrictedProperties (or getAllProperties: same `data.propertyList` shape) answer. Only string
 * properties are read, each trimmed and bounded; anything else in the document is ignored. Throws
 * AxisDecodeError for text that is not a JSON object.
 */
export function parseBasicDeviceInfo(json: string | Uint8Array): AxisBasicDeviceInfo {
  const size = typeof json === 'string' ? Buffer.byteLength(json) : json.byteLength;
  if (size > MAX_AXIS_JSON_BYTES) throw new AxisDecodeError('axis-too-large', `JSON of ${size} bytes exceeds ${MAX_AXIS_JSON_BYTES}`);
  const text = typeof json === 'string' ? json : Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8');
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new AxisDecodeError('axis-malformed', `not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isObject(document)) throw new AxisDecodeError('axis-malformed', 'JSON is not an object');

  const out: AxisBasicDeviceInfo = {};
  const apiVersion = stringField(document, 'apiVersion');
  if (apiVersion) out.apiVersion = apiVersion;
  const error = ownValue(document, 'error');
  if (isObject(error)) {
    out.error = {};
    const code = ownValue(error, 'code');
    if (typeof code === 'number' && Number.isFinite(code)) out.error.code = code;
    const message = stringField(error, 'message');
    if (message) out.error.message = message;
  }
  const data = ownValue(document, 'data');
  const properties = isObject(data) ? ownValue(data, 'propertyList') : undefined;
  if (isObject(properties)) {
    for (const [key, name] of PROPERTIES) {
      const value = stringField(properties, name);
      if (value) (out as Record<string, unknown>)[key] = value;
    }
  }
  const mac = out.serialNumber ? normaliseMac(/^[0-9A-Fa-f]{12}$/.test(out.serialNumber) ? out.serialNumber : null) : null;
  if (mac) out.mac = mac;
  return out;
}

/** param.cgi answers (a list group) are a few KB; whole-tree listings reach ~100 KB. */
export const MAX_PARAM_CGI_BYTES = 256 * 1024;
const MAX_PARAMS = 4096;

/**
 * `GET /axis-cgi/param.cgi?action=list&group=…`: one `name=value` per line, CRLF or LF, the value running to
 * the end of the line (it may contain `=`). Keys are kept as sent (`root.Brand.ProdNbr`). Lines without `=`
 * and `#` lines (param.cgi reports errors as `# Error: …`) are skipped. The result has no prototype, so a key
 * named `__proto__` is just a key.
 */
export function parseParamCgi(text: string | Uint8Array): Record<string, string> {
  const size = typeof text === 'string' ? Buffer.byteLength(text) : text.byteLength;
  if (size > MAX_PARAM_CGI_BYTES) throw new AxisDecodeError('axis-too-large', `param.cgi answer of ${size} bytes exceeds ${MAX_PARAM_CGI_BYTES}`);
  const body = typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('utf8');
  const params = Object.create(null) as Record<string, string>;
  let count = 0;
  for (const rawLine of body.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const equals = line.indexOf('=');
    if (equals <= 0) continue;
    const key = line.slice(0, equals).trim();
    if (key === '' || Object.hasOwn(params, key)) continue;
    if (++count > MAX_PARAMS) break;
    params[key] = line.slice(equals + 1);
  }
  return params;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ownValue(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function stringField(object: Record<string, unknown>, key: string): string | undefined {
  const value = ownValue(object, key);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim().slice(0, MAX_FIELD_CHARS);
  return trimmed === '' ? undefined : trimmed;
}
