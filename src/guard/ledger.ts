/**
 * The write-ahead attempt ledger (docs/SAFETY.md S5). Append-only JSONL: an `intent` record is appended and fsynced
 * BEFORE the credentialed bytes leave, the `outcome` after. A device whose last attempt is not `succeeded` —
 * rejected, locked, error, or an intent with no outcome because the process died — is not knocked again until
 * `oneknock ledger forget <id>`. No password and no hash of one is ever written here (S7).
 *
 * An exclusive lock file next to the ledger keeps two concurrent runs from both knocking.
 */
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, unlinkSync, writeSync, existsSync } from 'node:fs';
import { dirname, posix, win32 } from 'node:path';
import { randomUUID } from 'node:crypto';
import { OneknockError } from '../model/errors.js';
import type { AttemptOutcome, LoginMethod } from '../model/device.js';
import { currentPlatform, isWindows, stateDirectory, type Platform } from './platform.js';

export type { AttemptOutcome };

export interface IntentRecord {
  type: 'intent';
  attempt: string;
  /** Every identity of the device known at the time (mac:, serial:, uuid:, ip:), the first being its id. */
  keys: string[];
  address: string;
  method: LoginMethod;
  url: string;
  username: string;
  at: string;
  pid: number;
}

export interface OutcomeRecord {
  type: 'outcome';
  attempt: string;
  status: AttemptOutcome;
  reason: string | null;
  remainingAttempts: number | null;
  at: string;
  /** For a `locked` outcome: when the device said the lock lifts (its unlockTime), if it said (extension). */
  unlockAt?: string | null;
}

export interface ForgetRecord {
  type: 'forget';
  keys: string[];
  at: string;
}

/** A lock setting's value, as written to the ledger (never a secret). */
export interface LockSettingValue {
  enabled: boolean | null;
  maxAttempts: number | null;
  lockSeconds: number | null;
}

/**
 * `oneknock lockout set` changed (or tried to change) a device's lock setting after its one successful login: what
 * it was, what was asked, what the read-back said. It is not an attempt: it never blocks or unblocks a device.
 */
export interface LockChangeRecord {
  type: 'lock-change';
  keys: string[];
  address: string;
  /** The login attempt whose session carried the write. */
  attempt: string | null;
  at: string;
  before: LockSettingValue | null;
  requested: LockSettingValue;
  after: LockSettingValue | null;
  /** verified: the read-back agrees; mismatch: it does not; unchanged: already so, nothing written; failed: not written. */
  status: 'verified' | 'mismatch' | 'unchanged' | 'failed' | 'unsupported';
  reason: string | null;
}

export type LedgerRecord = IntentRecord | OutcomeRecord | ForgetRecord | LockChangeRecord;

/** One attempt as the ledger tells it: the intent's fields, its outcome (if any), and whether it was forgotten. */
export interface AttemptView extends Omit<IntentRecord, 'type' | 'pid'> {
  /** null: an intent with no outcome (the process died, or is still waiting) — counts as spent. */
  status: AttemptOutcome | null;
  reason: string | null;
  remainingAttempts: number | null;
  outcomeAt: string | null;
  forgotten: boolean;
  /** For a `locked` outcome, when the device said the lock lifts (extension). */
  unlockAt?: string | null;
}

export interface LedgerRead {
  attempts: AttemptView[];
  /** Lines that could not be parsed (a torn last line after a power loss, or damage). */
  damagedLines: number[];
  /** Lock setting changes made by `oneknock lockout set`, in order (extension). */
  changes?: LockChangeRecord[];
}

/** $ONEKNOCK_LEDGER, else ledger.jsonl in the platform's state directory (platform.ts: %LOCALAPPDATA%\oneknock, …). */
export function defaultLedgerPath(env: NodeJS.ProcessEnv = process.env, platform: Platform = { ...currentPlatform(), env }): string {
  if (env['ONEKNOCK_LEDGER']) return env['ONEKNOCK_LEDGER'];
  const directory = stateDirectory(platform);
  return (isWindows(platform) ? win32 : posix).join(directory, 'ledger.jsonl');
}

