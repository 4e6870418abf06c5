/**
 * The terminal UI driven in a real pseudo-terminal (tmux) against the simulated fleet, as an installer would:
 * watch the fleet appear, select all, enter a credential set, read the plan, confirm, see the results, export.
 * Run at 80 and at 200 columns.
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/simulator/fleet.js';
import { cliPath } from '../support/cli.js';
import { startTmux, tmuxAvailable, type TmuxSession } from '../support/tmux.js';
import { testSubnet } from '../support/subnet.js';
import { unavailable } from '../support/skip.js';

const PASSWORD = 'Tui-Secret-91x';
const skip = unavailable('the terminal UI end-to-end test', tmuxAvailable() ? null : 'tmux is not installed (apt-get install tmux)');

describe.skipIf(skip)('terminal UI in a pseudo-terminal', () => {
  let fleet: Fleet;
  const sessions: TmuxSession[] = [];

  beforeAll(async () => {
    fleet = await startFleet({
      subnet: testSubnet(7),
      httpPort: 0,
      password: PASSWORD,
      profiles: ['hikvision-ds-2cd2386g2-v5.7', 'axis-m1034-w', 'pelco-d6230l', 'hikvision-ds-2cd2385g1-v5.6-other-password', 'hikvision-ds-2cd2347g2-locked'],
    });
  });

  afterAll(async () => {
    for (const s of sessions) s.close();
    await fleet?.stop();
  });

  for (const columns of [80, 200]) {
    it(`scan, select, knock once, export — ${columns} columns`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `ok-tui-${columns}-`));
      const ledger = join(dir, 'ledger.jsonl');
      const targets = fleet.addresses.map((a) => `--target ${a}`).join(' ');
      const session = startTmux(`ui${columns}`, `cd ${dir} && node ${cliPath} scan --no-multicast ${targets} --wait 800 --ledger ${ledger}`, columns, 30, { NO_COLOR: '1' });
      sessions.push(session);
      const before = fleet.report();

      const ready = await session.waitFor(/ready — select devices/);
      for (const device of fleet.devices) expect(ready).toContain(device.address);
      expect(ready).toContain('DS-2CD2386G2-IU');
      expect(ready).toContain('locked');

      session.type('a');
      session.type('l');
      await session.waitFor(/Username:/);
      session.type('admin');
      session.keys('Enter');
      await session.waitFor(/Password for admin:/);
      session.type(PASSWORD);
      expect(session.screen()).not.toContain(PASSWORD); // masked
      session.keys('Enter');
      const plan = await session.waitFor(/Press y to send one attempt/);
      expect(plan).toMatch(/4 device\(s\) get exactly one attempt each; 1 skipped/);
      expect(plan).toMatch(/locked/);
      // Nothing has been sent yet: the plan is anonymous.
      for (const report of fleet.report()) {
        const earlier = before.find((b) => b.address === report.address)!;
        expect(report.counters.credentialedRequests - earlier.counters.credentialedRequests, report.name).toBe(0);
      }

      session.type('y');
      const done = await session.waitFor(/Logins done/);
      expect(done).toMatch(/succeeded/);
      expect(done).toMatch(/rejected/);
      expect(done).not.toContain(PASSWORD);

      session.type('e');
      await session.waitFor(/Path:/);
      session.keys('Enter');
      // Of the three logged-in devices only the Axis has a Milestone driver number (the sourced built-in 806); the
      // others are left out rather than written for XProtect to probe with its drivers' logons.
      await session.waitFor(/Wrote 1 device\(s\) to oneknock-xprotect\.csv/);
      const csv = join(dir, 'oneknock-xprotect.csv');
      expect(existsSync(csv)).toBe(true);
      expect(statSync(csv).mode & 0o777).toBe(0o600);
      const lines = readFileSync(csv, 'utf8').trim().split('\r\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatch(/,806$/);

      session.type('q');
      const after = fleet.report();
      const wrong = after.find((r) => r.name === 'hikvision-ds-2cd2385g1-v5.6-other-password')!;
      const wrongBefore = before.find((r) => r.name === wrong.name)!;
      expect(wrong.counters.failedLogins - wrongBefore.counters.failedLogins).toBe(1);
      const locked = after.find((r) => r.name === 'hikvision-ds-2cd2347g2-locked')!;
      expect(locked.counters.credentialedRequests).toBe(0);
      expect(readFileSync(ledger, 'utf8')).not.toContain(PASSWORD);
    }, 90_000);
  }
});
