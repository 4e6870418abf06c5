/**
 * What the SADP, DHIP and SSDP channels share: open a socket through the injected factory (a failure is a warning,
 * never a failed scan), send one probe to every target by unicast, once more to the targets that stayed silent
 * (UDP is lossy), and drop duplicate datagrams (a device heard on two interfaces, or answering twice).
 */
import { createHash } from 'node:crypto';
import type { UdpEndpoint, UdpMessage, UdpOpenOptions } from '../transport/udp.js';
import { delay } from '../util/async-queue.js';
import type { DiscoveryContext } from './types.js';

/** Datagrams in flight at once during a unicast sweep (a /16 is 65 536 targets). */
const SEND_BATCH = 128;
/** The resend waits this long, or half the listening window when that is shorter. */
const RESEND_AFTER_MS = 600;

export interface ProbeSockets {
  readonly all: UdpEndpoint[];
  /** Open a socket, subscribe `handle`, and report errors as warnings; null (and a warning) when it cannot open. */
  open(options: UdpOpenOptions, purpose: string): Promise<UdpEndpoint | null>;
  closeAll(): Promise<void>;
}

export function createProbeSockets(context: DiscoveryContext, label: string, handle: (message: UdpMessage) => void): ProbeSockets {
  const all: UdpEndpoint[] = [];
  return {
    all,
    async open(options, purpose) {
      let socket: UdpEndpoint;
      try {
        socket = await context.udp(options);
      } catch (error) {
        context.warn(null, `${label} cannot open a socket for ${purpose}: ${(error as Error).message}`, 'interface-failed');
        return null;
      }
      all.push(socket);
      socket.onMessage((message) => {
        // A throw here would surface as an uncaught exception from the socket's event emitter.
        try {
          handle(message);
        } catch (error) {
          context.warn(message.address, `${label} reply not handled: ${(error as Error).message}`, 'handler-failed');
        }
      });
      socket.onError((error) => context.warn(null, `${label} socket error (${purpose}): ${error.message}`, 'socket-error'));
      return socket;
    },
    async closeAll() {
      await Promise.all(all.map((socket) => socket.close().catch(() => undefined)));
    },
  };
}

/**
 * Send `payload` to `port` on each target, in batches, then once more to the targets not in `answered`. Resolves
 * when the resend is done (well inside the listening window), or at once when the scan is aborted.
 */
export async function sweepTargets(
  context: DiscoveryContext,
  options: { label: string; socket: UdpEndpoint; payload: Buffer; port: number; targets: string[]; answered: ReadonlySet<string> },
): Promise<void> {
  const { label, socket, payload, port } = options;
  const send = async (targets: string[]): Promise<void> => {
    for (let i = 0; i < targets.length; i += SEND_BATCH) {
      if (context.signal.aborted) return;
      await Promise.all(
        targets.slice(i, i + SEND_BATCH).map((target) =>
          socket.send(payload, port, target).catch((error: Error) => context.warn(target, `${label} probe not sent: ${error.message}`, 'send-failed')),
        ),
      );
    }
  };
  await send(options.targets);
  await delay(Math.min(RESEND_AFTER_MS, context.waitMs / 2), context.signal);
  await send(options.targets.filter((target) => !options.answered.has(target)));
}

/** Remembers datagrams already handled, by sender and content. */
export function createDuplicateFilter(): (message: UdpMessage) => boolean {
  const seen = new Set<string>();
  return (message) => {
    const key = `${message.address}|${createHash('sha256').update(message.data).digest('base64')}`;
    if (seen.has(key)) return true;
    seen.add(key);
    return false;
  };
}
