/** The built CLI: `oneknock lockout set` prints the plan and exits 4 without --yes, changes and reads back with it. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/simulator/fleet.js';
import { runCli } from '../support/cli.js';
import { testSubnet } from '../support/subnet.js';

const PASSWORD = 'Lock-Secret-77a1';

describe('oneknock lockout set (built CLI)', () => {
  let fleet: Fleet;
  let ledger: string;
  beforeAll(async () => {
    ledger = join(mkdtempSync(join(tmpdir(), 'ok-lock-')), 'ledger.jsonl');
    fleet = await startFleet({ subnet: testSubnet(84), httpPort: 0, password: PASSWORD, profiles: ['hikvision-ds-2cd2386g2-v5.7', 'dahua-ipc-hfw2228m'] });
  });
  afterAll(async () => fleet?.stop());

  const args = (): string[] => ['lockout', 'set', '--disable', '--no-multicast', '--target', `${fleet.addresses[0]}-${fleet.addresses.at(-1)!.split('.').at(-1)}`, '--wait', '700', '--user', 'admin', '--password-env', 'LOCK_PW', '--ledger', ledger];

  it('without --yes: the plan on stderr, exit 4, no credential sent', async () => {
    const result = await runCli(args(), { env: { LOCK_PW: PASSWORD } });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/Lock setting plan: 2 device\(s\)/);
    expect(result.stderr).toMatch(/add --yes/);
    for (const report of fleet.report()) expect(report.counters.credentialedRequests).toBe(0);
  }, 30_000);

  it('with --yes --json: every lock off and read back, ledger list shows the changes, the password nowhere', async () => {
    const result = await runCli([...args(), '--yes', '--json'], { env: { LOCK_PW: PASSWORD } });
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as { schema: string; results: Array<{ status: string; after: { enabled: boolean } }> };
    expect(document.schema).toBe('oneknock/lockout-set@1');
    expect(document.results.map((r) => r.status)).toEqual(['verified', 'verified']);
    for (const device of fleet.devices) {
      expect(device.gate.lockSetting.enabled).toBe(false);
      expect(device.counters.lockSettingWrites).toBe(1);
      expect(device.counters.failedLogins).toBe(0);
    }
    const list = await runCli(['ledger', 'list', '--ledger', ledger]);
    expect(list.stdout).toMatch(/Lock setting changes/);
    expect(list.stdout.match(/verified/g)).toHaveLength(2);
    for (const text of [result.stdout, result.stderr, list.stdout, readFileSync(ledger, 'utf8')]) expect(text).not.toContain(PASSWORD);
  }, 30_000);
});
