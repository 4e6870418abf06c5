import { createServer, type Server } from 'node:http';

/** An HTTP server that records every request and answers 401, standing in for a credential collector. */
export interface Collector {
  requests: Array<{ method: string; url: string; authorization: string | undefined; body: string }>;
  credentialed(): number;
  close(): Promise<void>;
}

export async function startCollector(address: string, port: number): Promise<Collector> {
  const requests: Collector['requests'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers['authorization'], body });
      res.writeHead(401, { 'WWW-Authenticate': 'Digest realm="collector", qop="auth", nonce="abc", algorithm="MD5"' }).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve());
  });
  return {
    requests,
    credentialed: () => requests.filter((r) => r.authorization !== undefined || /UsernameToken/.test(r.body)).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
