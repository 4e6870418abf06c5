/**
 * Every export formatter on its own, read back with a real CSV parser (csv-parse) and a real YAML parser (yaml):
 * what each file says, which devices it leaves out and why, and that only the secret kinds hold the password.
 */
import { mkdtempSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { EXPORTS, assignMilestoneDrivers, parseExportSpec, writeExport, type ExportInput, type LoginCredential } from '../../../../src/output/exports/index.js';
import { Secret } from '../../../../src/guard/secret.js';
import type { Device } from '../../../../src/model/device.js';
import type { ScanDocument } from '../../../../src/output/json.js';
import { device } from './device-fixtures.js';

const PASSWORD = 'p@ss:w/rd,"1"';

const axis = device({
  address: '192.0.2.10', vendor: 'Axis', model: 'M1034-W', mac: 'ac:cc:8e:12:34:04', serial: 'ACCC8E123404', id: 'mac:ac:cc:8e:12:34:04',
  streams: [
    { profile: 'profile_1_h264', uri: 'rtsp://192.0.2.10/axis-media/media.amp?videocodec=h264', source: 'onvif-media' },
    { profile: 'profile_2_h264', uri: 'rtsp://192.0.2.10/axis-media/media.amp?videocodec=h264&resolution=640x360', source: 'onvif-media' },
  ],
});
const hik = device({ address: '192.0.2.11', vendor: 'Hikvision', model: '=HYPERLINK("x")', mac: 'bc:ba:c2:11:22:01', streams: [{ profile: 'main', uri: 'rtsp://192.0.2.11:8554/Streaming/Channels/101', source: 'vendor-path' }] });
const skipped = device({ address: '192.0.2.12', vendor: 'Hikvision', model: 'DS-2CD2143G2-I', login: { status: 'skipped', method: null, at: null, reason: 'not activated' } });
const ipv6 = device({ address: '2001:db8::7', vendor: 'Axis', model: 'P3301' });

function input(devices: Device[], over: Partial<ExportInput> = {}): ExportInput {
  const document: ScanDocument = { schema: 'oneknock/scan@1', startedAt: 'a', finishedAt: 'b', devices, warnings: [] };
  assignMilestoneDrivers(document.devices, null);
  const credential = (address: string, port: number | null): LoginCredential => ({ address, port, username: 'admin', password: new Secret(PASSWORD) });
  return {
    document,
    credentialFor: (d) => (d.login.status === 'succeeded' ? credential(d.addresses[0]!, d === ipv6 ? 8080 : null) : null),
    recordingServer: 'REC1',
    allowDriverDetection: false,
    ...over,
  };
}
const csv = (text: string): Array<Record<string, string>> => parseCsv(text, { columns: true }) as Array<Record<string, string>>;
const header = (text: string): string => text.split('\r\n')[0]!;

describe('xprotect (Management Client CSV)', () => {
  it('writes logged-in devices that have a driver number, leaves the others out with the reason', () => {
    const out = EXPORTS.xprotect.format(input([axis, hik, skipped, ipv6]));
    expect(header(out.content)).toBe('HardwareAddress,HardwareUsername,HardwarePassword,HardwareDriverID');
    expect(csv(out.content)).toEqual([
      { HardwareAddress: 'http://192.0.2.10/', HardwareUsername: 'admin', HardwarePassword: PASSWORD, HardwareDriverID: '806' },
      { HardwareAddress: 'http://[2001:db8::7]:8080/', HardwareUsername: 'admin', HardwarePassword: PASSWORD, HardwareDriverID: '806' },
    ]);
    expect(out.leftOut.map((l) => [l.device.addresses[0], l.reason])).toEqual([['192.0.2.11', expect.stringMatching(/probe the device with its drivers' logons.*express scan with default credentials.*--milestone-drivers/)]]);
  });

  it('--allow-driver-detection writes the device anyway, with an empty driver ID', () => {
    const rows = csv(EXPORTS.xprotect.format(input([hik], { allowDriverDetection: true })).content);
    expect(rows).toEqual([{ HardwareAddress: 'http://192.0.2.11/', HardwareUsername: 'admin', HardwarePassword: PASSWORD, HardwareDriverID: '' }]);
  });
});

describe('pstools (Import-VmsHardware CSV)', () => {
  it('has the exact header and one camera row per device, every column in the form ValidateHardwareCsvRows accepts', () => {
    const out = EXPORTS.pstools.format(input([axis, hik, skipped, ipv6]));
    expect(header(out.content)).toBe('DeviceType,Name,Address,Channel,UserName,Password,DriverNumber,DriverGroup,RecordingServer,Enabled,HardwareName,StorageName,Coordinates,DeviceGroups');
    const rows = csv(out.content);
    expect(rows[0]).toEqual({
      DeviceType: 'Camera', Name: 'Axis M1034-W (192.0.2.10)', Address: 'http://192.0.2.10', Channel: '0', UserName: 'admin', Password: PASSWORD,
      DriverNumber: '806', DriverGroup: 'AXIS', RecordingServer: 'REC1', Enabled: 'True', HardwareName: 'Axis M1034-W ACCC8E123404', StorageName: '', Coordinates: '', DeviceGroups: '/oneknock/Axis',
    });
    expect(rows[1]!.Address).toBe('http://[2001:db8::7]:8080');
    expect(rows.every((r) => /^\d+$/.test(r.DriverNumber!))).toBe(true);
    expect(out.leftOut).toHaveLength(1);
  });
});

describe('go2rtc and Frigate', () => {
  it('go2rtc: main and _sub stream per camera with the credentials percent-encoded; a camera without streams is left out', () => {
    const out = EXPORTS.go2rtc.format(input([axis, hik, device({ address: '192.0.2.13', vendor: 'Pelco' })]));
    const yaml = parseYaml(out.content) as { streams: Record<string, string[]> };
    expect(Object.keys(yaml.streams)).toEqual(['axis_m1034_w_123404', 'axis_m1034_w_123404_sub', 'hikvision_hyperlink_x_112201']);
    const main = new URL(yaml.streams['axis_m1034_w_123404']![0]!);
    expect(decodeURIComponent(main.password)).toBe(PASSWORD);
    expect(main.host).toBe('192.0.2.10');
    expect(main.search).toBe('?videocodec=h264');
    expect(out.leftOut.map((l) => l.device.addresses[0])).toEqual(['192.0.2.13']);
  });

  it('frigate: go2rtc restreams, main records, sub detects; a one-stream camera records and detects on main', () => {
    const yaml = parseYaml(EXPORTS.frigate.format(input([axis, hik])).content) as {
      go2rtc: { streams: Record<string, string[]> };
      cameras: Record<string, { ffmpeg: { inputs: Array<{ path: string; input_args: string; roles: string[] }> } }>;
    };
    expect(Object.keys(yaml.go2rtc.streams)).toHaveLength(3);
    expect(yaml.cameras['axis_m1034_w_123404']!.ffmpeg.inputs).toEqual([
      { path: 'rtsp://127.0.0.1:8554/axis_m1034_w_123404', input_args: 'preset-rtsp-restream', roles: ['record'] },
      { path: 'rtsp://127.0.0.1:8554/axis_m1034_w_123404_sub', input_args: 'preset-rtsp-restream', roles: ['detect'] },
    ]);
    expect(yaml.cameras['hikvision_hyperlink_x_112201']!.ffmpeg.inputs[0]!.roles).toEqual(['record', 'detect']);
  });
});

describe('inventory and json (no secret)', () => {
  it('inventory: every device, ports and URLs without credentials, formula-looking cells neutralised, no password', () => {
    const out = EXPORTS.inventory.format(input([axis, hik, skipped]));
    expect(out.content).not.toContain(PASSWORD);
    const rows = csv(out.content);
    expect(rows.map((r) => r.id)).toEqual([axis.id, hik.id, skipped.id]);
    expect(rows[0]).toMatchObject({ vendor: 'Axis', rtsp_main: 'rtsp://192.0.2.10/axis-media/media.amp?videocodec=h264', rtsp_port: '554', login_status: 'succeeded', milestone_driver: '806 AXIS (built-in)' });
    expect(rows[1]).toMatchObject({ model: `'=HYPERLINK("x")`, rtsp_port: '8554', rtsp_sub: '' });
    expect(rows[2]).toMatchObject({ login_status: 'skipped', rtsp_main: '' });
  });

  it('json: the scan document with export.milestoneDriver per device, no password', () => {
    const out = EXPORTS.json.format(input([axis, hik]));
    expect(out.content).not.toContain(PASSWORD);
    const document = JSON.parse(out.content) as ScanDocument;
    expect(document.devices.map((d) => d.export?.milestoneDriver?.number ?? null)).toEqual([806, null]);
  });
});

describe('writing', () => {
  it('secret kinds go through the owner-only writer (0600, never through a link); the others are ordinary files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exports-'));
    const secret = writeExport(parseExportSpec(`pstools=${join(dir, 'p.csv')}`), input([axis]));
    expect(statSync(secret.path).mode & 0o777).toBe(0o600);
    expect(secret.protection).toMatch(/owner/);
    const plain = writeExport({ kind: 'inventory', path: join(dir, 'i.csv') }, input([axis]));
    expect(plain.protection).toBe('no secret in it');
    expect(readFileSync(plain.path, 'utf8')).not.toContain(PASSWORD);
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'link.yaml'));
    expect(() => writeExport({ kind: 'go2rtc', path: join(dir, 'link.yaml') }, input([axis]))).toThrow(/symbolic link/);
  });

  it('parses --export specs and refuses unknown kinds', () => {
    expect(parseExportSpec('Frigate=/tmp/f.yml')).toEqual({ kind: 'frigate', path: '/tmp/f.yml' });
    expect(() => parseExportSpec('nx=/tmp/x')).toThrow(/kind one of xprotect, pstools, go2rtc, frigate, inventory, json/);
    expect(() => parseExportSpec('pstools=')).toThrow(/<kind>=<path>/);
  });
});
