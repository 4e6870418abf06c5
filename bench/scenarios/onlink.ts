/**
 * On-link /16: N devices (default 2,000) scattered over 198.18.0.0/16 in a fleet namespace, joined to a scanner
 * namespace (198.18.0.1/16) by one veth, no gateway, the kernel's neighbour settings at their defaults
 * (bench/lib/onlink-net.ts). The built CLI sweeps the whole /16 by unicast; every probe to a new address makes the
 * scanner's kernel resolve a neighbour (ARP), and the IPv4 neighbour table holds at most gc_thresh3 entries — for
 * the whole host. Reported per run: found / fingerprinted, phase times, CPU, peak RSS, UDP datagrams sent and
 * dropped, and the neighbour-table counters (bench/lib/kernel-counters.ts), overflows (`table_fulls`) included.
 *
 * Side by side on the same fleet: `nmap -sn` (an ARP ping sweep; nmap sends raw ARP itself, so the kernel's table is
 * hardly used) and `nmap -sU -p 3702` with a WS-Discovery Probe as the payload (it ARP-pings first, then probes only
 * the hosts that are up), each under /usr/bin/time for its CPU and peak RSS.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createOnlinkNetwork, ONLINK_PREFIX, ONLINK_SEED, type OnlinkNetwork } from '../lib/onlink-net.js';
import { startSplitFleet } from '../lib/fleet.js';
import { expectedDevices, fleetProfiles, type ExpectedDevice } from '../lib/judge.js';
import { runCliScan } from '../lib/oneknock-cli.js';
import { run } from '../lib/proc.js';
import { parseTimeOutput, TIME_FORMAT } from '../lib/gnu-time.js';
import { linkDelta, readLink, readNeighSysctls, readSnmp, sampleNeighbours, snmpDelta, type LinkCounters, type NeighbourFigures, type SnmpCounters } from '../lib/kernel-counters.js';
import { figures, type ScanFigures } from './speed.js';

/**
 * One oneknock sweep of the /16 may take minutes (on-link, every send waits on ARP): a run still going after this
 * long is stopped and reported with what it had heard by then.
 */
export const ONLINK_SCAN_TIMEOUT_MS = 10 * 60_000;
/** Each nmap run of the /16. */
export const ONLINK_NMAP_TIMEOUT_MS = 15 * 60_000;
const FLEET_READY_MS = 180_000;

/** The longest the scenario can take (every run hitting its deadline), for run.ts's overall budget. */
export function onlinkBudgetMs(reps: number, nmapReps: number): number {
  return reps * (ONLINK_SCAN_TIMEOUT_MS + 15_000) + nmapReps * 2 * (ONLINK_NMAP_TIMEOUT_MS + 15_000) + FLEET_READY_MS + 60_000;
}

/**
 * The payload of the nmap UDP run: a WS-Discovery Probe for NetworkVideoTransmitter, what the simulated devices (and
 * cameras) answer. Debian's nmap 7.93 has no 3702 entry in nmap-payloads and would send an empty datagram, which no
 * WS-Discovery responder answers (every device would read "open|filtered"); given explicitly, the probe is the same
 * whatever nmap version runs.
 */
export const WS_DISCOVERY_PROBE =
  '<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" ' +
  'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header>' +
  '<a:MessageID>urn:uuid:0e4ec0c0-0000-4000-8000-000000003702</a:MessageID><a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>' +
  '<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action></s:Header><s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>';

/** What the kernel counted in the scanner namespace over one run. */
export interface KernelFigures {
  /** Host-wide neighbour-table figures (the table is shared by every namespace). */
  neighbour: NeighbourFigures;
  /** The scanner namespace's /proc/net/snmp deltas (only the measured program runs there). */
  snmp: SnmpCounters | null;
  /** The scanner's veth: packets sent (ARP included) and dropped because the fleet side's backlog was full. */
  link: LinkCounters | null;
}

export interface OnlinkScanRun {
  rep: number;
  /** Null when the run failed (then `error` says why). */
  scan: ScanFigures | null;
  error: string | null;
  /** Still running at ONLINK_SCAN_TIMEOUT_MS: stopped there; `scan` holds what it had heard (CPU and RSS read from /proc). */
  stoppedAtDeadline: boolean;
  /** Fleet devices heard by each minute after "discovery started" (index 0 = by 1 min), up to the end of the run. */
  foundByMinute: number[];
  /** When the last fleet device was first heard, ms after "discovery started". */
  lastDeviceHeardMs: number | null;
  /** The first message of each warning code the scan reported. */
  warningSamples: Record<string, string>;
  kernel: KernelFigures;
}

