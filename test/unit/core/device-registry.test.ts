import { describe, expect, it } from 'vitest';
import { DeviceRegistry } from '../../../src/core/device-registry.js';

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
    const probe = registry.observe({ channel: 'probe', address: '192.0.2.2' });
    expect(registry.all()).toHaveLength(2);
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
    const { record, foldedId } = registry.observe({ channel: 'sadp', address: '192.0.2.1', mac: '00:11:22:33:44:01', serial: 'SN-7' });
    expect(registry.all()).toHaveLength(1);
    expect(foldedId).toBe('serial:SN-7');
    expect(record.device.addresses.sort()).toEqual(['192.0.2.1', '192.0.2.9']);
    expect(record.device.discoveredBy.sort()).toEqual(['dhip', 'sadp', 'ws-discovery']);
  });
});
