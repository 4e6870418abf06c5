/**
 * The process entry (bin/oneknock.js): run the program, map faults to exit codes (docs/SAFETY.md "Exit codes").
 * cli/ is the only folder that writes to the terminal, always through write.ts (terminal-safe); nothing in src/ uses the console API.
 */
import { ExitCode, OneknockError } from '../model/errors.js';
import { runProgram } from './program.js';
import { writeErr } from './write.js';
import { limitHeapGrowth } from './heap.js';

limitHeapGrowth();

function reportError(error: unknown): number {
  if (error instanceof OneknockError) {
    writeErr(`oneknock: ${error.message}\n`);
    return error.exitCode;
  }
  writeErr(`oneknock: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  return ExitCode.fatal;
}

void runProgram(process.argv)
  .catch(reportError)
  .then((code) => {
    process.exitCode = code;
    // Give stdout a chance to drain, then leave even if a stray handle lingers.
    process.stdout.write('', () => process.exit(code));
  });
