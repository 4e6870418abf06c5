/**
 * ONVIF WS-Discovery: a Probe by unicast to each target's UDP 3702 and by multicast to 239.255.255.250:3702 on
 * each chosen interface. Answers are decoded by the pure codec; an undecodable datagram becomes a warning, never a
 * failed scan (docs/ARCHITECTURE.md §4). Devices answer after a random delay of up to APP_MAX_DELAY = 500 ms (WS-Discovery
 * §3.1.3), so each probe is repeated once for targets that stayed silent (UDP is lossy). The multicast Probe is
 * retransmitted within the wait as SOAP-over-UDP 1.1 Appendix I prescribes for multicast (MULTICAST_UDP_REPEAT = 4
 * repeats, the first after a random UDP_MIN_DELAY–UDP_MAX_DELAY = 50–250 ms, each delay doubled up to
 * UDP_UPPER_DELAY = 500 ms), with the same MessageID so devices can drop the duplicates; the answers to the repeats
 * are deduplicated here (the same reply from the same address but for its MessageID counts once).
 */
import { parseDiscoveryMessage, buildProbe, parseScopes, classifyEndpoint, vendorFromScopes, macFromEndpointUuid } from '../protocols/ws-discovery/index.js';
import type { ProbeMatch } from '../protocols/ws-discovery/index.js';
import type { Evidence } from '../model/device.js';
import type { UdpEndpoint, UdpMessage } from '../transport/udp.js';
import { delay } from '../util/async-queue.js';
import type { DiscoveryChannelRunner, DiscoveryContext } from './types.js';
import { datagramKey, limitSources } from './udp-probe.js';
import { WS_DISCOVERY_PORT, WS_DISCOVERY_IPV4_GROUP, WS_DISCOVERY_IPV6_GROUP } from '../protocols/ws-discovery/index.js';
export { WS_DISCOVERY_PORT, WS_DISCOVERY_IPV4_GROUP, WS_DISCOVERY_IPV6_GROUP };

/** SOAP-over-UDP 1.1 (OASIS 2009) Appendix I, default retransmission parameters for multicast. */
export const MULTICAST_UDP_REPEAT = 4;
export const UDP_MIN_DELAY = 50;
export const UDP_MAX_DELAY = 250;
export const UDP_UPPER_DELAY = 500;

/** The delays before each multicast repeat (SOAP-over-UDP Appendix I): random start, doubled, capped. */
export function multicastRepeatDelays(random: () => number = Math.random): number[] {
  const delays: number[] = [];
  let t = UDP_MIN_DELAY + Math.floor(random() * (UDP_MAX_DELAY - UDP_MIN_DELAY + 1));
  for (let i = 0; i < MULTICAST_UDP_REPEAT; i++) {
    delays.push(t);
    t = Math.min(t * 2, UDP_UPPER_DELAY);
  }
  return delays;
}

const MESSAGE_ID = /<(?:[\w-]+:)?MessageID[^>]*>[^<]*<\/(?:[\w-]+:)?MessageID>/;

