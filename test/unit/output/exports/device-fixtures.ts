/** Devices as the scan document holds them, for the export formatter tests. */
import type { Device } from '../../../../src/model/device.js';

export function device(over: Partial<Device> & { address: string }): Device {
  const { address, ...rest } = over;
  return {
    id: `ip:${address}`, addresses: [address], mac: null, serial: null, vendor: null, model: null, firmware: null, activated: true,
    discoveredBy: ['probe'], evidence: [], onvif: null,
    lockout: { policy: 'unknown', maxAttempts: null, lockSeconds: null, scope: null, canDisable: null, state: 'unknown', remainingAttempts: null, unlockInSeconds: null },
    login: { status: 'succeeded', method: 'http-digest', at: '2026-11-24T10:00:00.000Z', reason: null },
    ...rest,
  };
}
