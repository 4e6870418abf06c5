/** What every export formatter gets and gives; formatters are pure (the writing is in index.ts). */
import type { Device } from '../../model/device.js';
import type { Secret } from '../../guard/secret.js';
import type { ScanDocument } from '../json.js';
import type { MilestoneDriver } from './milestone-drivers.js';

export type ExportKind = 'xprotect' | 'pstools' | 'go2rtc' | 'frigate' | 'inventory' | 'json';

/** The one credential set that succeeded on a device, and the HTTP port the login used. */
export interface LoginCredential {
  /** The responder the login went to (CONTRACT S3): the address every export names. */
  address: string;
  username: string;
  password: Secret;
  port: number | null;
}

export interface ExportInput {
  document: ScanDocument;
  /** The credential that succeeded on this device, or null (not logged in, or no credentials given). */
  credentialFor(device: Device): LoginCredential | null;
  /** PSTools RecordingServer column (`--recording-server`); null leaves it for `Import-VmsHardware -RecordingServer`. */
  recordingServer: string | null;
  /** `--allow-driver-detection`: write Milestone rows without a driver number. */
  allowDriverDetection: boolean;
  /** The user's driver list (`--milestone-drivers`), for the DriverGroup column; null = the built-in table. */
  drivers?: MilestoneDriver[] | null;
}

export interface LeftOut {
  device: Device;
  reason: string;
}

export interface ExportOutput {
  content: string;
  /** Rows (CSV) or cameras (YAML) written. */
  rows: number;
  leftOut: LeftOut[];
}

export interface ExportFormatter {
  kind: ExportKind;
  /** Holds a password: written only through writeSecretFile. */
  secret: boolean;
  /** Lists logged-in devices, so it needs credentials given. */
  needsLogin: boolean;
  description: string;
  format(input: ExportInput): ExportOutput;
}

/** RFC 4180 field: quoted when it holds a comma, quote, line break or edge space. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLines(lines: string[][]): string {
  return `${lines.map((cells) => cells.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export function hostForUrl(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/** Logged-in devices with their credential, in document order. */
export function loggedIn(input: ExportInput): Array<{ device: Device; credential: LoginCredential }> {
  const out: Array<{ device: Device; credential: LoginCredential }> = [];
  for (const device of input.document.devices) {
    if (device.login.status !== 'succeeded') continue;
    const credential = input.credentialFor(device);
    if (credential) out.push({ device, credential });
  }
  return out;
}
