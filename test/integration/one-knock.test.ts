/**
 * The promise of the product (CONTRACT S2–S6), read from the simulator's own counters: one credential set that
 * is wrong for one device; every other device logs in with zero failed logins (clock-skewed ones included), the
 * wrong one shows exactly one failed login and `rejected` with the attempts it reported, nothing goes to any
 * address but the responder, nothing gets locked, and a second run does not knock on the failed device again.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, DEFAULT_FLEET_PASSWORD, type Fleet } from '../../src/simulator/fleet.js';
import { loadProfile } from '../../src/simulator/profile.js';
import type { ScanDocument } from '../../src/output/json.js';
import { scanWithLogin } from '../support/scan.js';
import { startCollector, type Collector } from '../support/collector.js';
import { testSubnet } from '../support/subnet.js';

const SUBNET = testSubnet(5);
const COLLECTOR = `${SUBNET}.200`;

const scanFleet = (fleet: Fleet, ledgerPath: string): ReturnType<typeof scanWithLogin> =>
  scanWithLogin({ targets: fleet.addresses, ledgerPath, waitMs: 700, timeoutMs: 2500 });

describe('the one knock against the simulated fleet', () => {
  let fleet: Fleet;
  let collector: Collector;
  let ledgerPath: string;
  let first: ScanDocument;
  let countersAfterFirst: ReturnType<Fleet['report']>;

  beforeAll(async () => {
    ledgerPath = join(mkdtempSync(join(tmpdir(), 'one-knock-')), 'ledger.jsonl');
    const spoofing = loadProfile('generic-nvt-ipcam');
    spoofing.name = 'x-spoofed-xaddrs';
    spoofing.identity = { ...spoofing.identity, mac: '00:12:41:aa:bb:99', serial: 'SPOOF-1' };
    spoofing.wsDiscovery = { ...spoofing.wsDiscovery!, advertisedHost: COLLECTOR, endpointUuid: 'urn:uuid:2419d68a-2dd2-21b2-a205-{mac}' };
    fleet = await startFleet({
      subnet: SUBNET,
      httpPort: 0,
      profiles: [
        'hikvision-ds-2cd2386g2-v5.7',
        'hikvision-ds-2cd2032-v5.3',
        'hikvision-ds-2cd2385g1-v5.6-other-password',
        'dahua-ipc-hfw2228m',
        'axis-m1034-w',
        'pelco-d6230l',
        'generic-nvt-ipcam',
        spoofing,
      ],
    });
    const spoofDevice = fleet.devices.find((d) => d.profile.name === 'x-spoofed-xaddrs')!;
    collector = await startCollector(COLLECTOR, spoofDevice.httpPort);
    first = (await scanFleet(fleet, ledgerPath)).document;
    countersAfterFirst = fleet.report();
  }, 30_000);

  afterAll(async () => {
    await collector?.close();
    await fleet?.stop();
  });

  it('logs in to every device whose password is right with zero failed logins, clock-skewed ones included', () => {
    for (const report of countersAfterFirst.filter((r) => r.name !== 'hikvision-ds-2cd2385g1-v5.6-other-password')) {
      const device = first.devices.find((d) => d.addresses.includes(report.address))!;
      expect(device.login.status, report.name).toBe('succeeded');
      expect(report.counters.failedLogins, report.name).toBe(0);
      expect(report.counters.successfulLogins, report.name).toBeGreaterThanOrEqual(1);
    }
    // the fleet's clocks are off by 47 min, 3 h, 2 h and 8 years: WS-UsernameToken was dated by the device clock
    const pelco = first.devices.find((d) => d.model === 'D6230L')!;
    expect(pelco.login.method).toBe('ws-username-token');
    expect(Math.abs(pelco.onvif!.clockOffsetMs!)).toBeGreaterThan(200 * 86_400_000);
  });

  it('spends exactly one failed login on the device where the password is wrong, and reports what it said', () => {
    const report = countersAfterFirst.find((r) => r.name === 'hikvision-ds-2cd2385g1-v5.6-other-password')!;
    expect(report.counters.failedLogins).toBe(1);
    expect(report.counters.credentialedRequests).toBe(1);
    const device = first.devices.find((d) => d.addresses.includes(report.address))!;
    expect(device.login.status).toBe('rejected');
    expect(device.lockout.remainingAttempts).toBe(4);
    expect(device.login.reason).toMatch(/4 attempt\(s\) remain/);
  });

  it('locks nothing, and sends one credentialed request per failed device and a bounded few per success', () => {
    for (const report of countersAfterFirst) {
      expect(report.counters.lockouts, report.name).toBe(0);
      expect(report.counters.mixedCredentialRequests, report.name).toBe(0);
      expect(report.counters.basicCredentialRequests, report.name).toBe(0);
      // one login, plus at most two verified reads after a success (Hikvision deviceInfo, the lock setting)
      expect(report.counters.credentialedRequests, report.name).toBeLessThanOrEqual(3);
    }
  });

  it('S3: credentials went only to the address each device answered from — the collector got none', () => {
    expect(collector.credentialed()).toBe(0);
    expect(collector.requests).toHaveLength(0);
    for (const report of countersAfterFirst) {
      expect(report.counters.credentialedSources.every((source) => source.startsWith('127.'))).toBe(true);
    }
    const spoof = first.devices.find((d) => d.serial === 'SPOOF-1' || d.mac === '00:12:41:aa:bb:99')!;
    expect(spoof.onvif!.xaddrs.some((x) => x.includes(COLLECTOR))).toBe(true);
    expect(spoof.login.status).toBe('succeeded');
  });

  it('writes intent then outcome for every attempt, and never the password', () => {
    const text = readFileSync(ledgerPath, 'utf8');
    expect(text).not.toContain(DEFAULT_FLEET_PASSWORD);
    const records = text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; attempt: string });
    const intents = records.filter((r) => r.type === 'intent');
    expect(intents).toHaveLength(fleet.devices.length);
    for (const intent of intents) expect(records.some((r) => r.type === 'outcome' && r.attempt === intent.attempt)).toBe(true);
    expect(JSON.stringify(first)).not.toContain(DEFAULT_FLEET_PASSWORD);
  });

  it('a second run with the same ledger sends nothing to the device that failed', async () => {
    const second = (await scanFleet(fleet, ledgerPath)).document;
    const wrong = fleet.report().find((r) => r.name === 'hikvision-ds-2cd2385g1-v5.6-other-password')!;
    const before = countersAfterFirst.find((r) => r.name === wrong.name)!;
    expect(wrong.counters.credentialedRequests).toBe(before.counters.credentialedRequests);
    expect(wrong.counters.failedLogins).toBe(1);
    const device = second.devices.find((d) => d.addresses.includes(wrong.address))!;
    expect(device.login.status).toBe('skipped');
    expect(device.login.reason).toMatch(/ledger forget/);
  }, 20_000);
});
