/**
 * The HTTP front of a simulated device: reads the request (bounded), counts it as anonymous or credentialed, then
 * hands it to the first service (services/) that claims it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { normaliseSource, send } from './http-reply.js';
import { responderDeviceInfo, ssdpDescriptionXml, SSDP_DESCRIPTION_PATH } from './responders/index.js';
import { HTTP_SERVICES, type ServiceHost } from './services/index.js';

export async function serveHttp(host: ServiceHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > 256 * 1024) {
      res.writeHead(413).end();
      return;
    }
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks).toString('utf8');
  const source = normaliseSource(req.socket.remoteAddress ?? '');
  const url = new URL(req.url ?? '/', 'http://device');
  const authorization = req.headers['authorization'];
  const hasWsse = /UsernameToken/.test(body);
  const credentialed = authorization !== undefined || hasWsse;
  if (credentialed) {
    host.gate.noteCredentialed(source);
    if (authorization && hasWsse) host.counters.mixedCredentialRequests += 1;
    if (authorization && /^\s*basic/i.test(authorization)) host.counters.basicCredentialRequests += 1;
  } else {
    host.counters.anonymousRequests += 1;
  }
  const server = host.profile.http?.server;
  if (server) res.setHeader('Server', server);

  if (req.method === 'GET' && url.pathname === SSDP_DESCRIPTION_PATH && host.profile.channels.includes('ssdp')) {
    send(res, 200, 'text/xml; charset="utf-8"', ssdpDescriptionXml(responderDeviceInfo(host.profile, host.address, host.httpPort)));
    return;
  }
  const request = { req, res, url, body, source, secure: (req.socket as TLSSocket).encrypted === true };
  for (const service of HTTP_SERVICES) {
    if (await service(host, request)) return;
  }
  send(res, 404, 'text/plain', 'not found');
}
