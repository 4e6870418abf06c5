/**
 * `oneknock lockout set`: the Milestone KB 000002183 recipe (log in, uncheck "Illegal Login Lock") for a whole
 * fleet in one confirmed step. An anonymous scan, a plan (device, current setting, new setting), the confirmation,
 * then per device the usual one knock (ledger rules unchanged) and, on its VerifiedSession, one read of the
 * setting, one write and one read-back. The ledger records each change (before/requested/after, never a secret).
 */
import type { Device, VerifiedLockSettings } from '../model/device.js';
import type { LoginOutcome, PlannedLogin, ScanEvent } from '../model/events.js';
import type { CredentialBook } from '../guard/credentials.js';
import { Ledger, type LedgerRead, type LockChangeRecord, type LockSettingValue } from '../guard/ledger.js';
import type { LoginPlanItem } from '../guard/planner.js';
import { lockAdapterFor, lockMatches, readLockSettings, type DesiredLockSetting } from '../auth/lock-settings.js';
import type { VerifiedSession } from '../auth/session.js';
import type { AttemptResult } from '../auth/attempt.js';
import { shortPolicy } from '../guard/lockout/lookup.js';
import { runScan, type ScanOptions } from './run-scan.js';

/** Vendor APIs whose lock setting oneknock can read and write (auth/lock-settings.ts). */
const SETTABLE_SERVICES = new Set(['hikvision-isapi', 'dahua-cgi']);

export interface LockPlanRow {
  id: string;
  address: string | null;
  device: string;
  action: 'change' | 'skip';
  /** What is known of the setting now, and where that comes from. */
  current: string;
  requested: string;
  reason: string | null;
}

export type LockChangeStatus = LockChangeRecord['status'] | 'skipped' | 'login-failed';

export interface LockChangeResult {
  id: string;
  address: string | null;
  device: string;
  status: LockChangeStatus;
  before: LockSettingValue | null;
  requested: LockSettingValue;
  after: LockSettingValue | null;
  reason: string | null;
}

export interface LockoutSetOptions {
  scan: Omit<ScanOptions, 'login' | 'afterFingerprint'>;
  book: CredentialBook;
  ledgerPath: string;
  desired: DesiredLockSetting;
  /** Only these device ids; default every device found. */
  only?: string[];
  confirm(plan: LockPlanRow[]): Promise<boolean>;
  onEvent?(event: ScanEvent): void;
  /** `--wait-unlock` applies here too: a locked device gets its one knock after its lock. */
  waitUnlock?: boolean;
  randomBytes?: (size: number) => Buffer;
}

export function describeSetting(value: LockSettingValue | VerifiedLockSettings | null): string {
  if (!value) return 'unknown';
  if (value.enabled === false) return 'lock off';
  if (value.enabled === null) return 'no lock option';
  const tries = value.maxAttempts === null ? '? tries' : `${value.maxAttempts} tries`;
  const time = value.lockSeconds === null ? '? s' : `${value.lockSeconds} s`;
  return `lock on, ${tries}/${time}`;
}

export function requestedValue(desired: DesiredLockSetting): LockSettingValue {
  return desired.enabled ? { enabled: true, maxAttempts: desired.maxAttempts, lockSeconds: desired.lockSeconds } : { enabled: false, maxAttempts: null, lockSeconds: null };
}

function valueOf(settings: VerifiedLockSettings | null): LockSettingValue | null {
  return settings ? { enabled: settings.enabled, maxAttempts: settings.maxAttempts, lockSeconds: settings.lockSeconds } : null;
}

function label(device: Device): string {
  return [device.vendor, device.model].filter(Boolean).join(' ') || device.id;
}

/** The latest change this ledger recorded for a device, if any: the best "current" figure before the login. */
function lastChange(read: LedgerRead, device: Device): LockChangeRecord | null {
  const keys = new Set([device.id, ...(device.mac ? [`mac:${device.mac}`] : []), ...(device.serial ? [`serial:${device.serial}`] : [])]);
  return [...(read.changes ?? [])].reverse().find((c) => c.keys.some((k) => keys.has(k)) && c.after) ?? null;
}

/** Before the login: the verified figure of a previous `lockout set`, else the knowledge base, each marked so. */
function currentText(device: Device, read: LedgerRead): string {
  const verified = device.lockout.verified;
  if (verified) return `${describeSetting(verified)} (verified)`;
  const change = lastChange(read, device);
  if (change?.after) return `${describeSetting(change.after)} (verified ${change.at.slice(0, 16).replace('T', ' ')}; read again after the login)`;
  return `${shortPolicy(device.lockout)} (knowledge base; read after the login)`;
}

/** Why a device is not knocked for this change, before any credential: no settable API, or the KB's firmware table. */
export function lockSkipReason(device: Device, item: LoginPlanItem): string | null {
  if (!item.service || !SETTABLE_SERVICES.has(item.service.kind)) {
    return 'no lock setting oneknock can change on this device (only Hikvision ISAPI and Dahua CGI); no credential sent';
  }
  if (device.lockout.canDisable === false) {
    return `the knowledge base says this firmware cannot turn the lock off (Milestone KB 000002183 firmware table${device.lockout.ruleId ? `, ${device.lockout.ruleId}` : ''}: the option may or may not be present); no credential sent`;
  }
  return null;
}

