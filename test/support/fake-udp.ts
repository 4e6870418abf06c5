/**
 * A UdpSocketFactory with no sockets: it records what was opened and sent, and lets a test play the network by
 * delivering datagrams to a socket's handlers (docs/ARCHITECTURE.md §6: inject the transport, never mock node:dgram).
 */
import type { Observation } from '../../src/scan/registry.js';
import type { DiscoveryContext, MulticastInterface } from '../../src/discovery/types.js';
import { testSweep } from './sweep.js';
import type { UdpEndpoint, UdpMessage, UdpOpenOptions, UdpSocketFactory } from '../../src/transport/udp.js';

export interface SentDatagram {
  socket: FakeSocket;
  data: Buffer;
  port: number;
  address: string;
}

export class FakeSocket implements UdpEndpoint {
  readonly localAddress: string;
  readonly localPort: number;
  closed = false;
  private readonly messageHandlers: Array<(message: UdpMessage) => void> = [];
  private readonly errorHandlers: Array<(error: Error) => void> = [];

  constructor(
    readonly options: UdpOpenOptions,
    private readonly network: FakeUdp,
    port: number,
  ) {
    this.localAddress = options.bindAddress ?? (options.type === 'udp6' ? '::' : '0.0.0.0');
    this.localPort = port;
  }

  async send(data: Buffer | string, port: number, address: string): Promise<void> {
    if (this.closed) throw new Error('socket closed');
    const sent: SentDatagram = { socket: this, data: Buffer.from(data), port, address };
    this.network.sent.push(sent);
    const failure = this.network.sendFailure?.(sent);
    if (failure) throw failure;
    // Answers arrive after the send resolves, as on a real network.
    queueMicrotask(() => this.network.onSend?.(sent));
  }

  onMessage(handler: (message: UdpMessage) => void): void {
    this.messageHandlers.push(handler);
  }

  onError(handler: (error: Error) => void): void {
    this.errorHandlers.push(handler);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Play a datagram arriving at this socket. */
  deliver(data: Buffer | string, address: string, port = 40000): void {
    if (this.closed) return;
    const message: UdpMessage = { data: Buffer.from(data), address, port, family: address.includes(':') ? 'IPv6' : 'IPv4' };
    for (const handler of this.messageHandlers) handler(message);
  }

  fail(error: Error): void {
    for (const handler of this.errorHandlers) handler(error);
  }
}

export class FakeUdp {
  readonly sockets: FakeSocket[] = [];
  readonly sent: SentDatagram[] = [];
  /** Called (in a microtask) after every send: the place to script answers. */
  onSend?: (sent: SentDatagram) => void;
  /** Return an error to make an open fail. */
  openFailure?: (options: UdpOpenOptions) => Error | null;
  /** Return an error to make a send fail. */
  sendFailure?: (sent: SentDatagram) => Error | null;
  private nextPort = 50000;

  readonly factory: UdpSocketFactory = async (options) => {
    const failure = this.openFailure?.(options);
    if (failure) throw failure;
    const socket = new FakeSocket(options, this, options.port ?? this.nextPort++);
    this.sockets.push(socket);
    return socket;
  };

  sentTo(address: string, port?: number): SentDatagram[] {
    return this.sent.filter((s) => s.address === address && (port === undefined || s.port === port));
  }
}

export interface RecordedWarning {
  address: string | null;
  message: string;
  code: string | undefined;
}

export interface RecordingContext {
  context: DiscoveryContext;
  observations: Observation[];
  warnings: RecordedWarning[];
  controller: AbortController;
}

export function createRecordingContext(options: {
  udp: UdpSocketFactory;
  targets?: string[];
  interfaces?: MulticastInterface[];
  waitMs?: number;
  uuid?: string;
}): RecordingContext {
  const observations: Observation[] = [];
  const warnings: RecordedWarning[] = [];
  const controller = new AbortController();
  const sweep = testSweep(options.targets ?? [], options.waitMs ?? 60);
  return {
    observations,
    warnings,
    controller,
    context: {
      udp: options.udp,
      sweep,
      interfaces: options.interfaces ?? [],
      waitMs: options.waitMs ?? 60,
      signal: controller.signal,
      found: (observation) => {
        sweep.heard(observation.address);
        observations.push(observation);
      },
      warn: (address, message, code) => warnings.push({ address, message, code }),
      newUuid: () => options.uuid ?? '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
    },
  };
}
