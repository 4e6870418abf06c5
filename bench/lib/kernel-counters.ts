/**
 * Kernel counters for the on-link scenario: the IPv4 neighbour table's statistics (/proc/net/stat/arp_cache), the
 * neighbour sysctls, and a namespace's UDP/IP SNMP counters (/proc/net/snmp).
 *
 * The IPv4 neighbour table is one table for the whole host: its entries of every namespace count against the same
 * gc_thresh1/2/3, and Linux shows its statistics (and the net.ipv4.neigh.default.* sysctls) only in the initial
 * namespace — so they are read from this process's /proc (bench/run.ts runs in the initial namespace), and they
 * are host-wide: another namespace resolving neighbours at the same time is counted too. That is why the sampler
 * also counts the scanner namespace's own entries (`ip -n <ns> neigh show`).
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const ARP_CACHE_COLUMNS = [
  'entries',
  'allocs',
  'destroys',
  'hash_grows',
  'lookups',
  'hits',
  'res_failed',
  'rcv_probes_mcast',
  'rcv_probes_ucast',
  'periodic_gc_runs',
  'forced_gc_runs',
  'unresolved_discards',
  'table_fulls',
] as const;
export type ArpCacheColumn = (typeof ARP_CACHE_COLUMNS)[number];
export type ArpCache = Record<string, number>;

/**
 * Parse /proc/net/stat/arp_cache: a header naming the columns, then one row of hex numbers per CPU. Every column
 * is summed over the CPUs except `entries`, which is the table-wide count repeated on every row.
 */
export function parseArpCache(text: string): ArpCache | null {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.length < 2) return null;
  const header = lines[0]!.split(/\s+/);
  const out: ArpCache = {};
  for (const name of header) out[name] = 0;
  for (const [row, line] of lines.slice(1).entries()) {
    const cells = line.split(/\s+/);
    header.forEach((name, i) => {
      const value = parseInt(cells[i] ?? '0', 16);
      if (Number.isNaN(value)) return;
      if (name === 'entries') {
        if (row === 0) out[name] = value;
      } else {
        out[name] = out[name]! + value;
      }
    });
  }
  return out;
}

export function readArpCache(): ArpCache | null {
  try {
    return parseArpCache(readFileSync('/proc/net/stat/arp_cache', 'utf8'));
  } catch {
    return null;
  }
}

/** after − before for every counter (null when either read failed); `entries` is left out (a level, not a count). */
export function arpCacheDelta(before: ArpCache | null, after: ArpCache | null): ArpCache | null {
  if (!before || !after) return null;
  const out: ArpCache = {};
  for (const [name, value] of Object.entries(after)) if (name !== 'entries') out[name] = value - (before[name] ?? 0);
  return out;
}

export const NEIGH_SYSCTLS = ['gc_thresh1', 'gc_thresh2', 'gc_thresh3', 'mcast_solicit', 'ucast_solicit', 'app_solicit', 'retrans_time_ms', 'unres_qlen_bytes', 'base_reachable_time_ms', 'gc_stale_time'] as const;

/**
 * net.ipv4.neigh.default.* (read in the initial namespace, where they live) and, when given, the same settings of
 * the scanner's interface inside its namespace (copied from the defaults when the interface was created).
 */
export function readNeighSysctls(namespace?: string, ifname?: string): { default: Record<string, number | null>; scannerInterface: Record<string, number | null> | null } {
  const read = (path: string): number | null => {
    try {
      return Number(readFileSync(path, 'utf8').trim());
    } catch {
      return null;
    }
  };
  const defaults: Record<string, number | null> = {};
  for (const name of NEIGH_SYSCTLS) defaults[name] = read(`/proc/sys/net/ipv4/neigh/default/${name}`);
  let scannerInterface: Record<string, number | null> | null = null;
  if (namespace && ifname) {
    scannerInterface = {};
    const names = NEIGH_SYSCTLS.filter((n) => !n.startsWith('gc_'));
    try {
      const text = execFileSync('ip', ['netns', 'exec', namespace, 'sh', '-c', names.map((n) => `cat /proc/sys/net/ipv4/neigh/${ifname}/${n}`).join('; ')], { encoding: 'utf8', timeout: 5_000 });
      const values = text.trim().split('\n');
      names.forEach((n, i) => (scannerInterface![n] = values[i] === undefined ? null : Number(values[i])));
    } catch {
      for (const n of names) scannerInterface[n] = null;
    }
  }
  return { default: defaults, scannerInterface };
}

export interface SnmpCounters {
  /** `Udp:` row: InDatagrams, NoPorts, InErrors, OutDatagrams, RcvbufErrors, SndbufErrors, … */
  udp: Record<string, number>;
  /** `Ip:` row: OutRequests, OutDiscards, OutNoRoutes, … */
  ip: Record<string, number>;
}

function parseSnmpRow(text: string, prefix: string): Record<string, number> {
  const rows = text.split('\n').filter((l) => l.startsWith(`${prefix}:`));
  if (rows.length < 2) return {};
  const header = rows[0]!.split(/\s+/).slice(1);
  const values = rows[1]!.split(/\s+/).slice(1);
  const out: Record<string, number> = {};
  header.forEach((name, i) => (out[name] = Number(values[i])));
  return out;
}

/** A namespace's /proc/net/snmp (read with `ip netns exec … cat`, as bench/lib/udp-drops.ts does). */
export function readSnmp(namespace: string): SnmpCounters | null {
  try {
    const text = execFileSync('ip', ['netns', 'exec', namespace, 'cat', '/proc/net/snmp'], { encoding: 'utf8', timeout: 5_000 });
    return { udp: parseSnmpRow(text, 'Udp'), ip: parseSnmpRow(text, 'Ip') };
  } catch {
    return null;
  }
}

