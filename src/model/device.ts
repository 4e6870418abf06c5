/**
 * The domain record of one physical device, as docs/SAFETY.md's JSON document shows it. Wire types elsewhere are
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

/**
 * The lock setting as the device itself reported it, read with the one accepted credential set after the login
 * (S2's bounded reads) — as opposed to the knowledge base's guess in the rest of LockoutInfo.
 */
export interface VerifiedLockSettings {
  /** The lock is switched on (Hikvision `enabled`, Dahua `LockLoginEnable`); null when the device has no such option. */
  enabled: boolean | null;
  /** Failures before the lock (Hikvision `maxIllegalLoginTimes`, Dahua `LockLoginTimes`). */
  maxAttempts: number | null;
  /** Lock duration in seconds (Hikvision `maxIllegalLoginLockTime`, Dahua `LoginFailLockTime`). */
  lockSeconds: number | null;
  /** The device offers the switch at all (Hikvision `issupIllegalLoginLock`, or a readable setting). */
  canDisable: boolean | null;
  /** The request it was read from, e.g. `GET /ISAPI/Security/illegalLoginLock`. */
  source: string;
}

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
  /**
   * The setting read from the device after the one successful login (extension); null/absent when not read.
   * The knowledge-base figures above stay as they are: consumers prefer these when present.
   */
  verified?: VerifiedLockSettings | null;
  /** Why `verified` is null although a read was tried (e.g. "illegalLoginLock answered HTTP 403"). */
  verifiedReason?: string | null;
}

/** What a sent attempt came to: the ledger's outcome values (every one of them spends the attempt). */
export type AttemptOutcome = 'succeeded' | 'rejected' | 'locked' | 'error';
/** What an attempt function returns: an outcome, or `skipped` when nothing credentialed was sent. */
export type AttemptStatus = AttemptOutcome | 'skipped';
/** The device's login status in the document (the one status union; docs/SAFETY.md "login.status"). */
export type LoginStatus = 'not-requested' | AttemptStatus;

/** A sent attempt that did not succeed: the run exits 3 and the ledger blocks the device. */
export function isFailedLogin(status: LoginStatus): boolean {
  return status === 'rejected' || status === 'locked' || status === 'error';
}

/** Credentials were sent (whatever came of it). */
export function isAttempted(status: LoginStatus): boolean {
  return status === 'succeeded' || isFailedLogin(status);
}
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
 * An RTSP stream read after the one successful login (extension): ONVIF Media/Media2 GetStreamUri, or a vendor's
 * documented path. `uri` names the responder's address and never carries credentials. The first entry is the main
 * stream, the second (when there is one) the sub stream.
 */
export interface StreamInfo {
  /** ONVIF profile token, or `main`/`sub` for a vendor path. */
  profile: string;
  uri: string;
  source: 'onvif-media' | 'onvif-media2' | 'vendor-path';
}

export type MilestoneDriverRule = 'model' | 'vendor' | 'onvif' | 'built-in';

/** What the VMS hand-off chose for this device (extension; set when an export ran). */
export interface DeviceExport {
  /** The XProtect driver number written for it, and the rule that matched; null when none matched. */
  milestoneDriver: { number: number; name: string; rule: MilestoneDriverRule } | null;
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
  streams?: StreamInfo[];
  export?: DeviceExport;
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
 * docs/SAFETY.md: id = mac:<mac> | serial:<serial> | uuid:<endpoint uuid> | ip:<address>, in that order of preference.
 * The MAC is the most stable (survives firmware upgrades and re-addressing).
 */
export function deviceIdOf(parts: { mac: string | null; serial: string | null; uuid: string | null; address: string | null }): string {
  if (parts.mac) return `mac:${parts.mac}`;
  if (parts.serial) return `serial:${parts.serial}`;
  if (parts.uuid) return `uuid:${parts.uuid}`;
  return `ip:${parts.address ?? 'unknown'}`;
}
