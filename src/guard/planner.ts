/**
 * The login planner: from the anonymous evidence, choose per device exactly one credentialed request — its
 * scheme, URL and address — or skip it with a reason a person can act on (docs/SAFETY.md S2, S3, S4, S6). Pure.
 */
import type { Device, LoginMethod } from '../model/device.js';
import type { ServiceAccess } from '../fingerprint/types.js';
import { blockingAttempt, type LedgerRead } from './ledger.js';
import { credentialsFor, type CredentialBook, type CredentialSet } from './credentials.js';
import { agreementAt, describeAgreement, type Agreement } from './agreement.js';

export interface PlanInput {
  key: number;
  device: Device;
  services: ServiceAccess[];
  clockOffsetMs: number | null;
  certificateSha256: string | null;
}

export interface LoginPlanItem {
  key: number;
  id: string;
  action: 'attempt' | 'skip';
  reason: string | null;
  method: LoginMethod | null;
  service: ServiceAccess | null;
  address: string | null;
  credentials: CredentialSet | null;
  clockOffsetMs: number | null;
  certificateSha256: string | null;
  /** Every identity of the device, for the ledger (S5: recognised after an address change). */
  keys: string[];
  /** The agreement of the knocked address's own TCP answers with the device (null when nothing was checked). */
  identity?: Agreement | null;
}

/** Identity keys of a device, the id first. */
export function identityKeys(device: Device, endpoints: Iterable<string> = []): string[] {
  const keys = [device.id];
  if (device.mac) keys.push(`mac:${device.mac}`);
  if (device.serial) keys.push(`serial:${device.serial}`);
  for (const endpoint of endpoints) keys.push(`uuid:${endpoint}`);
  return [...new Set(keys)];
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
}

/**
 * docs/FIELD-NOTES.md §5: prefer the vendor's own HTTP API when the device is identified as that vendor — except
 * Axis, whose ONVIF service stays first when it has one: VAPIX (param.cgi Digest) is the login of an Axis that
 * offers no ONVIF (found only over mDNS, or ONVIF turned off), or whose ONVIF login cannot be planned.
 */
const SERVICE_PREFERENCE: Record<ServiceAccess['kind'], number> = { 'hikvision-isapi': 0, 'dahua-cgi': 1, onvif: 2, 'axis-vapix': 3 };

export function planLogin(input: PlanInput, book: CredentialBook, ledger: LedgerRead, keys: string[]): LoginPlanItem {
  const { device } = input;
  const base: LoginPlanItem = {
    key: input.key,
    id: device.id,
    action: 'skip',
    reason: null,
    method: null,
    service: null,
    address: null,
    credentials: null,
    clockOffsetMs: input.clockOffsetMs,
    certificateSha256: input.certificateSha256,
    keys,
    identity: null,
  };
  const skip = (reason: string): LoginPlanItem => ({ ...base, reason });

  const credentials = credentialsFor(book, device);
  if (!credentials) return skip('no credential set matches this device (add its IP, MAC or serial to the credentials file)');
  base.credentials = credentials;

  const earlier = blockingAttempt(ledger, keys);
  if (earlier) {
    const what = earlier.status === null ? 'was sent but its outcome was never recorded (the run that sent it died, or is still running)' : `was ${earlier.status}`;
    return skip(`an earlier attempt${earlier.at ? ` at ${earlier.at}` : ''} ${what}; run "oneknock ledger forget ${device.id}" to allow one more`);
  }
  if (device.activated === false) return skip('not activated: activate it with the vendor tool (e.g. SADP) and set its password first');
  if (device.lockout.state === 'locked') {
    return skip(`the device reports it is locked${device.lockout.unlockInSeconds ? ` for another ${device.lockout.unlockInSeconds} s` : ''}; try again after it unlocks`);
  }

  if (device.kind === 'not-a-camera') return skip('not a camera: its own answers describe another kind of device (see `kind` and the evidence)');

  // S3: only services on an address the device itself answered from.
  const responders = input.services.filter((s) => {
    const host = hostOf(s.url);
    return host !== null && device.addresses.includes(host);
  });
  // The agreement rule: only addresses whose own TCP answers identify this device (UDP alone can be forged).
  const agreements = new Map<string, Agreement>();
  for (const service of responders) {
    const host = hostOf(service.url)!;
    if (!agreements.has(host)) agreements.set(host, agreementAt(device, host));
  }
  const usable = responders
    .filter((s) => agreements.get(hostOf(s.url)!)?.confirmed === true)
    // Within a kind, HTTPS first: the same login over TLS is pinned to the certificate seen anonymously.
    .sort((a, b) => SERVICE_PREFERENCE[a.kind] - SERVICE_PREFERENCE[b.kind] || Number(b.url.startsWith('https:')) - Number(a.url.startsWith('https:')));
  if (responders.length > 0 && usable.length === 0) {
    const first = [...agreements.values()][0]!;
    return { ...skip([...agreements.values()].map((a) => a.reason).join('; ')), identity: first };
  }
  if (usable.length === 0) return skip('no usable address: no login service was found on an address the device answered from');

  const reasons: string[] = [];
  for (const service of usable) {
    const https = service.url.startsWith('https:');
    base.identity = agreements.get(hostOf(service.url)!) ?? null;
    if (service.scheme === 'http-digest') {
      return { ...base, action: 'attempt', method: 'http-digest', service, address: hostOf(service.url), certificateSha256: https ? input.certificateSha256 : null };
    }
    if (service.scheme === 'ws-username-token') {
      // A token dated from our clock when the device's is off is refused like a wrong password (docs/FIELD-NOTES.md §1).
      if (input.clockOffsetMs === null) {
        reasons.push(`${service.kind} wants WS-UsernameToken but the device clock could not be read anonymously`);
        continue;
      }
      return { ...base, action: 'attempt', method: 'ws-username-token', service, address: hostOf(service.url), certificateSha256: https ? input.certificateSha256 : null };
    }
    if (service.scheme === 'basic-only') {
      if (!https) reasons.push(`${service.kind} offers only Basic over plain HTTP, which would send the password in clear`);
      else reasons.push(`${service.kind} offers only Basic`);
      continue;
    }
    if (service.scheme === 'none') {
      reasons.push(`${service.kind} answered without asking for credentials`);
      continue;
    }
    reasons.push(`${service.kind} gave no anonymous challenge, so the scheme would be a guess`);
  }
  return skip(reasons.join('; '));
}

export { describeAgreement };

export function planLogins(inputs: Array<{ input: PlanInput; keys: string[] }>, book: CredentialBook, ledger: LedgerRead): LoginPlanItem[] {
  return inputs.map(({ input, keys }) => planLogin(input, book, ledger, keys));
}