export function snmpDelta(before: SnmpCounters | null, after: SnmpCounters | null): SnmpCounters | null {
  if (!before || !after) return null;
  const diff = (a: Record<string, number>, b: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v - (a[k] ?? 0)]));
  return { udp: diff(before.udp, after.udp), ip: diff(before.ip, after.ip) };
}

export interface LinkCounters {
  txPackets: number;
  txDropped: number;
  rxPackets: number;
  rxDropped: number;
}

/**
 * An interface's packet counters (`ip -n <ns> -s -j link show dev <if>`). A veth counts as tx dropped what its peer
 * would not take (the peer's receive backlog, net.core.netdev_max_backlog, full).
 */
export function readLink(namespace: string, ifname: string): LinkCounters | null {
  try {
    const [link] = JSON.parse(execFileSync('ip', ['-n', namespace, '-s', '-j', 'link', 'show', 'dev', ifname], { encoding: 'utf8', timeout: 5_000 })) as Array<{
      stats64?: { rx: { packets: number; dropped: number }; tx: { packets: number; dropped: number } };
    }>;
    const stats = link?.stats64;
    return stats ? { txPackets: stats.tx.packets, txDropped: stats.tx.dropped, rxPackets: stats.rx.packets, rxDropped: stats.rx.dropped } : null;
  } catch {
    return null;
  }
}

export function linkDelta(before: LinkCounters | null, after: LinkCounters | null): LinkCounters | null {
  if (!before || !after) return null;
  return { txPackets: after.txPackets - before.txPackets, txDropped: after.txDropped - before.txDropped, rxPackets: after.rxPackets - before.rxPackets, rxDropped: after.rxDropped - before.rxDropped };
}

export interface NeighbourFigures {
  /** Host-wide counter deltas over the run (every column of arp_cache but `entries`). */
  delta: ArpCache | null;
  /** Highest host-wide `entries` seen (sampled every 200 ms). */
  peakEntries: number | null;
  /** Highest count of the scanner namespace's own neighbour entries (`ip -n <ns> neigh show`, sampled every second). */
  peakNamespaceEntries: number | null;
  /**
   * Highest count of entries held elsewhere (host-wide entries minus the scanner namespace's, at the same sample):
   * other namespaces, the host's own. Above a handful, someone else was resolving neighbours during the run, and
   * the host-wide counters include their activity.
   */
  peakOtherEntries: number | null;
  /** The scanner namespace's entries by state when the run ended. */
  namespaceStatesAtEnd: Record<string, number>;
  samples: number;
}

function countNeighbours(text: string): { total: number; states: Record<string, number> } {
  const states: Record<string, number> = {};
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    total += 1;
    const state = /\b(INCOMPLETE|REACHABLE|STALE|DELAY|PROBE|FAILED|NOARP|PERMANENT|NONE)\b/.exec(line)?.[1] ?? 'other';
    states[state] = (states[state] ?? 0) + 1;
  }
  return { total, states };
}

function namespaceNeighbours(namespace: string): Promise<{ total: number; states: Record<string, number> } | null> {
  return new Promise((resolve) => {
    execFile('ip', ['-n', namespace, '-4', 'neigh', 'show'], { encoding: 'utf8', timeout: 2_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => resolve(error ? null : countNeighbours(stdout)));
  });
}

export interface NeighbourSampler {
  stop(): Promise<NeighbourFigures>;
}

/** Sample the host's arp_cache every `intervalMs` and the namespace's own entries every `namespaceIntervalMs`. */
export function sampleNeighbours(namespace: string, intervalMs = 200, namespaceIntervalMs = 1_000): NeighbourSampler {
  const before = readArpCache();
  let peakEntries: number | null = before?.['entries'] ?? null;
  let peakNamespaceEntries: number | null = null;
  let peakOtherEntries: number | null = null;
  let samples = 0;
  let inFlight = false;
  const timer = setInterval(() => {
    const now = readArpCache();
    samples += 1;
    if (now && now['entries'] !== undefined) peakEntries = Math.max(peakEntries ?? 0, now['entries']);
  }, intervalMs);
  const nsTimer = setInterval(() => {
    if (inFlight) return;
    inFlight = true;
    const hostBefore = readArpCache()?.['entries'];
    void namespaceNeighbours(namespace).then((count) => {
      inFlight = false;
      if (!count) return;
      peakNamespaceEntries = Math.max(peakNamespaceEntries ?? 0, count.total);
      // The namespace is listed between the two host reads; the smaller of them keeps the table's churn out of it.
      const hostAfter = readArpCache()?.['entries'];
      if (hostBefore !== undefined && hostAfter !== undefined) peakOtherEntries = Math.max(peakOtherEntries ?? 0, Math.min(hostBefore, hostAfter) - count.total);
    });
  }, namespaceIntervalMs);
  return {
    async stop() {
      clearInterval(timer);
      clearInterval(nsTimer);
      const after = readArpCache();
      if (after && after['entries'] !== undefined) peakEntries = Math.max(peakEntries ?? 0, after['entries']);
      const end = await namespaceNeighbours(namespace);
      if (end) peakNamespaceEntries = Math.max(peakNamespaceEntries ?? 0, end.total);
      return { delta: arpCacheDelta(before, after), peakEntries, peakNamespaceEntries, peakOtherEntries, namespaceStatesAtEnd: end?.states ?? {}, samples };
    },
  };
}
