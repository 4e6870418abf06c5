/**
 * The head of an HTTP/1.x or RTSP/1.0 response (they share RFC 7230's message syntax; RFC 2326 §6 borrows it).
 * Used on raw captured heads and by the RTSP codec, which reads its own socket. Decoded as if hostile: the head
 * is bounded in bytes, lines and header count, and every failure is an HttpMessageDecodeError with a code.
 */
import { CodecError } from '../codec-error.js';

export type HttpMessageErrorCode = 'http-head-too-large' | 'http-head-empty' | 'http-head-malformed';

export class HttpMessageDecodeError extends CodecError<HttpMessageErrorCode> {}

/** Cameras send heads of a few hundred bytes; 64 KiB is undici's own default cap for a whole head. */
export const MAX_HEAD_BYTES = 64 * 1024;
const MAX_HEADERS = 128;
const MAX_REASON_CHARS = 256;

export interface HttpResponseHead {
  /** "HTTP/1.1", "RTSP/1.0", … exactly as sent. */
  protocol: string;
  statusCode: number;
  /** Reason phrase; may be empty (RFC 7230 §3.1.2 allows it). */
  reason: string;
  /** In wire order, names as sent (compare case-insensitively, see headerValues). */
  headers: Array<[string, string]>;
  /**
   * False when the text ended before the blank line that closes a head: a truncated capture or a short read.
   * The headers are those that arrived; the last one may be cut short.
   */
  complete: boolean;
  /** Where the body starts when the head is complete: a character index for text input, a byte index for bytes. */
  bodyOffset: number | null;
}

const STATUS_LINE = /^([A-Z][A-Z0-9-]{0,15}\/\d{1,2}\.\d{1,2}) (\d{3})(?: (.*))?$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;

/**
 * Parse a response head from text or bytes (bytes are read as UTF-8: realms and names from cameras are UTF-8 or
 * ASCII in every capture, and the Digest hash is computed over UTF-8). Accepts CRLF or bare LF line ends
 * (RFC 7230 §3.5 lets a recipient accept LF; logs and pasted captures lose the CR). A line starting with a space
 * or tab continues the previous header (obs-fold, RFC 7230 §3.2.4): it is replaced by one space. Lines without a
 * colon are skipped rather than fatal — a camera's one odd line must not hide its WWW-Authenticate.
 */
export function parseHttpResponseHead(input: string | Uint8Array): HttpResponseHead {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size === 0) throw new HttpMessageDecodeError('http-head-empty', 'empty response');
  const end = typeof input === 'string' ? findHeadEndInText(input) : findHeadEndInBytes(input);
  if ((end === null && size > MAX_HEAD_BYTES) || (end !== null && end.headLength > MAX_HEAD_BYTES)) {
    throw new HttpMessageDecodeError('http-head-too-large', `no end of head within ${MAX_HEAD_BYTES} bytes`);
  }
  const headLength = end === null ? size : end.headLength;
  const headText = typeof input === 'string' ? input.slice(0, headLength) : Buffer.from(input.buffer, input.byteOffset, headLength).toString('utf8');
  const lines = headText.split(/\r?\n/);
  if (end === null && lines[lines.length - 1] === '') lines.pop();

  const statusLine = (lines.shift() ?? '').replace(/\r$/, '');
  if (statusLine.trim() === '') throw new HttpMessageDecodeError('http-head-empty', 'no status line');
  const status = STATUS_LINE.exec(statusLine);
  if (!status) throw new HttpMessageDecodeError('http-head-malformed', `not a status line: ${JSON.stringify(statusLine.slice(0, 80))}`);

  const headers: Array<[string, string]> = [];
  for (const rawLine of lines) {
    const line = rawLine.replace(/\r$/, '');
    if (line === '') continue;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      const previous = headers[headers.length - 1];
      if (previous) previous[1] = `${previous[1]} ${line.trim()}`.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon);
    if (!HEADER_NAME.test(name)) continue;
    if (headers.length >= MAX_HEADERS) {
      throw new HttpMessageDecodeError('http-head-too-large', `more than ${MAX_HEADERS} header fields`);
    }
    headers.push([name, line.slice(colon + 1).trim()]);
  }

  return {
    protocol: status[1]!,
    statusCode: Number(status[2]),
    reason: (status[3] ?? '').trim().slice(0, MAX_REASON_CHARS),
    headers,
    complete: end !== null,
    bodyOffset: end === null ? null : end.bodyOffset,
  };
}

interface HeadEnd {
  /** Length of the head without the line end that closes its last line. */
  headLength: number;
  bodyOffset: number;
}

/** The first empty line ends the head; it may be CRLF CRLF, LF LF, or a mix. Searched within the bound only. */
function findHeadEndInText(text: string): HeadEnd | null {
  const match = /\r?\n\r?\n/.exec(text.slice(0, MAX_HEAD_BYTES + 4));
  if (!match) return null;
  return { headLength: match.index, bodyOffset: match.index + match[0].length };
}

/** Same search over bytes, so that bodyOffset counts bytes (a body length must not depend on UTF-8 decoding). */
function findHeadEndInBytes(bytes: Uint8Array): HeadEnd | null {
  const limit = Math.min(bytes.byteLength, MAX_HEAD_BYTES + 4);
  for (let i = 0; i < limit; i++) {
    if (bytes[i] !== 0x0a) continue;
    let next = i + 1;
    if (bytes[next] === 0x0d) next++;
    if (next < bytes.byteLength && bytes[next] === 0x0a) {
      return { headLength: i > 0 && bytes[i - 1] === 0x0d ? i - 1 : i, bodyOffset: next + 1 };
    }
  }
  return null;
}

/** Every value of one header, in order, matched case-insensitively (RFC 7230 §3.2: names are case-insensitive). */
export function headerValues(headers: ReadonlyArray<readonly [string, string]>, name: string): string[] {
  const wanted = name.toLowerCase();
  return headers.filter(([key]) => key.toLowerCase() === wanted).map(([, value]) => value);
}
