/** Pure formatting helpers for the terminal UI (unit-tested without React). */
import type { Device } from '../model/device.js';
import { shortPolicy } from '../guard/lockout/lookup.js';
import { lockoutFigure } from '../output/lockout-text.js';

export type Risk = 'high' | 'medium' | 'low' | 'unknown';

/** "5 tries/30 min per IP", "rate-limited", "no lock known" — the knowledge base's own short form. */
export function shortLockout(device: Device): string {
  // The device's own setting (read after the login) beats the knowledge base, and says so with a leading check
  // mark (leading, so a narrow column that cuts the text keeps it).
  const figure = lockoutFigure(device.lockout);
  return figure.from === 'device' ? `✓${figure.text}` : figure.text;
}

/** The same policy in fewer characters for narrow terminals: "5/30 min per IP". */
export function compactLockout(device: Device): string {
  const full = device.lockout.verified ? shortLockout(device) : shortPolicy(device.lockout);
  return full.replace(/^(✓?)(\d+) tries?\//, '$1$2/');
}

export function lockoutRisk(device: Device): Risk {
  const l = device.lockout;
  if (l.maxAttempts === null && l.scope === null) return 'unknown';
  if (l.scope === 'rate') return 'low';
  if ((l.lockSeconds ?? 0) >= 600 && l.scope === 'source-ip') return 'high';
  if ((l.lockSeconds ?? 0) >= 600) return 'medium';
  return 'low';
}

export function deviceState(device: Device, unlockWait?: { secondsLeft: number; state: 'waiting' | 'checking' }): 'locked' | 'not activated' | 'ready' | 'unknown' | `waits ${number} s` | 'checking' {
  if (unlockWait) return unlockWait.state === 'checking' ? 'checking' : `waits ${unlockWait.secondsLeft} s`;
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
  key: 'select' | 'address' | 'vendor' | 'model' | 'kind' | 'firmware' | 'mac' | 'found' | 'lockout' | 'state' | 'login';
  title: string;
  width: number;
  /** Lower drops first when the terminal is narrow. */
  priority: number;
}

interface ColumnSpec extends Column {
  min: number;
}

const ALL_COLUMNS: ColumnSpec[] = [
  { key: 'select', title: ' ', width: 2, min: 2, priority: 100 },
  { key: 'address', title: 'ADDRESS', width: 15, min: 15, priority: 95 },
  { key: 'vendor', title: 'VENDOR', width: 10, min: 9, priority: 70 },
  { key: 'model', title: 'MODEL', width: 20, min: 14, priority: 90 },
  { key: 'kind', title: 'KIND', width: 12, min: 8, priority: 25 },
  { key: 'firmware', title: 'FIRMWARE', width: 20, min: 10, priority: 40 },
  { key: 'mac', title: 'MAC', width: 17, min: 17, priority: 30 },
  { key: 'found', title: 'FOUND BY', width: 16, min: 8, priority: 20 },
  { key: 'lockout', title: 'LOCKOUT', width: 22, min: 15, priority: 85 },
  { key: 'state', title: 'STATE', width: 13, min: 13, priority: 75 },
  { key: 'login', title: 'LOGIN', width: 18, min: 11, priority: 80 },
];

/**
 * Columns that fit `width`: drop the least important until the minimum widths fit, then widen the most important
 * ones towards their preferred width. Display order is kept.
 */
export function columnsFor(width: number): Column[] {
  const kept = [...ALL_COLUMNS];
  const gaps = (): number => kept.length;
  while (kept.reduce((sum, c) => sum + c.min, 0) + gaps() > width && kept.length > 3) {
    const victim = kept.reduce((low, c) => (c.priority < low.priority ? c : low));
    kept.splice(kept.indexOf(victim), 1);
  }
  const widths = new Map(kept.map((c) => [c.key, c.min]));
  let spare = width - gaps() - kept.reduce((sum, c) => sum + c.min, 0);
  for (const column of [...kept].sort((a, b) => b.priority - a.priority)) {
    const grow = Math.max(0, Math.min(spare, column.width - column.min));
    widths.set(column.key, column.min + grow);
    spare -= grow;
  }
  return kept.map(({ key, title, priority }) => ({ key, title, priority, width: widths.get(key)! }));
}

export function cellText(device: Device, key: Column['key'], remaining: number | null | undefined, selected: boolean): string {
  switch (key) {
    case 'select': return selected ? '●' : '○';
    case 'address': return device.addresses.join(' ');
    case 'vendor': return device.vendor ?? '-';
    case 'model': return device.model ?? '-';
    case 'kind': return device.kind ?? 'unknown';
    case 'firmware': return device.firmware ?? '-';
    case 'mac': return device.mac ?? '-';
    case 'found': return device.discoveredBy.join(',');
    case 'lockout': return shortLockout(device);
    case 'state': return deviceState(device);
    case 'login': return loginLabel(device, remaining);
  }
}

/** A cell's text for this width: the compact lockout form when the full one does not fit. */
export function cellTextFor(device: Device, key: Column['key'], width: number, remaining: number | null | undefined, selected: boolean): string {
  const text = cellText(device, key, remaining, selected);
  if (key === 'lockout' && text.length > width) return compactLockout(device);
  if (key === 'login' && text.length > width && device.login.status === 'rejected' && remaining !== null && remaining !== undefined) return `rejected ${remaining}`;
  return text;
}

export function fit(text: string, width: number): string {
  if (text.length <= width) return text.padEnd(width);
  return `${text.slice(0, Math.max(0, width - 1))}…`;
}
