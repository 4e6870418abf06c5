/**
 * The login phase, plugged into runScan after fingerprinting: plan, emit the plan, ask for confirmation, then
 * one attempt per planned device under the ledger's exclusive lock.
 */
import { randomBytes } from 'node:crypto';
import type { ScanContext } from './run-scan.js';
import type { LoginOutcome, PlannedLogin } from '../model/events.js';
import type { AttemptStatus } from '../model/device.js';
import { addEvidence } from './registry.js';
import { refreshIdentity } from './identity.js';
import { describeAgreement, identityKeys, planLogins, type LoginPlanItem } from '../guard/planner.js';
import { Ledger, blockingAttempt, keyMatches } from '../guard/ledger.js';
import type { CredentialBook } from '../guard/credentials.js';
import { attemptLogin, type AttemptResult } from '../auth/attempt.js';
import type { VerifiedSession } from '../auth/session.js';
import type { Device } from '../model/device.js';
import { scheduleUnlockWaits, waitForUnlock } from './unlock-wait.js';
import { Limiter } from '../util/async-queue.js';

export interface LoginPhaseOptions {
  book: CredentialBook;
  ledgerPath: string;
  dryRun: boolean;
  /** Asked with the plan; resolves true to go ahead. Non-interactive runs pass `async () => yes`. */
  confirm(plan: PlannedLogin[]): Promise<boolean>;
  /** Called with every succeeded device (for the CSV export). */
  onSucceeded?(item: LoginPlanItem, port: number | null): void;
  randomBytes?: (size: number) => Buffer;
  /** Only these device ids (the UI's selection); default every device. */
  only?: string[];
  /** `--wait-unlock`: schedule devices locked for this host instead of skipping them (scan/unlock-wait.ts). */
  waitUnlock?: boolean;
  /** A reason not to knock a device the planner would knock (`lockout set`: no lock option per the knowledge base). */
  skipIf?(device: Device, item: LoginPlanItem): string | null;
  /** Runs on the VerifiedSession after a success (`lockout set`: one write, one read-back). */
  afterSuccess?(session: VerifiedSession, item: LoginPlanItem, outcome: AttemptResult, ledger: Ledger): Promise<void>;
}

export type ConfirmationOutcome = LoginOutcome;

export function toPlannedLogin(item: LoginPlanItem): PlannedLogin {
  return {
    id: item.id,
    address: item.address,
    action: item.action,
    method: item.method,
    url: item.service?.url ?? null,
    username: item.credentials?.username ?? null,
    reason: item.reason,
    identity: item.identity ? { address: item.identity.address, confirmed: item.identity.confirmed, by: item.identity.by, text: describeAgreement(item.identity) } : null,
  };
}

