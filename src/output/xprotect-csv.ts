/**
 * Milestone XProtect Management Client hardware import CSV (docs/FIELD-NOTES.md §6): HardwareAddress,
 * HardwareUsername, HardwarePassword, HardwareDriverID. The one file that may hold a password (docs/SAFETY.md S7),
 * written only on request and with mode 0600.
 */
import type { Secret } from '../guard/secret.js';
import { writeSecretFile, type SecretFileWritten } from '../guard/secret-file.js';
import { urlHost } from '../model/address.js';

export interface XprotectRow {
  address: string;
  port: number | null;
  username: string;
  password: Secret;
  driverId: string | null;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function hardwareAddress(address: string, port: number | null): string {
  const host = urlHost(address);
  return `http://${host}${port && port !== 80 ? `:${port}` : ''}/`;
}

export function formatXprotectCsv(rows: XprotectRow[]): string {
  const lines = ['HardwareAddress,HardwareUsername,HardwarePassword,HardwareDriverID'];
  for (const row of rows) {
    lines.push([hardwareAddress(row.address, row.port), row.username, row.password.reveal(), row.driverId ?? ''].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function writeXprotectCsv(path: string, rows: XprotectRow[]): SecretFileWritten {
  return writeSecretFile(path, formatXprotectCsv(rows));
}
