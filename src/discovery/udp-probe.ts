/**
 * What the SADP, DHIP and SSDP channels share: open a socket through the injected factory (a failure is a warning,
 * never a failed scan), send one probe to every target by unicast, once more to the targets that stayed silent
 * (UDP is lossy), drop duplicate datagrams (a device heard on two interfaces, or answering twice), and bound what
 * one source address can make us do (a host answering a probe with hundreds of datagrams or identities).
 */
import { createHash } from 'node:crypto';
import type { Observation } from '../model/record.js';
import type { UdpEndpoint, UdpMessage, UdpOpenOptions } from '../transport/udp.js';
import { delay } from '../util/async-queue.js';
import type { DiscoveryContext } from './types.js';

/** Datagrams in flight at once during a unicast sweep (a /16 is 65 536 targets). */
const SEND_BATCH = 128;
/** The resend waits this long, or half the listening window when that is shorter. */
const RESEND_AFTER_MS = 600;
const MAX_RESENDS = 3;

/**
 * When to resend to the targets still silent: every 600 ms (the first after half the wait when that is shorter),
 * at most three times, and never so late that an answer (≤ 500 ms, APP_MAX_DELAY) could not arrive in the wait.
 * UDP is lossy and a burst of answers can overflow a receive buffer the kernel keeps small (rmem_max).
 */
export function resendTimes(waitMs: number): number[] {
  const times: number[] = [];
  let at = Math.min(RESEND_AFTER_MS, waitMs / 2);
  while (times.length < MAX_RESENDS && (times.length === 0 || at <= waitMs - 500)) {
    times.push(at);
    at += RESEND_AFTER_MS;
  }
  return times;
}

/** Sleep until each resend time (measured from `started`), calling `resend` for the targets still silent. */
export async function resendToSilent(context: DiscoveryContext, started: number, resend: () => Promise<void>): Promise<void> {
  for (const at of resendTimes(context.waitMs)) {
    await delay(Math.max(0, at - (performance.now() - started)), context.signal);
    if (context.signal.aborted) return;
    await resend();
  }
}

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
 * Send `payload` to `port` on each target, in batches, then again (resendTimes) to the targets not in `answered`.
 * Resolves when the last resend is done (inside the listening window), or at once when the scan is aborted.
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
  const started = performance.now();
  await send(options.targets);
  await resendToSilent(context, started, () => send(options.targets.filter((target) => !options.answered.has(target))));
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

/**
 * Datagrams handled per source address and channel in one scan. A camera answers each probe once per interface
 * (we send two: the probe and its resend); SSDP `ssdp:all` gets one answer per device and service type, about ten
 * on the busiest capture. 64 leaves room for all of that; a host sending 500 answers to one probe is flooding.
 */
export const MAX_DATAGRAMS_PER_SOURCE = 64;
/**
 * Distinct devices (MAC / serial / endpoint) reported from one source address per channel. A NAT gateway or an
 * NVR's proxy can front a few cameras; past 16, every new identity from that address is one more record to
 * fingerprint and one more possible login, all on one host's say-so.
 */
export const MAX_DEVICES_PER_SOURCE = 16;

export interface SourceLimits {
  /** False once the source has sent MAX_DATAGRAMS_PER_SOURCE datagrams (the first refusal warns, once). */
  admit(message: UdpMessage): boolean;
  /** The discovery context, with `found` capped at MAX_DEVICES_PER_SOURCE identities per address. */
  readonly context: DiscoveryContext;
}

export function limitSources(context: DiscoveryContext, label: string, limits = { datagrams: MAX_DATAGRAMS_PER_SOURCE, devices: MAX_DEVICES_PER_SOURCE }): SourceLimits {
  const datagrams = new Map<string, number>();
  const identities = new Map<string, Set<string>>();
  const warned = new Set<string>();
  const warnOnce = (address: string, message: string): void => {
    if (warned.has(address)) return;
    warned.add(address);
    context.warn(address, message, 'source-flood');
  };
  const found = (observation: Observation): void => {
    const key = [observation.mac ?? '', observation.serial ?? '', observation.endpoint ?? ''].join('|');
    let seen = identities.get(observation.address);
    if (!seen) {
      seen = new Set();
      identities.set(observation.address, seen);
    }
    if (!seen.has(key)) {
      if (seen.size >= limits.devices) {
        warnOnce(observation.address, `${label}: more than ${limits.devices} devices claimed by one address; the rest are ignored`);
        return;
      }
      seen.add(key);
    }
    context.found(observation);
  };
  return {
    admit(message) {
      const count = (datagrams.get(message.address) ?? 0) + 1;
      datagrams.set(message.address, count);
      if (count <= limits.datagrams) return true;
      warnOnce(message.address, `${label}: more than ${limits.datagrams} datagrams from one address; the rest are ignored`);
      return false;
    },
    context: { ...context, found },
  };
}
