/**
 * MilestonePSTools `Import-VmsHardware` CSV, one row per device channel, columns as ValidateHardwareCsvRows.ps1
 * accepts them: Address normalised to scheme+host[:port] (http/https only), Channel an integer, Enabled a .NET
 * bool ("True"; an empty value fails [bool]::TryParse), DriverNumber an integer that must be installed on the
 * recorder, DeviceGroups `;`-separated group paths. Rows are grouped into one hardware by RecordingServer+Address.
 * oneknock writes channel 0 (the camera) of each device it logged in to. Holds the password.
 */
import { csvLines, hostForUrl, type ExportFormatter } from './types.js';
import { milestoneRows } from './milestone-rows.js';
import { driverGroup } from './milestone-drivers.js';

export const PSTOOLS_HEADER = ['DeviceType', 'Name', 'Address', 'Channel', 'UserName', 'Password', 'DriverNumber', 'DriverGroup', 'RecordingServer', 'Enabled', 'HardwareName', 'StorageName', 'Coordinates', 'DeviceGroups'];

/** Group path segment: no separators of the DeviceGroups syntax (`/` between levels, `;` between paths). */
const segment = (text: string): string => text.replace(/[/;\\]/g, '-').trim() || 'Unknown';

export function pstoolsAddress(address: string, port: number | null): string {
  return `http://${hostForUrl(address)}${port && port !== 80 ? `:${port}` : ''}`;
}

export const pstoolsExport: ExportFormatter = {
  kind: 'pstools',
  secret: true,
  needsLogin: true,
  description: 'MilestonePSTools Import-VmsHardware CSV',
  format(input) {
    const { rows, leftOut } = milestoneRows(input);
    const lines = [PSTOOLS_HEADER];
    for (const row of rows) {
      const device = row.device;
      const address = row.credential.address;
      const label = [device.vendor, device.model].filter(Boolean).join(' ') || 'Camera';
      const match = device.export?.milestoneDriver ?? null;
      const group = match ? driverGroup(match, input.drivers ?? null) ?? '' : '';
      lines.push([
        'Camera',
        `${label} (${address})`,
        pstoolsAddress(address, row.credential.port),
        '0',
        row.credential.username,
        row.credential.password.reveal(),
        row.driverNumber === null ? '' : String(row.driverNumber),
        group,
        input.recordingServer ?? '',
        'True',
        `${label} ${device.serial ?? device.mac ?? address}`,
        '',
        '',
        `/oneknock/${segment(device.vendor ?? 'Unknown')}`,
      ]);
    }
    return { content: csvLines(lines), rows: rows.length, leftOut };
  },
};
