/**
 * Speed and scale. Unicast: the fleet (N devices on 127.90.x.y, its own process) swept by the built CLI with
 * `--no-multicast --target <range>`; wall time, phase times from the NDJSON events, CPU time and peak RSS of the
 * scanner process alone. Multicast: 100 devices in a network namespace, answering after up to 500 ms
 * (APP_MAX_DELAY), found by oneknock, node-onvif-ts's startProbe() and `nmap --script broadcast-wsdd-discover`,
 * each run inside the scanner namespace.
 */
import { join } from 'node:path';
import { hostAddress } from '../../src/simulator/fleet.js';
import { loadProfile } from '../../src/simulator/profile.js';
import { createTestNetwork, type TestNetwork } from '../../test/support/netns.js';
import { fleetCpuMs, startFleetChild, startSplitFleet } from '../lib/fleet.js';
import { runCliScan, type CliScan } from '../lib/oneknock-cli.js';
import { run } from '../lib/proc.js';
import { benchRoot, repoRoot } from '../lib/paths.js';
import type { SocketDrops } from '../lib/udp-drops.js';
import { expectedDevices, fleetProfiles, judge, type ExpectedDevice, type Judged } from '../lib/judge.js';
import { parseTimeOutput, TIME_FORMAT } from '../lib/gnu-time.js';

export const UNICAST_SUBNET = '127.90.0';
export const MULTICAST_SUBNET = '198.18.50';

/** One scan's figures; found / fingerprinted / missing / byChannel as bench/lib/judge.ts counts them. */
export interface ScanFigures extends Judged {
  rep: number;
  wallMs: number;
  uptimeMs: number | null;
  userCpuMs: number | null;
  systemCpuMs: number | null;
  maxRssMb: number | null;
  /** The largest V8 heap committed (total_heap_size), sampled every 100 ms. */
  peakHeapMb?: number | null;
  discoveryFinishedMs: number | null;
  fingerprintFinishedMs: number | null;
  doneMs: number | null;
  lastAnswerMs: number | null;
  warningsByCode: Record<string, number>;
  udpDrops: SocketDrops[];
  rcvbufErrorsDelta: number | null;
  /** CPU time the fleet's processes used while this scan ran (unicast only; null when not measured). */
  fleetCpuMs?: number | null;
}

export interface UnicastResult {
  devices: number;
  sweptAddresses: number;
  waitMs: number;
  command: string;
  fleetCommand: string;
  fleetStartMs: number;
  runs: ScanFigures[];
}

export interface OtherToolRun {
  rep: number;
  wallMs: number;
  found: number;
  maxRssMb: number | null;
  cpuMs: number | null;
  note: string | null;
}

/** Devices answer a probe within 500 ms (WS-Discovery APP_MAX_DELAY); 700 ms of silence leaves margin. */
export const SETTLE_MS = 700;

export interface MulticastResult {
  devices: number;
  wsDiscoveryDevices: number;
  waitMs: number;
  maxAnswerDelayMs: number;
  oneknockCommand: string;
  nodeOnvifCommand: string;
  nmapCommand: string;
  oneknock: ScanFigures[];
  /** The same scan with the adaptive early finish (`--settle`). */
  settleMs: number;
  oneknockSettle: ScanFigures[];
  nodeOnvif: OtherToolRun[];
  nmap: OtherToolRun[];
  /** The head of nmap's output, quoted in the report. */
  nmapSample?: string;
}

export function figures(rep: number, scan: CliScan, expected: ExpectedDevice[]): ScanFigures {
  return {
    rep,
    wallMs: scan.wallMs,
    uptimeMs: scan.measured?.uptimeMs ?? null,
    userCpuMs: scan.measured?.userCpuMs ?? null,
    systemCpuMs: scan.measured?.systemCpuMs ?? null,
    maxRssMb: scan.measured ? scan.measured.maxRssKb / 1024 : null,
    peakHeapMb: scan.measured?.peakHeapTotalKb !== undefined ? scan.measured.peakHeapTotalKb / 1024 : null,
    discoveryFinishedMs: scan.discoveryFinishedMs,
    fingerprintFinishedMs: scan.fingerprintFinishedMs,
    doneMs: scan.doneMs,
    lastAnswerMs: scan.lastAnswerMs,
    warningsByCode: scan.warningsByCode,
    udpDrops: scan.udpDrops,
    rcvbufErrorsDelta: scan.rcvbufErrorsDelta,
    ...judge(scan, expected),
  };
}

