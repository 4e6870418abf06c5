/**
 * Peers that lie about who they are (issue 16), for tests only: a host that answers WS-Discovery with another
 * device's identity (a forged ProbeMatch claiming a Hikvision model, a replayed camera reply with its MAC) and
 * whose own HTTP server tells the truth about itself (its realm and Server header) while challenging every request
 * with Digest, as a router's admin page or a Digest-protected box does. Each counts what it received, so tests can
 * prove it got no credential.
 */
import type { Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { openUdpSocket, type UdpEndpoint } from '../../src/transport/udp.js';
import { probeMatchesXml } from '../../src/simulator/wire/ws-discovery.js';

export interface LyingPeerOptions {
  address: string;
  /** What its own HTTP answers say (the truth about it). */
  realm: string;
  server: string;
  /** What its WS-Discovery answer claims. */
  claim: { model: string; name?: string; mac?: string; endpointUuid?: string };
}

export interface LyingPeer {
  address: string;
  httpPort: number;
  counters: { probes: number; httpRequests: number; credentialedRequests: number };
  stop(): Promise<void>;
}

const WS_PROBE = /<(?:[\w-]+:)?Probe[\s>]/;
const WS_MESSAGE_ID = /<(?:[\w-]+:)?MessageID[^>]*>([^<]{1,256})</;

export async function startLyingPeer(options: LyingPeerOptions): Promise<LyingPeer> {
  const counters = { probes: 0, httpRequests: 0, credentialedRequests: 0 };
  // Raw HTTP over TCP: node's HTTP server refuses control bytes in headers, and a hostile device does not.
  const sockets = new Set<Socket>();
  const server: TcpServer | Server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffered.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        const body = buffered.subarray(end + 4, end + 4 + length).toString('utf8');
        buffered = buffered.subarray(end + 4 + length);
        counters.httpRequests += 1;
        if (/\r\nauthorization:/i.test(head) || /UsernameToken/.test(body)) counters.credentialedRequests += 1;
        const html = '<html><body>401 Unauthorized</body></html>';
        socket.write(
          Buffer.from(
            `HTTP/1.1 401 Unauthorized\r\nServer: ${options.server}\r\n` +
              `WWW-Authenticate: Digest realm="${options.realm}", qop="auth", nonce="${randomUUID().replace(/-/g, '')}", algorithm="MD5"\r\n` +
              `Content-Type: text/html\r\nContent-Length: ${html.length}\r\n\r\n${html}`,
            'utf8',
          ),
        );
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.address, () => resolve());
  });
  const httpPort = (server.address() as { port: number }).port;
  let socket: UdpEndpoint | null = null;
  try {
    socket = await openUdpSocket({ type: 'udp4', bindAddress: options.address, port: 3702 });
  } catch (error) {
    server.close();
    throw error;
  }
  const udp = socket;
  const endpointUuid = options.claim.endpointUuid ?? `urn:uuid:${randomUUID()}`;
  udp.onError(() => undefined);
  udp.onMessage((message) => {
    const text = message.data.toString('utf8');
    if (!WS_PROBE.test(text) || /ProbeMatch/.test(text)) return;
    counters.probes += 1;
    const scopes = [
      `onvif://www.onvif.org/type/NetworkVideoTransmitter`,
      `onvif://www.onvif.org/name/${encodeURIComponent(options.claim.name ?? 'HIKVISION')}`,
      `onvif://www.onvif.org/hardware/${encodeURIComponent(options.claim.model)}`,
      ...(options.claim.mac ? [`onvif://www.onvif.org/MAC/${options.claim.mac}`] : []),
    ];
    const reply = probeMatchesXml(randomUUID(), WS_MESSAGE_ID.exec(text)?.[1]?.trim() ?? 'uuid:00000000-0000-0000-0000-000000000001', {
      address: /^[0-9a-f-]{36}$/i.test(endpointUuid) ? `urn:uuid:${endpointUuid}` : endpointUuid,
      types: 'dn:NetworkVideoTransmitter',
      scopes,
      xaddrs: [`http://${options.address}:${httpPort}/onvif/device_service`],
    });
    void udp.send(Buffer.from(reply, 'utf8'), message.port, message.address).catch(() => undefined);
  });
  return {
    address: options.address,
    httpPort,
    counters,
    stop: async () => {
      await udp.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface MediaServerPeer {
  address: string;
  counters: { searches: number; httpRequests: number; credentialedRequests: number };
  stop(): Promise<void>;
}

/**
 * A DLNA media server as MiniDLNA presents itself (UPnP AV MediaServer:1, the default serial 12345678, its
 * manufacturer string), answering SSDP M-SEARCH and serving its description; any other HTTP path gets a Digest
 * challenge so that only the device-kind rule stands between it and a knock.
 */
export async function startMediaServer(address: string): Promise<MediaServerPeer> {
  const counters = { searches: 0, httpRequests: 0, credentialedRequests: 0 };
  const { createServer } = await import('node:http');
  let port = 0;
  const description = (): string =>
    `<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>0</minor></specVersion>` +
    `<device><deviceType>urn:schemas-upnp-org:device:MediaServer:1</deviceType><friendlyName>nas: minidlna</friendlyName>` +
    `<manufacturer>Justin Maggard</manufacturer><manufacturerURL>http://www.netgear.com/</manufacturerURL>` +
    `<modelDescription>MiniDLNA on Linux</modelDescription><modelName>Windows Media Connect compatible (MiniDLNA)</modelName>` +
    `<modelNumber>1.3.0</modelNumber><serialNumber>12345678</serialNumber><UDN>uuid:4d696e69-444c-164e-9d41-${address.split('.').map((o) => Number(o).toString(16).padStart(2, '0')).join('').padStart(12, '0')}</UDN></device></root>`;
  const server = createServer((req, res) => {
    counters.httpRequests += 1;
    if (req.headers['authorization'] !== undefined) counters.credentialedRequests += 1;
    if (req.url === '/rootDesc.xml') {
      res.writeHead(200, { 'Content-Type': 'text/xml; charset="utf-8"', Server: 'Linux DLNADOC/1.50 UPnP/1.0 MiniDLNA/1.3.0' }).end(description());
      return;
    }
    res.writeHead(401, { 'WWW-Authenticate': `Digest realm="nas", qop="auth", nonce="${randomUUID()}", algorithm="MD5"` }).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => resolve());
  });
  port = (server.address() as { port: number }).port;
  const udp = await openUdpSocket({ type: 'udp4', bindAddress: address, port: 1900 });
  udp.onError(() => undefined);
  udp.onMessage((message) => {
    if (!/^M-SEARCH /.test(message.data.toString('latin1'))) return;
    counters.searches += 1;
    const reply =
      `HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1810\r\nDATE: ${new Date().toUTCString()}\r\nST: urn:schemas-upnp-org:device:MediaServer:1\r\n` +
      `USN: uuid:4d696e69-444c-164e-9d41-000000000001::urn:schemas-upnp-org:device:MediaServer:1\r\nEXT:\r\n` +
      `SERVER: Linux DLNADOC/1.50 UPnP/1.0 MiniDLNA/1.3.0\r\nLOCATION: http://${address}:${port}/rootDesc.xml\r\nContent-Length: 0\r\n\r\n`;
    void udp.send(Buffer.from(reply, 'latin1'), message.port, message.address).catch(() => undefined);
  });
  return {
    address,
    counters,
    stop: async () => {
      await udp.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
