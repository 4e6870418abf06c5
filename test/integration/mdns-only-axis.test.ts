/**
 * Issue 16, "a camera found only over mDNS can never be logged in": an Axis that answers only mDNS (no WS-Discovery,
 * no ONVIF) is found, fingerprinted at its own address (basicdeviceinfo, param.cgi's anonymous Digest challenge),
 * planned on VAPIX, and logged in exactly once — read from the simulator's counters. A wrong password is one failed
 * login and nothing more.
 *
 * mDNS is multicast and loopback carries none, so the browse session is the injected fake of
 * test/unit/discovery/mdns.test.ts: it resolves what the simulated device's own mDNS responder advertises
 * (advertisedMdnsServices), from the device's address. Everything after discovery is real sockets to the simulator.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, DEFAULT_FLEET_PASSWORD, type Fleet } from '../../src/simulator/fleet.js';
import { advertisedMdnsServices } from '../../src/simulator/responders/mdns-responder.js';
import { responderDeviceInfo } from '../../src/simulator/responders/types.js';
import type { SimulatedDevice } from '../../src/simulator/device.js';
import { createMdnsChannel, type MdnsBrowseSession, type MdnsService } from '../../src/discovery/mdns.js';
import { formatNdjsonLine, runScan, ScanDocumentBuilder, Secret, type ScanDocument, type ScanEvent } from '../../src/index.js';
import type { PlanEvent } from '../../src/model/events.js';
import { MAX_VERIFIED_READS } from '../../src/auth/session.js';
import { expectValidDocument, expectValidEvent } from '../support/schema.js';
import { testSubnet } from '../support/subnet.js';

const PROFILE = 'x-axis-mdns-only';

/** What bonjour-service would resolve from the device's own announcement, sent from the device's address. */
function announcedBy(device: SimulatedDevice): MdnsService[] {
  return advertisedMdnsServices(responderDeviceInfo(device.profile, device.address, device.httpPort)).map((s) => {
    const [, type, protocol] = /^_([^.]+)\._(tcp|udp)$/.exec(s.serviceType)!;
    const txt = Object.fromEntries(s.txt.filter((t) => t.includes('=')).map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)]));
    return { name: s.instance, type, protocol, host: s.host, port: s.port, addresses: [device.address], txt, referer: { address: device.address } };
  });
}

function fakeMdns(services: MdnsService[]): { open: (o: { interfaceAddress: string }) => MdnsBrowseSession; browsed: string[] } {
  const browsed: string[] = [];
  return {
    browsed,
    open: () => ({
      browse(type, onService) {
        browsed.push(type);
        for (const service of services) if (service.type === type) queueMicrotask(() => onService(service));
      },
      requery: () => undefined,
      close: async () => undefined,
    }),
  };
}

async function scanMdnsOnly(device: SimulatedDevice, password: string, ledgerPath: string): Promise<{ document: ScanDocument; events: ScanEvent[]; browsed: string[] }> {
  const mdns = fakeMdns(announcedBy(device));
  const builder = new ScanDocumentBuilder();
  const events: ScanEvent[] = [];
  for await (const event of runScan({
    targets: [],
    // A made-up interface: only the fake session ever sees it (no socket is opened on it).
    interfaces: [{ name: 'fake0', address: '192.0.2.1', family: 'IPv4' }],
    channels: [createMdnsChannel({ openSession: mdns.open, requeryMs: 10_000 })],
    waitMs: 600,
    timeoutMs: 2000,
    concurrency: 4,
    login: {
      book: { defaultSet: { username: 'admin', password: new Secret(password), origin: 'test' }, entries: [] },
      ledgerPath,
      dryRun: false,
      confirm: async () => true,
    },
  })) {
    expectValidEvent(formatNdjsonLine(event));
    builder.add(event);
    events.push(event);
  }
  const document = builder.build();
  expectValidDocument(JSON.stringify(document));
  return { document, events, browsed: mdns.browsed };
}

const planOf = (events: ScanEvent[]): PlanEvent => events.find((e): e is PlanEvent => e.type === 'plan')!;

