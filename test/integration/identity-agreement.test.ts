/**
 * Issue 16, read from the peers' own counters: a ProbeMatch forged from a router's address and a host replaying a
 * camera's discovery reply (its MAC and endpoint uuid) get no credential — their own HTTP answers do not identify
 * the device they claim — while the real camera is knocked once and its ledger entry stays its own; two hosts
 * sharing one endpoint uuid are two devices, each fingerprinted and knocked once.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/simulator/fleet.js';
import { loadProfile } from '../../src/simulator/profile.js';
import type { ScanDocument } from '../../src/output/json.js';
import type { PlanEvent, ScanEvent } from '../../src/model/events.js';
import { scanWithLogin } from '../support/scan.js';
import { startLyingPeer, startMediaServer, type LyingPeer, type MediaServerPeer } from '../support/identity-peers.js';
import { testSubnet } from '../support/subnet.js';

const SUBNET = testSubnet(100);
const SHARED_UUID = 'urn:uuid:5f5a69c2-e0ae-504f-829b-00b9c0bb1fbd';

describe('trust only what agrees: forged and shared identities', () => {
  let fleet: Fleet;
  let router: LyingPeer;
  let impostor: LyingPeer;
  let media: MediaServerPeer;
  let document: ScanDocument;
  let events: ScanEvent[];
  let ledgerPath: string;

  beforeAll(async () => {
    const twin = (n: number) => {
      const profile = loadProfile('generic-nvt-ipcam');
      profile.name = `x-shared-uuid-${n}`;
      profile.identity = { ...profile.identity, mac: `00:12:41:aa:bc:0${n}`, serial: `ZX00SHARED0${n}` };
      profile.wsDiscovery = { ...profile.wsDiscovery!, endpointUuid: SHARED_UUID };
      return profile;
    };
    fleet = await startFleet({ subnet: SUBNET, httpPort: 0, profiles: ['hikvision-ds-2cd2386g2-v5.7', twin(1), twin(2)] });
    const victim = fleet.devices[0]!;
    router = await startLyingPeer({ address: `${SUBNET}.50`, realm: 'Router Admin', server: 'lighttpd', claim: { model: 'DS-2CD2386G2-IU', name: 'HIKVISION' } });
    impostor = await startLyingPeer({
      address: `${SUBNET}.51`,
      realm: 'Login',
      server: 'nginx',
      claim: { model: victim.profile.identity.model, mac: victim.profile.identity.mac, endpointUuid: victim.endpointUuid },
    });
    media = await startMediaServer(`${SUBNET}.60`);
    ledgerPath = join(mkdtempSync(join(tmpdir(), 'agreement-')), 'ledger.jsonl');
    ({ document, events } = await scanWithLogin({ targets: [...fleet.addresses, router.address, impostor.address, media.address], ledgerPath, waitMs: 900, timeoutMs: 2000 }));
  }, 30_000);

  afterAll(async () => {
    await router?.stop();
    await impostor?.stop();
    await media?.stop();
    await fleet?.stop();
  });

  const at = (address: string) => document.devices.filter((d) => d.addresses.includes(address));
  const plan = (): PlanEvent => events.find((e): e is PlanEvent => e.type === 'plan')!;

  it('the router a forged ProbeMatch names is fingerprinted, planned for nothing, and receives 0 credentials', () => {
    expect(router.counters.probes).toBeGreaterThan(0);
    expect(router.counters.httpRequests).toBeGreaterThan(0);
    expect(router.counters.credentialedRequests).toBe(0);
    const [device] = at(router.address);
    expect(device?.vendor).toBe('Hikvision');
    expect(device?.login.status).toBe('skipped');
    expect(device?.login.reason).toMatch(/identity not confirmed at .*\.50: .*realm "Router Admin".*do not identify a Hikvision/);
    expect(plan().logins.find((p) => p.id === device!.id)?.action).toBe('skip');
  });

  it('the MAC impostor gets 0 credentials; the real camera is knocked once at its own address and keeps its id', () => {
    expect(impostor.counters.probes).toBeGreaterThan(0);
    expect(impostor.counters.credentialedRequests).toBe(0);
    const report = fleet.report()[0]!;
    expect(report.counters.failedLogins).toBe(0);
    expect(report.counters.successfulLogins).toBeGreaterThanOrEqual(1);
    const [camera] = at(report.address);
    expect(camera?.id).toBe(`mac:${report.mac}`);
    expect(camera?.addresses).toEqual([report.address]);
    expect(camera?.login.status).toBe('succeeded');
    const item = plan().logins.find((p) => p.id === camera!.id)!;
    expect(item.address).toBe(report.address);
    expect(item.identity?.text).toMatch(new RegExp(`^identity confirmed at ${report.address.replace(/\./g, '\\.')} by `));
    const [fake] = at(impostor.address);
    expect(fake?.id).toBe(`ip:${impostor.address}`);
    expect(fake?.mac).toBeNull();
    expect(fake?.login.status).toBe('skipped');
    expect(document.warnings.some((w) => w.address === impostor.address && /answered with the identity of mac:/.test(w.message))).toBe(true);
  });

  it('the ledger holds one intent, for the real camera only (no entry poisoned by the impostor)', () => {
    const lines = readFileSync(ledgerPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; address?: string; keys?: string[] });
    const intents = lines.filter((l) => l.type === 'intent');
    expect(intents.map((i) => i.address).sort()).toEqual([fleet.addresses[0], fleet.addresses[1], fleet.addresses[2]].sort());
    expect(intents.some((i) => i.keys?.some((k) => k.startsWith('uuid:5f5a69c2')))).toBe(false);
  });

  it('both hosts of a shared endpoint uuid are two devices, each fingerprinted and knocked once', () => {
    for (const report of fleet.report().slice(1)) {
      expect(report.counters.anonymousRequests, report.name).toBeGreaterThan(0);
      expect(report.counters.failedLogins, report.name).toBe(0);
      expect(report.counters.successfulLogins, report.name).toBeGreaterThanOrEqual(1);
      const found = at(report.address);
      expect(found, report.name).toHaveLength(1);
      expect(found[0]!.addresses).toEqual([report.address]);
      expect(found[0]!.login.status).toBe('succeeded');
    }
    const ids = fleet.report().slice(1).map((r) => at(r.address)[0]!.id);
    expect(new Set(ids).size).toBe(2);
    expect(ids.some((id) => id.startsWith('uuid:'))).toBe(false);
  });

  it('the DLNA media server is listed as not a camera, with no camera lockout policy nor its shared serial as id, and planned for nothing', () => {
    expect(media.counters.searches).toBeGreaterThan(0);
    const [server] = at(media.address);
    expect(server?.kind).toBe('not-a-camera');
    expect(server?.id).toBe(`ip:${media.address}`);
    expect(server?.serial).toBeNull();
    expect(server?.lockout.ruleId ?? '').not.toMatch(/hikvision|dahua|axis|pelco/i);
    expect(server?.login.status).toBe('skipped');
    expect(server?.login.reason).toMatch(/not a camera/);
    expect(media.counters.credentialedRequests).toBe(0);
    expect(at(fleet.addresses[0]!)[0]?.kind).toBe('camera');
  });
});
