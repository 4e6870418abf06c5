/** The scan's flags (docs/SAFETY.md "Scan options"), shared by `scan` and `demo`, and their validation into ScanOptions. */
import type { Command } from 'commander';
import { UsageError } from '../model/errors.js';
import { parseTargets, selectInterfaces, type ScanOptions } from '../index.js';
import { currentPlatform, isWindows } from '../guard/platform.js';

export interface ScanFlags {
  json?: boolean;
  ndjson?: boolean;
  wait: string;
  settle?: string;
  rate?: string;
  target: string[];
  multicast: boolean;
  interface: string[];
  timeout: string;
  concurrency: string;
  user?: string;
  passwordEnv?: string;
  passwordStdin?: boolean;
  credentials?: string;
  credentialsAclUnchecked?: boolean;
  yes?: boolean;
  dryRun?: boolean;
  ledger?: string;
  csv?: string;
  export: string[];
  milestoneDrivers?: string;
  allowDriverDetection?: boolean;
  recordingServer?: string;
  waitUnlock?: boolean;
}

export const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function positiveInt(name: string, raw: string, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new UsageError(`${name} takes a whole number from 1 to ${max}, not "${raw}"`);
  }
  return value;
}

export function addScanOptions(command: Command): Command {
  return command
    .option('--json', 'print one JSON document on stdout when done')
    .option('--ndjson', 'print one JSON event per line as things happen')
    .option('--wait <ms>', 'how long to listen for discovery answers (with --target: after the last address is probed)', '3000')
    .option('--settle <ms>', 'finish discovery early once no new answer has arrived for this long after the last address was probed (devices answer within 500 ms)')
    .option('--rate <n>', 'new --target addresses probed per second at most (default 4000); on-link ones are also paced to fit the neighbour table')
    .option('--target <spec>', 'also probe these hosts by unicast: IPv4, IPv6, a.b.c.d-a.b.c.e, or CIDR (/16 or smaller); repeatable', collect, [])
    .option('--no-multicast', 'do not send multicast/broadcast probes; only --target hosts are probed')
    .option('--interface <name>', 'multicast on this interface only; repeatable', collect, [])
    .option('--user <name>', 'username of the one credential set')
    .option('--password-env <VAR>', 'take the password from environment variable VAR')
    .option('--password-stdin', 'read the password from the first line of stdin')
    .option('--credentials <file>', 'per-device credentials, CSV match,username,password (owner-only: mode 0600, or on Windows an ACL for you alone)')
    .option('--credentials-acl-unchecked', 'Windows: accept --credentials when its access list cannot be read (no working icacls); you vouch only you can read it')
    .option('--yes', 'do not ask for confirmation; required for logins in non-interactive mode')
    .option('--dry-run', 'report the login plan and send no credential')
    .option('--wait-unlock', 'a device locked for this host gets its one knock once the lock has expired and it says unlocked, instead of being skipped')
    .option('--ledger <path>', 'attempt ledger (default $ONEKNOCK_LEDGER, else ledger.jsonl in %LOCALAPPDATA%\\oneknock on Windows, ~/Library/Application Support/oneknock on macOS, $XDG_STATE_HOME/oneknock)')
    .option('--csv <path>', 'same as --export xprotect=<path>')
    .option('--export <kind>=<path>', 'write an export: xprotect, pstools, go2rtc, frigate (hold the password, owner-only), inventory, json; repeatable', collect, [])
    .option('--milestone-drivers <file>', 'Milestone driver list: Get-VmsRecordingServer | Get-VmsHardwareDriver | Export-Csv <file>')
    .option('--allow-driver-detection', 'write Milestone rows without a driver number (XProtect then probes the device with its drivers\' logons)')
    .option('--recording-server <name>', 'RecordingServer column of the pstools export')
    .option('--timeout <ms>', 'per-request timeout', '2000')
    .option('--concurrency <n>', 'maximum requests in flight', '64');
}

export function scanOptionsFrom(flags: ScanFlags, extraTargets: string[] = []): ScanOptions {
  if (flags.json && flags.ndjson) throw new UsageError('--json and --ndjson are exclusive: choose one');
  const targets = parseTargets([...flags.target, ...extraTargets]);
  const interfaces = flags.multicast ? selectInterfaces(flags.interface, undefined, { zoneByIndex: isWindows(currentPlatform()) }) : [];
  if (!flags.multicast && flags.interface.length > 0) throw new UsageError('--interface has no effect with --no-multicast: drop one of them');
  if (!flags.multicast && targets.size === 0) throw new UsageError('--no-multicast without --target leaves nothing to probe: add --target <spec>');
  return {
    targets,
    interfaces,
    waitMs: positiveInt('--wait', flags.wait, 600_000),
    ...(flags.settle !== undefined ? { settleMs: positiveInt('--settle', flags.settle, 600_000) } : {}),
    ...(flags.rate !== undefined ? { sweepRate: positiveInt('--rate', flags.rate, 1_000_000) } : {}),
    timeoutMs: positiveInt('--timeout', flags.timeout, 600_000),
    concurrency: positiveInt('--concurrency', flags.concurrency, 4096),
  };
}
