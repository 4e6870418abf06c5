/**
 * One HTTP request at a time: hard deadline, body size cap, no redirects, no retries (docs/ARCHITECTURE.md §8 — retries are a
 * wrapper, and authentication is never wrapped). One undici Client per origin keeps the connection alive between
 * the anonymous challenge and the one credentialed request (Hikvision nonces carry a timestamp: answer promptly,
 * on the same connection). HTTPS records the server certificate's SHA-256 fingerprint and, when pinned, refuses
 * any other certificate before a byte of the request is written (docs/SAFETY.md S3).
 */
import { connect as tlsConnect } from 'node:tls';
import { connect as netConnect, isIPv6 } from 'node:net';
import { Client } from 'undici';

export interface HttpRequest {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'HEAD';
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs: number;
  maxBodyBytes: number;
  /** HTTPS only: the certificate fingerprint (sha256, colon hex as node prints it) the server must present. */
  pinnedCertificateSha256?: string;
  /** Abandons the request early (the scan's fingerprint deadline): it fails with code `aborted`. */
  signal?: AbortSignal;
}

export interface HttpResponse {
  statusCode: number;
  /** Header values by lowercase name; repeated headers are kept in order. */
  headers: Record<string, string[]>;
  body: Buffer;
  certificateSha256: string | null;
  elapsedMs: number;
}

export type HttpErrorCode = 'timeout' | 'aborted' | 'too-large' | 'connect' | 'tls-pin-mismatch' | 'protocol' | 'bad-url';

export class HttpTransportError extends Error {
  readonly code: HttpErrorCode;
  constructor(code: HttpErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HttpTransportError';
    this.code = code;
  }
}