/** Parse ledger text. A torn or damaged line that names device keys is counted as an attempt with no outcome. */
export function parseLedger(text: string): LedgerRead {
  const attempts = new Map<string, AttemptView>();
  const order: AttemptView[] = [];
  const damagedLines: number[] = [];
  const changes: LockChangeRecord[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let record: LedgerRecord;
    try {
      record = JSON.parse(line) as LedgerRecord;
    } catch {
      damagedLines.push(index + 1);
      // A torn intent still proves credentials may have left: keep whatever keys survive (S5: fail safe).
      // A key cut short by the tear ("mac:58:50:ed:1f:e") still blocks the devices it is a prefix of.
      const keys = [...line.matchAll(/"((?:mac|serial|uuid|ip):[^"\\]{1,200})"/g)].map((m) => m[1]!);
      const cut = /"((?:mac|serial|uuid|ip):[^"\\]{6,200})$/.exec(line);
      if (cut) keys.push(`${cut[1]!}*`);
      if (keys.length > 0) {
        const view: AttemptView = { attempt: `damaged-line-${index + 1}`, keys, address: '', method: 'http-digest', url: '', username: '', at: '', status: null, reason: 'ledger line damaged (torn write); counted as an attempt', remainingAttempts: null, outcomeAt: null, forgotten: false };
        order.push(view);
      }
      return;
    }
    // Valid JSON is not yet a record: `null`, a number or an array on a line (damage, or an edit) must not throw.
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      damagedLines.push(index + 1);
      return;
    }
    if (record.type === 'intent' && Array.isArray(record.keys)) {
      const view: AttemptView = { attempt: record.attempt, keys: stringKeys(record.keys), address: record.address, method: record.method, url: record.url, username: record.username, at: record.at, status: null, reason: null, remainingAttempts: null, outcomeAt: null, forgotten: false };
      attempts.set(record.attempt, view);
      order.push(view);
    } else if (record.type === 'outcome') {
      const view = attempts.get(record.attempt);
      if (view) {
        view.status = record.status;
        view.reason = record.reason;
        view.remainingAttempts = record.remainingAttempts;
        view.outcomeAt = record.at;
        if (typeof record.unlockAt === 'string') view.unlockAt = record.unlockAt;
      }
    } else if (record.type === 'lock-change' && Array.isArray(record.keys)) {
      changes.push({ ...record, keys: stringKeys(record.keys) });
    } else if (record.type === 'forget' && Array.isArray(record.keys)) {
      const forgotten = stringKeys(record.keys);
      for (const view of order) if (view.keys.some((k) => keyMatches(k, forgotten))) view.forgotten = true;
    } else {
      damagedLines.push(index + 1);
    }
  });
  return { attempts: order, damagedLines, changes };
}

/** Keys are strings on every line we write; anything else in a damaged line is dropped, never matched. */
function stringKeys(keys: unknown[]): string[] {
  return keys.filter((key): key is string => typeof key === 'string');
}

/** A recorded key matches exactly, or as a prefix when it was cut by a torn write (marked with a trailing *). */
/**
 * Whether a key recorded in the ledger names a device with any of `keys`. A recorded key ending in `*` is the
 * prefix left by a torn (partly written) line: it matches every key it could have been, so a damaged record still
 * blocks the device (safety contract S5). The one matcher every reader of the ledger uses.
 */
export function keyMatches(recorded: string, keys: string[]): boolean {
  if (recorded.endsWith('*')) return keys.some((k) => k.startsWith(recorded.slice(0, -1)));
  return keys.includes(recorded);
}

/** Every recorded attempt on a device with any of these keys, oldest first (forgotten ones included). */
export function attemptsFor(read: LedgerRead, keys: string[]): AttemptView[] {
  return read.attempts.filter((a) => a.keys.some((k) => keyMatches(k, keys)));
}