export interface OnlinkNmapRun {
  rep: number;
  wallMs: number;
  cpuMs: number | null;
  maxRssMb: number | null;
  exitCode: number | null;
  timedOut: boolean;
  /** Every host nmap reported up (the scanner's own address and the fleet's base address included). */
  hostsUp: number;
  /** Fleet device addresses reported up (-sn) or with 3702 open (-sU). */
  found: number;
  expected: number;
  /** -sU: hosts per state of port 3702 (open, closed, open|filtered, …). */
  portStates: Record<string, number>;
  /** nmap's own closing line ("… scanned in N seconds"). */
  summary: string | null;
  note: string | null;
  kernel: KernelFigures;
}

export interface OnlinkResult {
  devices: number;
  prefix: string;
  /** 65,534: the /16 without its network and broadcast addresses. */
  sweptAddresses: number;
  scannerAddress: string;
  baseAddress: string;
  seed: number;
  /** The first few device addresses, to show the scatter. */
  addressSample: string[];
  waitMs: number;
  networkSetupMs: number;
  fleetStartMs: number;
  wsDiscoveryDevices: number;
  /** net.ipv4.neigh.default.* and the scanner interface's own copy of them (ms and bytes as the kernel names them). */
  sysctls: { default: Record<string, number | null>; scannerInterface: Record<string, number | null> | null };
  /** Whether the installed nmap's nmap-payloads has a payload for UDP 3702 (null: file not found). */
  nmapPayloadHas3702: boolean | null;
  timeouts: { oneknockMs: number; nmapMs: number };
  oneknockCommand: string;
  fleetCommand: string;
  nmapPingCommand: string;
  nmapUdpCommand: string;
  oneknock: OnlinkScanRun[];
  nmapPing: OnlinkNmapRun[];
  nmapUdp: OnlinkNmapRun[];
}

/** Does any `udp <ports>` line of nmap-payloads cover port 3702? */
function nmapPayloadCovers(port: number): boolean | null {
  let text: string;
  try {
    text = readFileSync('/usr/share/nmap/nmap-payloads', 'utf8');
  } catch {
    return null;
  }
  for (const match of text.matchAll(/^udp\s+([\d,-]+)/gm)) {
    for (const part of match[1]!.split(',')) {
      const [from, to] = part.split('-').map(Number) as [number, number | undefined];
      if (port === from || (to !== undefined && port >= from && port <= to)) return true;
    }
  }
  return false;
}

