/**
 * UDP sockets, the only dgram code in the project. Discovery channels receive a UdpSocketFactory, so tests and the
 * simulator can hand them anything that speaks this interface (docs/ARCHITECTURE.md §6).
 */
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';

export interface UdpMessage {
  data: Buffer;
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
}

export interface UdpOpenOptions {
  type: 'udp4' | 'udp6';
  /** Local address to bind; default any. */
  bindAddress?: string;
  /** Local port; default ephemeral. */
  port?: number;
  reuseAddr?: boolean;
  /** udp6 only: do not also receive IPv4 (a dual-stack socket on :: would). */
  ipv6Only?: boolean;
  /** Join these multicast groups on the given local interface address (or all when undefined). */
  memberships?: Array<{ group: string; interfaceAddress?: string }>;
  /** Outgoing multicast interface (IPv4 address, or `::%ifname` for IPv6). */
  multicastInterface?: string;
  multicastTtl?: number;
  multicastLoopback?: boolean;
  broadcast?: boolean;
  /** Receive buffer to ask for (the kernel caps it at net.core.rmem_max); default DISCOVERY_RECV_BUFFER_BYTES. */
  recvBufferSize?: number;
  /** Send buffer to ask for (capped at net.core.wmem_max); default the system's. */
  sendBufferSize?: number;
}

export interface UdpEndpoint {
  readonly localAddress: string;
  readonly localPort: number;
  send(data: Buffer | string, port: number, address: string): Promise<void>;
  onMessage(handler: (message: UdpMessage) => void): void;
  onError(handler: (error: Error) => void): void;
  close(): Promise<void>;
}

export type UdpSocketFactory = (options: UdpOpenOptions) => Promise<UdpEndpoint>;

/**
 * Hundreds of devices answer a sweep within milliseconds, ~3 KB each: the default 208 KiB receive buffer overflows
 * while the event loop is busy fingerprinting the first answers (measured: 307 of ~750 datagrams dropped at 250
 * devices, 2728 at 1000 — bench/). Ask for 4 MiB; where rmem_max is lower, the kernel grants what it allows and the
 * channels' resends cover the rest.
 */
export const DISCOVERY_RECV_BUFFER_BYTES = 4 * 1024 * 1024;

/** Largest datagram we accept; IPv4 UDP cannot carry more than 65507 bytes anyway. */
export const MAX_DATAGRAM_BYTES = 65_535;

export const openUdpSocket: UdpSocketFactory = async (options) => {
  const socket = dgram.createSocket({ type: options.type, reuseAddr: options.reuseAddr ?? false, ...(options.ipv6Only ? { ipv6Only: true } : {}) });
  const messageHandlers: Array<(message: UdpMessage) => void> = [];
  const errorHandlers: Array<(error: Error) => void> = [];
  socket.on('message', (data, rinfo) => {
    const message: UdpMessage = {
      data,
      address: rinfo.address,
      port: rinfo.port,
      family: rinfo.family === 'IPv6' || isIPv6(rinfo.address) ? 'IPv6' : 'IPv4',
    };
    for (const handler of messageHandlers) handler(message);
  });
  socket.on('error', (error) => {
    for (const handler of errorHandlers) handler(error);
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    socket.once('error', onError);
    socket.bind({ address: options.bindAddress, port: options.port ?? 0, exclusive: !options.reuseAddr }, () => {
      socket.off('error', onError);
      resolve();
    });
  });
  try {
    try {
      socket.setRecvBufferSize(options.recvBufferSize ?? DISCOVERY_RECV_BUFFER_BYTES);
    } catch {
      // Not permitted here: keep the system default.
    }
    if (options.sendBufferSize !== undefined) {
      try {
        socket.setSendBufferSize(options.sendBufferSize);
      } catch {
        // Not permitted here: keep the system default.
      }
    }
    if (options.broadcast) socket.setBroadcast(true);
    if (options.multicastTtl !== undefined) socket.setMulticastTTL(options.multicastTtl);
    if (options.multicastLoopback !== undefined) socket.setMulticastLoopback(options.multicastLoopback);
    if (options.multicastInterface) socket.setMulticastInterface(options.multicastInterface);
    for (const membership of options.memberships ?? []) {
      socket.addMembership(membership.group, membership.interfaceAddress);
    }
  } catch (error) {
    socket.close();
    throw error;
  }
  const bound = socket.address();
  let closed = false;
  return {
    localAddress: bound.address,
    localPort: bound.port,
    send: (data, port, address) =>
      new Promise<void>((resolve, reject) => {
        if (closed) {
          reject(new Error('socket closed'));
          return;
        }
        socket.send(data, port, address, (error) => (error ? reject(error) : resolve()));
      }),
    onMessage: (handler) => void messageHandlers.push(handler),
    onError: (handler) => void errorHandlers.push(handler),
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) {
          resolve();
          return;
        }
        closed = true;
        socket.close(() => resolve());
      }),
  };
};
