/**
 * SSDP (UPnP Device Architecture 1.1 §1): HTTP-shaped messages over UDP 1900, group 239.255.255.250. We send
 * M-SEARCH; devices answer with a unicast `HTTP/1.1 200 OK` and also announce themselves with NOTIFY.
 * `LOCATION` points at a description XML readable without login (see upnp-description.ts). It is a
 * payload-learned address: report it, never send credentials there (docs/SAFETY.md S3).
 */
import { SSDP_GROUP, SSDP_PORT } from './constants.js';
import { CodecError } from '../codec-error.js';

export type SsdpErrorCode = 'ssdp-too-large' | 'ssdp-empty' | 'ssdp-bad-start-line' | 'ssdp-too-many-headers' | 'upnp-malformed' | 'upnp-no-device';

export class SsdpDecodeError extends CodecError<SsdpErrorCode> {}

export const SSDP_MULTICAST_HOST = `${SSDP_GROUP}:${SSDP_PORT}`;
/** Real SSDP datagrams are under 1 KB (UDA 1.1 asks senders to stay within one unfragmented packet). */
export const MAX_SSDP_BYTES = 8 * 1024;
export const MAX_SSDP_HEADERS = 64;

export type SsdpKind = 'response' | 'notify' | 'search';

export interface SsdpHeaderFields {
  location?: string;
  server?: string;
  st?: string;
  nt?: string;
  nts?: string;
  usn?: string;
  /** The `uuid:` part of USN, before any `::`, without the prefix. */
  uuid?: string;
}

export interface SsdpMessage extends SsdpHeaderFields {
  kind: SsdpKind;
  /** Response status code (200 for a search answer). */
  statusCode?: number;
  /** Lowercase names; the first of repeated headers wins. */
  headers: Record<string, string>;
}

/**
 * M-SEARCH per UDA 1.1 §1.3.2: MX (seconds a device may wait before answering) is an integer 1..5. Throws
 * RangeError for an ST with line breaks or an MX out of range (caller bugs, not network input).
 */
export function buildMSearch(st = 'ssdp:all', mx = 2): string {
  if (st === '' || /[\r\n]/.test(st)) throw new RangeError(`invalid SSDP search target ${JSON.stringify(st)}`);
  if (!Number.isInteger(mx) || mx < 1 || mx > 5) throw new RangeError(`SSDP MX must be an integer 1..5, got ${mx}`);
  return `M-SEARCH * HTTP/1.1\r\nHOST: ${SSDP_MULTICAST_HOST}\r\nMAN: "ssdp:discover"\r\nMX: ${mx}\r\nST: ${st}\r\n\r\n`;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;

/**
 * Decode one SSDP datagram. Tolerates LF-only line ends, header names in any case, folded continuation lines
 * (RFC 7230 §3.2.4 obs-fold) and a missing final blank line (seen on captured Axis messages). Lines that are
 * not headers are skipped. Throws SsdpDecodeError.
 */
export function parseSsdpMessage(bytes: Uint8Array | string): SsdpMessage {
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
  if (size > MAX_SSDP_BYTES) throw new SsdpDecodeError('ssdp-too-large', `SSDP datagram of ${size} bytes exceeds ${MAX_SSDP_BYTES}`);
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const head = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const lines = head.split(/\r?\n/);
  const startLine = (lines.shift() ?? '').trim();
  if (startLine === '') throw new SsdpDecodeError('ssdp-empty', 'empty SSDP datagram');

  const start = parseStartLine(startLine);
  const headers = new Map<string, string>();
  let last: string | undefined;
  let count = 0;
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      if (last !== undefined && headers.has(last)) headers.set(last, `${headers.get(last) ?? ''} ${line.trim()}`.trim());
      continue;
    }
    last = undefined;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!HEADER_NAME.test(name)) continue;
    if (++count > MAX_SSDP_HEADERS) throw new SsdpDecodeError('ssdp-too-many-headers', `SSDP message has more than ${MAX_SSDP_HEADERS} headers`);
    if (headers.has(name)) continue;
    headers.set(name, line.slice(colon + 1).trim());
    last = name;
  }
  const record = Object.fromEntries(headers);
  return { ...start, headers: record, ...extractSsdpFields(record) };
}

function parseStartLine(line: string): { kind: SsdpKind; statusCode?: number } {
  const status = /^HTTP\/1\.[01]\s+(\d{3})(?:\s.*)?$/i.exec(line);
  if (status) return { kind: 'response', statusCode: Number(status[1]) };
  const request = /^([A-Z-]+)\s+\*\s+HTTP\/1\.[01]$/i.exec(line);
  const method = request?.[1]?.toUpperCase();
  if (method === 'NOTIFY') return { kind: 'notify' };
  if (method === 'M-SEARCH') return { kind: 'search' };
  throw new SsdpDecodeError('ssdp-bad-start-line', `not an SSDP start line: ${JSON.stringify(line.slice(0, 80))}`);
}

/**
 * The fields that matter from a header map in any key case: a raw datagram's headers, or a dump such as
 * async_upnp_client's (Home Assistant), which keeps the device's own capitalisation.
 */
export function extractSsdpFields(headers: Record<string, string>): SsdpHeaderFields {
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (!lower.has(key) && typeof value === 'string') lower.set(key, value.trim());
  }
  const get = (name: string): string | undefined => {
    const value = lower.get(name);
    return value === undefined || value === '' ? undefined : value;
  };
  const out: SsdpHeaderFields = {};
  const location = get('location');
  if (location !== undefined && isHttpUrl(location)) out.location = location;
  for (const name of ['server', 'st', 'nt', 'nts', 'usn'] as const) {
    const value = get(name);
    if (value !== undefined) out[name] = value;
  }
  const uuid = uuidFromUsn(out.usn);
  if (uuid !== undefined) out.uuid = uuid;
  return out;
}

/** UDA 1.1 §1.1.4: USN is `uuid:<device-UUID>` optionally followed by `::<type>`. Vendors use non-RFC-4122 ids. */
export function uuidFromUsn(usn: string | undefined): string | undefined {
  const match = usn === undefined ? null : /^uuid:([^:\s]{1,128})(?:::|$)/i.exec(usn.trim());
  return match?.[1];
}

function isHttpUrl(value: string): boolean {
  if (value.length > 2048) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
