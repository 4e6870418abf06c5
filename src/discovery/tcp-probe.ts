/**
 * The `probe` channel: a host that answers none of the UDP discovery probes (WS-Discovery switched off, as hardening
 * guides advise) but accepts TCP on a camera port is still a candidate, fingerprinted anonymously like any other.
 * Unicast targets only (never a multicast sweep); bounded and paced: a few connects in flight, a short connect
 * timeout, nothing written, and it ends with the discovery wait.
 */
import type { DiscoveryChannelRunner, DiscoveryContext } from './types.js';
import { tcpConnect, type TcpConnector } from '../transport/tcp-connect.js';
import { Limiter, delay } from '../util/async-queue.js';

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
      if (context.targets.length === 0) return;
      await delay(Math.min(options.graceMs ?? 600, context.waitMs / 2), context.signal);
      const limiter = new Limiter(options.inFlight ?? 32);
      const connectTimeoutMs = options.connectTimeoutMs ?? Math.max(100, Math.min(500, context.waitMs / 4));
      await Promise.all(
        context.targets.map(async (address) => {
          if (context.known?.(address)) return;
          const ports: Record<string, number> = {};
          for (const { port, service } of PROBE_PORTS) {
            if (context.signal.aborted) return;
            const outcome = await limiter.run(() => connect({ host: address, port, timeoutMs: connectTimeoutMs, signal: context.signal }));
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
        }),
      );
    },
  };
}

export const tcpProbeChannel = createTcpProbeChannel();
