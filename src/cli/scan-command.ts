/** `oneknock scan`: the terminal UI on a TTY, else --json/--ndjson/table with the optional login phase. */
import { lstatSync } from 'node:fs';
import { ExitCode, UsageError } from '../model/errors.js';
import {
  ScanDocumentBuilder,
  defaultLedgerPath,
  formatNdjsonLine,
  loadCredentialsFile,
  passwordFromEnv,
  passwordFromStdin,
  runScan,
  type CredentialBook,
  type CredentialEntry,
  type ScanEvent,
  type ScanOptions,
} from '../index.js';
import { formatDeviceTable, formatPlan } from '../output/table.js';
import type { ScanDocument } from '../output/json.js';
import { scanOptionsFrom, type ScanFlags } from './options.js';
import { driverEvents, exportPlanFrom, needsLogin, writeExports, type ExportPlan } from './exports.js';
import { write, writeErr } from './write.js';
import { isFailedLogin } from '../model/device.js';

interface Consumed {
  code: number;
  loginOutcome: string | undefined;
  document: ScanDocument;
  attempted: number;
}

async function consume(events: AsyncIterable<ScanEvent>, flags: ScanFlags, plan: ExportPlan): Promise<Consumed> {
  const builder = new ScanDocumentBuilder();
  let loginFailed = false;
  let loginOutcome: string | undefined;
  let attempted = 0;
  const human = !flags.json && !flags.ndjson;
  const handle = async (event: ScanEvent): Promise<void> => {
    if (event.type === 'done') {
      // The hand-off's own findings (driver per device, devices a Milestone export leaves out) come before done.
      for (const extra of driverEvents(plan, builder.build(), event.at)) await handle(extra);
    }
    builder.add(event);
    if (event.type === 'login' && isFailedLogin(event.status)) loginFailed = true;
    if (event.type === 'done') {
      loginOutcome = event.loginOutcome;
      attempted = event.loginsAttempted;
    }
    if (flags.ndjson) await write(formatNdjsonLine(event));
    // A long sweep says what it will take before it starts (NDJSON carries it in the event itself).
    if (!flags.ndjson && event.type === 'phase' && event.sweep && (event.sweep.addresses > 256 || event.sweep.onLink > 0)) writeErr(`oneknock: ${event.detail ?? ''}\n`);
    if (human && event.type === 'warning') writeErr(`warning: ${event.address ?? ''} ${event.message}\n`);
    if (human && event.type === 'unlock-wait') writeErr(`${event.state === 'checking' ? 'checking' : `waiting ${event.secondsLeft} s`}: ${event.id} (${event.reason})\n`);
    if (human && event.type === 'plan' && flags.dryRun) await write(formatPlan(event.logins));
  };
  for await (const event of events) await handle(event);
  const document = builder.build();
  if (flags.json) await write(`${JSON.stringify(document, null, 2)}\n`);
  if (human) {
    await write(document.devices.length === 0 ? 'No devices found.\n' : formatDeviceTable(document.devices, process.stdout.columns ?? 200));
    await write(`${document.devices.length} device(s), ${document.warnings.length} warning(s)\n`);
  }
  return { code: loginFailed ? ExitCode.loginFailed : ExitCode.ok, loginOutcome, document, attempted };
}

/** The credential book from --user/--password-env/--password-stdin and --credentials, or null for none. */
export async function credentialBookFrom(flags: ScanFlags): Promise<CredentialBook | null> {
  if (flags.passwordEnv && flags.passwordStdin) throw new UsageError('--password-env and --password-stdin are exclusive: choose one');
  if ((flags.passwordEnv || flags.passwordStdin) && !flags.user) throw new UsageError('a password needs a --user');
  if (flags.user && !flags.passwordEnv && !flags.passwordStdin) throw new UsageError(`--user ${flags.user} needs a password: --password-env VAR or --password-stdin`);
  const entries: CredentialEntry[] = flags.credentials ? loadCredentialsFile(flags.credentials, { allowUncheckedAcl: flags.credentialsAclUnchecked === true }) : [];
  if (!flags.user && entries.length === 0) {
    if (flags.credentials) throw new UsageError(`credentials file ${flags.credentials} has no entries`, 'E_CREDENTIALS');
    return null;
  }
  const password = flags.user ? (flags.passwordEnv ? passwordFromEnv(flags.passwordEnv) : await passwordFromStdin()) : null;
  return { defaultSet: flags.user && password ? { username: flags.user, password, origin: '--user' } : null, entries };
}

