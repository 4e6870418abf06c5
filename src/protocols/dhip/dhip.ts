/**
 * Dahua DHIP discovery (UDP 37810, group 239.255.255.251; docs/FIELD-NOTES.md §3). A 32-byte binary header, then a JSON
 * body. Header layout, from the UniversalScanner self-test frame and the request bytes other scanners send:
 *
 *   0  LE32 0x20       header length (always 32)
 *   4  "DHIP"          magic
 *   8  LE32            session id (0 for discovery)
 *   12 LE32            request id (0 for discovery)
 *   16 LE32            body length
 *   20 LE32            0
 *   24 LE32            body length, repeated (the total of a multi-packet message; equal for discovery)
 *   28 LE32            0
 *
 * The reply to DHDiscover.search is `client.notifyDevInfo`. Its IPv4 block and `Init` state are reported
 * without any login, which is why this channel matters for S6 (do not knock an uninitialised Dahua).
 */
import { isIPv4 } from 'node:net';
import { normaliseMac } from '../../model/device.js';
import { CodecError } from '../codec-error.js';

export type DhipErrorCode =
  | 'dhip-too-short'
  | 'dhip-bad-magic'
  | 'dhip-too-large'
  | 'dhip-length-mismatch'
  | 'dhip-truncated'
  | 'dhip-trailing-data'
  | 'dhip-bad-json'
  | 'dhip-unsupported';

export class DhipDecodeError extends CodecError<DhipErrorCode> {}

export const DHIP_HEADER_BYTES = 32;
/** A notifyDevInfo body is under 1 KB; 64 KiB is a UDP datagram's ceiling anyway. */
export const MAX_DHIP_BODY_BYTES = 64 * 1024;
const MAGIC = 'DHIP';

export const DHIP_DISCOVER_BODY = '{"method":"DHDiscover.search","params":{"mac":"","uni":1}}\n';

export interface DhipHeader {
  headerLength: number;
  sessionId: number;
  requestId: number;
  bodyLength: number;
  totalLength: number;
}

export interface DhipFrame {
  header: DhipHeader;
  /** The body as UTF-8 text, trailing NUL padding removed (the request's "\n" is kept). */
  body: string;
}

export interface DhipDeviceInfo {
  kind: 'device-info';
  method: 'client.notifyDevInfo';
  /** DeviceType, e.g. "IPC-HDW5421S". */
  model?: string;
  /** SerialNo; absent when it has no letter or digit (redacted, e.g. "****"). */
  serial?: string;
  /** Lowercase colon form, from the top-level "mac". */
  mac?: string;
  /** Version, e.g. "2.400.0.8". */
  firmware?: string;
  httpPort?: number;
  httpsPort?: number;
  /** Port: Dahua's private SDK port (37777 by default). */
  sdkPort?: number;
  /** Vendor as the device states it ("Dahua", "Lorex", "General", "Private"…): OEMs rebrand. */
  vendor?: string;
  machineName?: string;
  /** DeviceClass, e.g. "IPC". */
  deviceClass?: string;
  /**
   * From `Init` (bits 0–1, as NetSDK's byInitStatus: 1 = not initialised, 2 = initialised, 0 = old firmware
   * without the feature) or a boolean `DeviceInit`. null when the field is present but not interpretable.
   */
  initialised?: boolean | null;
  ipv4?: string;
  ipv4Mask?: string;
  ipv4Gateway?: string;
  dhcp?: boolean;
  /** params.deviceInfo as parsed. */
  raw: Record<string, unknown>;
}

export interface DhipSearch {
  kind: 'search';
}

export type DhipMessage = DhipDeviceInfo | DhipSearch;

/** Frame a body. Throws RangeError when the body exceeds the limit (a caller bug, not network input). */
export function encodeDhipFrame(body: string | Uint8Array): Buffer {
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (payload.byteLength > MAX_DHIP_BODY_BYTES) throw new RangeError(`DHIP body of ${payload.byteLength} bytes exceeds ${MAX_DHIP_BODY_BYTES}`);
  const header = Buffer.alloc(DHIP_HEADER_BYTES);
  header.writeUInt32LE(DHIP_HEADER_BYTES, 0);
  header.write(MAGIC, 4, 'latin1');
  header.writeUInt32LE(payload.byteLength, 16);
  header.writeUInt32LE(payload.byteLength, 24);
  return Buffer.concat([header, payload]);
}

/** The DHDiscover.search datagram. It carries no credential (docs/SAFETY.md S1). */
export function buildDhipDiscover(): Buffer {
  return encodeDhipFrame(DHIP_DISCOVER_BODY);
}

