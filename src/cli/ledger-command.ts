/** `oneknock ledger list | forget <id>`: every login attempt ever sent, and the one way to allow another. */
import { ExitCode } from '../model/errors.js';
import { Ledger, defaultLedgerPath } from '../index.js';
import { write, writeErr } from './write.js';

export async function ledgerList(flags: { ledger?: string; json?: boolean }): Promise<number> {
  const ledger = new Ledger(flags.ledger ?? defaultLedgerPath());
  const read = ledger.read();
  if (flags.json) {
    await write(`${JSON.stringify({ ledger: ledger.path, attempts: read.attempts, damagedLines: read.damagedLines }, null, 2)}\n`);
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
