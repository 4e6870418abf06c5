/**
 * Security review (issue 8) against the built CLI: S7 — the password given with --password-env or --password-stdin
 * is not in the process's argv (/proc/<pid>/cmdline, what `ps` shows every user); S5 — two runs started together
 * with the same --ledger knock on a device once between them, the second one backing off on the ledger lock (or on
 * the first one's intent, already in the ledger).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/simulator/fleet.js';
import { loadProfile } from '../../src/simulator/profile.js';
import { cliPath, repoRoot, runCli } from '../support/cli.js';
import { testSubnet } from '../support/subnet.js';
import { expectValidDocument } from '../support/schema.js';

const SUBNET = testSubnet(31);
const PASSWORD = 'Argv-Secret-7e2a91';
const WRONG = 'Wrong-Secret-55c0d3';

/** The process's argv as the kernel shows it to every user (NUL-separated). */
function cmdlineOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return null;
  }
}

/** The pids of every descendant of `pid` (a CLI that re-executed itself would put the password in a child's argv). */
function descendantsOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry), ...descendantsOf(Number(entry)));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

describe('security review: the CLI', () => {
  let fleet: Fleet;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` before this test`);
    dir = mkdtempSync(join(tmpdir(), 'ok-security-'));
    // Holds every credentialed request for 3 s: long enough for two runs' login phases to overlap.
    const slow = loadProfile('hikvision-ds-2cd2385g1-v5.6-other-password');
    slow.name = 'x-slow-wrong-password';
    slow.credentialedDelayMs = 3_000;
    fleet = await startFleet({ subnet: SUBNET, httpPort: 0, password: PASSWORD, profiles: ['axis-m1034-w', slow] });
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  it('S7: a password from --password-env or --password-stdin never appears in /proc/<pid>/cmdline, of the CLI or any child', async () => {
    const axis = fleet.devices.find((d) => d.profile.name === 'axis-m1034-w')!;
    for (const source of ['env', 'stdin'] as const) {
      const args = [cliPath, 'scan', '--no-multicast', '--target', axis.address, '--wait', '1500', '--user', 'admin', ...(source === 'env' ? ['--password-env', 'OK_PW'] : ['--password-stdin']), '--yes', '--ledger', join(dir, `argv-${source}.jsonl`), '--json'];
      const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', ...(source === 'env' ? { OK_PW: PASSWORD } : {}) }, stdio: ['pipe', 'pipe', 'pipe'] });
      if (source === 'stdin') child.stdin.end(`${PASSWORD}\n`);
      else child.stdin.end();
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      const pid = child.pid!;
      // Sample argv while the scan runs: after parsing, during discovery, during the login.
      const seen: string[] = [];
      const deadline = Date.now() + 15_000;
      let running = true;
      void exited.then(() => (running = false));
      while (running && Date.now() < deadline) {
        for (const p of [pid, ...descendantsOf(pid)]) {
          const cmdline = cmdlineOf(p);
          if (cmdline !== null) seen.push(cmdline);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      const code = await exited;
      expect(code, source).toBe(0);
      expect(seen.length, source).toBeGreaterThan(5);
      expect(seen.some((c) => c.includes(cliPath)), source).toBe(true);
      for (const cmdline of seen) expect(cmdline, source).not.toContain(PASSWORD);
      // The scan did use the password: the one login succeeded.
      const document = expectValidDocument<{ devices: Array<{ addresses: string[]; login: { status: string } }> }>(stdout);
      expect(document.devices.find((d) => d.addresses.includes(axis.address))?.login.status, source).toBe('succeeded');
    }
    // The environment (where --password-env reads it) is readable by the owner only; argv is readable by all.
    expect(statSync('/proc/self/environ').mode & 0o044).toBe(0);
    expect(statSync('/proc/self/cmdline').mode & 0o004).toBe(0o004);
  }, 60_000);

  it('S5: two runs started together with one --ledger knock once between them; the second backs off on the lock', async () => {
    const slow = fleet.devices.find((d) => d.profile.name === 'x-slow-wrong-password')!;
    const ledger = join(dir, 'shared-ledger.jsonl');
    const args = ['scan', '--no-multicast', '--target', slow.address, '--wait', '500', '--timeout', '10000', '--user', 'admin', '--password-env', 'OK_PW', '--yes', '--ledger', ledger, '--json'];
    const before = slow.counters.credentialedRequests;
    const [a, b] = await Promise.all([runCli(args, { env: { OK_PW: WRONG }, timeoutMs: 30_000 }), runCli(args, { env: { OK_PW: WRONG }, timeoutMs: 30_000 })]);
    // Exactly one credentialed request reached the device, so exactly one failed login.
    expect(slow.counters.credentialedRequests - before).toBe(1);
    expect(slow.counters.failedLogins).toBe(1);
    const statuses = [a, b].map((run) => {
      const document = expectValidDocument<{ devices: Array<{ addresses: string[]; login: { status: string; reason: string | null } }> }>(run.stdout);
      return document.devices.find((d) => d.addresses.includes(slow.address))!.login;
    });
    expect(statuses.map((s) => s.status).sort()).toEqual(['rejected', 'skipped']);
    // Which back-off depends on timing: the lock is busy (both reached the login phase together), or the ledger
    // already holds the other run's intent without an outcome (the second planned while the first waited).
    expect(statuses.find((s) => s.status === 'skipped')!.reason).toMatch(/holds the ledger|outcome was never recorded|was rejected|another oneknock run attempted/);
    // The run that backed off logged nothing in although credentials and --yes were given: exit 5 (issue 16).
    expect([a.code, b.code].sort()).toEqual([3, 5]);
    // The ledger holds one intent and its outcome, whole lines only, and no lock file is left behind.
    const records = readFileSync(ledger, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string });
    expect(records.map((r) => r.type)).toEqual(['intent', 'outcome']);
    expect(existsSync(`${ledger}.lock`)).toBe(false);
  }, 60_000);
});
