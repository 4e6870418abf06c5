/**
 * The devices a Milestone export writes: logged in, and with a driver number unless --allow-driver-detection. Shared
 * by the Management Client CSV and the PSTools CSV so both leave out the same devices for the same reason.
 */
import type { Device } from '../../model/device.js';
import { loggedIn, type ExportInput, type LeftOut, type LoginCredential } from './types.js';

export const NO_DRIVER_REASON =
  'no Milestone driver number: an empty driver makes XProtect probe the device with its drivers\' logons (each a failed login on a camera that locks), and makes MilestonePSTools Import-VmsHardware run an express scan with default credentials. Give --milestone-drivers <file> (from: Get-VmsRecordingServer | Get-VmsHardwareDriver | Export-Csv drivers.csv), or --allow-driver-detection to write it anyway';

export interface MilestoneRow {
  device: Device;
  credential: LoginCredential;
  driverNumber: number | null;
}

export function milestoneRows(input: ExportInput): { rows: MilestoneRow[]; leftOut: LeftOut[] } {
  const rows: MilestoneRow[] = [];
  const leftOut: LeftOut[] = [];
  for (const { device, credential } of loggedIn(input)) {
    const driver = device.export?.milestoneDriver ?? null;
    if (!driver && !input.allowDriverDetection) {
      leftOut.push({ device, reason: NO_DRIVER_REASON });
      continue;
    }
    rows.push({ device, credential, driverNumber: driver?.number ?? null });
  }
  return { rows, leftOut };
}
