/**
 * Milestone XProtect driver numbers. A hardware row with no driver number makes the recording server work the driver
 * out by probing the device with its drivers' logons (Management Client "Import from CSV file": the driver ID is
 * documented as needed only when the device is offline), and makes MilestonePSTools Import-VmsHardware run
 * `Start-VmsHardwareScan -Express -UseDefaultCredentials` (ImportHardwareCsv.ps1) — the multi-logon scan oneknock
 * replaces. So a row carries a number, and the number comes from the user's own recorder:
 *
 *   Get-VmsRecordingServer | Get-VmsHardwareDriver | Export-Csv drivers.csv
 *
 * Windows PowerShell 5.1 writes a `#TYPE <type name>` first line and quotes every field; PowerShell 7 drops the
 * #TYPE line; either may be UTF-8 with a BOM, ASCII, or (through `>` in 5.1) UTF-16LE, with CRLF line ends.
 */
import { parse } from 'csv-parse/sync';
import { ExitCode, OneknockError } from '../../model/errors.js';
import { normaliseVendor } from '../../model/vendor.js';
import type { Device, DeviceExport } from '../../model/device.js';
import builtin from './builtin-drivers.json' with { type: 'json' };

export interface MilestoneDriver {
  number: number;
  name: string;
  group: string | null;
}

export interface BuiltinDriver extends MilestoneDriver {
  vendor: string;
  source: string;
}

export type DriverMatch = NonNullable<DeviceExport['milestoneDriver']>;

export const BUILTIN_DRIVERS: readonly BuiltinDriver[] = (builtin as { drivers: BuiltinDriver[] }).drivers;

export class DriverListError extends OneknockError {
  constructor(message: string) {
    super('E_DRIVER_LIST', message, ExitCode.usage);
    this.name = 'DriverListError';
  }
}

/** Text of a driver list file: UTF-16LE (BOM FF FE) or UTF-8/ASCII, BOM removed. */
export function decodeDriverList(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes);
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return buffer.subarray(2).toString('utf16le');
  const text = buffer.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The drivers in an Export-Csv of Get-VmsHardwareDriver: columns Number and Name required, GroupName when present. */
export function parseDriverList(text: string): MilestoneDriver[] {
  let body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Windows PowerShell 5.1: "#TYPE VideoOS.Platform.ConfigurationItems.HardwareDriver" before the header.
  if (/^#TYPE[^\r\n]*(\r?\n|$)/.test(body)) body = body.replace(/^#TYPE[^\r\n]*(\r?\n|$)/, '');
  let rows: Array<Record<string, string>>;
  try {
    rows = parse(body, { columns: true, skip_empty_lines: true, trim: true, relax_column_count: true, bom: true }) as Array<Record<string, string>>;
  } catch (error) {
    throw new DriverListError(`the driver list is not a readable CSV: ${(error as Error).message}`);
  }
  const first = rows[0];
  if (!first || !('Number' in first) || !('Name' in first)) {
    throw new DriverListError('the driver list needs the columns Number and Name (make it with: Get-VmsRecordingServer | Get-VmsHardwareDriver | Export-Csv drivers.csv)');
  }
  const drivers: MilestoneDriver[] = [];
  const seen = new Set<number>();
  for (const row of rows) {
    const raw = (row['Number'] ?? '').trim();
    const name = (row['Name'] ?? '').trim();
    if (!/^\d{1,9}$/.test(raw) || name === '') continue;
    const number = Number(raw);
    // One list per recorder piped together repeats each driver once per recorder.
    if (seen.has(number)) continue;
    seen.add(number);
    const group = (row['GroupName'] ?? '').trim();
    drivers.push({ number, name, group: group === '' ? null : group });
  }
  if (drivers.length === 0) throw new DriverListError('the driver list has no row with a numeric Number and a Name');
  return drivers;
}

const squash = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

function isOnvifDevice(device: Device): boolean {
  return device.onvif !== null || device.discoveredBy.includes('ws-discovery') || device.login.method === 'ws-username-token';
}

function byModel(device: Device, drivers: MilestoneDriver[]): MilestoneDriver | null {
  const model = device.model ? squash(device.model) : '';
  if (model.length < 4) return null;
  // The most specific name wins: "Hikvision DS-2CD2386G2-IU" over a series name that also contains the model.
  const hits = drivers.filter((d) => squash(d.name).includes(model)).sort((a, b) => a.name.length - b.name.length);
  return hits[0] ?? null;
}

function byVendor(device: Device, drivers: MilestoneDriver[]): MilestoneDriver | null {
  const vendor = normaliseVendor(device.vendor);
  if (!vendor) return null;
  const key = squash(vendor);
  const inGroup = drivers.filter((d) => (d.group ? normaliseVendor(d.group) === vendor : false));
  const named = drivers.filter((d) => squash(d.name) === key);
  // The driver named exactly as the vendor (e.g. "AXIS"), else the first of the vendor's group, else one named for it.
  return named.find((d) => inGroup.includes(d)) ?? named[0] ?? inGroup.find((d) => squash(d.name).startsWith(key)) ?? inGroup[0] ?? null;
}

function byOnvif(device: Device, drivers: MilestoneDriver[]): MilestoneDriver | null {
  if (!isOnvifDevice(device)) return null;
  const onvif = drivers.filter((d) => /onvif/i.test(d.group ?? '') || /onvif/i.test(d.name));
  return onvif.find((d) => /conformant/i.test(d.name)) ?? onvif[0] ?? null;
}

/**
 * The driver for one device: from the user's list (exact model, then the vendor's driver, then an ONVIF driver for
 * an ONVIF device); without a list, a sourced built-in entry for the vendor. A list given is the recorder's truth:
 * the built-in table is not used beside it (a number the recorder lacks fails the import).
 */
export function matchDriver(device: Device, drivers: MilestoneDriver[] | null): DriverMatch | null {
  if (drivers) {
    const model = byModel(device, drivers);
    if (model) return { number: model.number, name: model.name, rule: 'model' };
    const vendor = byVendor(device, drivers);
    if (vendor) return { number: vendor.number, name: vendor.name, rule: 'vendor' };
    const onvif = byOnvif(device, drivers);
    if (onvif) return { number: onvif.number, name: onvif.name, rule: 'onvif' };
    return null;
  }
  const vendor = normaliseVendor(device.vendor);
  const entry = BUILTIN_DRIVERS.find((d) => d.vendor === vendor);
  return entry ? { number: entry.number, name: entry.name, rule: 'built-in' } : null;
}

/** The group to write beside a number: the list's GroupName when known, else the built-in entry's. */
export function driverGroup(match: DriverMatch, drivers: MilestoneDriver[] | null): string | null {
  const list = drivers ?? BUILTIN_DRIVERS;
  return list.find((d) => d.number === match.number)?.group ?? null;
}
