/**
 * What the SADP, DHIP and SSDP channels share: open a socket through the injected factory (a failure is a warning,
 * never a failed scan), send one probe to every target of the shared sweep, again to the targets still silent
 * (UDP is lossy), drop duplicate datagrams (a device heard on two interfaces, or answering twice), and bound what
 * one source address can make us do (a host answering a probe with hundreds of datagrams or identities).
 */
import { createHash } from 'node:crypto';
import type { Observation } from '../model/record.js';
import type { UdpEndpoint, UdpMessage, UdpOpenOptions } from '../transport/udp.js';
import type { DiscoveryContext } from './types.js';

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
 * Send `payload` to `port` on every target of the sweep as its batch is released, and again to the ones no channel
 * has heard (discovery/sweep.ts). Resolves when the last resend is sent, or at once when the scan is aborted.
 */
export async function sweepTargets(
  context: DiscoveryContext,
  options: { label: string; sockets: UdpEndpoint[]; payload: Buffer; port: number; accepts?: (address: string) => boolean },
): Promise<void> {
  const { label, sockets, payload, port } = options;
  if (sockets.length === 0) return;
  let next = 0;
  await context.sweep.join(
    {
      ...(options.accepts ? { accepts: options.accepts } : {}),
      send: async (targets) => {
        await Promise.all(
          targets.map((target) => {
            // Round robin: each socket's send buffer holds its share of the datagrams waiting on ARP.
            const socket = sockets[next++ % sockets.length]!;
            return socket.send(payload, port, target).catch((error: Error) => context.warn(target, `${label} probe not sent: ${error.message}`, 'send-failed'));
          }),
        );
      },
    },
    context.signal,
  );
}

/** The sockets a channel sweeps from: one, or ON_LINK_SOCKETS for an on-link sweep (null ones could not open). */
export async function openSweepSockets(sockets: ProbeSockets, options: UdpOpenOptions, purpose: string, count: number): Promise<UdpEndpoint[]> {
  const opened: UdpEndpoint[] = [];
  for (let i = 0; i < count; i++) {
    const socket = await sockets.open(options, purpose);
    if (socket) opened.push(socket);
    else break;
  }
  return opened;
}

/**
 * 48 bits of SHA-256 over sender and content, as a number: a Set of numbers costs a tenth of a Set of 60-character
 * keys, and a collision among 10⁵ datagrams has odds of about 10⁻⁵ (it would drop one repeated answer).
 */
export function datagramKey(address: string, content: Buffer | string): number {
  return createHash('sha256').update(address).update('|').update(content).digest().readUIntBE(0, 6);
}

/** Remembers datagrams already handled, by sender and content. */
export function createDuplicateFilter(): (message: UdpMessage) => boolean {
  const seen = new Set<number>();
  return (message) => {
    const key = datagramKey(message.address, message.data);
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