/** Refuse an export path that is a link or not a regular file before any credential is spent (secret-file.ts refuses it again at write time). */
function checkExportPath(path: string): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return; // a new file: fine
  }
  if (stat.isSymbolicLink()) throw new UsageError(`export path ${path} is a symbolic link: an export is never written through a link; name a new or regular file`, 'E_EXPORT_PATH');
  if (!stat.isFile()) throw new UsageError(`export path ${path} is not a regular file`, 'E_EXPORT_PATH');
}

export async function runWithLogin(options: ScanOptions, flags: ScanFlags): Promise<number> {
  const plan = exportPlanFrom(flags);
  for (const request of plan.requests) checkExportPath(request.path);
  const book = await credentialBookFrom(flags);
  if (!book) {
    const needing = needsLogin(plan);
    if (needing.length > 0) {
      const names = needing.map((r) => (r.kind === 'xprotect' && r.path === flags.csv ? '--csv' : `--export ${r.kind}`)).join(', ');
      throw new UsageError(`${names} need credentials: ${needing.length === 1 ? 'it lists' : 'they list'} the devices whose login succeeded, with the password that worked. Give --user with --password-env/--password-stdin, or --credentials (inventory and json need none)`);
    }
    const consumed = await consume(runScan(options), flags, plan);
    writeExports({ plan, document: consumed.document, loginsConfirmed: false, flags });
    return consumed.code;
  }
  const { code, loginOutcome, document, attempted } = await consume(
    runScan({
      ...options,
      login: {
        book,
        ledgerPath: flags.ledger ?? defaultLedgerPath(),
        dryRun: !!flags.dryRun,
        waitUnlock: !!flags.waitUnlock,
        // Non-interactive: logins only with --yes (docs/SAFETY.md). The plan goes to stderr so --json stays clean.
        confirm: async (plan) => {
          if (flags.yes) return true;
          writeErr(formatPlan(plan));
          writeErr('Not logging in: add --yes to confirm, or --dry-run to only see the plan.\n');
          return false;
        },
        onSucceeded: (item, port) => {
          if (item.address && item.credentials) plan.credentials.set(item.address, { address: item.address, port, username: item.credentials.username, password: item.credentials.password });
        },
      },
    }),
    flags,
    plan,
  );
  if (flags.dryRun && !flags.json && !flags.ndjson) writeErr('Dry run: no credential was sent.\n');
  writeExports({ plan, document, loginsConfirmed: loginOutcome === 'confirmed', flags });
  if (loginOutcome === 'declined') return ExitCode.confirmationRequired;
  // A script must tell "all logged in" from "none": credentials and --yes, yet no attempt was made at all.
  if (code === ExitCode.ok && flags.yes && !flags.dryRun && (loginOutcome === 'nothing-to-do' || (loginOutcome === 'confirmed' && attempted === 0))) return ExitCode.nothingLoggedIn;
  return code;
}

/** The terminal UI when stdout is a TTY and neither --json nor --ndjson (docs/SAFETY.md); React is loaded only here. */
export function wantsInteractive(flags: ScanFlags): boolean {
  return !flags.json && !flags.ndjson && process.stdout.isTTY === true && process.stdin.isTTY === true && !flags.yes && !flags.dryRun && !flags.passwordStdin && !flags.passwordEnv;
}

export async function interactive(options: ScanOptions, flags: ScanFlags): Promise<number> {
  // Ink renders nothing until exit when it believes it runs in CI (is-in-ci reads CI / CONTINUOUS_INTEGRATION at
  // import). We only get here with a TTY on both ends, so a person (or a pty test) is watching: render.
  delete process.env['CI'];
  delete process.env['CONTINUOUS_INTEGRATION'];
  const { runInteractive } = await import('../ui/run-ui.js');
  const fileEntries = flags.credentials ? loadCredentialsFile(flags.credentials, { allowUncheckedAcl: flags.credentialsAclUnchecked === true }) : undefined;
  const plan = exportPlanFrom(flags);
  const { loginFailed } = await runInteractive({
    scan: options,
    ledgerPath: flags.ledger ?? defaultLedgerPath(),
    ...(flags.user ? { defaultUser: flags.user } : {}),
    ...(fileEntries ? { fileEntries } : {}),
    exports: { drivers: plan.drivers, recordingServer: flags.recordingServer ?? null, allowDriverDetection: !!flags.allowDriverDetection },
  });
  return loginFailed ? ExitCode.loginFailed : ExitCode.ok;
}

export async function scanCommand(flags: ScanFlags): Promise<number> {
  const options = scanOptionsFrom(flags);
  if (wantsInteractive(flags)) return interactive(options, flags);
  return runWithLogin(options, flags);
}
