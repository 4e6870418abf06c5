/** Pure formatting helpers for the terminal UI (unit-tested without React). */
import type { Device } from '../core/device.js';

export type Risk = 'high' | 'medium' | 'low' | 'unknown';

/** "5 tries/30 min per IP", "rate-limited", "no lock known". */
export function shortLockout(device: Device): string {
  const l = device.lockout;
  if (l.scope === 'rate') return `rate-limited${l.lockSeconds ? `/${duration(l.lockSeconds)}` : ''}`;
  if (l.maxAttempts === null) return 'no lock known';
  const per = l.scope === 'account' ? 'per account' : 'per IP';
  return `${l.maxAttempts} tries/${duration(l.lockSeconds)} ${per}`;
}

export function lockoutRisk(device: Device): Risk {
  const l = device.lockout;
  if (l.maxAttempts === null && l.scope === null) return 'unknown';
  if (l.scope === 'rate') return 'low';
  if ((l.lockSeconds ?? 0) >= 600 && l.scope === 'source-ip') return 'high';
  if ((l.lockSeconds ?? 0) >= 600) return 'medium';
  return 'low';
}

export function duration(seconds: number | null): string {
  if (seconds === null) return '?';
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60) return `${Math.round(seconds / 60)} min`;
  return `${seconds} s`;
}

export function deviceState(device: Device): 'locked' | 'not activated' | 'ready' | 'unknown' {
  if (device.lockout.state === 'locked') return 'locked';
  if (device.activated === false) return 'not activated';
  if (device.vendor === null && device.model === null) return 'unknown';
  return 'ready';
}

export function loginLabel(device: Device, remaining: number | null | undefined): string {
  const status = device.login.status;
  if (status === 'not-requested') return '';
  if (status === 'rejected' && remaining !== null && remaining !== undefined) return `rejected (${remaining} left)`;
  return status;
}

export interface Column {
  key: 'select' | 'address' | 'vendor' | 'model' | 'firmware' | 'mac' | 'found' | 'lockout' | 'state' | 'login';
  title: string;
  width: number;
  /** Lower drops first when the terminal is narrow. */
  priority: number;
}

const ALL_COLUMNS: Column[] = [
  { key: 'select', title: ' ', width: 2, priority: 100 },
  { key: 'address', title: 'ADDRESS', width: 15, priority: 90 },
  { key: 'vendor', title: 'VENDOR', width: 10, priority: 80 },
  { key: 'model', title: 'MODEL', width: 18, priority: 85 },
  { key: 'firmware', title: 'FIRMWARE', width: 20, priority: 40 },
  { key: 'mac', title: 'MAC', width: 17, priority: 30 },
  { key: 'found', title: 'FOUND BY', width: 14, priority: 20 },
  { key: 'lockout', title: 'LOCKOUT', width: 22, priority: 70 },
  { key: 'state', title: 'STATE', width: 13, priority: 60 },
  { key: 'login', title: 'LOGIN', width: 18, priority: 75 },
];

/** Columns that fit `width`, dropping the least important first, in display order. */
export function columnsFor(width: number): Column[] {
  const kept = [...ALL_COLUMNS];
  const total = (): number => kept.reduce((sum, c) => sum + c.width + 1, 0);
  while (total() > width && kept.length > 3) {
    const victim = kept.reduce((low, c) => (c.priority < low.priority ? c : low));
    kept.splice(kept.indexOf(victim), 1);
  }
  return kept;
}

export function cellText(device: Device, key: Column['key'], remaining: number | null | undefined, selected: boolean): string {
  switch (key) {
    case 'select': return selected ? '●' : '○';
    case 'address': return device.addresses.join(' ');
    case 'vendor': return device.vendor ?? '-';
    case 'model': return device.model ?? '-';
    case 'firmware': return device.firmware ?? '-';
    case 'mac': return device.mac ?? '-';
    case 'found': return device.discoveredBy.join(',');
    case 'lockout': return shortLockout(device);
    case 'state': return deviceState(device);
    case 'login': return loginLabel(device, remaining);
  }
}

export function fit(text: string, width: number): string {
  if (text.length <= width) return text.padEnd(width);
  return `${text.slice(0, Math.max(0, width - 1))}…`;
}
