/**
 * The login phase, plugged into runScan after fingerprinting: plan, emit the plan, ask for confirmation, then
 * one attempt per planned device under the ledger's exclusive lock.
 */
import { randomBytes } from 'node:crypto';
import type { ScanContext } from './run-scan.js';
import type { LoginOutcome, PlannedLogin } from '../model/events.js';
import { addEvidence } from './registry.js';
import { refreshIdentity } from './identity.js';
import { describeAgreement, identityKeys, planLogins, type LoginPlanItem } from '../guard/planner.js';
import { Ledger, blockingAttempt } from '../guard/ledger.js';
import type { CredentialBook } from '../guard/credentials.js';
import { attemptLogin } from '../auth/attempt.js';
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
      const items = planLogins(
        records.map((record) => {
          const state = context.fingerprints.get(record.key);
          return {
            input: { key: record.key, device: record.device, services: state?.services ?? [], clockOffsetMs: state?.clockOffsetMs ?? null, certificateSha256: state?.certificateSha256 ?? null },
            keys: identityKeys(record.device, context.registry.ownEndpoints(record)),
          };
        }),
        options.book,
        read,
      );
      const plan = items.map(toPlannedLogin);
      context.emit({ type: 'plan', at: iso(), logins: plan });
      const attempts = items.filter((i) => i.action === 'attempt');

      const emitLogin = (item: LoginPlanItem, status: 'skipped' | 'succeeded' | 'rejected' | 'locked' | 'error', reason: string | null, at: string | null, remainingAttempts: number | null = null): void => {
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
          const newer = since.find((a) => a.keys.some((k) => item.keys.includes(k.replace(/\*$/, '')) || (k.endsWith('*') && item.keys.some((key) => key.startsWith(k.slice(0, -1))))));
          if (newer || blockingAttempt(fresh, item.keys)) {
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
              const outcome = await attemptLogin({ http: context.http, ledger, timeoutMs: context.timeoutMs, now: context.now, randomBytes: options.randomBytes ?? randomBytes }, item);
              const record = context.registry.get(item.key)!;
              for (const evidence of outcome.verified) addEvidence(record.device, evidence);
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
