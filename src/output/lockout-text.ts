/**
 * The lockout figure to show: the setting the device itself reported after the login (lockout.verified) when there
 * is one, else the knowledge base's guess — each marked, so a reader knows which one they are looking at.
 */
import type { LockoutInfo, VerifiedLockSettings } from '../model/device.js';
import { formatLockDuration, shortPolicy } from '../guard/lockout/lookup.js';

/** "lock off", "5 tries/30 min per IP", "no lock option" — from the device's own setting. */
export function verifiedPolicy(verified: VerifiedLockSettings, scope: LockoutInfo['scope']): string {
  if (verified.enabled === false) return 'lock off';
  if (verified.enabled === null) return verified.canDisable === false ? 'no lock option' : 'lock ?';
  const tries = verified.maxAttempts === null ? '? tries' : `${verified.maxAttempts} ${verified.maxAttempts === 1 ? 'try' : 'tries'}`;
  const duration = verified.lockSeconds === null ? '' : `/${formatLockDuration(verified.lockSeconds)}`;
  const per = scope === 'source-ip' ? ' per IP' : scope === 'account' ? ' per account' : '';
  return `${tries}${duration}${per}`;
}

export interface LockoutFigure {
  text: string;
  from: 'device' | 'knowledge-base';
}

export function lockoutFigure(lockout: LockoutInfo): LockoutFigure {
  if (lockout.verified) return { text: verifiedPolicy(lockout.verified, lockout.scope), from: 'device' };
  return { text: shortPolicy(lockout), from: 'knowledge-base' };
}

/** The table's cell: "5 tries/30 min per IP (device)" or "… (kb)". */
export function lockoutCell(lockout: LockoutInfo): string {
  const figure = lockoutFigure(lockout);
  return `${figure.text} (${figure.from === 'device' ? 'device' : 'kb'})`;
}
