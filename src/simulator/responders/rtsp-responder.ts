/**
 * A camera's RTSP server as an anonymous client meets it (RFC 2326): OPTIONS answers 200 with `Public`, every other
 * method answers 401 with a Digest challenge in the device's realm. Answers are captured ones
 * (fixtures/captures/rtsp) with this device's CSeq, Date, Server, realm and a fresh nonce substituted, so the
 * scanner is exercised on the vendors' own header order and quirks. Each request is reported with whether it
 * carried credentials, so the device can count an RTSP login as a credentialed request (docs/SAFETY.md S1 proof).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { loadCapture } from '../templates.js';
import type { Responder } from './types.js';

export const DEFAULT_RTSP_OPTIONS_TEMPLATE = 'rtsp/generic-hisilicon-tcp-av0_0-OPTIONS-200-cameradar-issue142.txt';
export const DEFAULT_RTSP_DESCRIBE_TEMPLATE = 'rtsp/generic-hisilicon-tcp-av0_0-DESCRIBE-401-cameradar-issue142-nonce-redacted.txt';

const MAX_REQUEST_HEAD_BYTES = 8 * 1024;
const MAX_REQUEST_BODY_BYTES = 64 * 1024;
const IDLE_TIMEOUT_MS = 10_000;
/** RFC 2326 §10 methods; anything else is 501 Not Implemented. */
const RTSP_METHODS = ['OPTIONS', 'DESCRIBE', 'ANNOUNCE', 'SETUP', 'PLAY', 'PAUSE', 'TEARDOWN', 'GET_PARAMETER', 'SET_PARAMETER', 'REDIRECT', 'RECORD'];

export interface RtspRequestNotice {
  source: string;
  method: string;
  /** The request carried an Authorization header or userinfo in its URL (an RTSP login attempt). */
  credentialed: boolean;
  /** ... and it was Basic, i.e. the password in clear. */
  basic: boolean;
}

export interface RtspResponderOptions {
  address: string;
  /** 0 for an ephemeral port. */
  port: number;
  server: string | null;
  realm: string;
  optionsTemplate?: string;
  describeTemplate?: string;
  onRequest?: (notice: RtspRequestNotice) => void;
}

export interface RtspResponder extends Responder {
  /** The port actually bound. */
  port: number;
}

export interface RtspTemplateValues {
  cseq: string | null;
  server: string | null;
  realm?: string;
  nonce?: string;
  date: Date;
}

/**
 * Substitute this exchange's values into a captured answer. Header lines keep the capture's order, names and
 * spacing; a leading space on a header line is dropped (SOURCES.md: the Axis capture's " Date:" is a test
 * author's typo that would fold Date into Server), and a truncated capture gets its head closed.
 */
export function fillRtspTemplate(capture: string, values: RtspTemplateValues): string {
  const lines = capture.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const [statusLine, ...headerLines] = lines;
  const out: string[] = [statusLine ?? 'RTSP/1.0 200 OK'];
  let sawServer = false;
  for (const raw of headerLines) {
    const match = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)(:\s*)(.*)$/.exec(raw);
    if (!match) continue;
    const [, name, separator, value] = match as unknown as [string, string, string, string];
    switch (name.toLowerCase()) {
      case 'cseq':
        out.push(`${name}${separator}${values.cseq ?? value}`);
        break;
      case 'date':
        out.push(`${name}${separator}${values.date.toUTCString()}`);
        break;
      case 'server':
        sawServer = true;
        if (values.server !== null) out.push(`${name}${separator}${values.server}`);
        break;
      case 'www-authenticate': {
        let challenge = value;
        if (values.realm !== undefined) challenge = challenge.replace(/realm="[^"]*"/i, `realm="${values.realm}"`);
        if (values.nonce !== undefined) challenge = challenge.replace(/nonce="[^"]*"/i, `nonce="${values.nonce}"`);
        out.push(`${name}${separator}${challenge}`);
        break;
      }
      default:
        out.push(`${name}${separator}${value}`);
    }
  }
  if (!sawServer && values.server !== null) out.push(`Server: ${values.server}`);
  return `${out.join('\r\n')}\r\n\r\n`;
}

interface ParsedRequest {
  method: string;
  url: string;
  headers: Map<string, string>;
}

function parseRequestHead(head: string): ParsedRequest | null {
  const [requestLine, ...rest] = head.split(/\r?\n/);
  const match = /^([A-Z_]{1,32}) (\S{1,4096}) RTSP\/1\.\d$/.exec(requestLine ?? '');
  if (!match) return null;
  const headers = new Map<string, string>();
  for (const line of rest) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { method: match[1]!, url: match[2]!, headers };
}

function headEndOf(buffer: Buffer): { head: number; body: number } | null {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf === -1 && lf === -1) return null;
  if (lf === -1 || (crlf !== -1 && crlf < lf)) return { head: crlf, body: crlf + 4 };
  return { head: lf, body: lf + 2 };
}

export async function startRtspResponder(options: RtspResponderOptions): Promise<RtspResponder> {
  const sockets = new Set<Socket>();
  const optionsTemplate = loadCapture(options.optionsTemplate ?? DEFAULT_RTSP_OPTIONS_TEMPLATE);
  const describeTemplate = loadCapture(options.describeTemplate ?? DEFAULT_RTSP_DESCRIBE_TEMPLATE);

  const answer = (request: ParsedRequest): string => {
    const cseq = request.headers.get('cseq') ?? null;
    const date = new Date();
    if (request.method === 'OPTIONS') return fillRtspTemplate(optionsTemplate, { cseq, server: options.server, date });
    if (!RTSP_METHODS.includes(request.method)) {
      return fillRtspTemplate('RTSP/1.0 501 Not Implemented\r\nCSeq: 0\r\n', { cseq, server: options.server, date });
    }
    // Every other method needs a login on a camera; a request that brought credentials gets a fresh challenge
    // too — the simulator does not verify RTSP logins, it only counts them (any at all breaks S1).
    return fillRtspTemplate(describeTemplate, { cseq, server: options.server, realm: options.realm, nonce: randomBytes(16).toString('hex'), date });
  };

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.destroy());
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
    const source = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      // RTSP/1.0 allows several requests on one connection: answer each complete one in order.
      for (;;) {
        const end = headEndOf(pending);
        if (end === null) {
          if (pending.byteLength > MAX_REQUEST_HEAD_BYTES) socket.destroy();
          return;
        }
        const request = parseRequestHead(pending.subarray(0, end.head).toString('latin1'));
        if (!request) {
          socket.end('RTSP/1.0 400 Bad Request\r\nCSeq: 0\r\n\r\n');
          return;
        }
        const bodyLength = Number(request.headers.get('content-length') ?? 0);
        if (!Number.isInteger(bodyLength) || bodyLength < 0 || bodyLength > MAX_REQUEST_BODY_BYTES) {
          socket.destroy();
          return;
        }
        if (pending.byteLength < end.body + bodyLength) return;
        pending = pending.subarray(end.body + bodyLength);
        const authorization = request.headers.get('authorization');
        // `rtsp://user:pass@host/` is a login too: some servers act on userinfo in the request URL.
        const userinfo = /^[a-z]+:\/\/[^/\s]*@/i.test(request.url);
        options.onRequest?.({
          source,
          method: request.method,
          credentialed: authorization !== undefined || userinfo,
          basic: authorization !== undefined && /^\s*basic\b/i.test(authorization),
        });
        socket.write(answer(request));
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  const port = bound && typeof bound === 'object' ? bound.port : options.port;
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
