import { describe, expect, it } from 'vitest';
import { planLogin, identityKeys, type PlanInput } from '../../../src/guard/planner.js';
import { parseLedger } from '../../../src/guard/ledger.js';
import { Secret } from '../../../src/guard/secret.js';
import type { CredentialBook } from '../../../src/guard/credentials.js';
import type { Device } from '../../../src/model/device.js';
import type { ServiceAccess } from '../../../src/fingerprint/types.js';
import { unknownLockout } from '../../../src/guard/lockout/lookup.js';

const device = (over: Partial<Device> = {}): Device => ({
  id: 'mac:58:50:ed:1f:e3:85', addresses: ['192.0.2.40'], mac: '58:50:ed:1f:e3:85', serial: 'SN1', vendor: 'Hikvision', model: 'DS-2CD2385G1-I', firmware: 'V5.6.2 build 190701',
  activated: true, discoveredBy: ['ws-discovery'], evidence: [{ source: 'isapi', field: 'vendor', value: 'Hikvision', address: '192.0.2.40' }], onvif: null, lockout: unknownLockout(), login: { status: 'not-requested', method: null, at: null, reason: null }, ...over,
});
const onvifDigest: ServiceAccess = { kind: 'onvif', url: 'http://192.0.2.40/onvif/device_service', method: 'POST', scheme: 'http-digest', challenges: [] };
const onvifWs: ServiceAccess = { ...onvifDigest, scheme: 'ws-username-token' };
const isapi: ServiceAccess = { kind: 'hikvision-isapi', url: 'http://192.0.2.40/ISAPI/Security/userCheck', method: 'GET', scheme: 'http-digest', challenges: [] };
const book: CredentialBook = { defaultSet: { username: 'admin', password: new Secret('pw'), origin: 'test' }, entries: [] };
const empty = parseLedger('');
const input = (over: Partial<PlanInput> = {}): PlanInput => ({ key: 1, device: device(), services: [onvifDigest], clockOffsetMs: 0, certificateSha256: null, ...over });
const plan = (over: Partial<PlanInput> = {}, ledger = empty, b: CredentialBook = book) => {
  const i = input(over);
  return planLogin(i, b, ledger, identityKeys(i.device));
};

describe('login planner', () => {
  it('plans exactly one Digest attempt on the responder address, preferring the vendor API (docs/FIELD-NOTES.md §5)', () => {
    const item = plan({ services: [onvifDigest, isapi] });
    expect(item.action).toBe('attempt');
    expect(item.method).toBe('http-digest');
    expect(item.service?.kind).toBe('hikvision-isapi');
    expect(item.address).toBe('192.0.2.40');
    expect(item.keys).toEqual(['mac:58:50:ed:1f:e3:85', 'serial:SN1']);
  });

  it('plans WS-UsernameToken only when the device clock is known', () => {
    expect(plan({ services: [onvifWs], clockOffsetMs: -2_820_000 }).method).toBe('ws-username-token');
    const unknownClock = plan({ services: [onvifWs], clockOffsetMs: null });
    expect(unknownClock.action).toBe('skip');
    expect(unknownClock.reason).toMatch(/clock could not be read/);
  });

  it('S3: never plans a service on an address the device did not answer from', () => {
    const elsewhere: ServiceAccess = { ...onvifDigest, url: 'http://198.51.100.7/onvif/device_service' };
    const item = plan({ services: [elsewhere] });
    expect(item.action).toBe('skip');
    expect(item.reason).toMatch(/no usable address/);
  });

  it('S4/S6: skips Basic-only over HTTP, unknown schemes, not-activated and locked devices, with reasons', () => {
    expect(plan({ services: [{ ...onvifDigest, scheme: 'basic-only' }] }).reason).toMatch(/only Basic over plain HTTP/);
    expect(plan({ services: [{ ...onvifDigest, scheme: 'unknown' }] }).reason).toMatch(/scheme would be a guess/);
    expect(plan({ device: device({ activated: false }) }).reason).toMatch(/not activated/);
    const locked = plan({ device: device({ lockout: { ...unknownLockout(), state: 'locked', unlockInSeconds: 1200 } }) });
    expect(locked.action).toBe('skip');
    expect(locked.reason).toMatch(/locked for another 1200 s/);
  });

  it('S5: skips a device whose last attempt failed or never got an outcome, until forgotten', () => {
    const intent = JSON.stringify({ type: 'intent', keys: ['serial:SN1'], attempt: 'a1', address: '192.0.2.9', method: 'http-digest', url: 'u', username: 'admin', at: 't', pid: 1 });
    const noOutcome = plan({}, parseLedger(`${intent}\n`));
    expect(noOutcome.action).toBe('skip');
    expect(noOutcome.reason).toMatch(/outcome was never recorded.*ledger forget mac:58:50:ed:1f:e3:85/);
    const rejected = parseLedger(`${intent}\n${JSON.stringify({ type: 'outcome', attempt: 'a1', status: 'rejected', reason: null, remainingAttempts: 4, at: 't' })}\n`);
    expect(plan({}, rejected).reason).toMatch(/was rejected/);
    const forgotten = parseLedger(`${intent}\n${JSON.stringify({ type: 'forget', keys: ['serial:SN1'], at: 't' })}\n`);
    expect(plan({}, forgotten).action).toBe('attempt');
  });

  it('skips when no credential set matches, and carries the certificate pin for HTTPS', () => {
    expect(plan({}, empty, { defaultSet: null, entries: [] }).reason).toMatch(/no credential set matches/);
    const https = plan({ services: [{ ...onvifDigest, url: 'https://192.0.2.40/onvif/device_service' }], certificateSha256: 'AA:BB' });
    expect(https.certificateSha256).toBe('AA:BB');
    expect(plan({}).certificateSha256).toBeNull();
  });
});
