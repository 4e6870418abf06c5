/** A plain, readable table for terminals and pipes without --json (no colours, no React). */
import type { Device } from '../core/device.js';

function cell(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? '-' : value;
}

export function formatDeviceTable(devices: Device[], width = 200): string {
  const rows = devices.map((d) => [
    d.addresses.join(' '),
    cell(d.vendor),
    cell(d.model),
    cell(d.firmware),
    cell(d.mac),
    d.discoveredBy.join(','),
    d.onvif?.clockOffsetMs === null || d.onvif?.clockOffsetMs === undefined ? '-' : formatOffset(d.onvif.clockOffsetMs),
    d.lockout.maxAttempts === null ? 'none known' : `${d.lockout.maxAttempts} tries/${formatSeconds(d.lockout.lockSeconds)} per ${d.lockout.scope === 'account' ? 'account' : d.lockout.scope === 'rate' ? 'second' : 'IP'}`,
    d.lockout.state,
    d.login.status + (d.login.reason ? ` (${d.login.reason})` : ''),
  ]);
  const header = ['ADDRESS', 'VENDOR', 'MODEL', 'FIRMWARE', 'MAC', 'FOUND BY', 'CLOCK', 'LOCKOUT', 'STATE', 'LOGIN'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd().slice(0, width);
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export function formatOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${abs}ms`;
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(1)}s`;
  if (abs < 3_600_000) return `${sign}${Math.round(abs / 60_000)}min`;
  if (abs < 86_400_000 * 2) return `${sign}${(abs / 3_600_000).toFixed(1)}h`;
  if (abs < 86_400_000 * 365) return `${sign}${Math.round(abs / 86_400_000)}d`;
  return `${sign}${(abs / (86_400_000 * 365.25)).toFixed(1)}y`;
}

function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '?';
  if (seconds % 60 === 0 && seconds >= 60) return `${seconds / 60} min`;
  return `${seconds} s`;
}