export const wsDiscoveryChannel: DiscoveryChannelRunner = {
  name: 'ws-discovery',
  async run(context) {
    const sockets: UdpEndpoint[] = [];
    let closed = false;
    const messageId = context.newUuid();
    const probe = Buffer.from(buildProbe(messageId), 'utf8');
    // A flood from one host (hundreds of ProbeMatches per probe) is cut off; each datagram may carry 64 matches.
    const limits = limitSources(context, 'WS-Discovery');
    const seen = new Set<number>();
    const handle = (message: UdpMessage): void => {
      // A device answers each retransmitted Probe again: the same reply (but for its own MessageID) counts once.
      const key = datagramKey(message.address, message.data.toString('latin1').replace(MESSAGE_ID, ''));
      if (seen.has(key)) return;
      if (seen.size < 65_536) seen.add(key);
      if (!limits.admit(message)) return;
      // Runs inside the socket's 'message' event: a throw here would be an uncaught exception, ending the scan.
      try {
        handleMessage(limits.context, message);
      } catch (error) {
        context.warn(message.address, `WS-Discovery reply not handled: ${(error as Error).message}`, 'handler-failed');
      }
    };
    try {
      let unicast: Promise<void> = Promise.resolve();
      if (context.sweep.size > 0) {
        // An on-link sweep spreads its probes over several sockets (ON_LINK_SOCKETS: send buffers and ARP).
        const v4: UdpEndpoint[] = [];
        const v6: UdpEndpoint[] = [];
        for (let i = 0; i < (context.sweep.targets.ipv4Count > 0 ? context.sweep.socketsPerChannel : 0); i++) v4.push(await openListening(context, 'udp4', handle));
        if (context.sweep.targets.ipv6Count > 0) v6.push(await openListening(context, 'udp6', handle));
        sockets.push(...v4, ...v6);
        let next = 0;
        unicast = context.sweep.join(
          {
            send: async (targets) => {
              await Promise.all(
                targets.map((target) => {
                  const family = target.includes(':') ? v6 : v4;
                  const socket = family[next++ % Math.max(1, family.length)];
                  return socket?.send(probe, WS_DISCOVERY_PORT, target).catch((error: Error) => context.warn(target, `WS-Discovery probe not sent: ${error.message}`, 'send-failed'));
                }),
              );
            },
          },
          context.signal,
        );
      }
      // Hello and Bye go to the group's port 3702: listen there too, so devices that come up during the wait
      // are heard (our own multicast Probe echoes back here and is ignored as kind 'probe').
      const ipv4 = context.interfaces.filter((i) => i.family === 'IPv4');
      if (ipv4.length > 0) {
        const listener = await context.udp({
          type: 'udp4',
          bindAddress: WS_DISCOVERY_IPV4_GROUP,
          port: WS_DISCOVERY_PORT,
          reuseAddr: true,
          memberships: ipv4.map((i) => ({ group: WS_DISCOVERY_IPV4_GROUP, interfaceAddress: i.address })),
        }).catch((error: Error) => {
          context.warn(null, `cannot listen for WS-Discovery Hello on ${WS_DISCOVERY_IPV4_GROUP}:${WS_DISCOVERY_PORT}: ${error.message}`, 'listen-failed');
          return null;
        });
        if (listener) {
          sockets.push(listener);
          listener.onMessage(handle);
          listener.onError(() => undefined);
        }
      }
      for (const iface of context.interfaces) {
        const family = iface.family === 'IPv6' ? 'udp6' : 'udp4';
        const socket = await context.udp({
          type: family,
          bindAddress: family === 'udp6' ? `${iface.address}%${iface.zone ?? iface.name}` : iface.address,
          multicastInterface: family === 'udp6' ? `::%${iface.zone ?? iface.name}` : iface.address,
          multicastTtl: 1,
        }).catch((error: Error) => {
          context.warn(null, `WS-Discovery cannot use interface ${iface.name} (${iface.address}): ${error.message}`, 'interface-failed');
          return null;
        });
        if (!socket) continue;
        sockets.push(socket);
        socket.onMessage(handle);
        socket.onError((error) => context.warn(null, `WS-Discovery socket error on ${iface.name}: ${error.message}`, 'socket-error'));
        const group = family === 'udp6' ? `${WS_DISCOVERY_IPV6_GROUP}%${iface.zone ?? iface.name}` : WS_DISCOVERY_IPV4_GROUP;
        const send = (): Promise<void> => socket.send(probe, WS_DISCOVERY_PORT, group).catch((error: Error) => context.warn(null, `WS-Discovery multicast on ${iface.name} failed: ${error.message}`, 'send-failed'));
        await send();
        void (async () => {
          let elapsed = 0;
          for (const wait of multicastRepeatDelays()) {
            elapsed += wait;
            if (elapsed >= context.waitMs) return;
            await delay(wait, context.signal);
            if (context.signal.aborted || closed) return;
            await send();
          }
        })();
      }
      await Promise.all([context.sweep.listen(context.signal), unicast]);
    } finally {
      closed = true;
      await Promise.all(sockets.map((s) => s.close()));
    }
  },
};

async function openListening(context: DiscoveryContext, type: 'udp4' | 'udp6', handle: (m: UdpMessage) => void): Promise<UdpEndpoint> {
  const socket = await context.udp({ type });
  socket.onMessage(handle);
  socket.onError((error) => context.warn(null, `WS-Discovery socket error: ${error.message}`, 'socket-error'));
  return socket;
}

function handleMessage(context: DiscoveryContext, message: UdpMessage): void {
  let decoded: ReturnType<typeof parseDiscoveryMessage>;
  try {
    decoded = parseDiscoveryMessage(message.data);
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'decode-failed';
    context.warn(message.address, `malformed WS-Discovery reply ignored (${(error as Error).message})`, code);
    return;
  }
  switch (decoded.kind) {
    case 'probe-matches':
      for (const match of decoded.matches) observeMatch(context, message.address, match);
      return;
    case 'hello':
      observeMatch(context, message.address, decoded.match);
      return;
    case 'bye':
      context.warn(message.address, `device ${decoded.endpoint ?? ''} said Bye (leaving the network)`.replace('  ', ' '), 'ws-discovery-bye');
      return;
    case 'fault':
      context.warn(message.address, `WS-Discovery fault: ${decoded.reason ?? decoded.subcode ?? decoded.code ?? 'unknown'}`, 'ws-discovery-fault');
      return;
    case 'probe':
      return;
  }
}

function observeMatch(context: DiscoveryContext, address: string, match: ProbeMatch): void {
  const kind = classifyEndpoint(match);
  // Windows PCs and Linux wsdd hosts answer on the same group; they are not cameras (docs/FIELD-NOTES.md §3).
  if (kind === 'computer') return;
  const scopes = parseScopes(match.scopes);
  const identity = vendorFromScopes(scopes);
  const evidence: Evidence[] = [];
  if (identity.vendor) evidence.push({ source: 'ws-discovery', field: 'vendor', value: identity.vendor });
  if (identity.model) evidence.push({ source: 'ws-discovery', field: 'model', value: identity.model });
  if (scopes.name) evidence.push({ source: 'ws-discovery', field: 'name', value: scopes.name });
  const mac = scopes.mac ?? (match.endpoint ? macFromEndpointUuid(match.endpoint, identity.vendor) : null);
  context.found({
    channel: 'ws-discovery',
    address,
    endpoint: match.endpoint ?? null,
    mac,
    evidence,
    onvif: { xaddrs: match.xaddrs, scopes: match.scopes },
  });
}
