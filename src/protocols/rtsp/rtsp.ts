/**
 * RTSP/1.0 (RFC 2326) for anonymous fingerprinting only: OPTIONS answers without a login and DESCRIBE returns
 * 401 with the realm (docs/FIELD-NOTES.md §4). The request builder takes no headers and refuses URLs with userinfo, so
 * no credential can ride along (docs/SAFETY.md S1) — RTSP logins count towards the Hikvision lock like any other.
 */
import { HttpMessageDecodeError, headerValues, parseHttpResponseHead } from '../http-message/http-message.js';
import { CodecError } from '../codec-error.js';

export type RtspMethod = 'OPTIONS' | 'DESCRIBE';

export interface RtspRequestInput {
  method: RtspMethod;
  /** Absolute `rtsp://host[:port]/path` without userinfo. */
  url: string;
  cseq: number;
  userAgent?: string;
}

export type RtspErrorCode =
  | 'rtsp-invalid-request'
  | 'rtsp-too-large'
  | 'rtsp-empty'
  | 'rtsp-malformed'
  | 'rtsp-not-rtsp';

export class RtspError extends CodecError<RtspErrorCode> {}

const METHODS: readonly string[] = ['OPTIONS', 'DESCRIBE'];
const MAX_URL_CHARS = 2048;
const MAX_USER_AGENT_CHARS = 256;
/** Space, controls, DEL and non-ASCII: none of it may sit unencoded on a request line. */
function hasUnsafeUrlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x20 || code >= 0x7f) return true;
  }
  return false;
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** One anonymous request. Throws RtspError('rtsp-invalid-request') for input that would break or smuggle. */
export function buildRtspRequest(input: RtspRequestInput): string {
  if (!METHODS.includes(input.method)) throw new RtspError('rtsp-invalid-request', `method ${String(input.method)} is not OPTIONS or DESCRIBE`);
  if (!Number.isInteger(input.cseq) || input.cseq < 0 || input.cseq > 0x7fffffff) {
    throw new RtspError('rtsp-invalid-request', `CSeq out of range: ${input.cseq}`);
  }
  const url = input.url;
  if (typeof url !== 'string' || url.length > MAX_URL_CHARS || hasUnsafeUrlCharacter(url)) {
    throw new RtspError('rtsp-invalid-request', 'URL is too long or has characters that cannot go on a request line');
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new RtspError('rtsp-invalid-request', `not a URL: ${url}`, { cause: error });
  }
  if (parsed.protocol !== 'rtsp:' && parsed.protocol !== 'rtsps:') throw new RtspError('rtsp-invalid-request', `not an rtsp URL: ${url}`);
  // `rtsp://user:pass@host/` carries credentials; some servers act on them (S1: anonymous only).
  if (parsed.username !== '' || parsed.password !== '' || /^[a-z]+:\/\/[^/]*@/i.test(url)) {
    throw new RtspError('rtsp-invalid-request', 'URL carries userinfo; RTSP probes are anonymous');
  }
  if (parsed.hostname === '') throw new RtspError('rtsp-invalid-request', `URL has no host: ${url}`);
  if (input.userAgent !== undefined && (input.userAgent.length > MAX_USER_AGENT_CHARS || hasControlCharacter(input.userAgent))) {
    throw new RtspError('rtsp-invalid-request', 'User-Agent is too long or has control characters');
  }

  const lines = [`${input.method} ${url} RTSP/1.0`, `CSeq: ${input.cseq}`];
  if (input.userAgent) lines.push(`User-Agent: ${input.userAgent}`);
  // RFC 2326 §10.2: DESCRIBE names the description formats the client understands.
  if (input.method === 'DESCRIBE') lines.push('Accept: application/sdp');
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export interface RtspResponse {
  protocol: string;
  statusCode: number;
  reason: string;
  cseq?: number;
  server?: string;
  /** Methods from `Public:` (OPTIONS answer), as sent, in order. */
  public?: string[];
  /** Every WWW-Authenticate value, for parseWwwAuthenticate. */
  wwwAuthenticate: string[];
  headers: Array<[string, string]>;
  contentLength?: number;
  /** Bytes of body present after the head (the head must be complete). */
  bodyLength?: number;
  /** False when the head never ended (a truncated read); the headers are what arrived. */
  complete: boolean;
}

/** RTSP answers to OPTIONS/DESCRIBE are a few hundred bytes; a DESCRIBE with SDP stays well under this. */
export const MAX_RTSP_RESPONSE_BYTES = 64 * 1024;
const MAX_PUBLIC_METHODS = 64;

/** Decode one RTSP response. Throws RtspError with a code for anything that is not one. */
export function parseRtspResponse(bytes: Uint8Array | string): RtspResponse {
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
  if (size === 0) throw new RtspError('rtsp-empty', 'empty RTSP response');
  if (size > MAX_RTSP_RESPONSE_BYTES) throw new RtspError('rtsp-too-large', `RTSP response of ${size} bytes exceeds ${MAX_RTSP_RESPONSE_BYTES}`);
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  let head;
  try {
    head = parseHttpResponseHead(data);
  } catch (error) {
    if (error instanceof HttpMessageDecodeError) {
      const code = error.code === 'http-head-empty' ? 'rtsp-empty' : error.code === 'http-head-too-large' ? 'rtsp-too-large' : 'rtsp-malformed';
      throw new RtspError(code, error.message, { cause: error });
    }
    throw error;
  }
  if (!/^RTSP\/\d/.test(head.protocol)) throw new RtspError('rtsp-not-rtsp', `not an RTSP response: ${head.protocol}`);

  const response: RtspResponse = {
    protocol: head.protocol,
    statusCode: head.statusCode,
    reason: head.reason,
    wwwAuthenticate: headerValues(head.headers, 'www-authenticate'),
    headers: head.headers,
    complete: head.complete,
  };
  const cseq = firstInteger(headerValues(head.headers, 'cseq'));
  if (cseq !== undefined) response.cseq = cseq;
  const server = headerValues(head.headers, 'server')[0];
  if (server !== undefined && server !== '') response.server = server;
  const publicValues = headerValues(head.headers, 'public');
  if (publicValues.length > 0) {
    response.public = publicValues
      .flatMap((value) => value.split(','))
      .map((method) => method.trim())
      .filter((method) => method !== '')
      .slice(0, MAX_PUBLIC_METHODS);
  }
  const contentLength = firstInteger(headerValues(head.headers, 'content-length'));
  if (contentLength !== undefined) response.contentLength = contentLength;
  if (head.bodyOffset !== null) response.bodyLength = data.byteLength - head.bodyOffset;
  return response;
}

function firstInteger(values: string[]): number | undefined {
  const value = values[0];
  if (value === undefined || !/^\d{1,10}$/.test(value)) return undefined;
  const parsed = Number(value);
  return parsed <= 0xffffffff ? parsed : undefined;
}

export interface RtspVendorHint {
  vendor: string;
  /** `likely`: the string is the vendor's own; `possible`: an OEM platform string seen on that vendor. */
  confidence: 'likely' | 'possible';
  reason: string;
}

/**
 * A vendor hint from an RTSP `Server:` header, deliberately conservative: most cameras run generic servers
 * (LIVE555, GStreamer, HiSilicon SDKs) shared by many brands, so only strings tied to one vendor count.
 * `GStreamer RTSP server` is Axis only together with an `AXIS_<serial>` realm (AXIS OS uses GStreamer).
 */
export function vendorFromRtspServer(server: string | undefined, realm?: string): RtspVendorHint | null {
  if (!server) return null;
  const value = server.trim().slice(0, 256);
  // docs/FIELD-NOTES.md §4: Dahua's RTSP server answers with exactly "Rtsp Server/3.0".
  if (/^Rtsp Server\/3\.0$/i.test(value)) return { vendor: 'Dahua', confidence: 'likely', reason: 'RTSP Server "Rtsp Server/3.0" (Dahua)' };
  if (/^Dahua Rtsp Server\b/i.test(value)) return { vendor: 'Dahua', confidence: 'likely', reason: `RTSP Server "${value}"` };
  if (/^AvigilonOnvifNvt\//i.test(value)) return { vendor: 'Avigilon', confidence: 'likely', reason: `RTSP Server "${value}"` };
  if (/^GStreamer RTSP server\b/i.test(value) && realm !== undefined && /^AXIS_(WS_)?[0-9A-F]{12}$/i.test(realm.trim())) {
    return { vendor: 'Axis', confidence: 'likely', reason: `GStreamer RTSP server with realm "${realm.trim()}"` };
  }
  return null;
}
