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
import { writeXprotectCsv, type XprotectRow } from '../output/xprotect-csv.js';
import { scanOptionsFrom, type ScanFlags } from './options.js';
import { write, writeErr } from './write.js';

interface Consumed {
  code: number;
  loginOutcome: string | undefined;
  attempted: number;
}

async function consume(events: AsyncIterable<ScanEvent>, flags: ScanFlags): Promise<Consumed> {
  const builder = new ScanDocumentBuilder();
  let loginFailed = false;
  let loginOutcome: string | undefined;
  let attempted = 0;
  const human = !flags.json && !flags.ndjson;
  for await (const event of events) {
    builder.add(event);
    if (event.type === 'login' && ['rejected', 'locked', 'error'].includes(event.status)) loginFailed = true;
    if (event.type === 'done') {
      loginOutcome = event.loginOutcome;
      attempted = event.loginsAttempted;
    }
    if (flags.ndjson) await write(formatNdjsonLine(event));
    if (human && event.type === 'warning') writeErr(`warning: ${event.address ?? ''} ${event.message}\n`);
    if (human && event.type === 'plan' && flags.dryRun) await write(formatPlan(event.logins));
  }
  const document = builder.build();
  if (flags.json) await write(`${JSON.stringify(document, null, 2)}\n`);
  if (human) {
    await write(document.devices.length === 0 ? 'No devices found.\n' : formatDeviceTable(document.devices, process.stdout.columns ?? 200));
    await write(`${document.devices.length} device(s), ${document.warnings.length} warning(s)\n`);
  }
  return { code: loginFailed ? ExitCode.loginFailed : ExitCode.ok, loginOutcome, attempted };
}

/** The credential book from --user/--password-env/--password-stdin and --credentials, or null for none. */
async function credentialBookFrom(flags: ScanFlags): Promise<CredentialBook | null> {
  if (flags.passwordEnv && flags.passwordStdin) throw new UsageError('--password-env and --password-stdin are exclusive: choose one');
  if ((flags.passwordEnv || flags.passwordStdin) && !flags.user) throw new UsageError('a password needs a --user');
  if (flags.user && !flags.passwordEnv && !flags.passwordStdin) throw new UsageError(`--user ${flags.user} needs a password: --password-env VAR or --password-stdin`);
  const entries: CredentialEntry[] = flags.credentials ? loadCredentialsFile(flags.credentials) : [];
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
  if (stat.isSymbolicLink()) throw new UsageError(`--csv ${path} is a symbolic link: a password file is never written through a link; name a new or regular file`, 'E_EXPORT_PATH');
  if (!stat.isFile()) throw new UsageError(`--csv ${path} is not a regular file`, 'E_EXPORT_PATH');
}

export async function runWithLogin(options: ScanOptions, flags: ScanFlags): Promise<number> {
  if (flags.csv) checkExportPath(flags.csv);
  const book = await credentialBookFrom(flags);
  if (!book) {
    if (flags.csv) throw new UsageError('--csv lists devices whose login succeeded: give credentials (--user with --password-env/--password-stdin, or --credentials)');
    return (await consume(runScan(options), flags)).code;
  }
  const csvRows: XprotectRow[] = [];
  const { code, loginOutcome, attempted } = await consume(
    runScan({
      ...options,
      login: {
        book,
        ledgerPath: flags.ledger ?? defaultLedgerPath(),
        dryRun: !!flags.dryRun,
        // Non-interactive: logins only with --yes (CONTRACT). The plan goes to stderr so --json stays clean.
        confirm: async (plan) => {
          if (flags.yes) return true;
          writeErr(formatPlan(plan));
          writeErr('Not logging in: add --yes to confirm, or --dry-run to only see the plan.\n');
          return false;
        },
        onSucceeded: (item, port) => {
          if (item.address && item.credentials) csvRows.push({ address: item.address, port, username: item.credentials.username, password: item.credentials.password, driverId: null });
        },
      },
    }),
    flags,
  );
  if (flags.dryRun && !flags.json && !flags.ndjson) writeErr('Dry run: no credential was sent.\n');
  if (flags.csv && loginOutcome === 'confirmed') {
    const written = writeXprotectCsv(flags.csv, csvRows);
    writeErr(`Wrote ${csvRows.length} device(s) to ${written.path} (${written.protection}).\n`);
  }
  if (loginOutcome === 'declined') return ExitCode.confirmationRequired;
  // A script must tell "all logged in" from "none": credentials and --yes, yet no attempt was made at all.
  if (code === ExitCode.ok && flags.yes && !flags.dryRun && (loginOutcome === 'nothing-to-do' || (loginOutcome === 'confirmed' && attempted === 0))) return ExitCode.nothingLoggedIn;
  return code;
}

/** The terminal UI when stdout is a TTY and neither --json nor --ndjson (CONTRACT); React is loaded only here. */
export function wantsInteractive(flags: ScanFlags): boolean {
  return !flags.json && !flags.ndjson && process.stdout.isTTY === true && process.stdin.isTTY === true && !flags.yes && !flags.dryRun && !flags.passwordStdin && !flags.passwordEnv;
}

export async function interactive(options: ScanOptions, flags: ScanFlags): Promise<number> {
  // Ink renders nothing until exit when it believes it runs in CI (is-in-ci reads CI / CONTINUOUS_INTEGRATION at
  // import). We only get here with a TTY on both ends, so a person (or a pty test) is watching: render.
  delete process.env['CI'];
  delete process.env['CONTINUOUS_INTEGRATION'];
  const { runInteractive } = await import('../ui/run-ui.js');
  const fileEntries = flags.credentials ? loadCredentialsFile(flags.credentials) : undefined;
  const { loginFailed } = await runInteractive({
    scan: options,
    ledgerPath: flags.ledger ?? defaultLedgerPath(),
    ...(flags.user ? { defaultUser: flags.user } : {}),
    ...(fileEntries ? { fileEntries } : {}),
  });
  return loginFailed ? ExitCode.loginFailed : ExitCode.ok;
}

export async function scanCommand(flags: ScanFlags): Promise<number> {
  const options = scanOptionsFrom(flags);
  if (wantsInteractive(flags)) return interactive(options, flags);
  return runWithLogin(options, flags);
}
