/** `oneknock ledger list | forget <id>`: every login attempt ever sent, and the one way to allow another. */
import { ExitCode } from '../model/errors.js';
import { Ledger, defaultLedgerPath } from '../index.js';
import { write, writeErr } from './write.js';
import type { LockChangeRecord, LockSettingValue } from '../guard/ledger.js';

function setting(value: LockSettingValue | null): string {
  if (!value) return '-';
  if (value.enabled === false) return 'off';
  if (value.enabled === null) return 'no option';
  return `on ${value.maxAttempts ?? '?'}/${value.lockSeconds ?? '?'} s`;
}

/** `oneknock lockout set` changes: what each device's lock setting was, what was asked, what the read-back said. */
function formatLockChanges(changes: LockChangeRecord[]): string {
  const rows = changes.map((c) => [c.at, c.keys[0] ?? '?', c.address || '?', setting(c.before), setting(c.requested), setting(c.after), c.status + (c.reason ? ` (${c.reason})` : '')]);
  const header = ['WHEN', 'DEVICE', 'ADDRESS', 'BEFORE', 'REQUESTED', 'AFTER', 'RESULT'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return `\nLock setting changes (oneknock lockout set):\n${[line(header), ...rows.map(line)].join('\n')}\n`;
}

export async function ledgerList(flags: { ledger?: string; json?: boolean }): Promise<number> {
  const ledger = new Ledger(flags.ledger ?? defaultLedgerPath());
  const read = ledger.read();
  if (flags.json) {
    await write(`${JSON.stringify({ ledger: ledger.path, attempts: read.attempts, changes: read.changes ?? [], damagedLines: read.damagedLines }, null, 2)}\n`);
    return ExitCode.ok;
  }
  if (read.attempts.length === 0) {
    await write(`No login attempts recorded in ${ledger.path}\n`);
    return ExitCode.ok;
  }
  const rows = read.attempts.map((a) => [a.at || '?', a.keys[0] ?? '?', a.address || '?', a.method, a.username || '?', a.status ?? 'no outcome (counts as spent)', a.forgotten ? 'forgotten' : a.status === 'succeeded' ? '' : 'blocks', a.remainingAttempts === null ? '' : `${a.remainingAttempts} left`]);
  const header = ['WHEN', 'DEVICE', 'ADDRESS', 'METHOD', 'USER', 'OUTCOME', 'NEXT RUN', 'REMAINING'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  await write(`${[line(header), ...rows.map(line)].join('\n')}\n`);
  if (read.changes && read.changes.length > 0) await write(formatLockChanges(read.changes));
  if (read.damagedLines.length > 0) await write(`${read.damagedLines.length} damaged line(s): ${read.damagedLines.join(', ')} (treated as attempts)\n`);
  await write(`Ledger: ${ledger.path}\n`);
  return ExitCode.ok;
}

export async function ledgerForget(id: string, flags: { ledger?: string }): Promise<number> {
  const ledger = new Ledger(flags.ledger ?? defaultLedgerPath());
  const cleared = ledger.forget(id, new Date().toISOString());
  if (cleared === 0) {
    writeErr(`oneknock: no recorded attempt for ${id} in ${ledger.path} (see: oneknock ledger list)\n`);
    return ExitCode.usage;
  }
  await write(`Forgot ${cleared} attempt(s) on ${id}: the next run may knock once more.\n`);
  return ExitCode.ok;
}