export async function runUnicast(sizes: number[], reps: number, waitMs: number, log: (line: string) => void): Promise<UnicastResult[]> {
  const results: UnicastResult[] = [];
  for (const size of sizes) {
    const first = hostAddress(UNICAST_SUBNET, 10, 0);
    const last = hostAddress(UNICAST_SUBNET, 10, size - 1);
    const range = `${first}-${last}`;
    const begin = performance.now();
    const addresses = Array.from({ length: size }, (_, i) => hostAddress(UNICAST_SUBNET, 10, i));
    const fleet = await startSplitFleet({ profiles: fleetProfiles(size), addresses, httpPort: 0, lifetimeMs: 600_000, sinkUnservedPorts: true }, { readyTimeoutMs: 180_000 });
    const fleetStartMs = performance.now() - begin;
    try {
      const expected = await expectedDevices(fleet);
      const args = ['scan', '--no-multicast', '--target', range, '--ndjson', '--wait', String(waitMs)];
      const runs: ScanFigures[] = [];
      for (let rep = 1; rep <= reps; rep++) {
        const fleetBefore = fleetCpuMs(fleet);
        const scan = await runCliScan(args, { timeoutMs: waitMs + 60_000 });
        const fleetAfter = fleetCpuMs(fleet);
        runs.push({ ...figures(rep, scan, expected), fleetCpuMs: fleetBefore !== null && fleetAfter !== null ? fleetAfter - fleetBefore : null });
        const r = runs.at(-1)!;
        log(`unicast ${size}: rep ${rep}: found ${r.found}/${size}, fingerprinted ${r.fingerprinted}, fingerprint done at ${r.fingerprintFinishedMs} ms, wall ${Math.round(r.wallMs)} ms, cpu ${Math.round((r.userCpuMs ?? 0) + (r.systemCpuMs ?? 0))} ms, rss ${r.maxRssMb?.toFixed(1)} MB, drops ${r.udpDrops.reduce((t, d) => t + d.drops, 0)}`);
      }
      const lastParts = last.split('.');
      results.push({
        devices: size,
        sweptAddresses: ipToInt(last) - ipToInt(first) + 1,
        waitMs,
        command: `node bench/.build/cli.js ${args.join(' ')}`,
        fleetCommand: `BENCH_FLEET='{"profiles":[${size} × the demo profiles],"subnet":"${UNICAST_SUBNET}","httpPort":0}' node --import tsx bench/fleet-child.ts   (devices ${first} … ${lastParts.join('.')})`,
        fleetStartMs,
        runs,
      });
    } finally {
      await fleet.stop();
    }
  }
  return results;
}

