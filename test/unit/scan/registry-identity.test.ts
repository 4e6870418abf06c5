import { describe, expect, it } from 'vitest';
import { DeviceRegistry } from '../../../src/scan/registry.js';
import { addressesToSplit } from '../../../src/scan/split.js';
import { FIXED_IDENTITIES } from '../../../src/model/fixed-identities.js';
import { addEvidence } from '../../../src/model/record.js';
import { refreshIdentity } from '../../../src/scan/identity.js';

describe('identity rules: a shared key alone is not one device', () => {
  it('a shared endpoint uuid never joins two IPv4 addresses, but still joins a dual-stack IPv4 + IPv6 pair', () => {
    const registry = new DeviceRegistry();
    registry.observe({ channel: 'ws-discovery', address: '192.0.2.10', endpoint: 'urn:uuid:11111111-2222-3333-4444-555555555555' });
    registry.observe({ channel: 'ws-discovery', address: '192.0.2.11', endpoint: 'urn:uuid:11111111-2222-3333-4444-555555555555' });
    expect(registry.all()).toHaveLength(2);
    registry.observe({ channel: 'ws-discovery', address: 'fd00::10', endpoint: 'urn:uuid:11111111-2222-3333-4444-555555555555' });
    expect(registry.all()).toHaveLength(2);
    expect(registry.all()[0]!.device.addresses).toEqual(['192.0.2.10', 'fd00::10']);
  });

  it('a shared uuid with contradicting MACs is two devices', () => {
    const registry = new DeviceRegistry();
    registry.observe({ channel: 'ws-discovery', address: 'fd00::1', endpoint: 'urn:uuid:aaaa', mac: '00:11:22:33:44:01' });
    registry.observe({ channel: 'ws-discovery', address: '192.0.2.1', endpoint: 'urn:uuid:aaaa', mac: '00:11:22:33:44:02' });
    expect(registry.all()).toHaveLength(2);
  });

  it('known fixed serials and uuids (a table with sources) are never identity', () => {
    expect(FIXED_IDENTITIES.every((f) => f.source.length > 10)).toBe(true);
    const registry = new DeviceRegistry();
    const a = registry.observe({ channel: 'ssdp', address: '192.0.2.20', serial: '12345678' });
    const b = registry.observe({ channel: 'ssdp', address: '192.0.2.21', serial: '12345678' });
    expect(registry.all()).toHaveLength(2);
    expect(a.record.device.id).toBe('ip:192.0.2.20');
    expect(b.record.device.serial).toBeNull();
    const c = registry.observe({ channel: 'ws-discovery', address: '192.0.2.22', endpoint: 'urn:uuid:00000000-0000-0000-0000-000000000000' });
    expect(c.record.device.id).toBe('ip:192.0.2.22');
  });

  it('a MAC impostor whose own TCP answers disagree is split off with its claims kept as claims, and never folded back', () => {
    const registry = new DeviceRegistry();
    const mac = 'bc:ba:c2:11:22:01';
    registry.observe({ channel: 'sadp', address: '192.0.2.5', mac, serial: 'DS-2CD2386G2-IU20230301AAWRK12345678', evidence: [{ source: 'sadp', field: 'model', value: 'DS-2CD2386G2-IU' }] });
    const { record } = registry.observe({ channel: 'ws-discovery', address: '192.0.2.66', mac, evidence: [{ source: 'ws-discovery', field: 'model', value: 'DS-2CD2386G2-IU' }] });
    expect(record.device.addresses).toEqual(['192.0.2.5', '192.0.2.66']);
    addEvidence(record.device, { source: 'isapi', field: 'vendor', value: 'Hikvision', address: '192.0.2.5' });
    addEvidence(record.device, { source: 'http', field: 'realm', value: 'Login', address: '192.0.2.66' });
    addEvidence(record.device, { source: 'http', field: 'server', value: 'nginx', address: '192.0.2.66' });
    refreshIdentity(record, undefined);
    expect(addressesToSplit(record)).toEqual(['192.0.2.66']);
    const impostor = registry.split(record, '192.0.2.66');
    refreshIdentity(impostor, undefined);
    expect(record.device.id).toBe(`mac:${mac}`);
    expect(record.device.addresses).toEqual(['192.0.2.5']);
    expect(impostor.device.id).toBe('ip:192.0.2.66');
    expect(impostor.device.mac).toBeNull();
    expect(impostor.device.evidence).toContainEqual({ source: 'ws-discovery', field: 'claimed-mac', value: mac, address: '192.0.2.66' });
    // identify() with the real MAC never folds the impostor back in
    registry.identify(record, { mac, serial: null });
    expect(registry.all()).toHaveLength(2);
  });

  it('a dual-stack device whose two addresses answer alike stays one record', () => {
    const registry = new DeviceRegistry();
    const { record } = registry.observe({ channel: 'ws-discovery', address: '192.0.2.7', endpoint: 'urn:uuid:bbbb', mac: '00:11:22:33:44:07' });
    registry.observe({ channel: 'ws-discovery', address: 'fd00::7', endpoint: 'urn:uuid:bbbb', mac: '00:11:22:33:44:07' });
    for (const address of ['192.0.2.7', 'fd00::7']) addEvidence(record.device, { source: 'onvif', field: 'onvif-answer', value: 'GetSystemDateAndTime', address });
    refreshIdentity(record, undefined);
    expect(addressesToSplit(record)).toEqual([]);
  });
});