export interface HttpTransport {
  request(request: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

interface OriginState {
  client: Client;
  certificate: { sha256: string | null };
  pin: string | undefined;
  inFlight: number;
  lastUsed: number;
}

/**
 * An origin idle this long gives up its Client (and socket, parser and buffers): 10,000 cameras fingerprinted
 * once each must not keep 10,000 clients. Longer than keepAliveTimeout, so a live exchange is never cut.
 */
export const IDLE_ORIGIN_MS = 6_000;

export function createHttpTransport(options: { localAddress?: string; idleOriginMs?: number } = {}): HttpTransport {
  const origins = new Map<string, OriginState>();
  const idleMs = options.idleOriginMs ?? IDLE_ORIGIN_MS;
  // One timer for every origin (none per origin): closes the idle ones.
  let sweeper: NodeJS.Timeout | null = null;
  const evictIdle = (): void => {
    const now = performance.now();
    for (const [key, state] of origins) {
      if (state.inFlight > 0 || now - state.lastUsed < idleMs) continue;
      origins.delete(key);
      void state.client.close().catch(() => undefined);
    }
    if (origins.size === 0 && sweeper) {
      clearInterval(sweeper);
      sweeper = null;
    }
  };

  const originFor = (url: URL, pin: string | undefined): OriginState => {
    const key = `${url.origin}|${pin ?? ''}`;
    const existing = origins.get(key);
    if (existing) return existing;
    const certificate = { sha256: null as string | null };
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const client = new Client(url.origin, {
      pipelining: 1,
      keepAliveTimeout: 4_000,
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: (_opts, callback) => {
        const common = { host: hostname, port, localAddress: options.localAddress, family: isIPv6(hostname) ? 6 : 4 };
        if (url.protocol !== 'https:') {
          const socket = netConnect(common);
          socket.once('connect', () => callback(null, socket));
          socket.once('error', (error) => callback(error, null));
          return socket;
        }
        // Cameras present self-signed certificates: trust comes from the fingerprint seen anonymously, not a CA.
        const socket = tlsConnect({ ...common, rejectUnauthorized: false, servername: undefined, ALPNProtocols: ['http/1.1'] });
        socket.once('secureConnect', () => {
          const fingerprint = socket.getPeerCertificate()?.fingerprint256 ?? null;
          certificate.sha256 = fingerprint;
          const state = origins.get(key);
          if (state?.pin && state.pin !== fingerprint) {
            socket.destroy();
            callback(new HttpTransportError('tls-pin-mismatch', `certificate ${fingerprint ?? 'none'} is not the one seen before (${state.pin})`), null);
            return;
          }
          callback(null, socket);
        });
        socket.once('error', (error) => callback(error, null));
        return socket;
      },
    });
    const state: OriginState = { client, certificate, pin, inFlight: 0, lastUsed: performance.now() };
    origins.set(key, state);
    if (!sweeper) {
      sweeper = setInterval(evictIdle, Math.max(50, idleMs / 3));
      sweeper.unref();
    }
    return state;
  };

  return {
    async request(request) {
      let url: URL;
      try {
        url = new URL(request.url);
      } catch (error) {
        throw new HttpTransportError('bad-url', `not a URL: ${request.url}`, { cause: error });
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new HttpTransportError('bad-url', `unsupported scheme ${url.protocol}`);
      if (request.signal?.aborted) throw new HttpTransportError('aborted', 'abandoned before it was sent');
      const origin = originFor(url, request.pinnedCertificateSha256);
      const started = performance.now();
      origin.inFlight += 1;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), request.timeoutMs);
      const signal = request.signal ? AbortSignal.any([controller.signal, request.signal]) : controller.signal;
      try {
        const response = await origin.client.request({
          path: `${url.pathname}${url.search}`,
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal,
        });
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of response.body) {
          const buffer = chunk as Buffer;
          size += buffer.byteLength;
          if (size > request.maxBodyBytes) {
            response.body.destroy();
            throw new HttpTransportError('too-large', `response body larger than ${request.maxBodyBytes} bytes`);
          }
          chunks.push(buffer);
        }
        const headers: Record<string, string[]> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          if (value === undefined) continue;
          headers[name.toLowerCase()] = Array.isArray(value) ? value : [value];
        }
        return {
          statusCode: response.statusCode,
          headers,
          body: Buffer.concat(chunks),
          certificateSha256: origin.certificate.sha256,
          elapsedMs: performance.now() - started,
        };
      } catch (error) {
        if (error instanceof HttpTransportError) throw error;
        if (controller.signal.aborted || request.signal?.aborted) {
          // undici reconnects an origin whose request was aborted (one more connection to a host that just stalled):
          // drop the client instead; a later request to this origin starts afresh.
          const key = `${url.origin}|${request.pinnedCertificateSha256 ?? ''}`;
          if (origins.get(key) === origin) origins.delete(key);
          void origin.client.destroy().catch(() => undefined);
        }
        if (request.signal?.aborted && !controller.signal.aborted) throw new HttpTransportError('aborted', 'abandoned before a complete answer', { cause: error });
        if (controller.signal.aborted) throw new HttpTransportError('timeout', `no complete answer within ${request.timeoutMs} ms`, { cause: error });
        const cause = error as { code?: string; message?: string; cause?: unknown };
        if (cause.cause instanceof HttpTransportError) throw cause.cause;
        const code: HttpErrorCode = /ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL/.test(String(cause.code ?? cause.message)) ? 'connect' : 'protocol';
        throw new HttpTransportError(code, cause.message ?? String(error), { cause: error });
      } finally {
        clearTimeout(timer);
        origin.inFlight -= 1;
        origin.lastUsed = performance.now();
      }
    },
    async close() {
      if (sweeper) clearInterval(sweeper);
      sweeper = null;
      const all = [...origins.values()];
      origins.clear();
      await Promise.all(all.map((state) => state.client.destroy().catch(() => undefined)));
    },
  };
}

/** Header value lookup on an HttpResponse (lowercase name). */
export function responseHeader(response: HttpResponse, name: string): string[] {
  return response.headers[name.toLowerCase()] ?? [];
}
