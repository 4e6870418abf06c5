/**
 * Tarpits (issue 16): hosts that answer WS-Discovery with a ProbeMatch whose XAddrs point at themselves, then accept
 * every TCP connection and never send a byte. Each counts the connections it accepted, so a test can tell how many
 * probes a scan spent on it.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { openUdpSocket, type UdpSocketFactory } from '../../src/transport/udp.js';
import { probeMatchesXml } from '../../src/simulator/wire/ws-discovery.js';
import { WS_DISCOVERY_PORT } from '../../src/protocols/ws-discovery/index.js';

export interface Tarpit {
  address: string;
  port: number;
  /** WS-Discovery Probes answered. */
  probes: number;
  /** TCP connections accepted (and never answered). */
  connections: number;
}

export interface Tarpits {
  tarpits: Tarpit[];
  addresses: string[];
  /** TCP connections accepted, all tarpits together. */
  totalConnections(): number;
  stop(): Promise<void>;
}

const WS_PROBE = /<(?:[\w-]+:)?Probe[\s>]/;
const WS_MESSAGE_ID = /<(?:[\w-]+:)?MessageID[^>]*>([^<]{1,256})</;

/** `addresses` each get one tarpit: UDP 3702 and one TCP listener (ephemeral port, `port` 0) on that address. */
export async function startTarpits(addresses: string[], options: { port?: number; udpFactory?: UdpSocketFactory } = {}): Promise<Tarpits> {
  const tarpits: Tarpit[] = [];
  const closers: Array<() => Promise<void> | void> = [];
  const sockets = new Set<Socket>();
  const stop = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await Promise.all(closers.splice(0).map((close) => Promise.resolve(close()).catch(() => undefined)));
  };
  try {
    for (const address of addresses) {
      const tarpit: Tarpit = { address, port: 0, probes: 0, connections: 0 };
      const server: Server = createServer((socket) => {
        tarpit.connections += 1;
        sockets.add(socket);
        // Read and discard, never answer: the client waits out its own timeout.
        socket.on('data', () => undefined);
        socket.on('error', () => undefined);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: address, port: options.port ?? 0 }, () => resolve());
      });
      closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      const bound = server.address();
      tarpit.port = typeof bound === 'object' && bound ? bound.port : 0;
      const endpoint = randomUUID();
      const udp = await (options.udpFactory ?? openUdpSocket)({ type: 'udp4', bindAddress: address, port: WS_DISCOVERY_PORT });
      closers.push(() => udp.close());
      udp.onError(() => undefined);
      udp.onMessage((message) => {
        const text = message.data.toString('utf8');
        if (!WS_PROBE.test(text) || /ProbeMatch/.test(text)) return;
        tarpit.probes += 1;
        const relatesTo = WS_MESSAGE_ID.exec(text)?.[1]?.trim() ?? 'uuid:00000000-0000-0000-0000-000000000000';
        const xml = probeMatchesXml(randomUUID(), relatesTo, {
          address: `urn:uuid:${endpoint}`,
          types: 'dn:NetworkVideoTransmitter',
          scopes: ['onvif://www.onvif.org/name/TARPIT', 'onvif://www.onvif.org/hardware/TARPIT'],
          xaddrs: [`http://${address}:${tarpit.port}/onvif/device_service`],
        });
        udp.send(Buffer.from(xml, 'utf8'), message.port, message.address).catch(() => undefined);
      });
      tarpits.push(tarpit);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    tarpits,
    addresses: tarpits.map((t) => t.address),
    totalConnections: () => tarpits.reduce((sum, t) => sum + t.connections, 0),
    stop,
  };
}
