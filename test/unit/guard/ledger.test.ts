import { mkdtempSync, readFileSync, writeFileSync, appendFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ledger, attemptsFor, blockingAttempt, defaultLedgerPath, keyMatches, parseLedger } from '../../../src/guard/ledger.js';

const fresh = (): Ledger => new Ledger(join(mkdtempSync(join(tmpdir(), 'ledger-')), 'state', 'ledger.jsonl'));
const intent = { keys: ['mac:58:50:ed:1f:e3:85', 'serial:ABC'], address: '192.0.2.40', method: 'http-digest' as const, url: 'http://192.0.2.40/ISAPI/Security/userCheck', username: 'admin', at: '2026-11-24T10:00:00.000Z' };

describe('attempt ledger (S5)', () => {
  it('writes the intent before the outcome, one JSON line each, and creates the file 0600', () => {
    const ledger = fresh();
    const id = ledger.recordIntent(intent);
    const afterIntent = readFileSync(ledger.path, 'utf8').trim().split('\n');
    expect(afterIntent).toHaveLength(1);
    expect(JSON.parse(afterIntent[0]!)).toMatchObject({ type: 'intent', attempt: id, keys: intent.keys });
    ledger.recordOutcome(id, 'rejected', 'bad password', 4, '2026-11-24T10:00:01.000Z');
    const lines = readFileSync(ledger.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(lines.map((l) => l.type)).toEqual(['intent', 'outcome']);
    expect(statSync(ledger.path).mode & 0o777).toBe(0o600);
  });

  it('blocks a device whose last attempt failed or has no outcome, by any of its identity keys', () => {
    const ledger = fresh();
    const a = ledger.recordIntent(intent);
    ledger.recordOutcome(a, 'rejected', null, null, intent.at);
    expect(blockingAttempt(ledger.read(), ['ip:10.0.0.9', 'serial:ABC'])?.status).toBe('rejected');
    const other = fresh();
    other.recordIntent(intent); // process died before the outcome
    expect(blockingAttempt(other.read(), ['mac:58:50:ed:1f:e3:85'])?.status).toBeNull();
    expect(blockingAttempt(other.read(), ['mac:00:00:00:00:00:01'])).toBeNull();
  });

  it('does not block after success, and forget clears a failure', () => {
    const ledger = fresh();
    const ok = ledger.recordIntent(intent);
    ledger.recordOutcome(ok, 'succeeded', null, null, intent.at);
    expect(blockingAttempt(ledger.read(), intent.keys)).toBeNull();
    const bad = ledger.recordIntent(intent);
    ledger.recordOutcome(bad, 'locked', null, 0, intent.at);
    expect(blockingAttempt(ledger.read(), intent.keys)).not.toBeNull();
    expect(ledger.forget('serial:ABC', intent.at)).toBe(2);
    expect(blockingAttempt(ledger.read(), intent.keys)).toBeNull();
    expect(ledger.forget('mac:11:11:11:11:11:11', intent.at)).toBe(0);
  });

  it('counts a torn last line (power loss mid-write) as an attempt on the device it names', () => {
    const ledger = fresh();
    const ok = ledger.recordIntent(intent);
    ledger.recordOutcome(ok, 'succeeded', null, null, intent.at);
    const whole = JSON.stringify({ type: 'intent', keys: ['mac:58:50:ed:1f:e3:85', 'serial:ABC'], attempt: 'x', address: '192.0.2.40' });
    // Torn after the keys, and torn in the middle of the first key: both still block the device.
    for (const cut of [whole.indexOf('attempt') + 4, whole.indexOf('e3:85') + 2]) {
      const copy = new Ledger(join(mkdtempSync(join(tmpdir(), 'ledger-')), 'l.jsonl'));
      writeFileSync(copy.path, readFileSync(ledger.path, 'utf8') + whole.slice(0, cut));
      const read = copy.read();
      expect(read.damagedLines).toEqual([3]);
      expect(blockingAttempt(read, ['mac:58:50:ed:1f:e3:85']), `cut at ${cut}`).not.toBeNull();
      expect(blockingAttempt(read, ['mac:00:11:22:33:44:55'])).toBeNull();
      // The history the UI shows comes from the same matcher: the torn attempt is listed, not dropped.
      expect(attemptsFor(read, ['mac:58:50:ed:1f:e3:85'])).toHaveLength(2);
      // and forget clears it
      copy.forget('mac:58:50:ed:1f:e3:85', intent.at);
      expect(blockingAttempt(copy.read(), ['mac:58:50:ed:1f:e3:85'])).toBeNull();
    }
    expect(appendFileSync).toBeDefined();
  });

  it('tolerates garbage lines and unknown record types without throwing', () => {
    const read = parseLedger('{"type":"intent"}\nnot json\n{"type":"weird"}\n\n');
    expect(read.damagedLines).toEqual([1, 2, 3]);
  });

  it('holds an exclusive lock: a second holder is refused while the first lives, a dead holder is taken over', () => {
    const ledger = fresh();
    ledger.acquire();
    const second = new Ledger(ledger.path);
    writeFileSync(second.lockPath, `${process.ppid}\n`); // a live process that is not us
    expect(() => second.acquire()).toThrow(/holds the ledger/);
    writeFileSync(second.lockPath, '999999999\n'); // no such process
    expect(() => second.acquire()).not.toThrow();
    second.release();
  });

  it('resolves the default path from ONEKNOCK_LEDGER, then XDG_STATE_HOME', () => {
    expect(defaultLedgerPath({ ONEKNOCK_LEDGER: '/x/l.jsonl' })).toBe('/x/l.jsonl');
    expect(defaultLedgerPath({ XDG_STATE_HOME: '/state' })).toBe('/state/oneknock/ledger.jsonl');
  });
});

describe('parseLedger on a damaged file', () => {
  // Regression (issue 8 fuzzing): a line that is valid JSON but not a record (`null`) threw a TypeError, and an
  // intent whose keys were not all strings made a later `forget` line (and blockingAttempt) throw.
  it('counts JSON that is not a record as a damaged line instead of throwing', () => {
    const read = parseLedger('null\n5\n[]\n"x"\n');
    expect(read.damagedLines).toEqual([1, 2, 3, 4]);
    expect(read.attempts).toEqual([]);
  });

  it('keeps the string keys of an intent with damaged keys, and still blocks by them', () => {
    const read = parseLedger('{"type":"intent","keys":[1,null,"mac:58:50:ed:1f:e3:85"],"attempt":"a"}\n{"type":"forget","keys":[{},"serial:OTHER"]}\n');
    expect(read.attempts).toHaveLength(1);
    expect(read.attempts[0]!.keys).toEqual(['mac:58:50:ed:1f:e3:85']);
    expect(read.attempts[0]!.forgotten).toBe(false);
    expect(blockingAttempt(read, ['mac:58:50:ed:1f:e3:85'])).not.toBeNull();
  });
});

describe('a torn outcome line', () => {
  // The intent is whole (it was fsynced before the credentials left); only the outcome was cut: the attempt has no
  // recorded outcome, so it blocks the device — even if the cut outcome said "succeeded".
  it('leaves the attempt without an outcome, which blocks the device', () => {
    const intentLine = JSON.stringify({ type: 'intent', keys: ['mac:58:50:ed:1f:e3:85'], attempt: 'a1', address: '192.0.2.40', method: 'http-digest', url: 'http://192.0.2.40/', username: 'admin', at: '2026-11-24T10:00:00.000Z', pid: 1 });
    const outcomeLine = JSON.stringify({ type: 'outcome', attempt: 'a1', status: 'succeeded', reason: null, remainingAttempts: null, at: '2026-11-24T10:00:01.000Z' });
    const read = parseLedger(`${intentLine}\n${outcomeLine.slice(0, outcomeLine.indexOf('succeeded') + 4)}`);
    expect(read.damagedLines).toEqual([2]);
    expect(read.attempts).toHaveLength(1);
    expect(read.attempts[0]!.status).toBeNull();
    expect(blockingAttempt(read, ['mac:58:50:ed:1f:e3:85'])).not.toBeNull();
  });
});

describe('the one ledger key matcher', () => {
  it('matches a whole key exactly and a torn key (ending in *) by prefix', () => {
    expect(keyMatches('mac:58:50:ed:1f:e3:85', ['mac:58:50:ed:1f:e3:85'])).toBe(true);
    expect(keyMatches('mac:58:50:ed:1f:e3:85', ['mac:58:50:ed:1f:e3:86'])).toBe(false);
    expect(keyMatches('mac:58:50:ed:1f:e*', ['serial:x', 'mac:58:50:ed:1f:e3:85'])).toBe(true);
    expect(keyMatches('mac:58:50:ed:1f:e*', ['mac:58:50:ed:1f:f3:85'])).toBe(false);
    // A whole key is never a prefix match: "serial:AB" must not block "serial:ABC".
    expect(keyMatches('serial:AB', ['serial:ABC'])).toBe(false);
  });
});
