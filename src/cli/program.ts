/** argv → one command (docs/SAFETY.md "Commands"); the password-in-argv refusal comes before any parsing (S7). */
import { writeErr } from './write.js';
import { Command, CommanderError } from 'commander';
import { ExitCode, UsageError } from '../model/errors.js';
import { addScanOptions, type ScanFlags } from './options.js';
import { scanCommand } from './scan-command.js';
import { demoCommand } from './demo-command.js';
import { addSimulateOptions, simulateCommand } from './simulate-command.js';
import { ledgerForget, ledgerList } from './ledger-command.js';
import { addLockoutOptions, lockoutSetCommand, type LockoutFlags } from './lockout-command.js';

export async function runProgram(argv: string[]): Promise<number> {
  // docs/SAFETY.md S7: refuse a password in argv before anything else reads it (commander would echo it in errors).
  if (argv.some((a) => /^--password(=|$)/.test(a))) {
    throw new UsageError('there is no --password flag: a password in argv is visible to every user of this machine. Use --password-env VAR or --password-stdin.', 'E_PASSWORD_IN_ARGV');
  }
  let result: Promise<number> = Promise.resolve(ExitCode.ok);
  const program = new Command('oneknock')
    .description('Find IP cameras without credentials, then log in to each exactly once')
    .exitOverride()
    .configureOutput({ writeErr: (text) => writeErr(text) })
    .showHelpAfterError('(run oneknock --help for usage)');
  addScanOptions(program.command('scan', { isDefault: true }).description('scan the network (terminal UI on a TTY)')).action((flags: ScanFlags) => {
    result = scanCommand(flags);
  });
  addScanOptions(program.command('demo').description('start the built-in simulated fleet on loopback, then scan it')).action((flags: ScanFlags) => {
    result = demoCommand(flags);
  });
  addSimulateOptions(program.command('simulate').description('run the simulated fleet in the foreground; Ctrl-C stops')).action((flags: Parameters<typeof simulateCommand>[0]) => {
    result = simulateCommand(flags);
  });
  const ledgerCommand = program.command('ledger').description('the attempt ledger: every login attempt ever sent');
  ledgerCommand
    .command('list', { isDefault: true })
    .description('list recorded login attempts')
    .option('--ledger <path>', 'attempt ledger path')
    .option('--json', 'print the attempts as JSON')
    .action((flags: { ledger?: string; json?: boolean }) => {
      result = ledgerList(flags);
    });
  ledgerCommand
    .command('forget <id>')
    .description('allow one more attempt on a device (after fixing its credentials or unlocking it)')
    .option('--ledger <path>', 'attempt ledger path')
    .action((id: string, flags: { ledger?: string }) => {
      result = ledgerForget(id, flags);
    });
  const lockoutCommand = program.command('lockout').description("the devices' own lock settings (Illegal Login Lock)");
  addLockoutOptions(lockoutCommand.command('set [ids...]').description('change the lock setting: one login, one write and one read-back per device, after a plan and a confirmation')).action((ids: string[], flags: LockoutFlags) => {
    result = lockoutSetCommand(ids, flags);
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return ExitCode.ok;
      return ExitCode.usage;
    }
    throw error;
  }
  return result;
}
