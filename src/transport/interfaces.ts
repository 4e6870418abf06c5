/** Which local interfaces multicast goes out on (docs/SAFETY.md --interface). */
import { networkInterfaces } from 'node:os';
import { UsageError } from '../model/errors.js';

export interface MulticastInterface {
  name: string;
  address: string;
  family: 'IPv4' | 'IPv6';
  /** IPv6 scope id (interface index) for link-local use. */
  scopeId?: number;
  /**
   * IPv6 zone to write after `%` (`fe80::1%<zone>`, `ff02::c%<zone>`): the interface name on Linux and macOS, the
   * interface index on Windows, where libuv reads the zone with atoi() and a name silently becomes 0 (uv_ip6_addr).
   */
  zone?: string;
}

export interface SelectOptions {
  /** Write IPv6 zones as interface indexes (Windows); the caller asks platform.ts. */
  zoneByIndex?: boolean;
}

export type InterfaceTable = ReturnType<typeof networkInterfaces>;

/**
 * Default: every up, non-loopback interface with an address. Named ones must exist and have an address; the
 * message says which interfaces do.
 */
export function selectInterfaces(names: string[], table: InterfaceTable = networkInterfaces(), options: SelectOptions = {}): MulticastInterface[] {
  const all: MulticastInterface[] = [];
  for (const [name, addresses] of Object.entries(table)) {
    for (const info of addresses ?? []) {
      if (info.family === 'IPv6' && !info.address.toLowerCase().startsWith('fe80')) continue;
      const zone = options.zoneByIndex && info.scopeid !== undefined ? String(info.scopeid) : name;
      all.push({ name, address: info.address, family: info.family, ...(info.family === 'IPv6' ? { scopeId: info.scopeid, zone } : {}) });
      void info.internal;
    }
  }
  if (names.length === 0) {
    return all.filter((i) => !(table[i.name] ?? []).some((a) => a.internal));
  }
  const chosen: MulticastInterface[] = [];
  for (const name of names) {
    if (!(name in table)) {
      throw new UsageError(`no interface named "${name}"; interfaces here: ${Object.keys(table).join(', ') || 'none'}`, 'E_BAD_INTERFACE');
    }
    const mine = all.filter((i) => i.name === name);
    if (mine.length === 0) throw new UsageError(`interface "${name}" has no IPv4 or link-local IPv6 address; bring it up or give it an address first`, 'E_INTERFACE_NO_ADDRESS');
    chosen.push(...mine);
  }
  return chosen;
}
