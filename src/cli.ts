/**
 * argv → options; chooses the terminal UI (TTY) or --json/--ndjson; maps errors to exit codes (CONTRACT).
 * The only module allowed to write to the console.
 */
import { Command, CommanderError, Option } from 'commander';
import { ExitCode, OneknockError, UsageError } from './core/errors.js';
import { expandTargets } from './core/targets.js';
import { runScan, type ScanOptions } from './core/scan.js';
import type { ScanEvent } from './core/events.js';
import { selectInterfaces } from './transport/interfaces.js';
import { ScanDocumentBuilder } from './output/json.js';
import { formatNdjsonLine } from './output/ndjson.js';
import { formatDeviceTable } from './output/table.js';
import { startFleet, type Fleet } from './simulator/fleet.js';

interface ScanFlags {
  json?: boolean;
  ndjson?: boolean;
  wait: string;
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
    .option('--concurrency <n>', 'maximum requests in flight', '64')
    .addOption(new Option('--password <password>').hideHelp());
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
  }
  const document = builder.build();
  if (flags.json) await write(`${JSON.stringify(document, null, 2)}\n`);
  if (human) {
    await write(document.devices.length === 0 ? 'No devices found.\n' : formatDeviceTable(document.devices, process.stdout.columns ?? 200));
    await write(`${document.devices.length} device(s), ${document.warnings.length} warning(s)\n`);
  }
  return loginFailed ? ExitCode.loginFailed : ExitCode.ok;
}

async function scanCommand(flags: ScanFlags): Promise<number> {
  const options = scanOptionsFrom(flags);
  return consume(runScan(options), flags);
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
    if (!flags.json && !flags.ndjson) process.stderr.write(`Simulated fleet: ${fleet.devices.length} devices on ${fleet.addresses[0]}–${fleet.addresses.at(-1)} (loopback only)\n`);
    const options = scanOptionsFrom({ ...flags, multicast: false }, fleet.addresses);
    return await consume(runScan(options), flags);
  } finally {
    await fleet.stop();
  }
}

async function simulateCommand(flags: { subnet: string; controlPort: string; profile: string[] }): Promise<number> {
  const fleet = await startFleet({
    subnet: flags.subnet,
    control: { address: '127.0.0.1', port: Number(flags.controlPort) },
    ...(flags.profile.length > 0 ? { profiles: flags.profile } : {}),
  });
  console.log(`Simulated fleet running (loopback only). Ctrl-C stops it.`);
  for (const device of fleet.devices) {
    console.log(`  ${device.address.padEnd(15)} ${device.profile.name.padEnd(32)} ${device.onvifUrl}`);
  }
  console.log(`Counters: ${fleet.controlUrl}`);
  console.log(`Scan it:  oneknock scan --no-multicast --target ${fleet.addresses[0]}-${fleet.addresses.at(-1)!.split('.').at(-1)}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await fleet.stop();
  return ExitCode.ok;
}

export async function main(argv: string[]): Promise<number> {
  if (argv.some((a) => a === '--password' || a.startsWith('--password='))) {
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
    .action((flags: { subnet: string; controlPort: string; profile: string[] }) => {
      result = simulateCommand(flags);
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

main(process.argv)
  .catch(reportError)
  .then((code) => {
    process.exitCode = code;
    // Give stdout a chance to drain, then leave even if a stray handle lingers.
    process.stdout.write('', () => process.exit(code));
  });