/** Validate the header against the datagram and return the body text. Throws DhipDecodeError. */
export function decodeDhipFrame(bytes: Uint8Array): DhipFrame {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.byteLength < DHIP_HEADER_BYTES) {
    throw new DhipDecodeError('dhip-too-short', `DHIP datagram of ${data.byteLength} bytes is shorter than its ${DHIP_HEADER_BYTES}-byte header`);
  }
  const headerLength = data.readUInt32LE(0);
  if (headerLength !== DHIP_HEADER_BYTES || data.toString('latin1', 4, 8) !== MAGIC) {
    throw new DhipDecodeError('dhip-bad-magic', 'not a DHIP frame (expected 20 00 00 00 "DHIP")');
  }
  const header: DhipHeader = {
    headerLength,
    sessionId: data.readUInt32LE(8),
    requestId: data.readUInt32LE(12),
    bodyLength: data.readUInt32LE(16),
    totalLength: data.readUInt32LE(24),
  };
  if (header.bodyLength > MAX_DHIP_BODY_BYTES || header.totalLength > MAX_DHIP_BODY_BYTES) {
    throw new DhipDecodeError('dhip-too-large', `DHIP body length ${Math.max(header.bodyLength, header.totalLength)} exceeds ${MAX_DHIP_BODY_BYTES}`);
  }
  // Unequal lengths mean a message split over several packets; discovery never does that.
  if (header.bodyLength !== header.totalLength) {
    throw new DhipDecodeError('dhip-length-mismatch', `DHIP body lengths disagree (${header.bodyLength} at offset 16, ${header.totalLength} at offset 24)`);
  }
  const end = DHIP_HEADER_BYTES + header.bodyLength;
  if (end > data.byteLength) {
    throw new DhipDecodeError('dhip-truncated', `DHIP header announces ${header.bodyLength} body bytes, datagram holds ${data.byteLength - DHIP_HEADER_BYTES}`);
  }
  // C firmware pads datagrams with NULs; anything else after the body is a second, unframed payload.
  for (let i = end; i < data.byteLength; i++) {
    if (data[i] !== 0) throw new DhipDecodeError('dhip-trailing-data', `${data.byteLength - end} unexpected bytes after the DHIP body`);
  }
  let bodyEnd = end;
  while (bodyEnd > DHIP_HEADER_BYTES && data[bodyEnd - 1] === 0) bodyEnd--;
  return { header, body: data.toString('utf8', DHIP_HEADER_BYTES, bodyEnd) };
}

/** Decode a DHIP datagram into a discovery message. Throws DhipDecodeError for anything else. */
export function parseDhipMessage(bytes: Uint8Array): DhipMessage {
  const { body } = decodeDhipFrame(bytes);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new DhipDecodeError('dhip-bad-json', `DHIP body is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isRecord(json)) throw new DhipDecodeError('dhip-bad-json', 'DHIP body is not a JSON object');
  const method = json['method'];
  if (method === 'DHDiscover.search') return { kind: 'search' };
  if (method !== 'client.notifyDevInfo') {
    throw new DhipDecodeError('dhip-unsupported', `DHIP method ${JSON.stringify(typeof method === 'string' ? method.slice(0, 64) : method ?? null)} is not discovery`);
  }
  const params = json['params'];
  const info = isRecord(params) ? params['deviceInfo'] : undefined;
  if (!isRecord(info)) throw new DhipDecodeError('dhip-unsupported', 'client.notifyDevInfo without params.deviceInfo');
  return deviceInfoFrom(json, info);
}

function deviceInfoFrom(message: Record<string, unknown>, info: Record<string, unknown>): DhipDeviceInfo {
  const out: DhipDeviceInfo = { kind: 'device-info', method: 'client.notifyDevInfo', raw: info };
  const set = <K extends keyof DhipDeviceInfo>(key: K, value: DhipDeviceInfo[K] | undefined): void => {
    if (value !== undefined) out[key] = value;
  };
  set('model', text(info['DeviceType']));
  set('serial', serialOf(info['SerialNo']));
  set('mac', normaliseMac(text(message['mac']) ?? text(info['mac'])) ?? undefined);
  set('firmware', text(info['Version']));
  set('httpPort', port(info['HttpPort']));
  set('httpsPort', port(info['HttpsPort']));
  set('sdkPort', port(info['Port']));
  set('vendor', text(info['Vendor']));
  set('machineName', text(info['MachineName']));
  set('deviceClass', text(info['DeviceClass']));
  set('initialised', initialisedOf(info));
  const ipv4 = info['IPv4Address'];
  if (isRecord(ipv4)) {
    set('ipv4', address(ipv4['IPAddress']));
    set('ipv4Mask', address(ipv4['SubnetMask']));
    set('ipv4Gateway', address(ipv4['DefaultGateway']));
    if (typeof ipv4['DhcpEnable'] === 'boolean') set('dhcp', ipv4['DhcpEnable']);
  }
  return out;
}

/**
 * Values seen on working (so initialised) devices: Lorex W461ASC Init=1162 (Rapid7 capture), and in replies
 * quoted in public scanner code Intelbras Init=2198, Dahua IPC-HDW1431T1 Init=2714. All have bits 0–1 = 2,
 * matching NetSDK's documented byInitStatus bit field (bits 0–1: 0 = old device without initialisation,
 * 1 = not initialised, 2 = initialised). Higher bits describe other features (public access, password reset).
 */
function initialisedOf(info: Record<string, unknown>): boolean | null | undefined {
  const deviceInit = info['DeviceInit'];
  if (typeof deviceInit === 'boolean') return deviceInit;
  if (!('Init' in info)) return deviceInit === undefined ? undefined : null;
  const init = info['Init'];
  const value = typeof init === 'number' ? init : typeof init === 'string' && /^\d{1,10}$/.test(init) ? Number(init) : NaN;
  if (!Number.isSafeInteger(value) || value < 0) return null;
  switch (value & 0b11) {
    case 1:
      return false;
    case 2:
      return true;
    default:
      return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim().slice(0, 256);
  return trimmed === '' ? undefined : trimmed;
}

function serialOf(value: unknown): string | undefined {
  const serial = text(value);
  return serial !== undefined && /[0-9A-Za-z]/.test(serial) ? serial : undefined;
}

function port(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,5}$/.test(value.trim()) ? Number(value.trim()) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

function address(value: unknown): string | undefined {
  const ip = text(value);
  return ip !== undefined && isIPv4(ip) ? ip : undefined;
}
