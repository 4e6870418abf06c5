/**
 * argv → options; chooses the terminal UI (TTY) or --json/--ndjson; maps errors to exit codes (CONTRACT).
 * The only module allowed to write to the console.
 */
import { Command, CommanderError } from 'commander';
import { ExitCode, OneknockError, UsageError } from './core/errors.js';
import { expandTargets } from './core/targets.js';
import { runScan, type ScanOptions } from './core/scan.js';
import type { ScanEvent } from './core/events.js';
import { selectInterfaces } from './transport/interfaces.js';
import { ScanDocumentBuilder } from './output/json.js';
import { formatNdjsonLine } from './output/ndjson.js';
import { formatDeviceTable, formatPlan } from './output/table.js';
import { defaultFleetProfiles, startFleet, type Fleet } from './simulator/fleet.js';
import { createLoginPhase, type ConfirmationOutcome } from './core/login-phase.js';
import { loadCredentialsFile, passwordFromEnv, passwordFromStdin, type CredentialBook, type CredentialEntry } from './guard/credentials.js';
import { Ledger, defaultLedgerPath } from './guard/ledger.js';
import type { XprotectRow } from './output/xprotect-csv.js';
import { writeXprotectCsv } from './output/xprotect-csv.js';

interface ScanFlags {
  json?: boolean;
  ndjson?: boolean;
  wait: string;
  settle?: string;
  target: string[];
  multicast: boolean;
  interface: string[];
  timeout: string;
  concurrency: string;
  user?: string;
  passwordEnv?: string;
  passwordStdin?: boolean;
  credentials?: string;
  yes?: boolean;
  dryRun?: boolean;
  ledger?: string;
  csv?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function positiveInt(name: string, raw: string, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new UsageError(`${name} takes a whole number from 1 to ${max}, not "${raw}"`);
  }
  return value;
}

function addScanOptions(command: Command): Command {
  return command
    .option('--json', 'print one JSON document on stdout when done')
    .option('--ndjson', 'print one JSON event per line as things happen')
    .option('--wait <ms>', 'how long to listen for discovery answers', '3000')
    .option('--settle <ms>', 'finish discovery early once no new answer has arrived for this long (devices answer within 500 ms)')
    .option('--target <spec>', 'also probe these hosts by unicast: IPv4, IPv6, a.b.c.d-a.b.c.e, or CIDR (/16 or smaller); repeatable', collect, [])
    .option('--no-multicast', 'do not send multicast/broadcast probes; only --target hosts are probed')
    .option('--interface <name>', 'multicast on this interface only; repeatable', collect, [])
    .option('--user <name>', 'username of the one credential set')
    .option('--password-env <VAR>', 'take the password from environment variable VAR')
    .option('--password-stdin', 'read the password from the first line of stdin')
    .option('--credentials <file>', 'per-device credentials, CSV match,username,password (mode 0600)')
    .option('--yes', 'do not ask for confirmation; required for logins in non-interactive mode')
    .option('--dry-run', 'report the login plan and send no credential')
    .option('--ledger <path>', 'attempt ledger (default $ONEKNOCK_LEDGER, else $XDG_STATE_HOME/oneknock/ledger.jsonl)')
    .option('--csv <path>', 'write a Milestone XProtect import CSV of the devices whose login succeeded (mode 0600)')
    .option('--timeout <ms>', 'per-request timeout', '2000')
    .option('--concurrency <n>', 'maximum requests in flight', '64');
}

function scanOptionsFrom(flags: ScanFlags, extraTargets: string[] = []): ScanOptions {
  if (flags.json && flags.ndjson) throw new UsageError('--json and --ndjson are exclusive: choose one');
  const targets = expandTargets([...flags.target, ...extraTargets]);
  const interfaces = flags.multicast ? selectInterfaces(flags.interface) : [];
  if (!flags.multicast && flags.interface.length > 0) throw new UsageError('--interface has no effect with --no-multicast: drop one of them');
  if (!flags.multicast && targets.length === 0) throw new UsageError('--no-multicast without --target leaves nothing to probe: add --target <spec>');
  return {
    targets,
    interfaces,
    waitMs: positiveInt('--wait', flags.wait, 600_000),
    ...(flags.settle !== undefined ? { settleMs: positiveInt('--settle', flags.settle, 600_000) } : {}),
    timeoutMs: positiveInt('--timeout', flags.timeout, 600_000),
    concurrency: positiveInt('--concurrency', flags.concurrency, 4096),
  };
}

async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
}

