/** The RTSP transport against tiny TCP peers on 127.0.0.1 that answer well, slowly, too much, or not at all. */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readCapture } from '../../support/captures.js';
import { createRtspTransport, RtspTransportError } from '../../../src/transport/rtsp.js';
import { buildRtspRequest, parseRtspResponse } from '../../../src/protocols/rtsp/index.js';
import { waitFor } from '../../support/wait.js';

interface Peer {
  port: number;
  received: string[];
  connections: number;
  close(): Promise<void>;
}

const peers: Peer[] = [];

/** A TCP peer that hands `onData` everything received on a connection once a request head has arrived. */
async function startPeer(onData: (socket: Socket, received: string) => void): Promise<Peer> {
  const sockets = new Set<Socket>();
  const peer: Peer = { port: 0, received: [], connections: 0, close: async () => undefined };
  const server: Server = createServer((socket) => {
    peer.connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (!received.includes('\r\n\r\n')) return;
      peer.received.push(received);
      onData(socket, received);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  peer.port = (server.address() as { port: number }).port;
  peer.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  peers.push(peer);
  return peer;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RtspTransportError) return error.code;
    throw error;
  }
  throw new Error('expected an RtspTransportError');
}

const options = (port: number): string => buildRtspRequest({ method: 'OPTIONS', url: `rtsp://127.0.0.1:${port}/`, cseq: 1 });

afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

describe('createRtspTransport', () => {
  it('sends the request as given and returns the captured answer, complete, without waiting for the peer to close', async () => {
    const capture = readCapture('rtsp/axis-AXISOS-GStreamer-OPTIONS-200-Kane610-axis.txt');
    const peer = await startPeer((socket) => socket.write(capture));
    const transport = createRtspTransport();
    const answer = await transport.request({ host: '127.0.0.1', port: peer.port, message: options(peer.port), timeoutMs: 2000, maxBytes: 16 * 1024 });
    await transport.close();
    expect(peer.received).toEqual([options(peer.port)]);
    expect(answer.complete).toBe(true);
    expect(answer.bytes.equals(capture)).toBe(true);
    expect(parseRtspResponse(answer.bytes).server).toBe('GStreamer RTSP server');
  });

  it('reads a body up to its Content-Length, across split writes', async () => {
    const body = 'v=0\r\ns=Stream\r\n';
    const head = `RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Length: ${body.length}\r\n\r\n`;
    const peer = await startPeer((socket) => {
      socket.write(head.slice(0, 10));
      setTimeout(() => socket.write(head.slice(10) + body.slice(0, 4)), 20);
      setTimeout(() => socket.write(`${body.slice(4)}TRAILING-GARBAGE`), 40);
    });
    const transport = createRtspTransport();
    const answer = await transport.request({ host: '127.0.0.1', port: peer.port, message: options(peer.port), timeoutMs: 2000, maxBytes: 16 * 1024 });
    expect(answer.bytes.toString('latin1')).toBe(head + body);
    expect(answer.complete).toBe(true);
  });

  it('a closed port is `refused`, at once', async () => {
    const port = await closedPort();
    const started = Date.now();
    expect(await codeOf(createRtspTransport().request({ host: '127.0.0.1', port, message: options(port), timeoutMs: 2000, maxBytes: 1024 }))).toBe('refused');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a peer that never answers is a `timeout` at the deadline', async () => {
    const peer = await startPeer(() => undefined);
    const started = Date.now();
    expect(await codeOf(createRtspTransport().request({ host: '127.0.0.1', port: peer.port, message: options(peer.port), timeoutMs: 300, maxBytes: 1024 }))).toBe('timeout');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(1500);
  });

  it('a head that does not end within the cap is `too-large`', async () => {
    const peer = await startPeer((socket) => socket.write(`RTSP/1.0 200 OK\r\nX-Filler: ${'a'.repeat(20_000)}`));
    expect(await codeOf(createRtspTransport().request({ host: '127.0.0.1', port: peer.port, message: options(peer.port), timeoutMs: 2000, maxBytes: 16 * 1024 }))).toBe('too-large');
  });

  it('a body larger than the cap is cut at the cap (the head is what matters)', async () => {
    const head = 'RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Length: 100000\r\n\r\n';
    const peer = await startPeer((socket) => socket.write(head + 'x'.repeat(100_000)));
    const answer = await createRtspTransport().request({ host: '127.0.0.1', port: peer.port, message: options(peer.port), timeoutMs: 2000, maxBytes: 1024 });
    expect(answer.complete).toBe(false);
    expect(answer.bytes.byteLength).toBe(1024);
    expect(parseRtspResponse(answer.bytes).statusCode).toBe(200);
  });

  it('a peer that closes without a byte is `closed`; one that closes mid-head gives what arrived, incomplete', async () => {
    const silent = await startPeer((socket) => socket.end());
    expect(await codeOf(createRtspTransport().request({ host: '127.0.0.1', port: silent.port, message: options(silent.port), timeoutMs: 2000, maxBytes: 1024 }))).toBe('closed');
    const truncated = readCapture('rtsp/hikvision-IPC-C1214-DESCRIBE-401-exoplayer-issue9800-truncated.txt');
    const cut = await startPeer((socket) => socket.end(truncated));
    const answer = await createRtspTransport().request({ host: '127.0.0.1', port: cut.port, message: options(cut.port), timeoutMs: 2000, maxBytes: 1024 });
    expect(answer.complete).toBe(false);
    expect(answer.bytes.equals(truncated)).toBe(true);
    expect(parseRtspResponse(answer.bytes).wwwAuthenticate[0]).toMatch(/^Digest realm="IP Camera\(C1214\)"/);
  });

  it('S1: refuses a message with an Authorization header before any connection is made', async () => {
    const peer = await startPeer((socket) => socket.end('RTSP/1.0 200 OK\r\n\r\n'));
    const transport = createRtspTransport();
    for (const header of ['Authorization: Basic YWRtaW46MTIzNDU=', 'authorization:Digest username="admin"', 'Proxy-Authorization: Basic eDp5']) {
      const message = `DESCRIBE rtsp://127.0.0.1:${peer.port}/ RTSP/1.0\r\nCSeq: 2\r\n${header}\r\n\r\n`;
      expect(await codeOf(transport.request({ host: '127.0.0.1', port: peer.port, message, timeoutMs: 1000, maxBytes: 1024 })), header).toBe('bad-request');
    }
    // Absence is proved against a barrier, not a sleep: a request that is allowed reaches the peer, and it is the
    // first connection the peer ever saw.
    await transport.request({ host: '127.0.0.1', port: peer.port, message: options(peer.port), timeoutMs: 5000, maxBytes: 1024 });
    expect(peer.connections).toBe(1);
  });

  it('refuses an impossible port; close() ends an exchange in flight and refuses later ones', async () => {
    const transport = createRtspTransport();
    expect(await codeOf(transport.request({ host: '127.0.0.1', port: 0, message: options(0), timeoutMs: 1000, maxBytes: 1024 }))).toBe('bad-request');
    const peer = await startPeer(() => undefined);
    const pending = codeOf(transport.request({ host: '127.0.0.1', port: peer.port, message: options(peer.port), timeoutMs: 5000, maxBytes: 1024 }));
    await waitFor(() => peer.connections === 1, 'the exchange to be in flight');
    const started = Date.now();
    await transport.close();
    expect(await pending).toBe('closed');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await codeOf(transport.request({ host: '127.0.0.1', port: peer.port, message: options(peer.port), timeoutMs: 1000, maxBytes: 1024 }))).toBe('closed');
  });
});
