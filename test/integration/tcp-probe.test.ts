/**
 * Issue 16: a host that answers no UDP discovery probe but serves ONVIF over HTTP is still found by a unicast sweep
 * (the `probe` channel: TCP connect on 80/443/554/8000/37777) and fingerprinted anonymously; an address where
 * nothing listens produces no record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/simulator/fleet.js';
import { runScan } from '../../src/index.js';
import type { ScanEvent } from '../../src/model/events.js';
import { ScanDocumentBuilder } from '../../src/output/json.js';
import { testSubnet } from '../support/subnet.js';
import { unavailable } from '../support/skip.js';

const SUBNET = testSubnet(111);
const notRoot = typeof process.getuid === 'function' && process.getuid() === 0 ? null : 'binding port 80 on loopback needs root';

describe.skipIf(unavailable('TCP probe sweep test', notRoot))('the unicast sweep also probes TCP', () => {
  let fleet: Fleet;
  const events: ScanEvent[] = [];
  const silent = `${SUBNET}.50`;

  beforeAll(async () => {
    fleet = await startFleet({ subnet: SUBNET, firstHost: 10, httpPort: 80, profiles: ['x-onvif-http-only'] });
    for await (const event of runScan({ targets: [fleet.addresses[0]!, silent], interfaces: [], waitMs: 1500, timeoutMs: 1000, concurrency: 16 })) events.push(event);
  }, 20_000);

  afterAll(async () => {
    await fleet?.stop();
  });

  it('finds the HTTP/ONVIF-only host through the probe channel and fingerprints it anonymously', () => {
    const builder = new ScanDocumentBuilder();
    events.forEach((e) => builder.add(e));
    const document = builder.build();
    const simulated = fleet.devices[0]!;
    expect(simulated.counters.discoveryProbes).toBe(0);
    const device = document.devices.find((d) => d.addresses.includes(simulated.address));
    expect(device).toBeDefined();
    expect(device!.discoveredBy).toEqual(['probe']);
    expect(device!.evidence).toContainEqual(expect.objectContaining({ source: 'probe', field: 'tcp-open', value: '80/http', address: simulated.address }));
    // ONVIF's fixed entry point answered anonymously on the open port; its refusal of GetDeviceInformation taught the
    // scheme the one login would use (this profile tells model and serial only after a login).
    expect(device!.evidence).toContainEqual(expect.objectContaining({ source: 'onvif', field: 'onvif-answer', value: 'GetSystemDateAndTime', address: simulated.address }));
    expect(device!.access?.schemes).toContain('http-digest:MD5');
    expect(simulated.counters.anonymousRequests).toBeGreaterThan(0);
    expect(simulated.counters.credentialedRequests).toBe(0);
  });

  it('makes no record for an address where nothing listens', () => {
    const builder = new ScanDocumentBuilder();
    events.forEach((e) => builder.add(e));
    const document = builder.build();
    expect(document.devices.some((d) => d.addresses.includes(silent))).toBe(false);
    expect(document.devices).toHaveLength(1);
  });
});
