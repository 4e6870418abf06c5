/**
 * The VMS hand-off, end to end: the built CLI scans the simulated fleet with one credential set and writes every
 * export kind in one command. Each file is read back with a real CSV parser (csv-parse) and a real YAML parser
 * (yaml): the PSTools header exactly, a driver number on every Milestone row, devices without one as warnings,
 * one go2rtc/Frigate stream per logged-in camera whose rtsp:// URL reaches that device's RTSP server, no password
 * byte in the inventory or the JSON, and the simulator's counters: one login per device plus the bounded reads.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFleetProfiles, startFleet, type Fleet } from '../../src/simulator/fleet.js';
import { MAX_VERIFIED_READS } from '../../src/auth/session.js';
import type { ScanDocument } from '../../src/output/json.js';
import { runCli, type CliResult } from '../support/cli.js';
import { readCaptureText } from '../support/captures.js';
import { testSubnet } from '../support/subnet.js';

const SUBNET = testSubnet(40);
const PASSWORD = 'Hand-off:Secret/7e2"b';
const PSTOOLS_HEADER = 'DeviceType,Name,Address,Channel,UserName,Password,DriverNumber,DriverGroup,RecordingServer,Enabled,HardwareName,StorageName,Coordinates,DeviceGroups';
const KINDS = ['xprotect', 'pstools', 'go2rtc', 'frigate', 'inventory', 'json'] as const;
const FILES: Record<(typeof KINDS)[number], string> = { xprotect: 'xprotect.csv', pstools: 'pstools.csv', go2rtc: 'go2rtc.yaml', frigate: 'frigate.yml', inventory: 'inventory.csv', json: 'scan.json' };

/** One anonymous RTSP OPTIONS (no userinfo, no Authorization): what a restreamer's first request looks like. */
function rtspOptions(url: string): Promise<string> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.hostname, port: Number(target.port || 554) });
    let text = '';
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no RTSP answer from ${target.host}`)); }, 3000);
    socket.on('connect', () => socket.write(`OPTIONS rtsp://${target.host}${target.pathname}${target.search} RTSP/1.0\r\nCSeq: 1\r\n\r\n`));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n\r\n')) { clearTimeout(timer); socket.destroy(); resolve(text); }
    });
    socket.on('error', (error) => { clearTimeout(timer); reject(error); });
  });
}

