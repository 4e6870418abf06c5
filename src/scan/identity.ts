/**
 * The identity and lockout view of a record, recomputed from all its evidence: the fingerprint's matchers give
 * vendor/model/firmware, the guard's knowledge base gives the lockout policy. Lives in scan/ because it joins both.
 */
import type { DeviceRecord } from '../model/record.js';
import { resolveIdentity } from '../fingerprint/matchers/index.js';
import { deviceAccess, type FingerprintState } from '../fingerprint/fingerprint.js';
import { lookupLockout, toLockoutInfo, type LockoutPolicyMatch } from '../guard/lockout/lookup.js';
import { classifyKind } from '../fingerprint/kind.js';

/**
 * Policies by vendor, model and firmware: lookupLockout is pure, and 10,000 cameras are a few dozen kinds; each
 * device then shares its policy's text instead of holding its own copy. Bounded (a network inventing models).
 */
const POLICY_CACHE_MAX = 4096;
const policies = new Map<string, LockoutPolicyMatch>();

function cachedLockout(query: { vendor: string | null; model: string | null; firmware: string | null }): LockoutPolicyMatch {
  const key = `${query.vendor ?? ''}\u0000${query.model ?? ''}\u0000${query.firmware ?? ''}`;
  const known = policies.get(key);
  if (known) return known;
  const match = lookupLockout(query);
  if (policies.size >= POLICY_CACHE_MAX) policies.clear();
  policies.set(key, match);
  return match;
}

/** Recompute vendor/model/firmware/serial/MAC/activation and the lockout view from the evidence. */
export function refreshIdentity(record: DeviceRecord, state: FingerprintState | undefined): void {
  const device = record.device;
  const identity = resolveIdentity(device.evidence);
  device.vendor = identity.vendor;
  device.model = identity.model;
  device.firmware = identity.firmware;
  device.serial = device.serial ?? identity.serial;
  device.mac = device.mac ?? identity.mac;
  device.activated = state?.activated ?? identity.activated ?? null;
  if (device.onvif && state && state.clockOffsetMs !== null) device.onvif.clockOffsetMs = state.clockOffsetMs;
  if (state) device.access = deviceAccess(state);
  device.kind = classifyKind(device);
  // A media server or a router has no camera lockout policy, whatever vendor name it gives.
  const match = cachedLockout(device.kind === 'not-a-camera' ? { vendor: null, model: null, firmware: null } : { vendor: device.vendor, model: device.model, firmware: device.firmware });
  const live = state?.lock ?? undefined;
  const previous = device.lockout;
  device.lockout = toLockoutInfo(match, {
    state: live?.state ?? (previous.state !== 'unknown' ? previous.state : undefined),
    remainingAttempts: live?.remainingAttempts ?? previous.remainingAttempts ?? undefined,
    unlockInSeconds: live?.unlockInSeconds ?? previous.unlockInSeconds ?? undefined,
  });
  // The setting read from the device after the login is not evidence the matchers see: carry it over.
  if (previous.verified !== undefined) {
    device.lockout.verified = previous.verified;
    device.lockout.verifiedReason = previous.verifiedReason ?? null;
  }
}
