/**
 * One multicast listener per (group, port, interface), shared by every simulated device on that interface.
 *
 * Several simulated devices live in one network namespace and must all hear the group on the same well-known
 * port, yet each must answer from its own address. On Linux a group datagram is delivered to every socket bound
 * to the port on the wildcard or the group address (never to one bound to a unicast address), while a unicast
 * datagram goes to the most specific bind. So each device binds its own address (unicast probes, and the socket it
 * answers from) and this hub binds the group address with SO_REUSEADDR and hands group datagrams to every device
 * subscribed. Binding the group rather than the wildcard keeps the hub from stealing unicast datagrams meant for a
 * scanner's own wildcard socket on the same port. (Linux only: Windows refuses to bind a group address.)
 *
 * With two interfaces in one namespace, Linux also hands a hub the group datagrams of the other interface
 * (IP_MULTICAST_ALL): a device may then answer a probe from the other segment. Good enough for a simulator.
 */
import type { UdpEndpoint, UdpMessage, UdpSocketFactory } from '../../transport/udp.js';

export interface MulticastGroupOptions {
  udpFactory: UdpSocketFactory;
  group: string;
  port: number;
  interfaceAddress: string;
}

export interface MulticastSubscription {
  close(): Promise<void>;
}

interface Hub {
  socket: UdpEndpoint;
  handlers: Set<(message: UdpMessage) => void>;
  closed: boolean;
}

const hubsByFactory = new WeakMap<UdpSocketFactory, Map<string, Promise<Hub>>>();

export async function subscribeMulticastGroup(options: MulticastGroupOptions, handler: (message: UdpMessage) => void): Promise<MulticastSubscription> {
  let hubs = hubsByFactory.get(options.udpFactory);
  if (!hubs) {
    hubs = new Map();
    hubsByFactory.set(options.udpFactory, hubs);
  }
  const registry = hubs;
  const key = `${options.group}|${options.port}|${options.interfaceAddress}`;
  let opening = registry.get(key);
  if (!opening) {
    opening = openHub(options);
    registry.set(key, opening);
    const attempt = opening;
    attempt.catch(() => {
      if (registry.get(key) === attempt) registry.delete(key);
    });
  }
  const hub = await opening;
  // The last subscriber left (and the socket closed) while this one waited: open a fresh hub.
  if (hub.closed) return subscribeMulticastGroup(options, handler);
  hub.handlers.add(handler);
  const current = opening;
  return {
    async close() {
      if (!hub.handlers.delete(handler) || hub.handlers.size > 0) return;
      hub.closed = true;
      if (registry.get(key) === current) registry.delete(key);
      await hub.socket.close();
    },
  };
}

async function openHub(options: MulticastGroupOptions): Promise<Hub> {
  const socket = await options.udpFactory({
    type: 'udp4',
    bindAddress: options.group,
    port: options.port,
    reuseAddr: true,
    memberships: [{ group: options.group, interfaceAddress: options.interfaceAddress }],
    multicastInterface: options.interfaceAddress,
    multicastLoopback: true,
  });
  const hub: Hub = { socket, handlers: new Set(), closed: false };
  socket.onMessage((message) => {
    for (const handler of [...hub.handlers]) {
      try {
        handler(message);
      } catch {
        // One device's fault must not silence the others.
      }
    }
  });
  socket.onError(() => undefined);
  return hub;
}
