/**
 * Two network namespaces joined by a veth pair — a scanner host and a camera LAN — so multicast discovery runs for
 * real without touching the machine's own interfaces. Addresses come from 198.18.0.0/15 (RFC 2544 benchmarking).
 * Everything is removed by destroy(), and names carry the test's pid so parallel files do not collide.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

export interface TestNetwork {
  scanner: string;
  fleet: string;
  scannerInterface: string;
  fleetInterface: string;
  scannerAddress: string;
  fleetAddresses: string[];
  /** Run a command inside a namespace (returns the child; caller bounds it). */
  spawnIn(namespace: string, command: string, args: string[]): ChildProcess;
  destroy(): void;
}

function ip(args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
}

/** Why namespaces cannot be used here, or null when they can. */
export function namespaceUnavailableReason(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root (ip netns needs CAP_SYS_ADMIN)';
  const probe = `okprobe${process.pid}`;
  try {
    ip(['netns', 'add', probe]);
    ip(['netns', 'del', probe]);
    return null;
  } catch (error) {
    return `ip netns failed: ${(error as Error).message.split('\n')[0]}`;
  }
}

/** `tag` is a short label (≤ 4 chars) so interface names stay within 15 characters. */
export function createTestNetwork(tag: string, subnet: string, fleetHosts: number[]): TestNetwork {
  const id = `${tag}${process.pid % 100000}`;
  const scanner = `ok-${id}-s`;
  const fleet = `ok-${id}-f`;
  const scannerInterface = `vs${id}`.slice(0, 15);
  const fleetInterface = `vf${id}`.slice(0, 15);
  const scannerAddress = `${subnet}.1`;
  const fleetAddresses = fleetHosts.map((h) => `${subnet}.${h}`);
  const destroy = (): void => {
    for (const ns of [scanner, fleet]) {
      try {
        ip(['netns', 'del', ns]);
      } catch {
        // already gone
      }
    }
  };
  try {
    ip(['netns', 'add', scanner]);
    ip(['netns', 'add', fleet]);
    ip(['link', 'add', scannerInterface, 'type', 'veth', 'peer', 'name', fleetInterface]);
    ip(['link', 'set', scannerInterface, 'netns', scanner]);
    ip(['link', 'set', fleetInterface, 'netns', fleet]);
    for (const [ns, ifname] of [[scanner, scannerInterface], [fleet, fleetInterface]] as const) {
      ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      ip(['-n', ns, 'link', 'set', ifname, 'up']);
      ip(['-n', ns, 'link', 'set', ifname, 'multicast', 'on']);
    }
    ip(['-n', scanner, 'addr', 'add', `${scannerAddress}/24`, 'dev', scannerInterface]);
    for (const address of fleetAddresses) ip(['-n', fleet, 'addr', 'add', `${address}/24`, 'dev', fleetInterface]);
    // Multicast to 239.0.0.0/8 leaves by this interface in both namespaces.
    ip(['-n', scanner, 'route', 'add', '224.0.0.0/4', 'dev', scannerInterface]);
    ip(['-n', fleet, 'route', 'add', '224.0.0.0/4', 'dev', fleetInterface]);
  } catch (error) {
    destroy();
    throw error;
  }
  return {
    scanner,
    fleet,
    scannerInterface,
    fleetInterface,
    scannerAddress,
    fleetAddresses,
    spawnIn: (namespace, command, args) => spawn('ip', ['netns', 'exec', namespace, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }),
    destroy,
  };
}
