import { describe, expect, it } from 'vitest';
import { parseLedger } from '../../../src/guard/ledger.js';
import { decideUnlockWait, withoutAttempt } from '../../../src/guard/unlock-rule.js';
import { unknownLockout } from '../../../src/guard/lockout/lookup.js';
import type { Device } from '../../../src/model/device.js';

const NOW = Date.parse('2026-12-03T12:00:00.000Z');
const KEYS = ['mac:bc:ba:c2:77:88:09'];

function device(lockout: Partial<Device['lockout']> = {}): Device {
  return {
    id: KEYS[0]!, addresses: ['192.0.2.9'], mac: 'bc:ba:c2:77:88:09', serial: null, vendor: 'Hikvision', model: 'DS-2CD2347G2-LU', firmware: null, activated: true,
    discoveredBy: ['sadp'], evidence: [], onvif: null, lockout: { ...unknownLockout(), scope: 'source-ip', lockSeconds: 1800, ...lockout }, login: { status: 'not-requested', method: null, at: null, reason: null },
  };
}

function ledger(status: string, extra: Record<string, unknown> = {}): ReturnType<typeof parseLedger> {
  return parseLedger([
    JSON.stringify({ type: 'intent', keys: KEYS, attempt: 'a1', pid: 1, address: '192.0.2.9', method: 'http-digest', url: 'http://192.0.2.9/ISAPI/Security/userCheck', username: 'admin', at: '2026-12-03T11:50:00.000Z' }),
    JSON.stringify({ type: 'outcome', attempt: 'a1', status, reason: null, remainingAttempts: 0, at: '2026-12-03T11:50:00.500Z', ...extra }),
  ].join('\n'));
}

describe('--wait-unlock: who may wait (S5/S6 exception)', () => {
  it('a device that reports itself locked waits for its unlockTime, and says the lock is per source IP', () => {
    const decision = decideUnlockWait(device({ state: 'locked', unlockInSeconds: 90 }), KEYS, parseLedger(''), NOW, true);
    expect(decision).toMatchObject({ kind: 'wait', unlockAtMs: NOW + 90_000, attempt: null });
    expect(decision.kind === 'wait' && decision.reason).toMatch(/per source IP, so another machine need not wait/);
  });

  it('a previous locked outcome waits until its recorded unlockAt', () => {
    const decision = decideUnlockWait(device(), KEYS, ledger('locked', { unlockAt: '2026-12-03T12:05:00.000Z' }), NOW, true);
    expect(decision).toMatchObject({ kind: 'wait', unlockAtMs: Date.parse('2026-12-03T12:05:00.000Z') });
    expect(decision.kind === 'wait' && decision.attempt?.attempt).toBe('a1');
  });

  it('without a recorded unlockAt: the outcome time + the verified lock time, else the knowledge base', () => {
    const kb = decideUnlockWait(device(), KEYS, ledger('locked'), NOW, true);
    expect(kb).toMatchObject({ kind: 'wait', unlockAtMs: Date.parse('2026-12-03T11:50:00.500Z') + 1800_000 });
    const verified = decideUnlockWait(device({ verified: { enabled: true, maxAttempts: 5, lockSeconds: 60, canDisable: true, source: 'GET /ISAPI/Security/illegalLoginLock' } }), KEYS, ledger('locked'), NOW, true);
    expect(verified).toMatchObject({ kind: 'wait', unlockAtMs: Date.parse('2026-12-03T11:50:00.500Z') + 60_000 });
  });

  it('never lifts rejected, error or an intent without outcome (S5), nor an unforgotten ledger block of any other kind', () => {
    for (const status of ['rejected', 'error']) expect(decideUnlockWait(device(), KEYS, ledger(status), NOW, true)).toEqual({ kind: 'no', reason: null });
    const noOutcome = parseLedger(JSON.stringify({ type: 'intent', keys: KEYS, attempt: 'a2', pid: 1, address: '', method: 'http-digest', url: '', username: 'admin', at: '2026-12-03T11:00:00.000Z' }));
    expect(decideUnlockWait(device({ state: 'locked', unlockInSeconds: 5 }), KEYS, noOutcome, NOW, true)).toEqual({ kind: 'no', reason: null });
  });

  it('needs an anonymous lock check; an unlocked device with no locked attempt does not wait', () => {
    expect(decideUnlockWait(device({ state: 'locked', unlockInSeconds: 5 }), KEYS, parseLedger(''), NOW, false)).toMatchObject({ kind: 'no', reason: expect.stringMatching(/anonymous lock check/) });
    expect(decideUnlockWait(device({ state: 'unlocked' }), KEYS, parseLedger(''), NOW, true)).toEqual({ kind: 'no', reason: null });
  });

  it('withoutAttempt drops only the lifted attempt', () => {
    const read = ledger('locked');
    expect(withoutAttempt(read, read.attempts[0]!).attempts).toHaveLength(0);
    expect(withoutAttempt(read, null)).toBe(read);
  });
});

describe('ledger lock-change records', () => {
  it('are parsed as changes, not as damage or attempts, and a locked outcome keeps its unlockAt', () => {
    const change = { type: 'lock-change', keys: KEYS, address: '192.0.2.9', attempt: 'a1', at: '2026-12-03T11:51:00.000Z', before: { enabled: true, maxAttempts: 5, lockSeconds: 1800 }, requested: { enabled: false, maxAttempts: null, lockSeconds: null }, after: { enabled: false, maxAttempts: 5, lockSeconds: 1800 }, status: 'verified', reason: null };
    const read = parseLedger(`${JSON.stringify(change)}\n`);
    expect(read.damagedLines).toEqual([]);
    expect(read.attempts).toEqual([]);
    expect(read.changes).toEqual([change]);
    expect(ledger('locked', { unlockAt: '2026-12-03T12:05:00.000Z' }).attempts[0]!.unlockAt).toBe('2026-12-03T12:05:00.000Z');
  });
});
