/**
 * The interactive session behind the terminal UI: one scan at a time whose login phase waits for the person —
 * choose devices and a credential set, see the plan, confirm — as many rounds as they like, until they quit or
 * rescan. No React here; the UI calls these methods and renders the events.
 */
import { createLoginPhase, runScan, type CredentialBook, type PlannedLogin, type ScanEvent, type ScanOptions } from '../index.js';
import { ScanDocumentBuilder } from '../output/json.js';
import { isFailedLogin } from '../model/device.js';
import { assignMilestoneDrivers, writeExport, type ExportKind, type LoginCredential, type MilestoneDriver } from '../output/exports/index.js';
import { createLockChangeHooks, type LockChangeResult } from '../scan/lockout-set.js';
import type { DesiredLockSetting } from '../auth/lock-settings.js';

interface LoginRequest {
  book: CredentialBook;
  only: string[];
  /** The detail pane's / selection's lock key: this login also writes the lock setting (lockout set). */
  lockChange?: DesiredLockSetting;
}

export interface UiSession {
  /** Start a scan (stopping the previous one's wait) and stream its events. */
  scan(): AsyncIterable<ScanEvent>;
  /** Ask for a plan for these devices with this book; resolves with the plan (no credential sent yet). */
  plan(book: CredentialBook, only: string[], lockChange?: DesiredLockSetting): Promise<PlannedLogin[]>;
  /** Results of the lock changes made in this session (lockout set from the UI), by device id. */
  lockResults?(): LockChangeResult[];
  /** Answer the pending plan: true sends one attempt per planned device. Resolves when the attempts are done. */
  confirm(yes: boolean): Promise<void>;
  /** End the current scan (emits done). */
  finish(): void;
  /** Write one export kind (output/exports); secret kinds owner-only. */
  exportTo(kind: ExportKind, path: string): { path: string; rows: number; protection: string; leftOut: number };
  /** The user's Milestone driver list (--milestone-drivers), or null for the built-in table. */
  readonly drivers: MilestoneDriver[] | null;
  /** True once any login was rejected, locked or failed (exit code 3). */
  readonly loginFailed: boolean;
}

export interface UiExportOptions {
  drivers?: MilestoneDriver[] | null;
  recordingServer?: string | null;
  allowDriverDetection?: boolean;
}

export function createUiSession(options: Omit<ScanOptions, 'afterFingerprint'> & { ledgerPath: string } & UiExportOptions): UiSession {
  /** The credential that succeeded, by responder address. */
  const credentials = new Map<string, LoginCredential>();
  let builder = new ScanDocumentBuilder();
  let pendingRequest: ((request: LoginRequest | null) => void) | null = null;
  const requests: Array<LoginRequest | null> = [];
  let planReady: ((plan: PlannedLogin[]) => void) | null = null;
  let confirmation: ((yes: boolean) => void) | null = null;
  let attemptsDone: (() => void) | null = null;
  let loginFailed = false;
  const lockResults = new Map<string, LockChangeResult>();

  const nextRequest = (): Promise<LoginRequest | null> => {
    const queued = requests.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => (pendingRequest = resolve));
  };
  const pushRequest = (request: LoginRequest | null): void => {
    if (pendingRequest) {
      const resolve = pendingRequest;
      pendingRequest = null;
      resolve(request);
    } else {
      requests.push(request);
    }
  };

  return {
    get loginFailed() {
      return loginFailed;
    },
    async *scan() {
      pushRequest(null);
      requests.length = 0;
      builder = new ScanDocumentBuilder();
      const events = runScan({
        ...options,
        afterFingerprint: async (context) => {
          for (;;) {
            const request = await nextRequest();
            if (!request) return;
            const phase = createLoginPhase({
              book: request.book,
              ledgerPath: options.ledgerPath,
              dryRun: false,
              only: request.only,
              ...(request.lockChange ? createLockChangeHooks(request.lockChange, (id) => context.registry.all().find((r) => r.device.id === id)?.device, (result) => lockResults.set(result.id, result)) : {}),
              // The plan itself reaches the UI as a `plan` event (see scan() below); here we only wait for the answer.
              confirm: () => new Promise<boolean>((resolve) => (confirmation = resolve)),
              onSucceeded: (item, port) => {
                if (item.address && item.credentials) credentials.set(item.address, { address: item.address, port, username: item.credentials.username, password: item.credentials.password });
              },
            });
            await phase.run(context);
            attemptsDone?.();
            attemptsDone = null;
          }
        },
      });
      for await (const event of events) {
        builder.add(event);
        if (event.type === 'login' && isFailedLogin(event.status)) loginFailed = true;
        if (event.type === 'plan') {
          planReady?.(event.logins);
          planReady = null;
        }
        yield event;
      }
    },
    plan(book, only, lockChange) {
      return new Promise((resolve) => {
        planReady = resolve;
        pushRequest({ book, only, ...(lockChange ? { lockChange } : {}) });
      });
    },
    lockResults() {
      return [...lockResults.values()];
    },
    confirm(yes) {
      return new Promise((resolve) => {
        if (!confirmation) {
          resolve();
          return;
        }
        attemptsDone = resolve;
        const answer = confirmation;
        confirmation = null;
        answer(yes);
        if (!yes) {
          attemptsDone = null;
          resolve();
        }
      });
    },
    finish() {
      confirmation?.(false);
      confirmation = null;
      pushRequest(null);
    },
    drivers: options.drivers ?? null,
    exportTo(kind, path) {
      const document = builder.build();
      assignMilestoneDrivers(document.devices, options.drivers ?? null);
      const written = writeExport({ kind, path }, {
        document,
        credentialFor: (device) => device.addresses.map((a) => credentials.get(a)).find((c) => c !== undefined) ?? null,
        recordingServer: options.recordingServer ?? null,
        allowDriverDetection: options.allowDriverDetection ?? false,
        drivers: options.drivers ?? null,
      });
      return { path: written.path, rows: written.rows, protection: written.protection, leftOut: written.leftOut.length };
    },
  };
}