function ipToInt(address: string): number {
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/** The IPv4 hosts broadcast-wsdd-discover lists, one entry per response it kept (it keys entries by message id). */
export function parseNmapEntries(stdout: string): string[] {
  return [...stdout.matchAll(/^\|_?\s{3,6}(\d+\.\d+\.\d+\.\d+)\s*$/gm)].map((m) => m[1]!);
}

export async function runMulticast(count: number, reps: number, waitMs: number, log: (line: string) => void, register: (network: TestNetwork) => void): Promise<MulticastResult> {
  const hosts = Array.from({ length: count }, (_, i) => 10 + i);
  const network = createTestNetwork('bm', MULTICAST_SUBNET, hosts);
  register(network);
  const profiles = fleetProfiles(count);
  const wsDiscoveryDevices = profiles.filter((name) => loadProfile(name).channels.includes('ws-discovery')).length;
  const maxAnswerDelayMs = 500;
  const fleet = await startFleetChild(
    { profiles, addresses: network.fleetAddresses, httpPort: 80, maxAnswerDelayMs, multicastInterface: network.fleetAddresses[0]!, lifetimeMs: 300_000 },
    { namespace: network.fleet, readyTimeoutMs: 60_000 },
  );
  const result: MulticastResult = {
    devices: count,
    wsDiscoveryDevices,
    waitMs,
    maxAnswerDelayMs,
    oneknockCommand: `ip netns exec <scanner-ns> node bench/.build/cli.js scan --interface <veth> --ndjson --wait ${waitMs}`,
    nodeOnvifCommand: 'ip netns exec <scanner-ns> node --import tsx bench/tools/node-onvif-ts-run.ts   (startProbe() only)',
    nmapCommand: 'ip netns exec <scanner-ns> nmap --script broadcast-wsdd-discover -e <veth>',
    oneknock: [],
    settleMs: SETTLE_MS,
    oneknockSettle: [],
    nodeOnvif: [],
    nmap: [],
  };
  try {
    const expected = await expectedDevices(fleet);
    for (let rep = 1; rep <= reps; rep++) {
      const scan = await runCliScan(['scan', '--interface', network.scannerInterface, '--ndjson', '--wait', String(waitMs)], { namespace: network.scanner, timeoutMs: waitMs + 60_000 });
      result.oneknock.push(figures(rep, scan, expected));
      const r = result.oneknock.at(-1)!;
      log(`multicast ${count}: oneknock rep ${rep}: found ${r.found}/${count}, last answer at ${r.lastAnswerMs} ms, fingerprint done at ${r.fingerprintFinishedMs} ms, wall ${Math.round(r.wallMs)} ms`);
      const settled = await runCliScan(['scan', '--interface', network.scannerInterface, '--ndjson', '--wait', String(waitMs), '--settle', String(SETTLE_MS)], { namespace: network.scanner, timeoutMs: waitMs + 60_000 });
      result.oneknockSettle.push(figures(rep, settled, expected));
      const q = result.oneknockSettle.at(-1)!;
      log(`multicast ${count}: oneknock --settle ${SETTLE_MS} rep ${rep}: found ${q.found}/${count}, last answer at ${q.lastAnswerMs} ms, discovery ended at ${q.discoveryFinishedMs} ms`);

      const onvif = await run(process.execPath, ['--import', 'tsx', join(benchRoot, 'tools', 'node-onvif-ts-run.ts')], { namespace: network.scanner, timeoutMs: 60_000, cwd: repoRoot });
      const line = /^RESULT (.*)$/m.exec(onvif.stdout)?.[1];
      const parsed = line ? (JSON.parse(line) as { found: number; discoveryMs: number; addresses: string[]; maxRssKb?: number; cpuMs?: number }) : null;
      result.nodeOnvif.push({
        rep,
        wallMs: parsed?.discoveryMs ?? onvif.wallMs,
        found: parsed ? new Set(parsed.addresses.filter((a) => network.fleetAddresses.includes(a))).size : 0,
        maxRssMb: parsed?.maxRssKb !== undefined ? parsed.maxRssKb / 1024 : null,
        cpuMs: parsed?.cpuMs ?? null,
        note: parsed ? null : `no RESULT (exit ${onvif.code}): ${onvif.stderr.slice(-300)}`,
      });
      log(`multicast ${count}: node-onvif-ts rep ${rep}: found ${result.nodeOnvif.at(-1)!.found}/${wsDiscoveryDevices}, ${Math.round(result.nodeOnvif.at(-1)!.wallMs)} ms`);

      const nmap = await run('/usr/bin/time', ['-f', TIME_FORMAT, 'nmap', '--script', 'broadcast-wsdd-discover', '-e', network.scannerInterface], { namespace: network.scanner, timeoutMs: 60_000 });
      const entries = parseNmapEntries(nmap.stdout);
      const hostsFound = new Set(entries.filter((a) => network.fleetAddresses.includes(a)));
      const elsewhere = entries.filter((a) => !network.fleetAddresses.includes(a));
      const undecoded = (nmap.stdout.match(/Failed to decode response/g) ?? []).length;
      const usage = parseTimeOutput(nmap.stderr);
      result.nmap.push({
        rep,
        wallMs: nmap.wallMs,
        found: hostsFound.size,
        maxRssMb: usage.maxRssMb,
        cpuMs: usage.cpuMs,
        note: nmap.code !== 0
          ? `exit ${nmap.code}: ${nmap.stderr.slice(-300)}`
          : `${entries.length} responses listed: ${entries.length - elsewhere.length} under a device address, ${elsewhere.length} under ${[...new Set(elsewhere)].join(', ') || '-'}; ${undecoded} "Failed to decode response"`,
      });
      result.nmapSample ??= nmap.stdout.split('\n').slice(0, 14).join('\n');
      log(`multicast ${count}: nmap rep ${rep}: found ${hostsFound.size}/${wsDiscoveryDevices}, ${Math.round(nmap.wallMs)} ms (${result.nmap.at(-1)!.note})`);
    }
  } finally {
    await fleet.stop();
    network.destroy();
  }
  return result;
}
