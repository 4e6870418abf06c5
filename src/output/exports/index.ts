/**
 * The export kinds (`--export <kind>=<path>`, the UI's `e`), one formatter per file, and the one place they are
 * written: a kind that holds a password only through writeSecretFile (owner-only, never through a link; CONTRACT
 * S7), the others as ordinary files.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../model/errors.js';
import { writeSecretFile } from '../../guard/secret-file.js';
import type { Device } from '../../model/device.js';
import type { ExportFormatter, ExportInput, ExportKind, LeftOut } from './types.js';
import { xprotectExport } from './xprotect.js';
import { pstoolsExport } from './pstools.js';
import { go2rtcExport } from './go2rtc.js';
import { frigateExport } from './frigate.js';
import { inventoryExport } from './inventory.js';
import { jsonExport } from './json.js';
import { matchDriver, type MilestoneDriver } from './milestone-drivers.js';

export const EXPORTS: Record<ExportKind, ExportFormatter> = {
  xprotect: xprotectExport,
  pstools: pstoolsExport,
  go2rtc: go2rtcExport,
  frigate: frigateExport,
  inventory: inventoryExport,
  json: jsonExport,
};

export const EXPORT_KINDS = Object.keys(EXPORTS) as ExportKind[];

export interface ExportRequest {
  kind: ExportKind;
  path: string;
}

/** `<kind>=<path>` from the command line. */
export function parseExportSpec(spec: string): ExportRequest {
  const at = spec.indexOf('=');
  const kind = spec.slice(0, Math.max(0, at)).trim().toLowerCase();
  const path = spec.slice(at + 1).trim();
  if (at <= 0 || path === '' || !(kind in EXPORTS)) {
    throw new UsageError(`--export takes <kind>=<path> with kind one of ${EXPORT_KINDS.join(', ')}, not "${spec}"`);
  }
  return { kind: kind as ExportKind, path };
}

export interface ExportWritten {
  kind: ExportKind;
  path: string;
  rows: number;
  protection: string;
  leftOut: LeftOut[];
}

export function writeExport(request: ExportRequest, input: ExportInput): ExportWritten {
  const formatter = EXPORTS[request.kind];
  const output = formatter.format(input);
  if (formatter.secret) {
    const written = writeSecretFile(request.path, output.content);
    return { kind: request.kind, path: written.path, rows: output.rows, protection: written.protection, leftOut: output.leftOut };
  }
  const path = resolve(request.path);
  writeFileSync(path, output.content);
  return { kind: request.kind, path, rows: output.rows, protection: 'no secret in it', leftOut: output.leftOut };
}

/**
 * Record on every device which Milestone driver an export would write (`export.milestoneDriver`, null when none
 * matched). Returns the devices whose login succeeded but have no number (the ones a Milestone export leaves out).
 */
export function assignMilestoneDrivers(devices: Device[], drivers: MilestoneDriver[] | null): Device[] {
  const missing: Device[] = [];
  for (const device of devices) {
    device.export = { milestoneDriver: matchDriver(device, drivers) };
    if (!device.export.milestoneDriver && device.login.status === 'succeeded') missing.push(device);
  }
  return missing;
}

export type { ExportFormatter, ExportInput, ExportKind, ExportOutput, LeftOut, LoginCredential } from './types.js';
export { NO_DRIVER_REASON } from './milestone-rows.js';
export { decodeDriverList, parseDriverList, matchDriver, BUILTIN_DRIVERS, DriverListError, type MilestoneDriver } from './milestone-drivers.js';
