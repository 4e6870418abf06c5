/**
 * Issue 13, read from the simulator's own counters: the verified lock settings of the demo fleet; `lockout set
 * --disable` turning the lock off with exactly one login per device and a read-back that agrees, skipping the
 * devices without the option; `--wait-unlock` knocking a locked device exactly once, after its (shortened) lock.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, defaultFleetProfiles, DEFAULT_FLEET_PASSWORD, type Fleet } from '../../src/simulator/fleet.js';
import { loadProfile } from '../../src/simulator/profile.js';
import { runScan, ScanDocumentBuilder, Secret, type ScanEvent } from '../../src/index.js';
import { runLockoutSet } from '../../src/scan/lockout-set.js';
import { parseLedger } from '../../src/guard/ledger.js';
import { scanWithLogin } from '../support/scan.js';
import { testSubnet } from '../support/subnet.js';

const book = { defaultSet: { username: 'admin', password: new Secret(DEFAULT_FLEET_PASSWORD), origin: 'test' }, entries: [] };
const tempLedger = (): string => join(mkdtempSync(join(tmpdir(), 'locks-')), 'ledger.jsonl');
const records = (path: string): Array<{ type: string; keys?: string[]; at?: string }> => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string });
const intentsFor = (path: string, mac: string): number => records(path).filter((r) => r.type === 'intent' && r.keys?.includes(`mac:${mac}`)).length;

describe('verified lock settings of the demo fleet', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({ subnet: testSubnet(80), httpPort: 0, profiles: defaultFleetProfiles() });
  });
  afterAll(async () => fleet?.stop());

  it('reports the setting each Hikvision/Dahua device holds, marked as read from the device; the rest keep the knowledge base', async () => {
    const { document } = await scanWithLogin({ targets: fleet.addresses, ledgerPath: tempLedger(), waitMs: 1200, timeoutMs: 5000 });
    let verifiedCount = 0;
    for (const simulated of fleet.devices) {
      const device = document.devices.find((d) => d.addresses.includes(simulated.address))!;
      const hasApi = simulated.profile.vendorApi === 'hikvision' || simulated.profile.vendorApi === 'dahua';
      if (hasApi && device.login.status === 'succeeded') {
        verifiedCount += 1;
        expect(device.lockout.verified, `${simulated.profile.name}: ${device.lockout.verifiedReason ?? ''}`).toEqual({
          enabled: simulated.gate.lockSetting.enabled,
          maxAttempts: simulated.gate.lockSetting.threshold,
          lockSeconds: simulated.gate.lockSetting.lockSeconds,
          canDisable: true,
          source: simulated.profile.vendorApi === 'hikvision' ? 'GET /ISAPI/Security/illegalLoginLock' : 'GET /cgi-bin/configManager.cgi?action=getConfig&name=General',
        });
        // the knowledge-base figure stays beside it
        expect(device.lockout.policy, simulated.profile.name).not.toBe('');
      } else {
        expect(device.lockout.verified ?? null, simulated.profile.name).toBeNull();
      }
      expect(simulated.counters.failedLogins, simulated.profile.name).toBeLessThanOrEqual(1);
      expect(simulated.counters.lockSettingWrites, simulated.profile.name).toBe(0);
    }
    expect(verifiedCount).toBeGreaterThanOrEqual(3);
  }, 30_000);
});

describe('lockout set --disable', () => {
  let fleet: Fleet;
  const noOptionPostLogin = loadProfile('hikvision-ds-2cd2386g2-v5.7');
  noOptionPostLogin.name = 'x-hikvision-no-option-newer-firmware';
  noOptionPostLogin.identity = { ...noOptionPostLogin.identity, mac: 'bc:ba:c2:11:22:7e', serial: 'DS-2CD2386G2-IU20230101AAWRNOOPTION' };
  noOptionPostLogin.wsDiscovery = { ...noOptionPostLogin.wsDiscovery!, endpointUuid: 'urn:uuid:11112222-1dd2-11b2-a105-{mac}' };
  noOptionPostLogin.lockOption = false;
  const withOption = ['hikvision-ds-2cd2386g2-v5.7', 'hikvision-ds-2cd2032-v5.3', 'dahua-ipc-hfw2228m'];
  let lastRun: Awaited<ReturnType<typeof runLockoutSet>> | null = null;

  beforeAll(async () => {
    fleet = await startFleet({ subnet: testSubnet(81), httpPort: 0, profiles: [...withOption, 'x-hikvision-ds-2de4220-v5.3.9-no-lock-option', noOptionPostLogin, 'axis-m1034-w'] });
  });
  afterAll(async () => fleet?.stop());

  const scan = (): { targets: string[]; interfaces: never[]; waitMs: number; timeoutMs: number; concurrency: number } => ({ targets: fleet.addresses, interfaces: [], waitMs: 1200, timeoutMs: 5000, concurrency: 16 });

  it('without confirmation sends no credential and changes nothing', async () => {
    const ledgerPath = tempLedger();
    let shown = 0;
    const run = await runLockoutSet({ scan: scan(), book, ledgerPath, desired: { enabled: false }, confirm: async (plan) => ((shown = plan.length), false) });
    expect(run.loginOutcome).toBe('declined');
    expect(shown).toBe(fleet.devices.length);
    for (const report of fleet.report()) expect(report.counters.credentialedRequests, report.name).toBe(0);
  }, 30_000);

  it('turns the lock off on every device that has the option, one login each, and the read-back agrees', async () => {
    const ledgerPath = tempLedger();
    const run = await runLockoutSet({ scan: scan(), book, ledgerPath, desired: { enabled: false }, confirm: async () => true });
    lastRun = run;
    for (const name of withOption) {
      const simulated = fleet.devices.find((d) => d.profile.name === name)!;
      const result = run.results.find((r) => r.address === simulated.address)!;
      expect(result, name).toMatchObject({ status: 'verified', before: { enabled: true }, after: { enabled: false } });
      expect(simulated.gate.lockSetting.enabled, name).toBe(false);
      expect(simulated.counters.lockSettingWrites, name).toBe(1);
      expect(simulated.counters.failedLogins, name).toBe(0);
      expect(intentsFor(ledgerPath, simulated.profile.identity.mac), name).toBe(1);
      // login, the reads (Hikvision deviceInfo, the lock setting, the stream port; Dahua the lock setting and the
      // RTSP config), one write, one read-back: bounded, all with the one accepted credential set
      expect(simulated.counters.credentialedRequests, name).toBeLessThanOrEqual(6);
    }
    const ledger = parseLedger(readFileSync(ledgerPath, 'utf8'));
    expect(ledger.changes!.filter((c) => c.status === 'verified')).toHaveLength(withOption.length);
    expect(ledger.damagedLines).toEqual([]);
    expect(readFileSync(ledgerPath, 'utf8')).not.toContain(DEFAULT_FLEET_PASSWORD);
  }, 30_000);

  it('skips the devices without the option, with the reason: by the Milestone KB table before any credential, or as the device reports it', () => {
    const byKb = fleet.devices.find((d) => d.profile.name === 'x-hikvision-ds-2de4220-v5.3.9-no-lock-option')!;
    expect(byKb.counters.credentialedRequests).toBe(0);
    const reported = fleet.devices.find((d) => d.profile.name === noOptionPostLogin.name)!;
    expect(lastRun!.results.find((r) => r.address === reported.address)).toMatchObject({ status: 'unsupported', reason: expect.stringMatching(/capabilities/) });
    expect(lastRun!.results.find((r) => r.address === byKb.address)).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/Milestone KB 000002183/) });
    expect(reported.counters.lockSettingWrites).toBe(0);
    expect(reported.counters.failedLogins).toBe(0);
    const axis = fleet.devices.find((d) => d.profile.vendorApi === 'axis')!;
    expect(axis.counters.credentialedRequests).toBe(0);
  });

  it('a disabled lock never locks: wrong passwords after the change lock nothing', async () => {
    const simulated = fleet.devices.find((d) => d.profile.name === 'hikvision-ds-2cd2386g2-v5.7')!;
    for (let i = 0; i < 7; i++) {
      await fetch(`${simulated.baseUrl}/ISAPI/Security/userCheck`, { headers: { Authorization: 'Digest username="admin", realm="x", nonce="bogus", uri="/ISAPI/Security/userCheck", response="00"' } });
    }
    expect(simulated.counters.failedLogins).toBe(7);
    expect(simulated.counters.lockouts).toBe(0);
  });
});

describe('lockout set results for the skipped devices', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    const noOption = loadProfile('dahua-ipc-hfw2228m');
    noOption.lockOption = false;
    fleet = await startFleet({ subnet: testSubnet(83), httpPort: 0, profiles: [noOption, 'x-hikvision-ds-2de4220-v5.3.9-no-lock-option'] });
  });
  afterAll(async () => fleet?.stop());

  it('says unsupported after the one login when the device has no option, and skipped with the KB reason before it', async () => {
    const run = await runLockoutSet({ scan: { targets: fleet.addresses, interfaces: [], waitMs: 1200, timeoutMs: 5000, concurrency: 8 }, book, ledgerPath: tempLedger(), desired: { enabled: true, maxAttempts: 5, lockSeconds: 600 }, confirm: async () => true });
    const dahua = run.results.find((r) => r.address === fleet.devices[0]!.address)!;
    expect(dahua).toMatchObject({ status: 'unsupported', reason: expect.stringMatching(/no "Illegal Login Lock" option/) });
    expect(fleet.devices[0]!.counters.lockSettingWrites).toBe(0);
    const kb = run.results.find((r) => r.address === fleet.devices[1]!.address)!;
    expect(kb).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/Milestone KB 000002183/) });
    expect(fleet.devices[1]!.counters.credentialedRequests).toBe(0);
  }, 30_000);
});

describe('--wait-unlock', () => {
  let fleet: Fleet;
  const locked = loadProfile('hikvision-ds-2cd2347g2-locked');
  locked.lockout.lockSeconds = 4;

  beforeAll(async () => {
    fleet = await startFleet({ subnet: testSubnet(82), httpPort: 0, profiles: [locked, 'hikvision-ds-2cd2386g2-v5.7'] });
  });
  afterAll(async () => fleet?.stop());

  async function scan(ledgerPath: string, waitUnlock: boolean, during?: () => void): Promise<ScanEvent[]> {
    const events: ScanEvent[] = [];
    const builder = new ScanDocumentBuilder();
    const timer = during ? setInterval(during, 200) : null;
    try {
      for await (const event of runScan({ targets: fleet.addresses, interfaces: [], waitMs: 1200, timeoutMs: 5000, concurrency: 8, login: { book, ledgerPath, dryRun: false, waitUnlock, confirm: async () => true } })) {
        events.push(event);
        builder.add(event);
      }
    } finally {
      if (timer) clearInterval(timer);
    }
    return events;
  }

  it('knocks a locked device exactly once after its lock, never before (counters before and after expiry)', async () => {
    const device = fleet.devices[0]!;
    const ledgerPath = tempLedger();
    const seenWhileLocked: number[] = [];
    const events = await scan(ledgerPath, true, () => {
      if (device.gate.lockedNow('127.0.0.1', 'admin')) seenWhileLocked.push(device.counters.credentialedRequests);
    });
    expect(seenWhileLocked.length).toBeGreaterThan(3);
    expect(seenWhileLocked.every((n) => n === 0)).toBe(true);
    const waits = events.filter((e): e is Extract<ScanEvent, { type: 'unlock-wait' }> => e.type === 'unlock-wait' && e.id === `mac:${device.profile.identity.mac}`);
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(waits[0]!.reason).toMatch(/per source IP/);
    expect(waits.some((w) => w.state === 'checking')).toBe(true);
    const login = events.find((e) => e.type === 'login' && e.id === `mac:${device.profile.identity.mac}`);
    expect(login).toMatchObject({ status: 'succeeded' });
    expect(device.counters.failedLogins).toBe(0);
    expect(intentsFor(ledgerPath, device.profile.identity.mac)).toBe(1);
    const intent = records(ledgerPath).find((r) => r.type === 'intent' && r.keys?.includes(`mac:${device.profile.identity.mac}`))!;
    expect(Date.parse(intent.at!)).toBeGreaterThanOrEqual(Date.parse(waits[0]!.unlockAt));
  }, 30_000);

  it('a previous locked outcome in the ledger: skipped without --wait-unlock (S5), one knock after its unlockAt with it', async () => {
    const device = fleet.devices[1]!;
    const mac = device.profile.identity.mac;
    const ledgerPath = tempLedger();
    const lockedAt = Date.now();
    writeFileSync(ledgerPath, [
      JSON.stringify({ type: 'intent', keys: [`mac:${mac}`], attempt: 'earlier', pid: 1, address: device.address, method: 'http-digest', url: `${device.baseUrl}/ISAPI/Security/userCheck`, username: 'admin', at: new Date(lockedAt).toISOString() }),
      JSON.stringify({ type: 'outcome', attempt: 'earlier', status: 'locked', reason: 'the device is locked', remainingAttempts: 0, at: new Date(lockedAt).toISOString(), unlockAt: new Date(lockedAt + 3000).toISOString() }),
      '',
    ].join('\n'));
    const before = device.counters.credentialedRequests;
    const skipped = await scan(ledgerPath, false);
    expect(skipped.find((e) => e.type === 'login' && e.id === `mac:${mac}`)).toMatchObject({ status: 'skipped' });
    expect(device.counters.credentialedRequests).toBe(before);
    const waited = await scan(ledgerPath, true);
    expect(waited.find((e) => e.type === 'login' && e.id === `mac:${mac}`)).toMatchObject({ status: 'succeeded' });
    expect(intentsFor(ledgerPath, mac)).toBe(2);
    const latest = records(ledgerPath).filter((r) => r.type === 'intent').at(-1)!;
    expect(Date.parse(latest.at!)).toBeGreaterThanOrEqual(lockedAt + 3000);
  }, 30_000);
});
