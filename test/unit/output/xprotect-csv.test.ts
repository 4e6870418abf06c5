import { mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatXprotectCsv, hardwareAddress, writeXprotectCsv } from '../../../src/output/xprotect-csv.js';
import { Secret } from '../../../src/guard/secret.js';

describe('Milestone XProtect CSV', () => {
  it('has the import header and one row per device, quoting what needs it', () => {
    const csv = formatXprotectCsv([
      { address: '192.0.2.40', port: null, username: 'admin', password: new Secret('a,b"c'), driverId: null },
      { address: '2001:db8::7', port: 8080, username: 'op', password: new Secret('plain'), driverId: '713' },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'HardwareAddress,HardwareUsername,HardwarePassword,HardwareDriverID',
      'http://192.0.2.40/,admin,"a,b""c",',
      'http://[2001:db8::7]:8080/,op,plain,713',
      '',
    ]);
  });

  it('omits port 80 and keeps other ports', () => {
    expect(hardwareAddress('10.0.0.1', 80)).toBe('http://10.0.0.1/');
    expect(hardwareAddress('10.0.0.1', 8000)).toBe('http://10.0.0.1:8000/');
  });

  it('writes the file with mode 0600, even over an existing world-readable file (S7)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'csv-')), 'out.csv');
    writeFileSync(file, 'old');
    chmodSync(file, 0o644);
    writeXprotectCsv(file, [{ address: '192.0.2.1', port: null, username: 'u', password: new Secret('p'), driverId: null }]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('http://192.0.2.1/,u,p,');
  });
});