/**
 * The two hooks the login phase takes for a lock change (also used by the terminal UI's key): skip the devices
 * oneknock cannot change before any credential, and on each VerifiedSession read → write → read back → ledger.
 */
export function createLockChangeHooks(
  desired: DesiredLockSetting,
  deviceOf: (id: string) => Device | undefined,
  onResult: (result: LockChangeResult) => void,
): { skipIf: typeof lockSkipReason; afterSuccess: (session: VerifiedSession, item: LoginPlanItem, outcome: AttemptResult, ledger: Ledger) => Promise<void> } {
  const requested = requestedValue(desired);
  const afterSuccess = async (session: VerifiedSession, item: LoginPlanItem, outcome: AttemptResult, ledger: Ledger): Promise<void> => {
    const device = deviceOf(item.id);
    const base = { id: item.id, address: item.address, device: device ? label(device) : item.id, requested };
    const record = (status: LockChangeRecord['status'], before: LockSettingValue | null, after: LockSettingValue | null, reason: string | null): void => {
      ledger.recordLockChange({ keys: item.keys, address: item.address ?? '', attempt: outcome.attemptId ?? null, at: new Date().toISOString(), before, requested, after, status, reason });
      onResult({ ...base, status, before, after, reason });
    };
    const read = outcome.lockSettings;
    const before = read?.settings ?? null;
    const adapter = lockAdapterFor(session);
    if (!before || !adapter) return record('failed', null, null, `the lock setting could not be read (${read?.reason ?? 'no reader for this service'}); nothing written`);
    if (before.canDisable === false) return record('unsupported', valueOf(before), null, `the device has no "Illegal Login Lock" option (${before.source}); nothing written`);
    if (lockMatches(before, desired)) return record('unchanged', valueOf(before), valueOf(before), 'already set so; nothing written');
    const error = await adapter.write(session, desired);
    if (error) return record('failed', valueOf(before), valueOf(before), `${error}; the setting is unchanged as far as oneknock knows`);
    const back = await readLockSettings(session);
    const after = back?.settings ?? null;
    if (back) outcome.lockSettings = back;
    const ok = lockMatches(after, desired);
    record(ok ? 'verified' : 'mismatch', valueOf(before), valueOf(after), ok ? null : `the read-back says ${after ? describeSetting(after) : `nothing (${back?.reason ?? 'unread'})`}`);
  };

  return { skipIf: lockSkipReason, afterSuccess };
}

export async function runLockoutSet(options: LockoutSetOptions): Promise<{ results: LockChangeResult[]; loginOutcome: LoginOutcome | undefined; devices: Device[] }> {
  const requested = requestedValue(options.desired);
  const results = new Map<string, LockChangeResult>();
  const devices = new Map<string, Device>();
  const ledgerRead = new Ledger(options.ledgerPath).read();
  let loginOutcome: LoginOutcome | undefined;

  const { afterSuccess } = createLockChangeHooks(options.desired, (id) => devices.get(id), (result) => results.set(result.id, result));

  let plan: PlannedLogin[] = [];
  for await (const event of runScan({
    ...options.scan,
    afterFingerprint: async (context) => {
      for (const record of context.registry.all()) devices.set(record.device.id, record.device);
    },
    login: {
      book: options.book,
      ledgerPath: options.ledgerPath,
      dryRun: false,
      ...(options.only ? { only: options.only } : {}),
      ...(options.randomBytes ? { randomBytes: options.randomBytes } : {}),
      skipIf: lockSkipReason,
      waitUnlock: !!options.waitUnlock,
      afterSuccess,
      confirm: async (logins) => {
        plan = logins;
        return options.confirm(logins.map((p) => {
          const device = devices.get(p.id);
          return { id: p.id, address: p.address, device: device ? label(device) : p.id, action: p.action === 'attempt' ? 'change' : 'skip', current: device ? currentText(device, ledgerRead) : 'unknown', requested: describeSetting(requested), reason: p.reason };
        }));
      },
    },
  })) {
    options.onEvent?.(event);
    if (event.type === 'device') devices.set(event.device.id, event.device);
    if (event.type === 'done') loginOutcome = event.loginOutcome;
    if (event.type === 'login' && !results.has(event.id)) {
      const device = devices.get(event.id);
      const status: LockChangeStatus = event.status === 'skipped' ? 'skipped' : event.status === 'succeeded' ? 'failed' : 'login-failed';
      results.set(event.id, { id: event.id, address: plan.find((p) => p.id === event.id)?.address ?? null, device: device ? label(device) : event.id, status, before: null, requested, after: null, reason: event.reason ?? (status === 'failed' ? 'logged in, but no change was made' : null) });
    }
  }
  return { results: [...results.values()], loginOutcome, devices: [...devices.values()] };
}