describe('an Axis found only over mDNS', () => {
  let fleet: Fleet;
  let run: Awaited<ReturnType<typeof scanMdnsOnly>>;
  let ledgerPath: string;

  beforeAll(async () => {
    fleet = await startFleet({ subnet: testSubnet(104), httpPort: 0, profiles: [PROFILE] });
    ledgerPath = join(mkdtempSync(join(tmpdir(), 'mdns-axis-')), 'ledger.jsonl');
    run = await scanMdnsOnly(fleet.devices[0]!, DEFAULT_FLEET_PASSWORD, ledgerPath);
  }, 30_000);

  afterAll(async () => {
    await fleet?.stop();
  });

  it('is found by mDNS alone and identified by its own Axis answers', () => {
    expect(run.browsed).toContain('axis-video');
    const device = fleet.devices[0]!;
    const [record] = run.document.devices;
    expect(run.document.devices).toHaveLength(1);
    expect(record?.addresses).toEqual([device.address]);
    expect(record?.discoveredBy).toEqual(['mdns']);
    expect(record?.onvif).toBeNull();
    expect(record?.mac).toBe(device.profile.identity.mac);
    expect(record?.evidence.some((e) => e.source === 'axis' && e.field === 'serial' && e.address === device.address)).toBe(true);
  });

  it('is planned on VAPIX with its identity confirmed at its address by TCP answers', () => {
    const device = fleet.devices[0]!;
    const item = planOf(run.events).logins[0]!;
    expect(item.action).toBe('attempt');
    expect(item.address).toBe(device.address);
    expect(item.url).toBe(`http://${device.address}:${device.httpPort}/axis-cgi/param.cgi?action=list&group=Brand`);
    expect(item.identity?.text).toMatch(/^identity confirmed at .* by Axis VAPIX/);
  });

  it('logs in exactly once: 1 successful login, 0 failed, credentialed requests within 1 + MAX_VERIFIED_READS', () => {
    const counters = fleet.report()[0]!.counters;
    expect(counters.successfulLogins).toBe(1);
    expect(counters.failedLogins).toBe(0);
    expect(counters.credentialedRequests).toBeGreaterThanOrEqual(1);
    expect(counters.credentialedRequests).toBeLessThanOrEqual(1 + MAX_VERIFIED_READS);
    const [record] = run.document.devices;
    expect(record?.login.status).toBe('succeeded');
    expect(record?.login.method).toBe('http-digest');
    // The 200's Brand group, read with the accepted credentials.
    expect(record?.evidence.some((e) => e.source === 'login' && e.field === 'model' && e.value === 'M1034-W' && e.verified === true)).toBe(true);
    const ledger = readFileSync(ledgerPath, 'utf8');
    expect(ledger).toMatch(/"status":"succeeded"/);
    expect(ledger).not.toContain(DEFAULT_FLEET_PASSWORD);
  });
});

describe('an Axis found only over mDNS, with a wrong password', () => {
  let fleet: Fleet;
  let run: Awaited<ReturnType<typeof scanMdnsOnly>>;

  beforeAll(async () => {
    fleet = await startFleet({ subnet: testSubnet(105), httpPort: 0, profiles: [PROFILE] });
    run = await scanMdnsOnly(fleet.devices[0]!, 'not-the-Password-1', join(mkdtempSync(join(tmpdir(), 'mdns-axis-wrong-')), 'ledger.jsonl'));
  }, 30_000);

  afterAll(async () => {
    await fleet?.stop();
  });

  it('is exactly one failed login, recorded as rejected, and never retried', () => {
    const counters = fleet.report()[0]!.counters;
    expect(counters.failedLogins).toBe(1);
    expect(counters.successfulLogins).toBe(0);
    expect(counters.credentialedRequests).toBe(1);
    expect(counters.lockouts).toBe(0);
    const [record] = run.document.devices;
    expect(record?.login.status).toBe('rejected');
    expect(record?.login.reason).toMatch(/credentials refused for user "admin"/);
  });
});
