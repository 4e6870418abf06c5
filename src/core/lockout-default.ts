import type { LockoutInfo } from './device.js';

/** FIELD-NOTES §2: unknown vendor or firmware — assume the worst: 3 attempts, per source IP, 30 min. */
export function unknownLockout(): LockoutInfo {
  return {
    policy: 'Unknown device: assuming the worst — 3 failed logins lock the source IP for 30 min',
    maxAttempts: 3,
    lockSeconds: 1800,
    scope: 'source-ip',
    canDisable: null,
    state: 'unknown',
    remainingAttempts: null,
    unlockInSeconds: null,
  };
}