async function consume(events: AsyncIterable<ScanEvent>, flags: ScanFlags): Promise<number> {
  const builder = new ScanDocumentBuilder();
  let loginFailed = false;
  const human = !flags.json && !flags.ndjson;
  for await (const event of events) {
    builder.add(event);
    if (event.type === 'login' && ['rejected', 'locked', 'error'].includes(event.status)) loginFailed = true;
    if (flags.ndjson) await write(formatNdjsonLine(event));
    if (human && event.type === 'warning') process.stderr.write(`warning: ${event.address ?? ''} ${event.message}\n`);
    if (human && event.type === 'plan' && flags.dryRun) await write(formatPlan(event.logins));
  }
  const document = builder.build();
  if (flags.json) await write(`${JSON.stringify(document, null, 2)}\n`);
  if (human) {
    await write(document.devices.length === 0 ? 'No devices found.\n' : formatDeviceTable(document.devices, process.stdout.columns ?? 200));
    await write(`${document.devices.length} device(s), ${document.warnings.length} warning(s)\n`);
  }
  return loginFailed ? ExitCode.loginFailed : ExitCode.ok;
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

async function runWithLogin(options: ScanOptions, flags: ScanFlags): Promise<number> {
  const book = await credentialBookFrom(flags);
  if (!book) {
    if (flags.csv) throw new UsageError('--csv lists devices whose login succeeded: give credentials (--user with --password-env/--password-stdin, or --credentials)');
    return consume(runScan(options), flags);
  }
  const csvRows: XprotectRow[] = [];
  let outcome = 'nothing-to-do' as ConfirmationOutcome;
  const phase = createLoginPhase({
    book,
    ledgerPath: flags.ledger ?? defaultLedgerPath(),
    dryRun: !!flags.dryRun,
    // Non-interactive: logins only with --yes (CONTRACT). The plan goes to stderr so --json stays clean.
    confirm: async (plan) => {
      if (flags.yes) return true;
      process.stderr.write(formatPlan(plan));
      process.stderr.write('Not logging in: add --yes to confirm, or --dry-run to only see the plan.\n');
      return false;
    },
    onSucceeded: (item, port) => {
      if (item.address && item.credentials) csvRows.push({ address: item.address, port, username: item.credentials.username, password: item.credentials.password, driverId: null });
    },
  });
  const code = await consume(runScan({ ...options, afterFingerprint: async (context) => { outcome = await phase.run(context); } }), flags);
  if (flags.dryRun && !flags.json && !flags.ndjson) process.stderr.write('Dry run: no credential was sent.\n');
  if (flags.csv && outcome === 'confirmed') {
    writeXprotectCsv(flags.csv, csvRows);
    process.stderr.write(`Wrote ${csvRows.length} device(s) to ${flags.csv} (mode 0600).\n`);
  }
  if (outcome === 'declined') return ExitCode.confirmationRequired;
  return code;
}

/** The terminal UI when stdout is a TTY and neither --json nor --ndjson (CONTRACT); React is loaded only here. */
function wantsInteractive(flags: ScanFlags): boolean {
  return !flags.json && !flags.ndjson && process.stdout.isTTY === true && process.stdin.isTTY === true && !flags.yes && !flags.dryRun && !flags.passwordStdin && !flags.passwordEnv;
}

async function interactive(options: ScanOptions, flags: ScanFlags): Promise<number> {
  // Ink renders nothing until exit when it believes it runs in CI (is-in-ci reads CI / CONTINUOUS_INTEGRATION at
  // import). We only get here with a TTY on both ends, so a person (or a pty test) is watching: render.
  delete process.env['CI'];
  delete process.env['CONTINUOUS_INTEGRATION'];
  const { runInteractive } = await import('./ui/run-ui.js');
  const fileEntries = flags.credentials ? loadCredentialsFile(flags.credentials) : undefined;
  const { loginFailed } = await runInteractive({
    scan: options,
    ledgerPath: flags.ledger ?? defaultLedgerPath(),
    ...(flags.user ? { defaultUser: flags.user } : {}),
    ...(fileEntries ? { fileEntries } : {}),
  });
  return loginFailed ? ExitCode.loginFailed : ExitCode.ok;
}

async function scanCommand(flags: ScanFlags): Promise<number> {
  const options = scanOptionsFrom(flags);
  if (wantsInteractive(flags)) return interactive(options, flags);
  return runWithLogin(options, flags);
}

async function demoCommand(flags: ScanFlags): Promise<number> {
  // The demo never touches the machine's real interfaces: loopback fleet, unicast only (DEVELOPERS.md rules).
  if (flags.interface.length > 0) throw new UsageError('demo scans only its loopback fleet: --interface is not accepted');
  let fleet: Fleet;
  try {
    fleet = await startFleet({ subnet: '127.77.0' });
  } catch (error) {
    throw new OneknockError('E_FLEET', `cannot start the simulated fleet on 127.77.0.x: ${(error as Error).message} (is another demo or simulate running?)`);
  }
  try {
    const options = scanOptionsFrom({ ...flags, multicast: false }, fleet.addresses);
    if (wantsInteractive(flags)) return await interactive(options, flags);
    if (!flags.json && !flags.ndjson) process.stderr.write(`Simulated fleet: ${fleet.devices.length} devices on ${fleet.addresses[0]}–${fleet.addresses.at(-1)} (loopback only)\n`);
    return await runWithLogin(options, flags);
  } finally {
    await fleet.stop();
  }
}

interface SimulateFlags {
  subnet: string;
  controlPort: string;
  profile: string[];
  count?: string;
  httpPort?: string;
  multicastInterface?: string;
  multicastInterfaceName?: string;
  ipv6Prefix?: string;
}

function repeatProfiles(profiles: string[] | undefined, count: number): string[] {
  const base = profiles ?? defaultFleetProfiles();
  return Array.from({ length: count }, (_, i) => base[i % base.length]!);
}

async function simulateCommand(flags: SimulateFlags): Promise<number> {
  const profiles = flags.profile.length > 0 ? flags.profile : undefined;
  const count = flags.count ? positiveInt('--count', flags.count, 4000) : undefined;
  const fleet = await startFleet({
    subnet: flags.subnet,
    ...(count ? { profiles: repeatProfiles(profiles, count) } : {}),
    ...(flags.httpPort !== undefined ? { httpPort: Number(flags.httpPort) } : {}),
    ...(flags.multicastInterface ? { multicast: { interfaceAddress: flags.multicastInterface, ...(flags.multicastInterfaceName ? { interfaceName: flags.multicastInterfaceName } : {}) } } : {}),
    ...(flags.ipv6Prefix ? { ipv6Prefix: flags.ipv6Prefix } : {}),
    control: { address: '127.0.0.1', port: Number(flags.controlPort) },
    ...(profiles && !count ? { profiles } : {}),
  });
  console.log(`Simulated fleet running${flags.multicastInterface ? ` (answering multicast on ${flags.multicastInterface})` : ' (loopback only)'}. Ctrl-C stops it.`);
  for (const device of fleet.devices) {
    console.log(`  ${device.address.padEnd(15)} ${device.profile.name.padEnd(32)} ${device.onvifUrl}`);
  }
  console.log(`Counters: ${fleet.controlUrl}`);
  console.log(`Scan it:  oneknock scan --no-multicast --target ${fleet.addresses[0]}-${fleet.addresses.at(-1)}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await fleet.stop();
  return ExitCode.ok;
}

async function ledgerList(flags: { ledger?: string; json?: boolean }): Promise<number> {
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

async function ledgerForget(id: string, flags: { ledger?: string }): Promise<number> {
  const ledger = new Ledger(flags.ledger ?? defaultLedgerPath());
  const cleared = ledger.forget(id, new Date().toISOString());
  if (cleared === 0) {
    process.stderr.write(`oneknock: no recorded attempt for ${id} in ${ledger.path} (see: oneknock ledger list)\n`);
    return ExitCode.usage;
  }
  await write(`Forgot ${cleared} attempt(s) on ${id}: the next run may knock once more.\n`);
  return ExitCode.ok;
}

export async function main(argv: string[]): Promise<number> {
  // CONTRACT S7: refuse a password in argv before anything else reads it (commander would echo it in errors).
  if (argv.some((a) => /^--password(=|$)/.test(a))) {
    throw new UsageError('there is no --password flag: a password in argv is visible to every user of this machine. Use --password-env VAR or --password-stdin.', 'E_PASSWORD_IN_ARGV');
  }
  let result: Promise<number> = Promise.resolve(ExitCode.ok);
  const program = new Command('oneknock')
    .description('Find IP cameras without credentials, then log in to each exactly once')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .showHelpAfterError('(run oneknock --help for usage)');
  addScanOptions(program.command('scan', { isDefault: true }).description('scan the network (terminal UI on a TTY)')).action((flags: ScanFlags) => {
    result = scanCommand(flags);
  });
  addScanOptions(program.command('demo').description('start the built-in simulated fleet on loopback, then scan it')).action((flags: ScanFlags) => {
    result = demoCommand(flags);
  });
  program
    .command('simulate')
    .description('run the simulated fleet in the foreground; Ctrl-C stops')
    .option('--subnet <a.b.c>', 'first three octets of the loopback addresses', '127.77.0')
    .option('--control-port <port>', 'port of the counters API on 127.0.0.1', '0')
    .option('--profile <name>', 'only these profiles (fixtures/profiles); repeatable', collect, [])
    .option('--count <n>', 'this many devices, cycling through the profiles (addresses continue past .255 into the next /24)')
    .option('--http-port <port>', 'HTTP port of every device (default 80 as root, else ephemeral)')
    .option('--multicast-interface <address>', 'also answer multicast probes on the interface with this address (for network-namespace tests only)')
    .option('--multicast-interface-name <name>', 'that interface\'s name, to answer IPv6 multicast (ff02::c) too')
    .option('--ipv6-prefix <prefix>', 'also give each device the IPv6 address <prefix><host number in hex>, e.g. fd00:198:18:7::')
    .action((flags: SimulateFlags) => {
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

function reportError(error: unknown): number {
  if (error instanceof OneknockError) {
    console.error(`oneknock: ${error.message}`);
    return error.exitCode;
  }
  console.error(`oneknock: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
  return ExitCode.fatal;
}

void main(process.argv)
  .catch(reportError)
  .then((code) => {
    process.exitCode = code;
    // Give stdout a chance to drain, then leave even if a stray handle lingers.
    process.stdout.write('', () => process.exit(code));
  });
