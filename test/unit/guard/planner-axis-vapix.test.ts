/**
 * Issue 16, the mDNS-only Axis: an `axis-vapix` service (param.cgi's anonymous Digest challenge) is planned when the
 * address's own Axis answers confirm the device; ONVIF stays preferred when the device has it; mDNS alone (UDP)
 * never earns the knock.
 */
import { describe, expect, it } from 'vitest';
import { planLogin, identityKeys, type PlanInput } from '../../../src/guard/planner.js';
import { parseLedger } from '../../../src/guard/ledger.js';
import { Secret } from '../../../src/guard/secret.js';
import type { CredentialBook } from '../../../src/guard/credentials.js';
import type { Device, Evidence } from '../../../src/model/device.js';
import type { ServiceAccess } from '../../../src/fingerprint/types.js';
import { unknownLockout } from '../../../src/guard/lockout/lookup.js';

const ADDRESS = '192.0.2.60';
const mdns: Evidence[] = [
  { source: 'mdns', field: 'vendor', value: 'AXIS', address: ADDRESS },
  { source: 'mdns', field: 'service', value: '_axis-video._tcp', address: ADDRESS },
];
const axisTcp: Evidence[] = [
  { source: 'axis', field: 'vendor', value: 'AXIS', address: ADDRESS },
  { source: 'axis', field: 'model', value: 'M1034-W', address: ADDRESS },
  { source: 'axis', field: 'serial', value: 'ACCC8E123406', address: ADDRESS },
  { source: 'axis', field: 'mac', value: 'ACCC8E123406', address: ADDRESS },
  { source: 'axis', field: 'realm', value: 'AXIS_ACCC8E123406', address: ADDRESS },
];
const device = (evidence: Evidence[]): Device => ({
  id: 'mac:ac:cc:8e:12:34:06', addresses: [ADDRESS], mac: 'ac:cc:8e:12:34:06', serial: 'ACCC8E123406', vendor: 'Axis', model: 'M1034-W', firmware: '9.80.3.8',
  activated: null, discoveredBy: ['mdns'], evidence, onvif: null, lockout: unknownLockout(), login: { status: 'not-requested', method: null, at: null, reason: null },
});
const vapix: ServiceAccess = {
  kind: 'axis-vapix',
  url: `http://${ADDRESS}/axis-cgi/param.cgi?action=list&group=Brand`,
  method: 'GET',
  scheme: 'http-digest',
  challenges: [{ scheme: 'digest', realm: 'AXIS_ACCC8E123406', algorithm: 'MD5', qop: ['auth'], stale: null }],
};
const onvifWs: ServiceAccess = { kind: 'onvif', url: `http://${ADDRESS}/onvif/device_service`, method: 'POST', scheme: 'ws-username-token', challenges: [] };
const book: CredentialBook = { defaultSet: { username: 'root', password: new Secret('pw'), origin: 'test' }, entries: [] };
const plan = (over: Partial<PlanInput>) => {
  const input: PlanInput = { key: 1, device: device([...mdns, ...axisTcp]), services: [vapix], clockOffsetMs: null, certificateSha256: null, ...over };
  return planLogin(input, book, parseLedger(''), identityKeys(input.device));
};

describe('planning the Axis VAPIX login', () => {
  it('plans one Digest attempt on the param.cgi URL when the address’s own Axis answers confirm the device', () => {
    const item = plan({});
    expect(item.action).toBe('attempt');
    expect(item.method).toBe('http-digest');
    expect(item.service).toEqual(vapix);
    expect(item.address).toBe(ADDRESS);
    expect(item.identity?.confirmed).toBe(true);
    expect(item.identity?.by[0]).toMatch(/^Axis VAPIX/);
  });

  it('keeps ONVIF first when the device has a plannable ONVIF login, and falls back to VAPIX when it has not', () => {
    expect(plan({ services: [vapix, onvifWs], clockOffsetMs: 0 }).service?.kind).toBe('onvif');
    // WS-UsernameToken without a readable clock cannot be planned: the VAPIX Digest login is.
    expect(plan({ services: [onvifWs, vapix], clockOffsetMs: null }).service?.kind).toBe('axis-vapix');
  });

  it('mDNS alone never earns the knock: no TCP answer at the address means no credential', () => {
    const item = plan({ device: device(mdns) });
    expect(item.action).toBe('skip');
    expect(item.reason).toMatch(/identity not confirmed at 192\.0\.2\.60: it gave no anonymous TCP answer/);
  });

  it('an address whose own Axis answers name another camera is not knocked', () => {
    const other = axisTcp.map((e) => (e.field === 'serial' || e.field === 'mac' ? { ...e, value: 'ACCC8E999999' } : e));
    const item = plan({ device: device([...mdns, ...other]) });
    expect(item.action).toBe('skip');
    expect(item.reason).toMatch(/name another device/);
  });
});
