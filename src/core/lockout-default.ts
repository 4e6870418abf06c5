import type { LockoutInfo } from './device.js';
import { lookupLockout, toLockoutInfo } from '../guard/lockout/lookup.js';

/** FIELD-NOTES §2: unknown vendor or firmware — the knowledge base's worst case (3 attempts, per source IP, 30 min). */
export function unknownLockout(): LockoutInfo {
  return toLockoutInfo(lookupLockout({ vendor: null, model: null, firmware: null }));
}
