/**
 * The domain record of one physical device, as CONTRACT.md's JSON document shows it. Wire types elsewhere are
 * all-optional; this one is validated: every field is present, unknowns are explicit nulls.
 */

export type DiscoveryChannel = 'ws-discovery' | 'sadp' | 'dhip' | 'mdns' | 'ssdp' | 'probe';

export type EvidenceSource =
  | DiscoveryChannel
  | 'onvif'
  | 'http'
  | 'rtsp'
  | 'isapi'
  | 'axis'
  | 'login'
  | 'knowledge-base';

export interface Evidence {
  source: EvidenceSource;
  field: string;
  value: string;
  /** True when read with the one successful credential set (verified), rather than anonymously. */
  verified?: boolean;
  /**
   * The address that gave this answer (extension). The agreement rule (guard/agreement.ts) needs it: credentials go
   * to an address only when that address's own TCP answers identify the device.
   */
  address?: string;
}

export interface OnvifInfo {
  xaddrs: string[];
  scopes: string[];
  clockOffsetMs: number | null;
}

export type LockoutScope = 'source-ip' | 'account' | 'rate';
export type LockState = 'unlocked' | 'locked' | 'unknown';

export interface LockoutInfo {
  policy: string;
  maxAttempts: number | null;
  lockSeconds: number | null;
  scope: LockoutScope | null;
  canDisable: boolean | null;
  state: LockState;
  remainingAttempts: number | null;
  unlockInSeconds: number | null;
  /** Where the lock can be switched off, when known (extension to the contract). */
  disableHint?: string | null;
  /** Knowledge-base entry id the policy came from (extension). */
  ruleId?: string | null;
}

export type LoginStatus = 'not-requested' | 'succeeded' | 'rejected' | 'locked' | 'skipped' | 'error';
export type LoginMethod = 'http-digest' | 'ws-username-token';

export interface LoginInfo {
  status: LoginStatus;
  method: LoginMethod | null;
  at: string | null;
  reason: string | null;
}

/** What the one login will need, learned anonymously (JSON `access`, an extension to the contract's device). */
export interface DeviceAccess {
  /** Offered schemes in the order seen: `http-digest:<ALGORITHM>`, `ws-username-token`, `basic-only`, `none`. */
  schemes: string[];
  /** SHA-256 of the certificate seen over HTTPS (colon hex), which the login is pinned to; null without HTTPS. */
  httpsCertificateSha256: string | null;
}

/**
 * What the device is, from all its evidence (extension, JSON `kind`): a knock is never planned on `not-a-camera`.
 */
export type DeviceKind = 'camera' | 'recorder' | 'not-a-camera' | 'unknown';

export interface Device {
  id: string;
  addresses: string[];
  mac: string | null;
  serial: string | null;
  vendor: string | null;
  model: string | null;
  firmware: string | null;
  activated: boolean | null;
  discoveredBy: DiscoveryChannel[];
  evidence: Evidence[];
  onvif: OnvifInfo | null;
  lockout: LockoutInfo;
  login: LoginInfo;
  access?: DeviceAccess;
  kind?: DeviceKind;
}

/** Normalise a MAC in any common spelling (dash, colon, dotted, bare hex) to lowercase colon form, or null. */
export function normaliseMac(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const hex = raw.toLowerCase().replace(/[^0-9a-f]/g, '');
  if (hex.length !== 12) return null;
  if (hex === '000000000000' || hex === 'ffffffffffff') return null;
  return hex.match(/../g)!.join(':');
}

/**
 * CONTRACT: id = mac:<mac> | serial:<serial> | uuid:<endpoint uuid> | ip:<address>, in that order of preference.
 * The MAC is the most stable (survives firmware upgrades and re-addressing).
 */
export function deviceIdOf(parts: { mac: string | null; serial: string | null; uuid: string | null; address: string | null }): string {
  if (parts.mac) return `mac:${parts.mac}`;
  if (parts.serial) return `serial:${parts.serial}`;
  if (parts.uuid) return `uuid:${parts.uuid}`;
  return `ip:${parts.address ?? 'unknown'}`;
}
