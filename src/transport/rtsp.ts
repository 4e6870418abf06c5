/**
 * One RTSP request over its own TCP connection: hard deadline (connect, write and read together), a cap on the
 * bytes read, no retries (docs/ARCHITECTURE.md §8). It returns the raw answer; decoding is the codec's job
 * (src/protocols/rtsp). RTSP is only ever used anonymously here — an RTSP login counts towards the Hikvision lock
 * like any other (docs/FIELD-NOTES.md §2) — so a message carrying an Authorization header is refused before a socket opens
 * (docs/SAFETY.md S1; the codec cannot build one either).
 */
import { connect, isIPv6 } from 'node:net';
import type { Socket } from 'node:net';

export interface RtspRequest {
  /** IPv4 or IPv6 address (no brackets). */
  host: string;
  port: number;
  /** One complete request, as buildRtspRequest writes it. */
  message: string;
  timeoutMs: number;
  /** Cap on the bytes read, head and body together; a head that does not end within it is refused. */
  maxBytes: number;
  /** Abandons the exchange early (the scan's fingerprint deadline): it fails with code `aborted`. */
  signal?: AbortSignal;
}

export interface RtspRawResponse {
  bytes: Buffer;
  /** False when the peer closed before the head (or the body its Content-Length announced) was complete. */
  complete: boolean;
  elapsedMs: number;
}

/**
 * `refused` is its own code: most devices expose no RTSP at all and refuse the connection, which is an answer,
 * not a fault (the probe stays quiet about it).
 */
export type RtspTransportErrorCode = 'timeout' | 'aborted' | 'too-large' | 'refused' | 'connect' | 'closed' | 'bad-request';

export class RtspTransportError extends Error {
  readonly code: RtspTransportErrorCode;
  constructor(code: RtspTransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RtspTransportError';
    this.code = code;
  }
}

export interface RtspTransport {
  request(request: RtspRequest): Promise<RtspRawResponse>;
  /** Ends every exchange still in flight; later requests fail with `closed`. */
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 8 * 1024;
const AUTHORIZATION_HEADER = /(?:^|\n)\s*(?:proxy-)?authorization\s*:/i;

/** Where the head ends (after CRLF CRLF or LF LF), or null. */
function findHeadEnd(bytes: Buffer): number | null {
  for (let i = 0; i < bytes.byteLength; i++) {
    if (bytes[i] !== 0x0a) continue;
    let next = i + 1;
    if (bytes[next] === 0x0d) next++;
    if (next < bytes.byteLength && bytes[next] === 0x0a) return next + 1;
  }
  return null;
}

function contentLengthOf(head: string): number {
  const match = /(?:^|\n)content-length[ \t]*:[ \t]*(\d{1,10})[ \t]*\r?(?:\n|$)/i.exec(head);
  return match ? Number(match[1]) : 0;
}

export function createRtspTransport(options: { localAddress?: string } = {}): RtspTransport {
  const active = new Set<Socket>();
  let closed = false;

  return {
    request(request) {
      if (closed) return Promise.reject(new RtspTransportError('closed', 'RTSP transport is closed'));
      if (Buffer.byteLength(request.message) > MAX_MESSAGE_BYTES) {
        return Promise.reject(new RtspTransportError('bad-request', `RTSP request larger than ${MAX_MESSAGE_BYTES} bytes`));
      }
      if (AUTHORIZATION_HEADER.test(request.message)) {
        return Promise.reject(new RtspTransportError('bad-request', 'RTSP requests are anonymous: refusing to send an Authorization header'));
      }
      if (!Number.isInteger(request.port) || request.port < 1 || request.port > 65_535) {
        return Promise.reject(new RtspTransportError('bad-request', `not a TCP port: ${request.port}`));
      }
      const started = performance.now();
      return new Promise<RtspRawResponse>((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let settled = false;
        const socket = connect({
          host: request.host,
          port: request.port,
          family: isIPv6(request.host) ? 6 : 4,
          ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        });
        active.add(socket);
        const finish = (outcome: RtspRawResponse | RtspTransportError): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          active.delete(socket);
          socket.destroy();
          if (outcome instanceof RtspTransportError) reject(outcome);
          else resolve(outcome);
        };
        const answer = (complete: boolean, length = size): RtspRawResponse => ({
          bytes: Buffer.concat(chunks, size).subarray(0, length),
          complete,
          elapsedMs: performance.now() - started,
        });
        const timer = setTimeout(() => finish(new RtspTransportError('timeout', `no complete RTSP answer within ${request.timeoutMs} ms`)), request.timeoutMs);
        const abandon = (): void => finish(new RtspTransportError('aborted', 'abandoned before a complete answer'));
        if (request.signal?.aborted) abandon();
        request.signal?.addEventListener('abort', abandon, { once: true });
        socket.once('close', () => request.signal?.removeEventListener('abort', abandon));

        socket.once('connect', () => socket.write(request.message));
        socket.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.byteLength;
          const bytes = Buffer.concat(chunks, size);
          const headEnd = findHeadEnd(bytes.subarray(0, request.maxBytes + 4));
          if (headEnd === null) {
            if (size > request.maxBytes) finish(new RtspTransportError('too-large', `no end of RTSP head within ${request.maxBytes} bytes`));
            return;
          }
          const wanted = headEnd + contentLengthOf(bytes.subarray(0, headEnd).toString('latin1'));
          // A body beyond the cap is cut short: the fingerprint needs the head, never a whole SDP.
          if (size >= wanted) finish(answer(true, wanted));
          else if (size >= request.maxBytes) finish(answer(false, request.maxBytes));
        });
        socket.once('end', () => finish(size > 0 ? answer(false) : new RtspTransportError('closed', 'connection closed without an answer')));
        socket.once('close', () => finish(size > 0 ? answer(false) : new RtspTransportError('closed', 'connection closed without an answer')));
        socket.once('error', (error: NodeJS.ErrnoException) => {
          if (error.code === 'ECONNREFUSED') finish(new RtspTransportError('refused', `connection refused by ${request.host}:${request.port}`, { cause: error }));
          else if (error.code === 'ECONNRESET' || error.code === 'EPIPE') finish(size > 0 ? answer(false) : new RtspTransportError('closed', `connection reset: ${error.message}`, { cause: error }));
          else finish(new RtspTransportError('connect', error.message, { cause: error }));
        });
      });
    },
    async close() {
      closed = true;
      for (const socket of active) socket.destroy();
      active.clear();
    },
  };
}
