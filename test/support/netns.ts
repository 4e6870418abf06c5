/**
 * Two network namespaces joined by a veth pair — a scanner host and a camera LAN — so multicast discovery runs for
 * real without touching the machine's own interfaces. Addresses come from 198.18.0.0/15 (RFC 2544 benchmarking).
 * Everything is removed by destroy(), and names carry the test's pid so parallel files do not collide.
 *
 * `ip netns del` only unmounts the namespace: a process still running inside keeps it (and its sockets) alive. So
 * every child started with spawnIn is tracked, and destroy() kills the ones still running before deleting.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

export interface TestNetwork {
  scanner: string;
  fleet: string;
  scannerInterface: string;
  fleetInterface: string;
  scannerAddress: string;
  fleetAddresses: string[];
  /**
   * Give the fleet a second prefix on the same link (subnet.host/24 each) and the scanner an on-link route to it,
   * as a flat LAN carrying two prefixes does: a dual-homed camera can then answer from both.
   */
  addFleetSubnet(subnet: string, hosts: number[]): string[];
  /** Run a command inside a namespace (returns the child; caller bounds it in time, destroy() kills leftovers). */
  spawnIn(namespace: string, command: string, args: string[], options?: { env?: NodeJS.ProcessEnv }): ChildProcess;
  /** Kill leftover children, delete both namespaces (and the veth with them). Safe to call twice. */
  destroy(): void;
}

function ip(args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
}

function quietly(action: () => void): void {
  try {
    action();
  } catch {
    // already gone
  }
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
    quietly(() => ip(['netns', 'del', probe]));
    return `ip netns failed: ${(error as Error).message.split('\n')[0]}`;
  }
}

/**
 * Two new namespaces joined by a veth pair, both ends up (and loopback), IPv6 duplicate address detection off:
 * without it the link-local address is usable at once instead of staying "tentative" (unbindable) for a second
 * or two, which would turn the scanner's IPv6 probes into warnings. Addresses and routes are the caller's.
 */
export function joinNamespaces(names: { scanner: string; fleet: string; scannerInterface: string; fleetInterface: string; multicast?: boolean }): void {
  const { scanner, fleet, scannerInterface, fleetInterface } = names;
  ip(['netns', 'add', scanner]);
  ip(['netns', 'add', fleet]);
  ip(['link', 'add', scannerInterface, 'type', 'veth', 'peer', 'name', fleetInterface]);
  ip(['link', 'set', scannerInterface, 'netns', scanner]);
  ip(['link', 'set', fleetInterface, 'netns', fleet]);
  for (const [ns, ifname] of [[scanner, scannerInterface], [fleet, fleetInterface]] as const) {
    execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', `net.ipv6.conf.${ifname}.accept_dad=0`], { stdio: 'ignore', timeout: 10_000 });
    ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    ip(['-n', ns, 'link', 'set', ifname, 'up']);
    if (names.multicast) ip(['-n', ns, 'link', 'set', ifname, 'multicast', 'on']);
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
  const children = new Set<ChildProcess>();
  const destroy = (): void => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    for (const ns of [scanner, fleet]) quietly(() => ip(['netns', 'del', ns]));
    // Left in the root namespace when setup failed before the move; deleting one end removes the pair.
    quietly(() => ip(['link', 'del', scannerInterface]));
  };
  const addFleetAddresses = (addresses: string[]): void => {
    for (const address of addresses) ip(['-n', fleet, 'addr', 'add', `${address}/24`, 'dev', fleetInterface]);
  };
  // A namespace of the same name can only be a leftover of an earlier run that had this pid and crashed.
  destroy();
  try {
    joinNamespaces({ scanner, fleet, scannerInterface, fleetInterface, multicast: true });
    ip(['-n', scanner, 'addr', 'add', `${scannerAddress}/24`, 'dev', scannerInterface]);
    addFleetAddresses(fleetAddresses);
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
    addFleetSubnet(extraSubnet, hosts) {
      const addresses = hosts.map((h) => `${extraSubnet}.${h}`);
      addFleetAddresses(addresses);
      // `src` is not decoration: without it this route has the very attributes of the 224.0.0.0/4 route below, so
      // the kernel shares one nexthop between them, and the multicast route it caches there after the first group
      // send is then reused for these unicast hosts — TCP connect fails with ENETUNREACH (tcp_v4_connect refuses
      // RTCF_MULTICAST routes).
      ip(['-n', scanner, 'route', 'add', `${extraSubnet}.0/24`, 'dev', scannerInterface, 'src', scannerAddress]);
      return addresses;
    },
    spawnIn(namespace, command, args, options = {}) {
      // `ip netns exec` execs the command in place, so this child's pid is the command's pid.
      const child = spawn('ip', ['netns', 'exec', namespace, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    destroy,
  };
}

/** Everything a child printed, once it exits; killed with SIGKILL if it outlives the deadline. */
export function collectChild(child: ChildProcess, deadlineMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
