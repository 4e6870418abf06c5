/**
 * `oneknock lockout set --disable | --max-attempts N --lock-seconds S [ids...]`: change the lock setting of the
 * devices found (anonymously) on --target, after a plan and a confirmation (--yes for scripts; without it the plan
 * is printed and the exit code is 4). One login, one write, one read-back per device (scan/lockout-set.ts).
 */
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../model/errors.js';
import { defaultLedgerPath, formatNdjsonLine } from '../index.js';
import { runLockoutSet, describeSetting, type LockChangeResult, type LockPlanRow } from '../scan/lockout-set.js';
import type { DesiredLockSetting } from '../auth/lock-settings.js';
import { addScanOptions, positiveInt, scanOptionsFrom, type ScanFlags } from './options.js';
import { credentialBookFrom } from './scan-command.js';
import { write } from './write.js';

export interface LockoutFlags extends ScanFlags {
  disable?: boolean;
  maxAttempts?: string;
  lockSeconds?: string;
}

export function addLockoutOptions(command: Command): Command {
  return addScanOptions(command)
    .option('--disable', 'turn the lock off (an attacker may then guess passwords without limit: see README)')
    .option('--max-attempts <n>', 'failures before the lock (with --lock-seconds; turns the lock on)')
    .option('--lock-seconds <s>', 'how long the lock lasts, in seconds (with --max-attempts)');
}

export function desiredFrom(flags: LockoutFlags): DesiredLockSetting {
  const thresholds = flags.maxAttempts !== undefined || flags.lockSeconds !== undefined;
  if (flags.disable && thresholds) throw new UsageError('--disable and --max-attempts/--lock-seconds are exclusive: choose one');
  if (flags.disable) return { enabled: false };
  if (flags.maxAttempts === undefined || flags.lockSeconds === undefined) throw new UsageError('say what to set: --disable, or --max-attempts N together with --lock-seconds S');
  return { enabled: true, maxAttempts: positiveInt('--max-attempts', flags.maxAttempts, 100), lockSeconds: positiveInt('--lock-seconds', flags.lockSeconds, 86_400) };
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export function formatLockPlan(plan: LockPlanRow[]): string {
  const changes = plan.filter((p) => p.action === 'change').length;
  const head = `Lock setting plan: ${changes} device(s) get one login, one write and one read-back each; ${plan.length - changes} skipped.\n`;
  return head + table(['DEVICE', 'ADDRESS', 'MODEL', 'CURRENT', 'NEW', 'NOTE'], plan.map((p) => [p.id, p.address ?? '-', p.device, p.current, p.action === 'change' ? p.requested : 'skip', p.reason ?? '']));
}

export function formatLockResults(results: LockChangeResult[]): string {
  return table(['DEVICE', 'ADDRESS', 'MODEL', 'BEFORE', 'AFTER (read back)', 'RESULT'], results.map((r) => [r.id, r.address ?? '-', r.device, describeSetting(r.before), r.after ? describeSetting(r.after) : '-', `${r.status}${r.reason ? ` (${r.reason})` : ''}`]));
}

export async function lockoutSetCommand(ids: string[], flags: LockoutFlags): Promise<number> {
  const desired = desiredFrom(flags);
  if (flags.csv) throw new UsageError('lockout set writes no CSV: run a scan with --csv for that');
  const scan = scanOptionsFrom(flags);
  const book = await credentialBookFrom(flags);
  if (!book) throw new UsageError('lockout set logs in to each device once: give credentials (--user with --password-env/--password-stdin, or --credentials)');
  const { results, loginOutcome } = await runLockoutSet({
    scan,
    book,
    ledgerPath: flags.ledger ?? defaultLedgerPath(),
    desired,
    waitUnlock: !!flags.waitUnlock,
    ...(ids.length > 0 ? { only: ids } : {}),
    onEvent: (event) => {
      if (flags.ndjson) process.stdout.write(formatNdjsonLine(event));
    },
    confirm: async (plan) => {
      if (!flags.json && !flags.ndjson) process.stderr.write(formatLockPlan(plan));
      if (flags.dryRun) {
        if (flags.json || flags.ndjson) process.stderr.write(formatLockPlan(plan));
        process.stderr.write('Dry run: no credential was sent and nothing was changed.\n');
        return false;
      }
      if (flags.yes) return true;
      if (flags.json || flags.ndjson) process.stderr.write(formatLockPlan(plan));
      process.stderr.write('Not changing anything: add --yes to confirm.\n');
      return false;
    },
  });
  if (flags.json) await write(`${JSON.stringify({ schema: 'oneknock/lockout-set@1', requested: results[0]?.requested ?? null, loginOutcome: loginOutcome ?? null, results }, null, 2)}\n`);
  else if (!flags.ndjson && loginOutcome !== 'declined') await write(results.length === 0 ? 'No devices found.\n' : formatLockResults(results));
  if (loginOutcome === 'declined') return flags.dryRun ? ExitCode.ok : ExitCode.confirmationRequired;
  const failed = results.some((r) => r.status === 'login-failed' || r.status === 'failed' || r.status === 'mismatch');
  return failed ? ExitCode.loginFailed : ExitCode.ok;
}
