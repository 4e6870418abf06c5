/**
 * Milestone XProtect Management Client hardware import CSV (kept for the library's existing callers; the export
 * kind `xprotect` in output/exports is the one the CLI uses): HardwareAddress, HardwareUsername,
 * HardwarePassword, HardwareDriverID. Holds a password (docs/SAFETY.md S7): written only on request, owner-only.
 */
import type { Secret } from '../guard/secret.js';
import { writeSecretFile, type SecretFileWritten } from '../guard/secret-file.js';
import { csvLines } from './exports/types.js';
import { XPROTECT_HEADER, hardwareAddress } from './exports/xprotect.js';

export { hardwareAddress };

export interface XprotectRow {
  address: string;
  port: number | null;
  username: string;
  password: Secret;
  driverId: string | null;
}

export function formatXprotectCsv(rows: XprotectRow[]): string {
  return csvLines([XPROTECT_HEADER, ...rows.map((row) => [hardwareAddress(row.address, row.port), row.username, row.password.reveal(), row.driverId ?? ''])]);
}

export function writeXprotectCsv(path: string, rows: XprotectRow[]): SecretFileWritten {
  return writeSecretFile(path, formatXprotectCsv(rows));
}