/** Empty the scanner namespace's neighbour table (entries left from the previous run would spare this one its ARP). */
async function flushNeighbours(network: OnlinkNetwork): Promise<void> {
  try {
    execFileSync('ip', ['-n', network.scanner, 'neigh', 'flush', 'all'], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    // nothing to flush
  }
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const left = execFileSync('ip', ['-n', network.scanner, '-4', 'neigh', 'show'], { encoding: 'utf8', timeout: 5_000 }).trim();
    if (left === '') return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function measured<T>(network: OnlinkNetwork, body: () => Promise<T>): Promise<{ value: T; kernel: KernelFigures }> {
  await flushNeighbours(network);
  const snmpBefore = readSnmp(network.scanner);
  const linkBefore = readLink(network.scanner, network.scannerInterface);
  const sampler = sampleNeighbours(network.scanner);
  let value: T;
  try {
    value = await body();
  } catch (error) {
    await sampler.stop();
    throw error;
  }
  const neighbour = await sampler.stop();
  return { value, kernel: { neighbour, snmp: snmpDelta(snmpBefore, readSnmp(network.scanner)), link: linkDelta(linkBefore, readLink(network.scanner, network.scannerInterface)) } };
}

function grepable(stdout: string): { up: string[]; ports: Map<string, string> } {
  const up = [...stdout.matchAll(/^Host: (\S+) .*Status: Up/gm)].map((m) => m[1]!);
  const ports = new Map<string, string>();
  for (const m of stdout.matchAll(/^Host: (\S+) .*Ports: 3702\/([^/]+)\//gm)) ports.set(m[1]!, m[2]!);
  return { up, ports };
}

async function runNmap(network: OnlinkNetwork, rep: number, args: string[], expected: ExpectedDevice[], mode: 'ping' | 'udp', log: (line: string) => void): Promise<OnlinkNmapRun> {
  const fleetAddresses = new Set(network.deviceAddresses);
  const { value: finished, kernel } = await measured(network, () =>
    run('/usr/bin/time', ['-f', TIME_FORMAT, 'nmap', ...args, '-oG', '-', ONLINK_PREFIX], { namespace: network.scanner, timeoutMs: ONLINK_NMAP_TIMEOUT_MS }),
  );
  const usage = parseTimeOutput(finished.stderr);
  const { up, ports } = grepable(finished.stdout);
  const portStates: Record<string, number> = {};
  for (const state of ports.values()) portStates[state] = (portStates[state] ?? 0) + 1;
  const found = mode === 'ping' ? up.filter((a) => fleetAddresses.has(a)).length : [...ports].filter(([a, state]) => state === 'open' && fleetAddresses.has(a)).length;
  const expectedCount = mode === 'ping' ? expected.length : expected.filter((d) => d.channels.includes('ws-discovery')).length;
  const summary = /^# Nmap done at .*$/m.exec(finished.stdout)?.[0].replace(/^# Nmap done at [^-]*-- /, '') ?? null;
  const result: OnlinkNmapRun = {
    rep,
    wallMs: finished.wallMs,
    cpuMs: usage.cpuMs,
    maxRssMb: usage.maxRssMb,
    exitCode: finished.code,
    timedOut: finished.timedOut,
    hostsUp: up.length,
    found,
    expected: expectedCount,
    portStates,
    summary,
    note: finished.timedOut ? `killed at its ${ONLINK_NMAP_TIMEOUT_MS / 60_000}-minute deadline` : finished.code !== 0 ? `exit ${finished.code}: ${finished.stderr.slice(-300)}` : null,
    kernel,
  };
  const n = kernel.neighbour;
  log(`onlink: nmap ${mode === 'ping' ? '-sn' : '-sU -p 3702'} rep ${rep}: found ${found}/${expectedCount} (${up.length} hosts up${mode === 'udp' ? `; 3702 ${JSON.stringify(portStates)}` : ''}), wall ${Math.round(finished.wallMs)} ms, cpu ${Math.round(usage.cpuMs ?? NaN)} ms, rss ${usage.maxRssMb?.toFixed(1)} MB, neighbour allocs ${n.delta?.['allocs'] ?? '?'}, table_fulls ${n.delta?.['table_fulls'] ?? '?'}${result.note ? ` (${result.note})` : ''}`);
  return result;
}

export async function runOnlink(
  devices: number,
  reps: number,
  nmapReps: number,
  waitMs: number,
  nmapInstalled: boolean,
  log: (line: string) => void,
  register: (network: { destroy(): void }) => void,
): Promise<OnlinkResult> {
  const network = createOnlinkNetwork('ol', devices);
  register(network);
  log(`onlink: ${devices} addresses on ${network.fleet}, scanner ${network.scannerAddress} on ${network.scanner} (set up in ${Math.round(network.setupMs)} ms)`);
  const sysctls = readNeighSysctls(network.scanner, network.scannerInterface);
  const profiles = fleetProfiles(devices);
  const begin = performance.now();
  const fleet = await startSplitFleet(
    { profiles, addresses: network.deviceAddresses, httpPort: 80, lifetimeMs: onlinkBudgetMs(reps, nmapReps) },
    { namespace: network.fleet, readyTimeoutMs: FLEET_READY_MS },
  );
  const fleetStartMs = performance.now() - begin;
  const args = ['scan', '--no-multicast', '--target', ONLINK_PREFIX, '--ndjson', '--wait', String(waitMs)];
  const pingArgs = ['-sn', '-n'];
  const udpArgs = ['-sU', '-p', '3702', '-n', '-T4', '--max-retries', '1', '--data-string', WS_DISCOVERY_PROBE];
  const result: OnlinkResult = {
    devices,
    prefix: ONLINK_PREFIX,
    sweptAddresses: 65_534,
    scannerAddress: network.scannerAddress,
    baseAddress: network.baseAddress,
    seed: ONLINK_SEED,
    addressSample: network.deviceAddresses.slice(0, 6),
    waitMs,
    networkSetupMs: network.setupMs,
    fleetStartMs,
    wsDiscoveryDevices: 0,
    sysctls,
    nmapPayloadHas3702: nmapPayloadCovers(3702),
    timeouts: { oneknockMs: ONLINK_SCAN_TIMEOUT_MS, nmapMs: ONLINK_NMAP_TIMEOUT_MS },
    oneknockCommand: `ip netns exec <scanner-ns> node bench/.build/cli/main.js ${args.join(' ')}`,
    fleetCommand: `ip netns exec <fleet-ns> node --import tsx bench/fleet-child.ts   (BENCH_FLEET: ${devices} × the demo profiles cycled, httpPort 80, the scattered addresses)`,
    nmapPingCommand: `ip netns exec <scanner-ns> /usr/bin/time -f '${TIME_FORMAT}' nmap ${pingArgs.join(' ')} -oG - ${ONLINK_PREFIX}`,
    nmapUdpCommand: `ip netns exec <scanner-ns> /usr/bin/time -f '${TIME_FORMAT}' nmap ${udpArgs.slice(0, -1).join(' ')} '<a WS-Discovery Probe, ${Buffer.byteLength(WS_DISCOVERY_PROBE)} bytes: bench/scenarios/onlink.ts WS_DISCOVERY_PROBE>' -oG - ${ONLINK_PREFIX}`,
    oneknock: [],
    nmapPing: [],
    nmapUdp: [],
  };
  try {
    const expected = await expectedDevices(fleet);
    result.wsDiscoveryDevices = expected.filter((d) => d.channels.includes('ws-discovery')).length;
    log(`onlink: fleet of ${expected.length} up in ${Math.round(fleetStartMs)} ms; neighbour defaults ${JSON.stringify(sysctls.default)}`);
    for (let rep = 1; rep <= reps; rep++) {
      const { value, kernel } = await measured(network, async (): Promise<Omit<OnlinkScanRun, 'rep' | 'kernel'>> => {
        try {
          const cli = await runCliScan(args, { namespace: network.scanner, stopAtMs: ONLINK_SCAN_TIMEOUT_MS, timeoutMs: ONLINK_SCAN_TIMEOUT_MS + 30_000 });
          const heard = expected.map((d) => cli.firstHeardMs[d.address]).filter((t): t is number => t !== undefined);
          const minutes = Math.ceil(Math.min(cli.wallMs, ONLINK_SCAN_TIMEOUT_MS) / 60_000);
          return {
            scan: figures(rep, cli, expected),
            error: null,
            stoppedAtDeadline: cli.stoppedAtDeadline,
            foundByMinute: Array.from({ length: minutes }, (_, i) => heard.filter((t) => t <= (i + 1) * 60_000).length),
            lastDeviceHeardMs: heard.length ? Math.max(...heard) : null,
            warningSamples: cli.warningSamples,
          };
        } catch (failure) {
          return { scan: null, error: (failure as Error).message.split('\n')[0]!, stoppedAtDeadline: false, foundByMinute: [], lastDeviceHeardMs: null, warningSamples: {} };
        }
      });
      result.oneknock.push({ rep, ...value, kernel });
      const r = value.scan;
      const error = value.error;
      const n = kernel.neighbour.delta;
      log(
        r
          ? `onlink: oneknock rep ${rep}${value.stoppedAtDeadline ? ` (stopped at the ${ONLINK_SCAN_TIMEOUT_MS / 60_000}-minute deadline)` : ''}: found ${r.found}/${devices} (by minute: ${value.foundByMinute.join(', ')}), fingerprinted ${r.fingerprinted}, discovery done ${r.discoveryFinishedMs} ms, fingerprint done ${r.fingerprintFinishedMs} ms, wall ${Math.round(r.wallMs)} ms, cpu ${Math.round((r.userCpuMs ?? 0) + (r.systemCpuMs ?? 0))} ms, rss ${r.maxRssMb?.toFixed(1)} MB, udp out ${kernel.snmp?.udp['OutDatagrams'] ?? '?'}, neighbour allocs ${n?.['allocs'] ?? '?'}, res_failed ${n?.['res_failed'] ?? '?'}, table_fulls ${n?.['table_fulls'] ?? '?'}, peak entries ${kernel.neighbour.peakEntries}`
          : `onlink: oneknock rep ${rep} failed: ${error}`,
      );
    }
    if (!nmapInstalled) {
      log('onlink: nmap is not installed: the nmap rows are skipped');
    } else {
      for (let rep = 1; rep <= nmapReps; rep++) {
        result.nmapPing.push(await runNmap(network, rep, pingArgs, expected, 'ping', log));
        result.nmapUdp.push(await runNmap(network, rep, udpArgs, expected, 'udp', log));
      }
    }
  } finally {
    await fleet.stop();
    network.destroy();
  }
  return result;
}
