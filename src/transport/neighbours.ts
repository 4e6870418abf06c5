/**
 * What the kernel's neighbour (ARP) table can take, and what it knows. A unicast probe to an on-link address makes
 * the kernel resolve it: an entry is held INCOMPLETE for mcast_solicit × retrans_time (3 × 1 s by default) while
 * the address stays silent, and Linux refuses new entries past gc_thresh3 (1024 by default) while that many are
 * busy — a probe to a live camera is then dropped ("neighbor table overflow", table_fulls). The sweep paces new
 * on-link addresses to fit (discovery/sweep.ts). Where /proc is not there (Windows, macOS) the defaults stand in.
 */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import type { InterfaceTable } from './interfaces.js';
import { ipv4ToInt } from '../model/target-set.js';

export interface NeighbourLimits {
  /** Entries the table holds at most (Linux gc_thresh3). */
  tableMax: number;
  /** Entries in the table now (all namespaces share the IPv4 table). */
  entries: number;
  /** How long a silent address holds its entry unresolved: mcast_solicit × retrans_time_ms. */
  resolveMs: number;
  /** Where the figures came from ('linux /proc' or 'defaults'). */
  source: string;
}

type ReadText = (path: string) => string;
const readText: ReadText = (path) => readFileSync(path, 'utf8');

export const DEFAULT_NEIGHBOUR_LIMITS: NeighbourLimits = { tableMax: 1024, entries: 0, resolveMs: 3000, source: 'defaults (gc_thresh3 1024, 3 × 1000 ms)' };

export function readNeighbourLimits(read: ReadText = readText): NeighbourLimits {
  const number = (path: string): number | null => {
    try {
      const value = Number(read(path).trim());
      return Number.isFinite(value) ? value : null;
    } catch {
      return null;
    }
  };
  const base = '/proc/sys/net/ipv4/neigh/default/';
  const tableMax = number(`${base}gc_thresh3`);
  if (tableMax === null) return DEFAULT_NEIGHBOUR_LIMITS;
  const solicit = number(`${base}mcast_solicit`) ?? 3;
  const retransMs = number(`${base}retrans_time_ms`) ?? 1000;
  return { tableMax, entries: readArpCacheEntries(read) ?? 0, resolveMs: Math.max(1, solicit) * Math.max(1, retransMs), source: 'linux /proc' };
}

/** The table-wide entry count, the first column of /proc/net/stat/arp_cache (hex). */
export function readArpCacheEntries(read: ReadText = readText): number | null {
  try {
    const row = read('/proc/net/stat/arp_cache').split('\n')[1]?.trim().split(/\s+/)[0];
    return row ? Number.parseInt(row, 16) : null;
  } catch {
    return null;
  }
}

/**
 * How many times the kernel refused a new neighbour entry because the table was full ("neighbor table overflow"):
 * the table_fulls column of /proc/net/stat/arp_cache, summed over CPUs. Null where it cannot be read.
 */
export function readTableFulls(read: ReadText = readText): number | null {
  try {
    const [header, ...rows] = read('/proc/net/stat/arp_cache').trim().split('\n');
    const column = header!.trim().split(/\s+/).indexOf('table_fulls');
    if (column < 0) return null;
    return rows.reduce((sum, row) => sum + Number.parseInt(row.trim().split(/\s+/)[column] ?? '0', 16), 0);
  } catch {
    return null;
  }
}

export interface OnLinkNetwork {
  name: string;
  /** Network address (unsigned 32-bit) and prefix length. */
  network: number;
  prefix: number;
}

/** The directly attached IPv4 networks (not loopback: no neighbour resolution there). */
export function onLinkNetworks(table: InterfaceTable = networkInterfaces()): OnLinkNetwork[] {
  const out: OnLinkNetwork[] = [];
  for (const [name, addresses] of Object.entries(table)) {
    for (const info of addresses ?? []) {
      if (info.family !== 'IPv4' || info.internal || !info.cidr) continue;
      const prefix = Number(info.cidr.split('/')[1]);
      if (!Number.isInteger(prefix) || prefix <= 0 || prefix >= 32) continue;
      const size = 2 ** (32 - prefix);
      out.push({ name, network: Math.floor(ipv4ToInt(info.address) / size) * size, prefix });
    }
  }
  return out;
}

export function onLinkNetworkOf(networks: readonly OnLinkNetwork[], value: number): OnLinkNetwork | null {
  for (const net of networks) {
    const size = 2 ** (32 - net.prefix);
    if (value >= net.network && value < net.network + size) return net;
  }
  return null;
}

export type NeighbourState = 'resolved' | 'unresolved' | 'unknown';

export interface NeighbourView {
  /** What the table says of this address now: resolved (it answered ARP), unresolved (asked, no answer yet), unknown. */
  state(address: string): NeighbourState;
}

/**
 * The kernel's view of IPv4 neighbours, from /proc/net/arp (flag 0x2 = complete), read at most every `refreshMs`.
 * Where the file cannot be read every address is 'unknown'.
 */
export function createNeighbourView(options: { read?: ReadText; now?: () => number; refreshMs?: number } = {}): NeighbourView {
  const read = options.read ?? readText;
  const now = options.now ?? (() => performance.now());
  const refreshMs = options.refreshMs ?? 200;
  let table: Map<string, boolean> | null = null;
  let readAt = -Infinity;
  let available = true;
  const refresh = (): void => {
    readAt = now();
    try {
      const next = new Map<string, boolean>();
      for (const line of read('/proc/net/arp').split('\n').slice(1)) {
        const [address, , flags] = line.trim().split(/\s+/);
        if (!address || !flags) continue;
        next.set(address, (Number.parseInt(flags, 16) & 0x2) !== 0);
      }
      table = next;
    } catch {
      available = false;
      table = null;
    }
  };
  return {
    state(address) {
      if (!available) return 'unknown';
      if (now() - readAt >= refreshMs) refresh();
      const complete = table?.get(address);
      if (complete === undefined) return 'unknown';
      return complete ? 'resolved' : 'unresolved';
    },
  };
}
