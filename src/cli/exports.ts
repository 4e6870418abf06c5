/**
 * The CLI side of the VMS hand-off: which exports were asked for (`--export`, `--csv`), the driver list, the
 * driver warnings before the scan's `done`, and the files written after it, each announced on stderr.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../model/errors.js';
import type { Device } from '../model/device.js';
import type { ScanEvent, WarningEvent } from '../model/events.js';
import type { ScanDocument } from '../output/json.js';
import {
  EXPORTS,
  NO_DRIVER_REASON,
  assignMilestoneDrivers,
  decodeDriverList,
  parseDriverList,
  parseExportSpec,
  writeExport,
  type ExportRequest,
  type LoginCredential,
  type MilestoneDriver,
} from '../output/exports/index.js';
import type { ScanFlags } from './options.js';

export interface ExportPlan {
  requests: ExportRequest[];
  drivers: MilestoneDriver[] | null;
  /** A Milestone export, or a driver list: record export.milestoneDriver on the devices. */
  assignDrivers: boolean;
  milestone: boolean;
  allowDriverDetection: boolean;
  /** Credentials that succeeded, by responder address (filled by the login phase). */
  credentials: Map<string, LoginCredential>;
}

export function exportPlanFrom(flags: ScanFlags): ExportPlan {
  const requests = (flags.export ?? []).map(parseExportSpec);
  if (flags.csv) requests.push({ kind: 'xprotect', path: flags.csv });
  const paths = new Set<string>();
  for (const request of requests) {
    if (paths.has(request.path)) throw new UsageError(`two exports name the same file ${request.path}: give each its own path`);
    paths.add(request.path);
  }
  let drivers: MilestoneDriver[] | null = null;
  if (flags.milestoneDrivers) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(flags.milestoneDrivers);
    } catch (error) {
      throw new UsageError(`cannot read the driver list ${flags.milestoneDrivers}: ${(error as Error).message}`, 'E_DRIVER_LIST');
    }
    drivers = parseDriverList(decodeDriverList(bytes));
  }
  const milestone = requests.some((r) => r.kind === 'xprotect' || r.kind === 'pstools');
  return { requests, drivers, milestone, allowDriverDetection: !!flags.allowDriverDetection, assignDrivers: milestone || drivers !== null, credentials: new Map() };
}

export function needsLogin(plan: ExportPlan): ExportRequest[] {
  return plan.requests.filter((r) => EXPORTS[r.kind].needsLogin);
}

export function credentialLookup(plan: ExportPlan): (device: Device) => LoginCredential | null {
  return (device) => {
    for (const address of device.addresses) {
      const found = plan.credentials.get(address);
      if (found) return found;
    }
    return null;
  };
}

/** Before `done`: the driver chosen per device, and a warning per logged-in device a Milestone export leaves out. */
export function driverEvents(plan: ExportPlan, document: ScanDocument, at: string): ScanEvent[] {
  if (!plan.assignDrivers) return [];
  const missing = assignMilestoneDrivers(document.devices, plan.drivers);
  const events: ScanEvent[] = document.devices.map((device) => ({ type: 'device', at, device }));
  if (plan.milestone) {
    for (const device of missing) {
      const written = plan.allowDriverDetection ? 'written without a driver number (--allow-driver-detection)' : 'left out of the Milestone export';
      const warning: WarningEvent = {
        type: 'warning',
        at,
        address: device.addresses[0] ?? null,
        code: 'milestone-driver-missing',
        message: `${[device.vendor, device.model].filter(Boolean).join(' ') || device.id}: ${written}: ${NO_DRIVER_REASON}`,
      };
      events.push(warning);
    }
  }
  return events;
}

export interface WriteContext {
  plan: ExportPlan;
  document: ScanDocument;
  loginsConfirmed: boolean;
  flags: ScanFlags;
}

/** Write every requested file; a secret one only after confirmed logins. Each is announced on stderr. */
export function writeExports({ plan, document, loginsConfirmed, flags }: WriteContext): void {
  const input = {
    document,
    credentialFor: credentialLookup(plan),
    recordingServer: flags.recordingServer ?? null,
    allowDriverDetection: !!flags.allowDriverDetection,
    drivers: plan.drivers,
  };
  for (const request of plan.requests) {
    const formatter = EXPORTS[request.kind];
    if (formatter.needsLogin && !loginsConfirmed) {
      process.stderr.write(`Not written: ${request.kind} ${request.path} (no login was made in this run, so it would list no device).\n`);
      continue;
    }
    const written = writeExport(request, input);
    process.stderr.write(`Wrote ${request.kind}: ${written.path} (${written.rows} ${request.kind === 'go2rtc' || request.kind === 'frigate' ? 'camera(s)' : 'row(s)'}; ${written.protection}).\n`);
    const label = (device: Device): string => `${device.addresses[0] ?? device.id} (${[device.vendor, device.model].filter(Boolean).join(' ') || device.id})`;
    const noDriver = written.leftOut.filter((left) => left.reason === NO_DRIVER_REASON);
    if (noDriver.length > 0) process.stderr.write(`  left out, no Milestone driver number (see the warnings): ${noDriver.map((left) => label(left.device)).join(', ')}\n`);
    for (const left of written.leftOut.filter((l) => l.reason !== NO_DRIVER_REASON)) process.stderr.write(`  left out ${label(left.device)}: ${left.reason}\n`);
    if (request.kind === 'pstools' && !flags.recordingServer && written.rows > 0) {
      process.stderr.write('  RecordingServer is empty: pass --recording-server <name>, or run Import-VmsHardware -RecordingServer (Get-VmsRecordingServer -Name <name>).\n');
    }
  }
}
