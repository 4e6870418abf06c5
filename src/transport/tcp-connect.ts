/**
 * A bare TCP connect, to learn whether anything listens on a port (the unicast sweep's `probe` channel). Nothing is
 * written: the socket is closed as soon as the handshake completes, or refused, or the short timeout passes.
 */
import { connect, isIPv6 } from 'node:net';

export type TcpConnectOutcome = 'open' | 'refused' | 'timeout' | 'error';

export interface TcpConnectRequest {
  host: string;
  port: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export type TcpConnector = (request: TcpConnectRequest) => Promise<TcpConnectOutcome>;

export const tcpConnect: TcpConnector = (request) =>
  new Promise((resolve) => {
    if (request.signal?.aborted) {
      resolve('timeout');
      return;
    }
    const socket = connect({ host: request.host, port: request.port, family: isIPv6(request.host) ? 6 : 4 });
    let settled = false;
    const finish = (outcome: TcpConnectOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', abort);
      socket.destroy();
      resolve(outcome);
    };
    const abort = (): void => finish('timeout');
    const timer = setTimeout(() => finish('timeout'), request.timeoutMs);
    request.signal?.addEventListener('abort', abort, { once: true });
    socket.once('connect', () => finish('open'));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(error.code === 'ECONNREFUSED' ? 'refused' : 'error'));
  });
