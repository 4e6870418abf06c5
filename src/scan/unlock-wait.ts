/**
 * `--wait-unlock` at run time: count down to a device's unlock time (unlock-wait events), then ask the device
 * anonymously — Hikvision's userCheck without credentials (S1), whose 401 body carries lockStatus/unlockTime —
 * and let the one knock go only when it says unlocked. The rule of who may wait is in guard/unlock-rule.ts.
 */
import type { ScanContext } from './run-scan.js';
import { planLogin, type LoginPlanItem, type PlanInput } from '../guard/planner.js';
import type { AttemptView, LedgerRead } from '../guard/ledger.js';
import type { CredentialBook } from '../guard/credentials.js';
import { decideUnlockWait, withoutAttempt } from '../guard/unlock-rule.js';
import { probeHikvision } from '../fingerprint/vendor-probes.js';

/** Re-checks after the expected unlock time, when the device still says locked (its clock, or a fresh lock). */
const MAX_CHECKS = 3;
/** Slack after the expected unlock before the check: devices count in whole seconds. */
const SLACK_MS = 1000;

export type WaitResult = { proceed: true } | { proceed: false; reason: string };

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Whether the device says, anonymously, that it is locked (true), unlocked (false), or cannot tell (null). */
export async function checkLockedAnonymously(context: ScanContext, item: LoginPlanItem): Promise<{ locked: boolean | null; unlockInSeconds: number | null }> {
  if (item.service?.kind !== 'hikvision-isapi') return { locked: null, unlockInSeconds: null };
  const result = await probeHikvision({ http: context.http, timeoutMs: context.timeoutMs, now: context.now }, new URL(item.service.url).origin);
  // A 401 without lockStatus is the unlocked answer of firmware that only reports the lock when there is one.
  const answered = result.services.some((s) => s.kind === 'hikvision-isapi');
  if (!answered) return { locked: null, unlockInSeconds: null };
  if (result.lock?.state === 'locked') return { locked: true, unlockInSeconds: result.lock.unlockInSeconds };
  return { locked: false, unlockInSeconds: null };
}

/** Wait for the lock to lift, emitting the countdown; resolves proceed only after the anonymous check says unlocked. */
export async function waitForUnlock(context: ScanContext, item: LoginPlanItem, unlockAtMs: number, reason: string): Promise<WaitResult> {
  const emit = (state: 'waiting' | 'checking', at: number): void => {
    const secondsLeft = Math.max(0, Math.ceil((at - context.now()) / 1000));
    context.emit({ type: 'unlock-wait', at: new Date(context.now()).toISOString(), id: item.id, unlockAt: new Date(at).toISOString(), secondsLeft, state, reason });
  };
  let target = unlockAtMs;
  for (let check = 1; check <= MAX_CHECKS; check++) {
    while (context.now() < target + SLACK_MS) {
      if (context.signal.aborted) return { proceed: false, reason: 'the run was stopped while waiting for the lock to lift; no credential sent' };
      emit('waiting', target);
      const left = target + SLACK_MS - context.now();
      // A tick a second near the end, every 5 s before: a countdown without flooding NDJSON over 30 minutes.
      await sleep(Math.min(left, left > 10_000 ? 5000 : 1000), context.signal);
    }
    emit('checking', target);
    let state: Awaited<ReturnType<typeof checkLockedAnonymously>>;
    try {
      state = await checkLockedAnonymously(context, item);
    } catch (error) {
      return { proceed: false, reason: `the anonymous lock check failed (${(error as Error).message}); no credential sent` };
    }
    if (state.locked === false) return { proceed: true };
    if (state.locked === null) return { proceed: false, reason: 'the anonymous lock check gave no answer after the wait; no credential sent' };
    target = context.now() + (state.unlockInSeconds ?? 60) * 1000;
  }
  return { proceed: false, reason: `still locked after ${MAX_CHECKS} checks; no credential sent (someone may keep locking it)` };
}

export interface ScheduledWait {
  unlockAtMs: number;
  reason: string;
  /** The ledger attempt the wait lifts (a `locked` outcome), or null for an anonymous lock report. */
  attempt: AttemptView | null;
}

/**
 * Turn the skipped-because-locked items that guard/unlock-rule.ts allows into attempts that wait: each is planned
 * again as if unlocked and without the one `locked` attempt it lifts (every other planner rule still applies).
 */
export function scheduleUnlockWaits(items: LoginPlanItem[], inputs: Array<{ input: PlanInput; keys: string[] }>, ledger: LedgerRead, book: CredentialBook, nowMs: number): Map<number, ScheduledWait> {
  const waits = new Map<number, ScheduledWait>();
  for (const item of items) {
    if (item.action !== 'skip') continue;
    const entry = inputs.find((i) => i.input.key === item.key);
    if (!entry) continue;
    const device = entry.input.device;
    const hasCheck = entry.input.services.some((s) => s.kind === 'hikvision-isapi');
    const decision = decideUnlockWait(device, entry.keys, ledger, nowMs, hasCheck);
    if (decision.kind === 'no') {
      if (decision.reason) item.reason = decision.reason;
      continue;
    }
    const unlocked = { ...entry.input, device: { ...device, lockout: { ...device.lockout, state: 'unknown' as const, unlockInSeconds: null } } };
    const replanned = planLogin(unlocked, book, withoutAttempt(ledger, decision.attempt), entry.keys);
    if (replanned.action !== 'attempt') continue;
    Object.assign(item, replanned, { reason: decision.reason });
    waits.set(item.key, { unlockAtMs: decision.unlockAtMs, reason: decision.reason, attempt: decision.attempt });
  }
  return waits;
}
