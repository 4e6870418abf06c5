/**
 * The `probe` channel: a host that answers none of the UDP discovery probes (WS-Discovery switched off, as hardening
 * guides advise) but accepts TCP on a camera port is still a candidate, fingerprinted anonymously like any other.
 * Unicast targets only (never a multicast sweep); bounded and paced: a few connects in flight, a short connect
 * timeout, nothing written, and it ends with the discovery wait.
 */
import type { DiscoveryChannelRunner, DiscoveryContext } from './types.js';
import { tcpConnect, type TcpConnector } from '../transport/tcp-connect.js';
import { sharedSignal } from '../util/signals.js';

/** HTTP, HTTPS, RTSP (RFC 2326), Hikvision SDK/ISAPI alt port, Dahua's TCP service port. */
export const PROBE_PORTS: ReadonlyArray<{ port: number; service: string }> = [
  { port: 80, service: 'http' },
  { port: 443, service: 'https' },
  { port: 554, service: 'rtsp' },
  { port: 8000, service: 'hikvision-sdk' },
  { port: 37777, service: 'dahua-tcp' },
];

export interface TcpProbeOptions {
  connect?: TcpConnector;
  /** Connection attempts in flight at once. */
  inFlight?: number;
  connectTimeoutMs?: number;
  /** UDP answers arrive within 500 ms (WS-Discovery APP_MAX_DELAY): only hosts silent by then are swept. */
  graceMs?: number;
}

export function createTcpProbeChannel(options: TcpProbeOptions = {}): DiscoveryChannelRunner {
  const connect = options.connect ?? tcpConnect;
  return {
    name: 'probe',
    async run(context: DiscoveryContext): Promise<void> {
      if (context.sweep.size === 0) return;
      const connectTimeoutMs = options.connectTimeoutMs ?? Math.max(100, Math.min(500, context.waitMs / 4));
      // Addresses wait here between their batch and a worker: a few batches of strings, never a promise each.
      const queue: string[][] = [];
      const waiting: Array<() => void> = [];
      const wakeAll = (): void => {
        for (const resume of waiting.splice(0)) resume();
      };
      let joined = false;
      const stop = new AbortController();
      // Each connect in flight (up to inFlight) listens on it.
      const signal = sharedSignal(context.signal, stop.signal);
      signal.addEventListener('abort', wakeAll, { once: true });
      const probe = async (address: string): Promise<void> => {
        if (context.known?.(address)) return;
        // On-link, an address nobody answered ARP for has no host behind it: nothing to connect to.
        if (context.neighbours?.state(address) === 'unresolved') return;
        const ports: Record<string, number> = {};
        for (const { port, service } of PROBE_PORTS) {
          if (signal.aborted) return;
          const outcome = await connect({ host: address, port, timeoutMs: connectTimeoutMs, signal });
          if (outcome === 'open') ports[service] = port;
        }
        if (Object.keys(ports).length === 0 || context.known?.(address)) return;
        // Only ports the fingerprint knows how to use are handed on; the rest are evidence of a listener.
        const usable: Record<string, number> = {};
        if (ports['http'] !== undefined) usable['http'] = ports['http'];
        if (ports['https'] !== undefined) usable['https'] = ports['https'];
        if (ports['rtsp'] !== undefined) usable['rtsp'] = ports['rtsp'];
        context.found({
          channel: 'probe',
          address,
          ports: usable,
          evidence: Object.entries(ports).map(([service, port]) => ({ source: 'probe', field: 'tcp-open', value: `${port}/${service}` })),
        });
      };
      const take = (): string | null => {
        while (queue.length > 0) {
          const head = queue[0]!;
          const address = head.pop();
          if (head.length === 0) queue.shift();
          if (address !== undefined) return address;
        }
        return null;
      };
      const worker = async (): Promise<void> => {
        for (;;) {
          if (signal.aborted) return;
          const address = take();
          if (address !== null) {
            await probe(address);
            continue;
          }
          if (joined) return;
          await new Promise<void>((resolve) => waiting.push(resolve));
        }
      };
      const workers = Promise.all(Array.from({ length: options.inFlight ?? 32 }, () => worker()));
      // UDP answers arrive within 500 ms: each batch comes here only once that has passed, and only its silent part.
      await context.sweep.join(
        {
          send: async (targets) => {
            const silent = targets.filter((address) => !context.known?.(address)).reverse();
            if (silent.length === 0) return;
            queue.push(silent);
            wakeAll();
          },
        },
        context.signal,
        { delayMs: Math.min(options.graceMs ?? 600, context.waitMs / 2), resend: false },
      );
      joined = true;
      wakeAll();
      // Connects end with the listening window: a /16 of silent addresses must not stretch discovery.
      await Promise.race([workers, context.sweep.listen(context.signal)]);
      stop.abort();
      await workers;
    },
  };
}

export const tcpProbeChannel = createTcpProbeChannel();