/** The attempt that blocks a device with any of these keys: its latest unforgotten attempt, if not succeeded. */
export function blockingAttempt(read: LedgerRead, keys: string[]): AttemptView | null {
  const mine = attemptsFor(read, keys).filter((a) => !a.forgotten);
  const last = mine.at(-1);
  return last && last.status !== 'succeeded' ? last : null;
}

export class Ledger {
  readonly path: string;
  private lockHeld = false;

  constructor(path: string) {
    this.path = path;
  }

  get lockPath(): string {
    return `${this.path}.lock`;
  }

  read(): LedgerRead {
    if (!existsSync(this.path)) return { attempts: [], damagedLines: [] };
    return parseLedger(readFileSync(this.path, 'utf8'));
  }

  /**
   * Take the exclusive lock for the login phase. A lock left by a dead process is taken over; a live holder
   * makes this throw (the caller skips its logins rather than knock alongside another run).
   */
  acquire(): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    for (let tries = 0; tries < 2; tries++) {
      try {
        const fd = openSync(this.lockPath, 'wx', 0o600);
        writeSync(fd, `${process.pid}\n`);
        fsyncSync(fd);
        closeSync(fd);
        this.lockHeld = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new OneknockError('E_LEDGER', `cannot create ledger lock ${this.lockPath}: ${(error as Error).message}`);
        const holder = Number(readFileSafe(this.lockPath).trim());
        if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
          throw new OneknockError('E_LEDGER_BUSY', `another oneknock run (pid ${holder}) holds the ledger ${this.path}; wait for it to finish`);
        }
        try {
          unlinkSync(this.lockPath);
        } catch {
          // raced with another taker; the next openSync decides
        }
      }
    }
    throw new OneknockError('E_LEDGER_BUSY', `could not take the ledger lock ${this.lockPath}`);
  }

  release(): void {
    if (!this.lockHeld) return;
    this.lockHeld = false;
    try {
      unlinkSync(this.lockPath);
    } catch {
      // already gone
    }
  }

  /** Append and fsync; returns only when the record is on disk. */
  append(record: LedgerRecord): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const created = !existsSync(this.path);
    const fd = openSync(this.path, 'a+', 0o600);
    try {
      // After a torn write the file does not end in a newline: start a fresh line so this record stays whole.
      const size = fstatSync(fd).size;
      const last = Buffer.alloc(1);
      const torn = size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
      writeSync(fd, `${torn ? '\n' : ''}${JSON.stringify(record)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (created) fsyncDirectory(dirname(this.path));
  }

  recordIntent(intent: Omit<IntentRecord, 'type' | 'attempt' | 'pid'>): string {
    const attempt = randomUUID();
    // Keys first: a write torn by power loss loses the tail of the line, and the keys are what must survive.
    const { keys, ...rest } = intent;
    this.append({ type: 'intent', keys, attempt, pid: process.pid, ...rest });
    return attempt;
  }

  recordOutcome(attempt: string, status: AttemptOutcome, reason: string | null, remainingAttempts: number | null, at: string, unlockAt: string | null = null): void {
    this.append({ type: 'outcome', attempt, status, reason, remainingAttempts, at, ...(unlockAt ? { unlockAt } : {}) });
  }

  /** `oneknock lockout set`: record a lock setting change (before/after, never a secret). */
  recordLockChange(change: Omit<LockChangeRecord, 'type'>): void {
    const { keys, ...rest } = change;
    this.append({ type: 'lock-change', keys, ...rest });
  }

  /** `oneknock ledger forget <id>`: allow one more attempt on the device. Returns how many attempts it clears. */
  forget(id: string, at: string): number {
    const read = this.read();
    const matching = read.attempts.filter((a) => !a.forgotten && keyMatches(a.keys.find((k) => keyMatches(k, [id])) ?? '', [id]));
    const keys = [...new Set([id, ...matching.flatMap((a) => a.keys.filter((k) => !k.endsWith('*')))])];
    if (matching.length === 0) return 0;
    this.append({ type: 'forget', keys: keys.length > 0 ? keys : [id], at });
    return matching.length;
  }
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fsyncDirectory(path: string): void {
  try {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every filesystem lets a directory be fsynced; the file itself is.
  }
}
