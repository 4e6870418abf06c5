/**
 * The CLI's two sinks. Everything for stdout (the table, --json, --ndjson, `ledger list`) and stderr (warnings, the
 * plan, notes) goes through here, and here only is device-supplied text made terminal-safe (util/terminal-safe.ts;
 * JSON stays valid JSON with the same data).
 */
import { terminalSafe } from '../util/terminal-safe.js';

/** Writing to stdout with back-pressure (a pipe to `jq` or a file must get every byte of --json/--ndjson). */
export async function write(text: string): Promise<void> {
  if (!process.stdout.write(terminalSafe(text, { multiline: true }))) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
}

/** Writing to stderr (warnings, the plan, notes). */
export function writeErr(text: string): void {
  process.stderr.write(terminalSafe(text, { multiline: true }));
}
