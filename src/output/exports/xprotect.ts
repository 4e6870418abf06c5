/**
 * Milestone XProtect Management Client › Add Hardware › Import from CSV file: the header row names the values;
 * HardwareAddress, HardwareUsername, HardwarePassword, HardwareDriverID (Milestone help "CSV file format and
 * requirements"). Holds the password.
 */
import { csvLines, hostForUrl, type ExportFormatter } from './types.js';
import { milestoneRows } from './milestone-rows.js';

export const XPROTECT_HEADER = ['HardwareAddress', 'HardwareUsername', 'HardwarePassword', 'HardwareDriverID'];

export function hardwareAddress(address: string, port: number | null): string {
  return `http://${hostForUrl(address)}${port && port !== 80 ? `:${port}` : ''}/`;
}

export const xprotectExport: ExportFormatter = {
  kind: 'xprotect',
  secret: true,
  needsLogin: true,
  description: 'Milestone XProtect Management Client import CSV',
  format(input) {
    const { rows, leftOut } = milestoneRows(input);
    const lines = [XPROTECT_HEADER];
    for (const row of rows) {
      const address = row.credential.address;
      lines.push([hardwareAddress(address, row.credential.port), row.credential.username, row.credential.password.reveal(), row.driverNumber === null ? '' : String(row.driverNumber)]);
    }
    return { content: csvLines(lines), rows: rows.length, leftOut };
  },
};
