import { describe, expect, it } from 'vitest';
import { DeviceRegistry } from '../../../src/scan/registry.js';

describe('one record per physical device', () => {
  it('merges observations by MAC across channels and addresses (dual-homed), and lists both addresses', () => {
    const registry = new DeviceRegistry();
    registry.observe({ channel: 'ws-discovery', address: '192.0.2.40', endpoint: 'urn:uuid:aaaa', mac: '58-50-ED-1F-E3-85' });
    const { record, created } = registry.observe({ channel: 'sadp', address: '198.51.100.40', mac: '58:50:ed:1f:e3:85', serial: 'SN1' });
    expect(created).toBe(false);
    expect(registry.all()).toHaveLength(1);
    expect(record.device.addresses).toEqual(['192.0.2.40', '198.51.100.40']);
    expect(record.device.discoveredBy).toEqual(['ws-discovery', 'sadp']);
    expect(record.device.id).toBe('mac:58:50:ed:1f:e3:85');
  });

  it('merges by serial and by endpoint uuid, and improves the id while reporting the previous one', () => {
    const registry = new DeviceRegistry();
    const first = registry.observe({ channel: 'ws-discovery', address: '192.0.2.5', endpoint: 'urn:uuid:1234-abcd' });
    expect(first.record.device.id).toBe('uuid:1234-abcd');
    const second = registry.observe({ channel: 'ws-discovery', address: '192.0.2.5', endpoint: 'URN:UUID:1234-ABCD', serial: 'X9' });
    expect(second.previousId).toBe('uuid:1234-abcd');
    expect(second.record.device.id).toBe('serial:X9');
    registry.observe({ channel: 'dhip', address: '192.0.2.6', serial: 'X9' });
    expect(registry.all()).toHaveLength(1);
  });

  it('keeps different devices apart, and joins identity-less answers to the record owning the address', () => {
    const registry = new DeviceRegistry();
    registry.observe({ channel: 'ws-discovery', address: '192.0.2.1', mac: '00:11:22:33:44:01' });
    registry.observe({ channel: 'ws-discovery', address: '192.0.2.2', mac: '00:11:22:33:44:02' });
    // a second device answering from an address another device owns, with a different MAC, stays apart
    registry.observe({ channel: 'sadp', address: '192.0.2.2', mac: '00:11:22:33:44:03' });
    expect(registry.all()).toHaveLength(3);
    const probe = registry.observe({ channel: 'probe', address: '192.0.2.2' });
    expect(registry.all()).toHaveLength(3);
    expect(probe.record.device.mac).toBe('00:11:22:33:44:02');
    const lone = registry.observe({ channel: 'probe', address: '192.0.2.3' });
    expect(lone.record.device.id).toBe('ip:192.0.2.3');
  });

  it('keeps conflicting evidence from different sources instead of overwriting', () => {
    const registry = new DeviceRegistry();
    registry.observe({ channel: 'ws-discovery', address: '192.0.2.1', mac: '00:11:22:33:44:01', evidence: [{ source: 'ws-discovery', field: 'model', value: 'A' }] });
    const { record } = registry.observe({ channel: 'sadp', address: '192.0.2.1', mac: '00:11:22:33:44:01', evidence: [{ source: 'sadp', field: 'model', value: 'B' }] });
    expect(record.device.evidence.filter((e) => e.field === 'model').map((e) => e.value)).toEqual(['A', 'B']);
  });
});

describe('folding records that turn out to be one device', () => {
  it('folds a MAC-only record and a serial-only record when one observation carries both', () => {
    const registry = new DeviceRegistry();
    registry.observe({ channel: 'ws-discovery', address: '192.0.2.1', mac: '00:11:22:33:44:01' });
    registry.observe({ channel: 'dhip', address: '192.0.2.9', serial: 'SN-7' });
    expect(registry.all()).toHaveLength(2);
    const { record, foldedIds } = registry.observe({ channel: 'sadp', address: '192.0.2.1', mac: '00:11:22:33:44:01', serial: 'SN-7' });
    expect(registry.all()).toHaveLength(1);
    expect(foldedIds).toEqual(['serial:SN-7']);
    expect(record.device.addresses.sort()).toEqual(['192.0.2.1', '192.0.2.9']);
    expect(record.device.discoveredBy.sort()).toEqual(['dhip', 'sadp', 'ws-discovery']);
  });
});

describe('same-address and late identity merges', () => {
  it('joins a WS-Discovery answer with a random UUID and an SSDP answer with a MAC from the same address', () => {
    const registry = new DeviceRegistry();
    registry.observe({ channel: 'ws-discovery', address: '192.0.2.10', endpoint: 'urn:uuid:08a6f3cd-312c-4810-837e-fb2859be0504' });
    const { record, created } = registry.observe({ channel: 'ssdp', address: '192.0.2.10', mac: 'ACCC8E123404' });
    expect(created).toBe(false);
    expect(registry.all()).toHaveLength(1);
    expect(record.device.id).toBe('mac:ac:cc:8e:12:34:04');
  });

  it('identify() folds another record with the MAC the fingerprint revealed', () => {
    const registry = new DeviceRegistry();
    const a = registry.observe({ channel: 'ws-discovery', address: '192.0.2.10', endpoint: 'urn:uuid:1' }).record;
    registry.observe({ channel: 'ssdp', address: '192.0.2.99', mac: '00:40:8c:00:00:01' });
    const result = registry.identify(a, { mac: '00408C000001', serial: null });
    expect(registry.all()).toHaveLength(1);
    expect(result.foldedIds).toEqual(['mac:00:40:8c:00:00:01']);
    expect(result.previousId).toBe('uuid:1');
    expect(result.record.device.addresses.sort()).toEqual(['192.0.2.10', '192.0.2.99']);
  });

  it('ignores redacted serials such as "**************" (Lorex DHIP) so unrelated devices are not merged', () => {
    const registry = new DeviceRegistry();
    registry.observe({ channel: 'dhip', address: '192.0.2.1', serial: '**************' });
    registry.observe({ channel: 'dhip', address: '192.0.2.2', serial: '**************' });
    expect(registry.all()).toHaveLength(2);
  });
});

describe('folded records are dead', () => {
  it('identify() refuses a record that was folded into another (a stale reference after an await)', () => {
    const registry = new DeviceRegistry();
    const survivor = registry.observe({ channel: 'sadp', address: '192.0.2.9', mac: '00:11:22:33:44:01' }).record;
    const stale = registry.observe({ channel: 'ws-discovery', address: '192.0.2.1', endpoint: 'urn:uuid:a' }).record;
    // one answer ties the UUID to the MAC: the UUID record is folded into the MAC record, which was first
    const { record, foldedKeys } = registry.observe({ channel: 'ws-discovery', address: '192.0.2.1', endpoint: 'urn:uuid:a', mac: '00:11:22:33:44:01' });
    expect(record).toBe(survivor);
    expect(foldedKeys).toEqual([stale.key]);
    expect(registry.get(stale.key)).toBeUndefined();
    expect(() => registry.identify(stale, { mac: null, serial: 'X' })).toThrow(/folded away/);
  });
});
