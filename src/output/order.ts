/** Row order shared by every human-facing output. */
import type { Device } from '../model/device.js';

/** Stable row order: by first address, numerically for IPv4, so rows do not jump as events arrive. */
export function compareDevices(a: Device, b: Device): number {
  return addressKey(a.addresses[0] ?? '').localeCompare(addressKey(b.addresses[0] ?? '')) || a.id.localeCompare(b.id);
}

function addressKey(address: string): string {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  if (v4) return `4:${v4.slice(1).map((o) => o.padStart(3, '0')).join('.')}`;
  return `6:${address}`;
}

