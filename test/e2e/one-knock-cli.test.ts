/**
 * The built CLI against an in-process simulated fleet: the write-ahead ledger survives SIGKILL right after the
 * credentials leave (S5), and the password appears in no byte the tool writes except the requested CSV (S7).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/simulator/fleet.js';
import { loadProfile } from '../../src/simulator/profile.js';
import { runCli } from '../support/cli.js';
import { testSubnet } from '../support/subnet.js';
import { expectValidDocument, expectValidLedgerList, expectValidNdjson } from '../support/schema.js';

const SUBNET = testSubnet(6);
const PASSWORD = 'Unique-Secret-4d1f9c';

describe('oneknock CLI: ledger and secrets', () => {
  let fleet: Fleet;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ok-e2e-'));
    const slow = loadProfile('hikvision-ds-2cd2386g2-v5.7');
    slow.name = 'x-slow-after-credentials';
    slow.credentialedDelayMs = 8_000;
    fleet = await startFleet({
      subnet: SUBNET,
      httpPort: 0,
      password: PASSWORD,
      profiles: [slow, 'axis-m1034-w', 'pelco-d6230l', 'dahua-ipc-hfw2228m', 'hikvision-ds-2cd2385g1-v5.6-other-password'],
    });
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  it('S5: a run killed right after sending credentials leaves a ledger that stops the next run from knocking', async () => {
    const slow = fleet.devices.find((d) => d.profile.name === 'x-slow-after-credentials')!;
    const ledger = join(dir, 'kill-ledger.jsonl');
    const args = ['scan', '--no-multicast', '--target', slow.address, '--wait', '500', '--timeout', '20000', '--user', 'admin', '--password-env', 'OK_PW', '--yes', '--ledger', ledger, '--json'];
    const handle: { kill?: (signal?: NodeJS.Signals) => void } = {};
    const killed = runCli(args, { env: { OK_PW: PASSWORD }, timeoutMs: 20_000, handle });
    // Wait for the credentials to reach the device (it sits on them for 8 s), then kill -9 the scanner.
    const deadline = Date.now() + 15_000;
    while (slow.counters.credentialedRequests === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(slow.counters.credentialedRequests).toBe(1);
    const text = readFileSync(ledger, 'utf8');
    expect(text).toMatch(/"type":"intent"/);
    expect(text).not.toMatch(/"type":"outcome"/);
    const child = await Promise.race([killed, new Promise<null>((r) => setTimeout(() => r(null), 50))]);
    expect(child).toBeNull(); // still waiting on the slow device
    handle.kill!('SIGKILL');
    const result = await killed;
    expect(result.signal).toBe('SIGKILL');

    const again = await runCli(args, { env: { OK_PW: PASSWORD }, timeoutMs: 20_000 });
    // Credentials and --yes, and the only device skipped: nothing was logged in, exit 5 (issue 16).
    expect(again.code).toBe(5);
    const document = expectValidDocument<{ devices: Array<{ addresses: string[]; id: string; login: { status: string; reason: string } }> }>(again.stdout);
    const device = document.devices.find((d) => d.addresses.includes(slow.address))!;
    expect(device.login.status).toBe('skipped');
    expect(device.login.reason).toMatch(/never recorded/);
    expect(slow.counters.credentialedRequests).toBe(1);

    // `ledger list --json` shows that one attempt, with no outcome, as the schema describes it.
    const list = await runCli(['ledger', 'list', '--ledger', ledger, '--json']);
    expect(list.code).toBe(0);
    const listed = expectValidLedgerList(list.stdout);
    expect(listed.attempts).toHaveLength(1);
    expect(listed.attempts[0]!['status']).toBeNull();
    expect(listed.attempts[0]!['keys']).toContain(device.id);
  }, 60_000);

  it('S7: the password appears in no output, log or ledger byte — only in the CSV asked for, mode 0600', async () => {
    const targets = fleet.devices.filter((d) => d.profile.name !== 'x-slow-after-credentials').map((d) => d.address);
    const ledger = join(dir, 'secret-ledger.jsonl');
    const csv = join(dir, 'export.csv');
    const common = ['--no-multicast', ...targets.flatMap((t) => ['--target', t]), '--wait', '500', '--ledger', ledger];
    const outputs: string[] = [];
    for (const mode of [['--json'], ['--ndjson'], []]) {
      const dry = await runCli(['scan', ...common, ...mode, '--user', 'admin', '--password-env', 'OK_PW', '--dry-run'], { env: { OK_PW: PASSWORD } });
      outputs.push(dry.stdout, dry.stderr);
      expect(dry.code).toBe(0);
      if (mode[0] === '--json') expect(expectValidDocument(dry.stdout).plan?.length).toBeGreaterThan(0);
      if (mode[0] === '--ndjson') expect(expectValidNdjson(dry.stdout).some((e) => e.type === 'plan')).toBe(true);
    }
    const stdin = await runCli(['scan', ...common, '--ndjson', '--user', 'admin', '--password-stdin', '--yes', '--csv', csv], { stdin: `${PASSWORD}\n` });
    outputs.push(stdin.stdout, stdin.stderr);
    expect(stdin.code).toBe(3); // the other-password device is rejected
    const confirm = await runCli(['scan', ...common, '--json', '--user', 'admin', '--password-env', 'OK_PW'], { env: { OK_PW: PASSWORD } });
    outputs.push(confirm.stdout, confirm.stderr);
    expect(confirm.code).toBe(4);
    expect(confirm.stderr).toMatch(/--yes/);
    if (confirm.stdout.trim() !== '') expectValidDocument(confirm.stdout);

    for (const text of outputs) expect(text).not.toContain(PASSWORD);
    for (const file of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, file), 'utf8');
      if (file === 'export.csv') continue;
      expect(bytes, file).not.toContain(PASSWORD);
    }
    expect(existsSync(csv)).toBe(true);
    expect(statSync(csv).mode & 0o777).toBe(0o600);
    const rows = readFileSync(csv, 'utf8').trim().split('\r\n');
    expect(rows[0]).toBe('HardwareAddress,HardwareUsername,HardwarePassword,HardwareDriverID');
    // Axis, Pelco, Dahua succeeded (the other-password Hikvision did not); only the Axis has a Milestone driver
    // number (built-in 806), the other two are left out with a warning instead of written for XProtect to probe.
    expect(rows).toHaveLength(1 + 1);
    expect(rows[1]).toContain(`,admin,${PASSWORD},806`);
    expect(stdin.stdout).toMatch(/"code":"milestone-driver-missing"/);
    const ndjson = expectValidNdjson(stdin.stdout);
    expect(ndjson.at(-1)!.type).toBe('done');
  }, 60_000);
});