describe('oneknock hand-off: every export kind from one command', () => {
  let fleet: Fleet;
  let dir: string;
  let result: CliResult;
  let document: ScanDocument;
  let counters: ReturnType<Fleet['report']>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ok-handoff-'));
    fleet = await startFleet({ subnet: SUBNET, httpPort: 0, password: PASSWORD, profiles: defaultFleetProfiles() });
    // The user's recorder has no ONVIF driver in this list: the Pelco and the generic ONVIF camera get no number.
    const drivers = readCaptureText('synthetic-format-references/milestone-get-vmshardwaredriver-export-csv-ps51.csv').split('\r\n').filter((line) => !line.includes('ONVIF')).join('\r\n');
    writeFileSync(join(dir, 'drivers.csv'), drivers);
    result = await runCli([
      'scan', '--no-multicast', ...fleet.addresses.flatMap((a) => ['--target', a]), '--wait', '700', '--ledger', join(dir, 'ledger.jsonl'),
      '--json', '--user', 'admin', '--password-env', 'HANDOFF_PW', '--yes',
      '--milestone-drivers', join(dir, 'drivers.csv'), '--recording-server', 'Recorder 1',
      ...KINDS.flatMap((kind) => ['--export', `${kind}=${join(dir, FILES[kind])}`]),
    ], { env: { HANDOFF_PW: PASSWORD }, timeoutMs: 45_000 });
    counters = fleet.report();
    document = JSON.parse(result.stdout) as ScanDocument;
  }, 60_000);

  afterAll(async () => {
    await fleet?.stop();
  });

  const file = (kind: (typeof KINDS)[number]): string => readFileSync(join(dir, FILES[kind]), 'utf8');
  const loggedIn = (): ScanDocument['devices'] => document.devices.filter((d) => d.login.status === 'succeeded');

  it('wrote every kind and said so on stderr; the ones with a password owner-only', () => {
    expect(result.code).toBe(3); // the fleet's other-password Hikvision is rejected
    for (const kind of KINDS) {
      expect(result.stderr).toContain(`Wrote ${kind}: ${join(dir, FILES[kind])}`);
      const mode = statSync(join(dir, FILES[kind])).mode & 0o777;
      if (['xprotect', 'pstools', 'go2rtc', 'frigate'].includes(kind)) expect(mode, kind).toBe(0o600);
    }
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  });

  it('pstools: the exact header, a driver number on every row, one row per logged-in camera that has one', () => {
    const text = file('pstools');
    expect(text.split('\r\n')[0]).toBe(PSTOOLS_HEADER);
    const rows = parseCsv(text, { columns: true }) as Array<Record<string, string>>;
    const numbered = loggedIn().filter((d) => d.export?.milestoneDriver);
    expect(rows.map((r) => new URL(r.Address!).hostname)).toEqual(numbered.map((d) => d.addresses[0]));
    expect(rows.every((r) => /^http:\/\/[\d.]+(:\d+)?$/.test(r.Address!))).toBe(true);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) {
      expect(row.DriverNumber).toMatch(/^\d+$/);
      expect(row).toMatchObject({ DeviceType: 'Camera', Channel: '0', UserName: 'admin', Password: PASSWORD, RecordingServer: 'Recorder 1', Enabled: 'True' });
      expect(row.DeviceGroups).toMatch(/^\/oneknock\/\w+$/);
    }
  });

  it('xprotect: the Management Client header, a driver ID on every row', () => {
    const text = file('xprotect');
    expect(text.split('\r\n')[0]).toBe('HardwareAddress,HardwareUsername,HardwarePassword,HardwareDriverID');
    const rows = parseCsv(text, { columns: true }) as Array<Record<string, string>>;
    expect(rows.length).toBe(loggedIn().filter((d) => d.export?.milestoneDriver).length);
    for (const row of rows) expect(row.HardwareDriverID).toMatch(/^\d+$/);
  });

  it('each device says which driver rule matched; the devices without one are warnings, on stderr and in the document', () => {
    const byModel = (model: string) => document.devices.find((d) => d.model === model)!;
    expect(byModel('DS-2CD2386G2-IU').export!.milestoneDriver).toEqual({ number: 90101, name: 'Hikvision DS-2CD2386G2-IU', rule: 'model' });
    expect(byModel('DS-2CD2032-I').export!.milestoneDriver).toMatchObject({ number: 90100, rule: 'vendor' });
    expect(byModel('M1034-W').export!.milestoneDriver).toMatchObject({ number: 806, rule: 'vendor' });
    const missing = loggedIn().filter((d) => !d.export?.milestoneDriver);
    expect(missing.map((d) => d.model).sort()).toEqual(['631GA', 'D6230L']);
    for (const device of missing) {
      const warning = document.warnings.find((w) => w.code === 'milestone-driver-missing' && w.address === device.addresses[0]);
      expect(warning?.message, device.model!).toMatch(/probe the device with its drivers' logons.*express scan with default credentials.*--milestone-drivers/);
      expect(result.stderr).toContain(device.addresses[0]!);
    }
  });

  it('go2rtc and Frigate: one main stream per logged-in camera, an rtsp:// URL of that device that its RTSP server answers', async () => {
    const go2rtc = parseYaml(file('go2rtc')) as { streams: Record<string, string[]> };
    const frigate = parseYaml(file('frigate')) as { go2rtc: { streams: Record<string, string[]> }; cameras: Record<string, { ffmpeg: { inputs: Array<{ path: string; roles: string[] }> } }> };
    const mains = Object.entries(go2rtc.streams).filter(([name]) => !name.endsWith('_sub'));
    expect(mains).toHaveLength(loggedIn().length);
    expect(Object.keys(frigate.cameras).sort()).toEqual(mains.map(([name]) => name).sort());
    expect(frigate.go2rtc.streams).toEqual(go2rtc.streams);
    for (const [name, [url]] of Object.entries(go2rtc.streams)) {
      const parsed = new URL(url!);
      expect(parsed.protocol, name).toBe('rtsp:');
      expect(decodeURIComponent(parsed.password)).toBe(PASSWORD);
      const device = fleet.devices.find((d) => d.address === parsed.hostname)!;
      expect(device, name).toBeDefined();
      expect(Number(parsed.port || 554), name).toBe(device.rtspPort);
      expect(await rtspOptions(url!), name).toMatch(/^RTSP\/1\.0 200/);
    }
    for (const camera of Object.values(frigate.cameras)) expect(camera.ffmpeg.inputs.flatMap((i) => i.roles).sort()).toEqual(['detect', 'record']);
  });

  it('inventory and json hold no password byte; the inventory lists every device with its stream URLs', () => {
    for (const kind of ['inventory', 'json'] as const) expect(readFileSync(join(dir, FILES[kind])).includes(Buffer.from(PASSWORD)), kind).toBe(false);
    const rows = parseCsv(file('inventory'), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(document.devices.length);
    for (const device of loggedIn()) {
      const row = rows.find((r) => r.id === device.id)!;
      expect(row.rtsp_main).toBe(device.streams![0]!.uri);
      expect(row.rtsp_main).not.toMatch(/@/);
    }
    expect((JSON.parse(file('json')) as ScanDocument).devices).toHaveLength(document.devices.length);
  });

  it('every read after a login found what it asked for: no stream port fell back to a guess', () => {
    // A vendor read that fails (e.g. another simulated service answering Dahua's getConfig&name=RTSP) only warns and
    // assumes 554: the warning is how such a regression shows.
    expect(document.warnings.filter((w) => w.code === 'verified-read').map((w) => w.message)).toEqual([]);
  });

  it('streams came from Media (ver10), Media2 and the vendor paths, each costing exactly its reads', () => {
    // login + reads, as the simulator counted credentialed requests: ONVIF GetServices, GetProfiles, 2×GetStreamUri
    // (the GetCapabilities fallback has its unit test); over Digest a PRE_AUTH GetServices is answered to the
    // anonymous challenge request, so the generic camera spends no credential on it. Hikvision deviceInfo + the
    // lock setting (illegalLoginLock) + adminAccesses; Dahua the lock setting (getConfig General) + getConfig RTSP.
    const expected: Record<string, [string, number]> = {
      'D6230L': ['onvif-media', 5], '631GA': ['onvif-media2', 4], 'M1034-W': ['onvif-media', 5],
      'DS-2CD2386G2-IU': ['vendor-path', 4], 'DS-2CD2032-I': ['vendor-path', 4], 'IPC-HFW2228M-I1-V2': ['vendor-path', 3],
    };
    for (const device of loggedIn()) {
      const [source, requests] = expected[device.model!]!;
      expect(device.streams!.map((s) => s.source), device.model!).toEqual([source, source]);
      const report = counters.find((r) => r.address === device.addresses[0])!;
      expect(report.counters.credentialedRequests, device.model!).toBe(requests);
    }
  });

  it('the simulator counted one login per device plus only the bounded reads, and no failure but the wrong password', () => {
    for (const report of counters) {
      const device = document.devices.find((d) => d.addresses.includes(report.address))!;
      expect(report.counters.lockouts, report.name).toBe(0);
      expect(report.counters.mixedCredentialRequests, report.name).toBe(0);
      if (device.login.status === 'succeeded') {
        expect(report.counters.failedLogins, report.name).toBe(0);
        // the login, then GetServices/GetProfiles/GetStreamUri×2 (ONVIF) or the port read (vendor API), deviceInfo
        expect(report.counters.credentialedRequests, report.name).toBeGreaterThan(1);
        expect(report.counters.credentialedRequests, report.name).toBeLessThanOrEqual(1 + MAX_VERIFIED_READS);
        expect(device.streams!.length, report.name).toBeGreaterThanOrEqual(1);
      } else if (device.login.status === 'rejected') {
        expect(report.counters.credentialedRequests, report.name).toBe(1);
        expect(report.counters.failedLogins, report.name).toBe(1);
        expect(device.streams, report.name).toBeUndefined();
      } else {
        expect(report.counters.credentialedRequests, report.name).toBe(0);
      }
    }
  });
});