export function createLoginPhase(options: LoginPhaseOptions): { run(context: ScanContext): Promise<ConfirmationOutcome> } {
  return {
    async run(context) {
      const iso = (): string => new Date(context.now()).toISOString();
      const ledger = new Ledger(options.ledgerPath);
      const read = ledger.read();
      if (read.damagedLines.length > 0) {
        context.emit({ type: 'warning', at: iso(), address: null, code: 'ledger-damaged', message: `ledger ${ledger.path} has ${read.damagedLines.length} damaged line(s) (${read.damagedLines.join(', ')}); devices they name are treated as attempted` });
      }
      const records = context.registry.all().filter((r) => !options.only || options.only.includes(r.device.id));
      const inputs = records.map((record) => {
        const state = context.fingerprints.get(record.key);
        return {
          input: { key: record.key, device: record.device, services: state?.services ?? [], clockOffsetMs: state?.clockOffsetMs ?? null, certificateSha256: state?.certificateSha256 ?? null },
          keys: identityKeys(record.device, context.registry.ownEndpoints(record)),
        };
      });
      const items = planLogins(inputs, options.book, read);
      for (const item of items) {
        const why = item.action === 'attempt' ? options.skipIf?.(context.registry.get(item.key)!.device, item) : null;
        if (why) Object.assign(item, { action: 'skip', reason: why });
      }
      const waits = options.waitUnlock ? scheduleUnlockWaits(items, inputs, read, options.book, context.now()) : new Map<number, never>();
      const plan = items.map(toPlannedLogin);
      context.emit({ type: 'plan', at: iso(), logins: plan });
      const attempts = items.filter((i) => i.action === 'attempt');

      const emitLogin = (item: LoginPlanItem, status: AttemptStatus, reason: string | null, at: string | null, remainingAttempts: number | null = null): void => {
        const record = context.registry.get(item.key)!;
        record.device.login = { status, method: status === 'skipped' ? item.method : item.method, at, reason };
        context.emit({ type: 'login', at: iso(), id: record.device.id, status, method: item.method, reason, remainingAttempts });
        context.emitDevice(record);
      };

      if (options.dryRun) return 'dry-run';
      if (attempts.length === 0) {
        for (const item of items) emitLogin(item, 'skipped', item.reason, null);
        return 'nothing-to-do';
      }
      if (!(await options.confirm(plan))) return 'declined';

      try {
        ledger.acquire();
      } catch (error) {
        for (const item of items) emitLogin(item, 'skipped', item.action === 'attempt' ? (error as Error).message : item.reason, null);
        return 'confirmed';
      }
      try {
        // The plan was made from a read before the confirmation and the lock. Another run may have knocked since
        // (a person can sit on the confirmation for minutes): read again under the lock, and drop every device
        // that now has a blocking attempt or any attempt newer than our plan — once means once across runs.
        const fresh = ledger.read();
        const since = fresh.attempts.slice(read.attempts.length);
        for (const item of attempts) {
          const newer = since.find((a) => a.keys.some((k) => keyMatches(k, item.keys)));
          const blocking = blockingAttempt(fresh, item.keys);
          if (newer || (blocking && blocking.attempt !== waits.get(item.key)?.attempt?.attempt)) {
            item.action = 'skip';
            item.reason = `another oneknock run attempted this device${newer?.at ? ` at ${newer.at}` : ''} while this one waited; see "oneknock ledger list"`;
          }
        }
        context.emit({ type: 'phase', at: iso(), phase: 'login', state: 'started' });
        for (const item of items.filter((i) => i.action === 'skip')) emitLogin(item, 'skipped', item.reason, null);
        const limiter = new Limiter(Math.max(1, Math.min(context.concurrency, 16)));
        await Promise.all(
          attempts.filter((item) => item.action === 'attempt').map((item) =>
            limiter.run(async () => {
              const wait = waits.get(item.key);
              if (wait) {
                const waited = await waitForUnlock(context, item, wait.unlockAtMs, wait.reason);
                if (!waited.proceed) return emitLogin(item, 'skipped', waited.reason, null);
              }
              const afterSuccess = options.afterSuccess;
              const outcome = await attemptLogin({
                http: context.http, ledger, timeoutMs: context.timeoutMs, now: context.now, randomBytes: options.randomBytes ?? randomBytes,
                ...(afterSuccess ? { afterSuccess: (session: VerifiedSession, result: AttemptResult) => afterSuccess(session, item, result, ledger) } : {}),
              }, item);
              const record = context.registry.get(item.key)!;
              if (outcome.lockSettings) Object.assign(record.device.lockout, { verified: outcome.lockSettings.settings, verifiedReason: outcome.lockSettings.reason });
              for (const evidence of outcome.verified) addEvidence(record.device, evidence);
              if (outcome.streams.length > 0) record.device.streams = outcome.streams;
              for (const note of outcome.readNotes) context.emit({ type: 'warning', at: iso(), address: item.address, code: 'verified-read', message: `after the login: ${note}` });
              const state = context.fingerprints.get(item.key);
              if (state && outcome.lockState) {
                state.lock = { state: outcome.lockState, remainingAttempts: outcome.remainingAttempts, unlockInSeconds: outcome.unlockInSeconds };
              }
              refreshIdentity(record, state);
              if (outcome.status === 'succeeded') {
                const port = item.service ? Number(new URL(item.service.url).port) || null : null;
                options.onSucceeded?.(item, port);
              }
              emitLogin(item, outcome.status, outcome.reason, outcome.at, outcome.remainingAttempts);
            }),
          ),
        );
        context.emit({ type: 'phase', at: iso(), phase: 'login', state: 'finished' });
      } finally {
        ledger.release();
      }
      return 'confirmed';
    },
  };
}
