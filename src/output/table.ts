/** A plain, readable table for terminals and pipes without --json (no colours, no React). */
import type { Device } from '../model/device.js';
import type { PlannedLogin } from '../model/events.js';
import { lockoutCell } from './lockout-text.js';
import { compareDevices } from './order.js';

function cell(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? '-' : value;
}

export function formatDeviceTable(devices: Device[], width = 200): string {
  const rows = [...devices].sort(compareDevices).map((d) => [
    d.addresses.join(' '),
    cell(d.vendor),
    cell(d.model),
    d.kind ?? 'unknown',
    cell(d.firmware),
    cell(d.mac),
    d.discoveredBy.join(','),
    d.onvif?.clockOffsetMs === null || d.onvif?.clockOffsetMs === undefined ? '-' : formatOffset(d.onvif.clockOffsetMs),
    lockoutCell(d.lockout),
    d.lockout.state,
    d.login.status + (d.login.reason ? ` (${d.login.reason})` : ''),
  ]);
  const header = ['ADDRESS', 'VENDOR', 'MODEL', 'KIND', 'FIRMWARE', 'MAC', 'FOUND BY', 'CLOCK', 'LOCKOUT', 'STATE', 'LOGIN'];
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

/** The login plan in words: who gets exactly one attempt (scheme, URL, user) and who is skipped and why. */
export function formatPlan(plan: PlannedLogin[]): string {
  const attempts = plan.filter((p) => p.action === 'attempt');
  const lines = [`Login plan: ${attempts.length} device(s) get exactly one attempt each, ${plan.length - attempts.length} skipped.`];
  for (const item of plan) {
    lines.push(
      item.action === 'attempt'
        ? `  knock once  ${item.id}  ${item.method ?? ''}  ${item.url ?? ''}  as ${item.username ?? ''}${item.identity?.confirmed ? `  (${item.identity.text})` : ''}${item.reason ? `  (${item.reason})` : ''}`
        : `  skip        ${item.id}  ${item.reason ?? ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
