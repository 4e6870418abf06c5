/** The hostile responders' HTTP and raw TCP side: huge bodies, trickles, slowloris, resets, redirects, absurd challenges. */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { loadCapture } from '../../../src/simulator/templates.js';
import type { HostileCounters, HostileKind, HostileOptions, HostileResponder } from './types.js';

export interface HttpSide {
  port: number;
  close(): Promise<void>;
}

function isCredentialed(req: IncomingMessage, body: string): boolean {
  return req.headers['authorization'] !== undefined || /UsernameToken/.test(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += (chunk as Buffer).toString('utf8');
    if (body.length > 256 * 1024) break;
  }
  return body;
}

export async function startHttpSide(kind: HostileKind, address: string, responder: HostileResponder, options: HostileOptions): Promise<HttpSide> {
  if (kind === 'slowloris' || kind === 'reset') return startTcpSide(kind, address, responder);
  const timers = new Set<NodeJS.Timeout>();
  let absurdCount = 0;
  const server: Server = createHttpServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    responder.counters.httpRequests += 1;
    const credentialed = isCredentialed(req, body);
    if (credentialed) responder.counters.credentialedRequests += 1;
    // The login-path kinds answer the anonymous ONVIF clock request like a device, so the agreement rule (its own
    // ONVIF answer) lets the planner knock and the test reaches the login-time defence it is about.
    if ((kind === 'redirect' || kind === 'absurd-digest') && !credentialed && req.method === 'POST' && /GetSystemDateAndTime/.test(body)) {
      res.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=utf-8' }).end(loadCapture('onvif-device/pelco-D6230L-GetSystemDateAndTimeResponse-onvif-nvt.xml'));
      return;
    }
    switch (kind) {
      case 'huge-body':
        streamHugeBody(res, options.hugeBodyBytes ?? 40 * 1024 * 1024, responder.counters);
        return;
      case 'trickle': {
        res.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=utf-8' });
        res.write('<');
        const timer = setInterval(() => {
          if (res.destroyed || res.writableEnded) {
            clearInterval(timer);
            timers.delete(timer);
            return;
          }
          res.write('a');
          responder.counters.bodyBytesWritten += 1;
        }, 50);
        timers.add(timer);
        res.on('close', () => {
          clearInterval(timer);
          timers.delete(timer);
        });
        return;
      }
      case 'redirect': {
        const collector = options.collector ?? { address: '127.0.0.1', port: 9 };
        const location = `http://${collector.address}:${collector.port}${req.url ?? '/'}`;
        if (credentialed || req.method === 'GET') {
          res.writeHead(302, { Location: location, 'Content-Length': '0' }).end();
          return;
        }
        res.writeHead(401, { 'WWW-Authenticate': `Digest realm="hostile-redirect", qop="auth", nonce="${randomBytes(12).toString('hex')}", algorithm=MD5`, 'Content-Length': '0' }).end();
        return;
      }
      case 'absurd-digest': {
        // GET / gets all three at once: a head over undici's 16 KiB limit. Every other request gets one absurd
        // challenge in turn, next to a Digest challenge with an unknown algorithm (so the device looks like a
        // Digest device to the anonymous probes, and only the choice at login time stands between it and a knock).
        const unknown = `Digest realm="absurd", qop="auth", nonce="${randomBytes(8).toString('hex')}", algorithm=SHA3-FANCY-512`;
        const absurd = [
          `Digest realm="absurd", qop="auth", nonce="${'n'.repeat(10 * 1024)}", algorithm=MD5`,
          `Digest ${Array.from({ length: 1000 }, (_, i) => `p${i}=${i}`).join(', ')}, realm="absurd", nonce="late", qop="auth"`,
        ];
        absurdCount += 1;
        const challenges = req.method === 'GET' && req.url === '/' ? [...absurd, unknown] : [absurd[absurdCount % absurd.length]!, unknown];
        res.writeHead(401, [...challenges.map((c): [string, string] => ['WWW-Authenticate', c]), ['Content-Length', '0']]);
        res.end();
        return;
      }
      default:
        res.writeHead(500).end();
    }
  };
  await listen(server, address);
  return {
    port: portOf(server),
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A 200 whose body is written as fast as the client reads it (backpressure keeps our memory flat). */
function streamHugeBody(res: ServerResponse, total: number, counters: HostileCounters): void {
  res.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': String(total) });
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let written = 0;
  const pump = (): void => {
    while (written < total && !res.destroyed) {
      const size = Math.min(chunk.byteLength, total - written);
      written += size;
      counters.bodyBytesWritten += size;
      if (!res.write(size === chunk.byteLength ? chunk : chunk.subarray(0, size))) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

/** Raw TCP for what an HTTP server library will not do: never finish a head, or reset mid-response. */
export async function startTcpSide(kind: 'slowloris' | 'reset', address: string, responder: HostileResponder): Promise<HttpSide> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    let request = '';
    let answered = false;
    socket.on('data', (data: Buffer) => {
      request += data.toString('latin1');
      if (answered || !/\r\n\r\n/.test(request)) return;
      answered = true;
      responder.counters.httpRequests += 1;
      if (/^authorization:/im.test(request) || /UsernameToken/.test(request)) responder.counters.credentialedRequests += 1;
      if (kind === 'reset') {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\nContent-Length: 4096\r\n\r\n<?xml version="1.0"?><s:Envelope');
        const timer = setTimeout(() => socket.resetAndDestroy(), 20);
        timers.add(timer);
        return;
      }
      socket.write('HTTP/1.1 200 OK\r\n');
      const header = 'X-Slow: ' + 'z'.repeat(1_000_000);
      let sent = 0;
      const timer = setInterval(() => {
        if (socket.destroyed || sent >= header.length) {
          clearInterval(timer);
          timers.delete(timer);
          return;
        }
        socket.write(header[sent++]!);
      }, 50);
      timers.add(timer);
    });
  });
  await listen(server, address);
  return {
    port: portOf(server),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function listen(server: Server | TcpServer, address: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function portOf(server: Server | TcpServer): number {
  const bound = server.address();
  return bound && typeof bound === 'object' ? bound.port : 0;
}
