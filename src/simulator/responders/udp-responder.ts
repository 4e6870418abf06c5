/**
 * The sockets of one responder: the device's own socket on its address and the channel's well-known port (it hears
 * unicast probes and sends every answer, so answers always come from the device's address), plus, in a network
 * namespace, a subscription to the shared multicast hub for that port.
 */
import { isIPv6 } from 'node:net';
import type { UdpEndpoint, UdpMessage } from '../../transport/udp.js';
import { subscribeMulticastGroup, type MulticastSubscription } from './multicast-hub.js';
import type { ResponderOptions } from './types.js';

export interface ResponderEndpoint {
  /** Bound to the device's address and the channel's port. */
  socket: UdpEndpoint;
  close(): Promise<void>;
}

export async function openResponderEndpoint(
  options: ResponderOptions,
  channel: { port: number; group: string },
  onDatagram: (message: UdpMessage, multicast: boolean, socket: UdpEndpoint) => void,
): Promise<ResponderEndpoint> {
  const { device, udpFactory, multicast } = options;
  const ipv6 = isIPv6(device.address);
  const socket = await udpFactory({
    type: ipv6 ? 'udp6' : 'udp4',
    bindAddress: device.address,
    port: channel.port,
    // Shares the port with the hub (and with a scanner's wildcard socket) only when multicast is in play; on
    // loopback an address clash is a test bug that should fail loudly.
    reuseAddr: multicast !== undefined,
    ...(multicast && !ipv6 ? { multicastInterface: multicast.interfaceAddress, multicastTtl: 1, multicastLoopback: true } : {}),
  });
  socket.onMessage((message) => {
    try {
      onDatagram(message, false, socket);
    } catch {
      // Hostile input must not take the simulated device down.
    }
  });
  socket.onError(() => undefined);
  let subscription: MulticastSubscription | null = null;
  if (multicast && !ipv6) {
    try {
      subscription = await subscribeMulticastGroup(
        { udpFactory, group: channel.group, port: channel.port, interfaceAddress: multicast.interfaceAddress },
        (message) => onDatagram(message, true, socket),
      );
    } catch (error) {
      await socket.close();
      throw error;
    }
  }
  return {
    socket,
    async close() {
      await subscription?.close();
      await socket.close();
    },
  };
}
