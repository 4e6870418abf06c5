/** Which local interfaces multicast goes out on (docs/SAFETY.md --interface). */
import { networkInterfaces } from 'node:os';
import { UsageError } from '../model/errors.js';

export interface MulticastInterface {
  name: string;
  address: string;
  family: 'IPv4' | 'IPv6';
  /** IPv6 scope id (interface index) for link-local use. */
  scopeId?: number;
}

export type InterfaceTable = ReturnType<typeof networkInterfaces>;

/**
 * Default: every up, non-loopback interface with an address. Named ones must exist and have an address; the
 * message says which interfaces do.
 */
export function selectInterfaces(names: string[], table: InterfaceTable = networkInterfaces()): MulticastInterface[] {
  const all: MulticastInterface[] = [];
  for (const [name, addresses] of Object.entries(table)) {
    for (const info of addresses ?? []) {
      if (info.family === 'IPv6' && !info.address.toLowerCase().startsWith('fe80')) continue;
      all.push({ name, address: info.address, family: info.family, ...(info.family === 'IPv6' ? { scopeId: info.scopeid } : {}) });
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
