/**
 * Issue 16: hosts that answer WS-Discovery and then hold every TCP connection must not stretch the scan. The
 * fingerprint phase has one deadline (discovery end + FINGERPRINT_BUDGET_TIMEOUTS × --timeout) and an address that
 * let one probe time out gets no further probe; the good devices are still fingerprinted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/simulator/fleet.js';
import { runScan } from '../../src/index.js';
import type { ScanEvent } from '../../src/model/events.js';
import { FINGERPRINT_BUDGET_TIMEOUTS } from '../../src/scan/run-scan.js';
import { testSubnet } from '../support/subnet.js';
import { startTarpits, type Tarpits } from '../support/tarpit.js';

const SUBNET = testSubnet(110);
const TARPITS = 50;
const WAIT_MS = 600;
const TIMEOUT_MS = 800;
const BUDGET_MS = FINGERPRINT_BUDGET_TIMEOUTS * 2 * TIMEOUT_MS;
const GOOD = ['hikvision-ds-2cd2386g2-v5.7', 'axis-m1034-w'];

describe('tarpits that answer WS-Discovery and never answer TCP', () => {
  let fleet: Fleet;
  let tarpits: Tarpits;
  const events: ScanEvent[] = [];
  let elapsedMs = 0;

  beforeAll(async () => {
    fleet = await startFleet({ subnet: SUBNET, firstHost: 10, httpPort: 0, profiles: GOOD });
    tarpits = await startTarpits(Array.from({ length: TARPITS }, (_, i) => `${SUBNET}.${100 + i}`));
    const started = Date.now();
    // The CLI's default concurrency (64): every address's first pass starts at once. A generous budget keeps the good
    // devices' probes inside it on a loaded machine; the next test cuts a short one.
    for await (const event of runScan({ targets: [...fleet.addresses, ...tarpits.addresses], interfaces: [], waitMs: WAIT_MS, timeoutMs: TIMEOUT_MS, concurrency: 64, fingerprintBudgetMs: BUDGET_MS })) {
      events.push(event);
    }
    elapsedMs = Date.now() - started;
  }, 30_000);

  afterAll(async () => {
    await tarpits?.stop();
    await fleet?.stop();
  });

  it('finishes within discovery + the fingerprint budget + one timeout (in-flight probes end when cut)', () => {
    // The bound the code promises plus slack for a loaded 2-core machine; 50 tarpits × ≥1 probe / 8 = ≥ 5 s unbounded.
    expect(elapsedMs).toBeLessThan(WAIT_MS + BUDGET_MS + TIMEOUT_MS + 1500);
  });

  it('gives each tarpit at most one connection (no further probe after its first timeout)', () => {
    const heard = tarpits.tarpits.filter((t) => t.probes > 0);
    expect(heard.length).toBe(TARPITS);
    for (const tarpit of tarpits.tarpits) expect(tarpit.connections, tarpit.address).toBeLessThanOrEqual(1);
  });

  it('cuts the phase at the deadline when the tarpits queue up (concurrency 4, budget 400 ms), a warning per address', async () => {
    const before = tarpits.totalConnections();
    const cut: ScanEvent[] = [];
    const started = Date.now();
    // Unbounded, 50 tarpits / 4 slots × 800 ms would take ≥ 10 s.
    for await (const event of runScan({ targets: tarpits.addresses, interfaces: [], waitMs: 300, timeoutMs: TIMEOUT_MS, concurrency: 4, fingerprintBudgetMs: 400 })) cut.push(event);
    expect(Date.now() - started).toBeLessThan(300 + 400 + TIMEOUT_MS + 1500);
    const abandoned = cut.filter((e) => e.type === 'warning' && e.code === 'fingerprint-deadline').map((e) => (e.type === 'warning' ? e.address : null));
    expect(abandoned.length).toBeGreaterThan(0);
    expect(new Set(abandoned).size).toBe(abandoned.length);
    // Queued passes never started: fewer connections than tarpits.
    expect(tarpits.totalConnections() - before).toBeLessThan(TARPITS);
    const finished = cut.find((e) => e.type === 'phase' && e.phase === 'fingerprint' && e.state === 'finished');
    expect(finished?.type === 'phase' ? finished.detail : '').toMatch(/abandoned \d+ address\(es\) at the deadline, 400 ms after discovery/);
    expect(cut.at(-1)?.type).toBe('done');
  }, 20_000);

  it('warns once per abandoned address and says so in the fingerprint phase', () => {
    const deadline = events.filter((e) => e.type === 'warning' && e.code === 'fingerprint-deadline');
    const addresses = deadline.map((e) => (e.type === 'warning' ? e.address : null));
    expect(new Set(addresses).size).toBe(addresses.length);
    for (const address of addresses) expect(tarpits.addresses).toContain(address);
    const finished = events.find((e) => e.type === 'phase' && e.phase === 'fingerprint' && e.state === 'finished');
    if (deadline.length > 0) expect(finished?.type === 'phase' ? finished.detail : '').toMatch(/abandoned \d+ address/);
  });

  it('still fingerprints the good devices (vendor, model, clock, a login service learned)', () => {
    const devices = events.flatMap((e) => (e.type === 'device' ? [e.device] : []));
    for (const simulated of fleet.devices) {
      // The latest event for the device (its id changes as evidence arrives).
      const device = devices.filter((d) => d.addresses.includes(simulated.address)).at(-1);
      expect(device, simulated.profile.name).toBeDefined();
      expect(device!.model, simulated.profile.name).toBe(simulated.profile.identity.model);
      expect(device!.onvif?.clockOffsetMs, simulated.profile.name).not.toBeNull();
    }
    for (const simulated of fleet.devices) expect(simulated.counters.anonymousRequests, simulated.profile.name).toBeGreaterThan(0);
  });
});
