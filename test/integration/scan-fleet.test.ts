import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../src/simulator/fleet.js';
import { runScan } from '../../src/index.js';
import type { ScanEvent } from '../../src/model/events.js';
import { ScanDocumentBuilder } from '../../src/output/json.js';
import { findKnownVendor } from '../../src/fingerprint/matchers/index.js';
import { testSubnet } from '../support/subnet.js';
import { formatNdjsonLine } from '../../src/output/ndjson.js';
import { expectValidDocument, expectValidEvent } from '../support/schema.js';

// Each integration test file owns a loopback /24 so files can run in parallel without sharing UDP 3702.
const SUBNET = testSubnet(1);

describe('anonymous scan of the simulated fleet (walking skeleton)', () => {
  let fleet: Fleet;
  const events: ScanEvent[] = [];

  beforeAll(async () => {
    fleet = await startFleet({ subnet: SUBNET, httpPort: 0 });
    const started = Date.now();
    for await (const event of runScan({ targets: fleet.addresses, interfaces: [], waitMs: 800, timeoutMs: 2000, concurrency: 16 })) {
      expectValidEvent(formatNdjsonLine(event));
      events.push(event);
    }
    expect(Date.now() - started).toBeLessThan(800 + 3000);
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  it('finds every simulated device exactly once, with vendor, model, clock offset and XAddrs', () => {
    const builder = new ScanDocumentBuilder();
    events.forEach((e) => builder.add(e));
    const document = expectValidDocument(JSON.stringify(builder.build()));
    expect(document.devices).toHaveLength(fleet.devices.length);
    for (const simulated of fleet.devices) {
      const device = document.devices.find((d) => d.addresses.includes(simulated.address));
      expect(device, simulated.profile.name).toBeDefined();
      expect(device!.model, simulated.profile.name).toBe(simulated.profile.identity.model);
      // Known vendors are named; a no-name NVT ("IPCAM") honestly has none.
      const known = findKnownVendor(simulated.profile.identity.vendor);
      if (known) expect(device!.vendor, simulated.profile.name).toBe(known);
      // mDNS is multicast only (RFC 6762 §5): a loopback scan cannot hear it; netns-multicast.test.ts covers it.
      const unicastChannels = simulated.profile.channels.filter((channel) => channel !== 'mdns');
      expect(device!.discoveredBy.sort(), simulated.profile.name).toEqual(unicastChannels.sort());
      if (!simulated.profile.channels.includes('ws-discovery')) continue; // SADP-only (a factory-new Hikvision)
      expect(device!.onvif?.xaddrs, simulated.profile.name).toContain(simulated.onvifUrl);
      const offset = device!.onvif?.clockOffsetMs;
      expect(offset, `${simulated.profile.name} clock offset`).not.toBeNull();
      // The simulator reports whole seconds: the measured offset is within ~1.5 s of the configured one.
      expect(Math.abs(offset! - simulated.profile.clock.offsetMs), simulated.profile.name).toBeLessThan(1500);
    }
  });

  it('ends with a done event that counts the devices', () => {
    const done = events.at(-1);
    expect(done?.type).toBe('done');
    if (done?.type === 'done') expect(done.devices).toBe(fleet.devices.length);
  });

  it('S1: sent no credential of any kind to any device', () => {
    for (const report of fleet.report()) {
      expect(report.counters.credentialedRequests, report.name).toBe(0);
      expect(report.counters.failedLogins, report.name).toBe(0);
      expect(report.counters.anonymousRequests, report.name).toBeGreaterThan(0);
      expect(report.counters.discoveryProbes, report.name).toBeGreaterThan(0);
    }
  });
});
