/**
 * `--wait-unlock`: which locked devices may be scheduled for their one knock instead of skipped, and when. Pure.
 *
 * The rule (CONTRACT S5 and S6 still hold; this is the one narrow exception, and only when the user asks):
 * - A device that reports itself locked anonymously (Hikvision's unauthenticated userCheck: `lockStatus=lock`,
 *   `unlockTime` seconds) waits until now + unlockTime.
 * - A device whose LATEST unforgotten ledger attempt ended `locked` waits until that outcome's recorded unlockAt,
 *   else its time + the lock duration (the verified setting, else the knowledge base, else 30 min). A `locked`
 *   answer means the device refused before judging the password: no guess was spent, so one more knock after
 *   the lock is not a second guess. `rejected`, `error` and an intent with no outcome are NEVER lifted (the
 *   password may be wrong, or the knock may have landed): those still need `oneknock ledger forget`.
 * - The knock happens only when the lock has expired AND the anonymous check says unlocked; so the device must
 *   have an anonymous lock check (today: Hikvision ISAPI). Without one the device stays skipped.
 * - The knock is recorded like any other (intent before, outcome after): if it ends locked again, the next
 *   explicit --wait-unlock run may wait again; within one run a device is knocked at most once.
 */
import type { Device } from '../model/device.js';
import { blockingAttempt, type AttemptView, type LedgerRead } from './ledger.js';

/** FIELD-NOTES §2: unknown lock duration → assume the worst common one, 30 min. */
export const WORST_LOCK_SECONDS = 1800;

export type UnlockDecision =
  | { kind: 'wait'; unlockAtMs: number; attempt: AttemptView | null; reason: string }
  | { kind: 'no'; reason: string | null };

function lockSecondsOf(device: Device): number {
  return device.lockout.verified?.lockSeconds ?? device.lockout.lockSeconds ?? WORST_LOCK_SECONDS;
}

/** Where the knowledge base says the lock is per source IP, say so: another machine need not wait (Milestone KB 000002183). */
export function perSourceNote(device: Device): string {
  return device.lockout.scope === 'source-ip' ? '; the lock is per source IP, so another machine need not wait' : '';
}

export function decideUnlockWait(device: Device, keys: string[], ledger: LedgerRead, nowMs: number, hasAnonymousCheck: boolean): UnlockDecision {
  const blocking = blockingAttempt(ledger, keys);
  let unlockAtMs: number | null = null;
  let why = '';
  if (blocking) {
    if (blocking.status !== 'locked') return { kind: 'no', reason: null };
    const recorded = blocking.unlockAt ? Date.parse(blocking.unlockAt) : NaN;
    const base = Date.parse(blocking.outcomeAt ?? blocking.at);
    unlockAtMs = Number.isFinite(recorded) ? recorded : Number.isFinite(base) ? base + lockSecondsOf(device) * 1000 : nowMs + lockSecondsOf(device) * 1000;
    why = `the attempt at ${blocking.at} found it locked`;
  }
  if (device.lockout.state === 'locked') {
    const anonymous = nowMs + (device.lockout.unlockInSeconds ?? lockSecondsOf(device)) * 1000;
    unlockAtMs = Math.max(unlockAtMs ?? 0, anonymous);
    why = why ? `${why}, and it still reports itself locked` : 'it reports itself locked';
  }
  if (unlockAtMs === null) return { kind: 'no', reason: null };
  if (!hasAnonymousCheck) return { kind: 'no', reason: `${why}; --wait-unlock needs an anonymous lock check, which this device does not offer` };
  const at = new Date(unlockAtMs).toISOString();
  return { kind: 'wait', unlockAtMs, attempt: blocking, reason: `${why}: one knock after ${at} once the anonymous check says unlocked${perSourceNote(device)}` };
}

/** The ledger without this one attempt, so the planner can plan the knock it blocked. */
export function withoutAttempt(ledger: LedgerRead, attempt: AttemptView | null): LedgerRead {
  if (!attempt) return ledger;
  return { ...ledger, attempts: ledger.attempts.filter((a) => a !== attempt) };
}
