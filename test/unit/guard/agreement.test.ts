import { describe, expect, it } from 'vitest';
import { agreementAt, describeAgreement } from '../../../src/guard/agreement.js';
import { planLogin, identityKeys } from '../../../src/guard/planner.js';
import { parseLedger } from '../../../src/guard/ledger.js';
import { Secret } from '../../../src/guard/secret.js';
import type { Device, Evidence } from '../../../src/model/device.js';
import type { ServiceAccess } from '../../../src/fingerprint/types.js';
import { unknownLockout } from '../../../src/guard/lockout/lookup.js';

const ROUTER = '198.18.0.1';
const CAMERA = '198.18.0.5';
const device = (evidence: Evidence[], over: Partial<Device> = {}): Device => ({
  id: 'mac:bc:ba:c2:11:22:01', addresses: [ROUTER], mac: 'bc:ba:c2:11:22:01', serial: null, vendor: 'Hikvision', model: 'DS-2CD2386G2-IU', firmware: null,
  activated: null, discoveredBy: ['ws-discovery'], evidence, onvif: null, lockout: unknownLockout(), login: { status: 'not-requested', method: null, at: null, reason: null }, ...over,
});
const forged: Evidence[] = [
  { source: 'ws-discovery', field: 'model', value: 'DS-2CD2386G2-IU', address: ROUTER },
  { source: 'ws-discovery', field: 'mac', value: 'bc:ba:c2:11:22:01', address: ROUTER },
];
const routerAnswers: Evidence[] = [
  { source: 'http', field: 'realm', value: 'Router Admin', address: ROUTER },
  { source: 'http', field: 'server', value: 'lighttpd', address: ROUTER },
  { source: 'isapi', field: 'realm', value: 'Router Admin', address: ROUTER },
];
const isapiAt = (host: string): ServiceAccess => ({ kind: 'hikvision-isapi', url: `http://${host}/ISAPI/Security/userCheck`, method: 'GET', scheme: 'http-digest', challenges: [] });
const book = { defaultSet: { username: 'admin', password: new Secret('pw'), origin: 'test' }, entries: [] };
const plan = (d: Device, services: ServiceAccess[]) => planLogin({ key: 1, device: d, services, clockOffsetMs: 0, certificateSha256: null }, book, parseLedger(''), identityKeys(d));

describe('the agreement rule: credentials only where the address itself identifies the device', () => {
  it('a ProbeMatch forged from a router (realm "Router Admin", Server: lighttpd) claiming a Hikvision plans no knock', () => {
    const d = device([...forged, ...routerAnswers]);
    const agreement = agreementAt(d, ROUTER);
    expect(agreement.confirmed).toBe(false);
    expect(agreement.reason).toMatch(/identity not confirmed at 198\.18\.0\.1: .*realm "Router Admin".*Hikvision/);
    const item = plan(d, [isapiAt(ROUTER)]);
    expect(item.action).toBe('skip');
    expect(item.reason).toMatch(/identity not confirmed/);
  });

  it('UDP-only evidence never earns a knock, however complete', () => {
    const udp: Evidence[] = [...forged, { source: 'sadp', field: 'serial', value: 'DS-2CD2386G2-IU20230301AAWRK12345678', address: ROUTER }, { source: 'sadp', field: 'vendor', value: 'Hikvision', address: ROUTER }];
    expect(agreementAt(device(udp), ROUTER).reason).toMatch(/no anonymous TCP answer/);
    expect(plan(device(udp), [isapiAt(ROUTER)]).action).toBe('skip');
  });

  it('an address whose own answers name another model or serial is not the device', () => {
    const d = device([...forged, { source: 'onvif', field: 'vendor', value: 'Hikvision', address: ROUTER }, { source: 'onvif', field: 'model', value: 'DS-7608NI-K2', address: ROUTER }]);
    expect(agreementAt(d, ROUTER).reason).toMatch(/model DS-7608NI-K2 here, DS-2CD2386G2-IU claimed/);
  });

  it('shows the evidence that confirmed it, and knocks only on the confirmed address', () => {
    const evidence: Evidence[] = [
      ...forged,
      ...routerAnswers,
      { source: 'http', field: 'realm', value: 'DS-2CD2386G2-IU', address: CAMERA },
      { source: 'onvif', field: 'vendor', value: 'HIKVISION', address: CAMERA },
      { source: 'onvif', field: 'serial', value: 'DS-2CD2386G2-IU20230301AAWRK12345678', address: CAMERA },
    ];
    const d = device(evidence, { addresses: [ROUTER, CAMERA], serial: 'DS-2CD2386G2-IU20230301AAWRK12345678' });
    expect(describeAgreement(agreementAt(d, CAMERA))).toBe('identity confirmed at 198.18.0.5 by ONVIF vendor + HTTP realm + ONVIF serial');
    const item = plan(d, [isapiAt(ROUTER), isapiAt(CAMERA)]);
    expect(item.action).toBe('attempt');
    expect(item.address).toBe(CAMERA);
    expect(item.identity?.by).toEqual(['ONVIF vendor', 'HTTP realm', 'ONVIF serial']);
  });

  it('a device of unknown vendor needs an ONVIF answer of its own', () => {
    const onvif: ServiceAccess = { kind: 'onvif', url: `http://${CAMERA}/onvif/device_service`, method: 'POST', scheme: 'http-digest', challenges: [] };
    const bare = device([{ source: 'http', field: 'realm', value: 'IPCAM', address: CAMERA }], { vendor: null, model: null, mac: null, addresses: [CAMERA] });
    expect(plan(bare, [onvif]).action).toBe('skip');
    bare.evidence.push({ source: 'onvif', field: 'onvif-answer', value: 'GetSystemDateAndTime', address: CAMERA });
    expect(plan(bare, [onvif]).action).toBe('attempt');
  });

  it('never plans a knock on a device classified as not a camera', () => {
    const d = device([{ source: 'isapi', field: 'vendor', value: 'Hikvision', address: ROUTER }], { kind: 'not-a-camera' });
    expect(plan(d, [isapiAt(ROUTER)]).reason).toMatch(/not a camera/);
  });
});
