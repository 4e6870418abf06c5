/**
 * `npm run bench`: safety and speed benchmarks, written to BENCHMARKS.md (+ bench/results/*.svg, latest.json).
 *
 *   node --import tsx bench/run.ts [--only safety,unicast,multicast,whatif,onlink] [--sizes 50,250,1000] [--reps 3]
 *                                  [--wait 3000] [--multicast-devices 100] [--onlink-devices 2000]
 *                                  [--onlink-nmap-reps 1] [--out BENCHMARKS.md]
 *   node --import tsx bench/run.ts --render-from bench/results/latest.json   (re-render the report only)
 *
 * The speed runs measure the CLI compiled from the current src/ (bench/lib/build.ts); safety, multicast and onlink
 * need root on Linux for the network namespaces (skipped with a note otherwise). Every child is bounded in time; every
 * child and namespace is removed on success, failure, Ctrl-C, and when the whole run overruns its budget (15 minutes,
 * plus the on-link scenario's own bound when it is selected: see onlinkBudgetMs).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { namespaceUnavailableReason, type TestNetwork } from '../test/support/netns.js';
import { describeMachine } from './lib/machine.js';
import { SimulatedDevice } from '../src/simulator/device.js';
import { defaultFleetProfiles } from '../src/simulator/fleet.js';
import { loadProfile } from '../src/simulator/profile.js';
import { buildSnapshot, removeSnapshot, type Snapshot } from './lib/build.js';
import { killAll, liveChildren } from './lib/proc.js';
import { repoRoot, resultsDir } from './lib/paths.js';
import { renderReport, type BenchResults } from './lib/report.js';
import { runSafety } from './scenarios/safety.js';
import { runMulticast, runUnicast } from './scenarios/speed.js';
import { runWhatIf } from './scenarios/what-if.js';
import { onlinkBudgetMs, runOnlink } from './scenarios/onlink.js';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
}

const SCENARIOS = 'safety,unicast,multicast,whatif,onlink';
const only = new Set(option('--only', SCENARIOS).split(','));
const reps = Number(option('--reps', '3'));
const onlinkNmapReps = Number(option('--onlink-nmap-reps', '1'));
/** 9.5 minutes for the other scenarios; the on-link sweeps of a /16 (and nmap's) are bounded on their own. */
const BUDGET_MS = 15 * 60_000 + (only.has('onlink') && !process.argv.includes('--render-from') ? onlinkBudgetMs(reps, onlinkNmapReps) : 0);

/** Everything with namespaces to delete on the way out (test/support/netns.ts networks, bench/lib/onlink-net.ts). */
const networks = new Set<Pick<TestNetwork, 'destroy'>>();
function cleanUp(): void {
  const killed = killAll();
  for (const network of networks) network.destroy();
  networks.clear();
  removeSnapshot();
  if (killed > 0) process.stderr.write(`bench: killed ${killed} leftover child process(es)\n`);
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function versionOf(command: string, args: string[], pattern: RegExp): string {
  try {
    return pattern.exec(execFileSync(command, args, { encoding: 'utf8', timeout: 10_000 }))?.[1] ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

/** Size of each demo profile's WS-Discovery answer (the datagrams that pile up in the scanner's socket). */
function probeMatchSizes(): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const name of defaultFleetProfiles()) {
    const profile = loadProfile(name);
    if (!profile.channels.includes('ws-discovery')) continue;
    const device = new SimulatedDevice(profile, { address: '127.90.0.10', httpPort: 40000, password: 'unused' });
    sizes[name] = Buffer.byteLength(device.buildProbeMatches(`uuid:${'0'.repeat(36)}`));
  }
  return sizes;
}

function sysctl(name: string): number | null {
  try {
    return Number(readFileSync(`/proc/sys/${name.replace(/\./g, '/')}`, 'utf8').trim());
  } catch {
    return null;
  }
}

function writeReport(results: BenchResults, out: string): void {
  const { markdown, charts } = renderReport(results);
  mkdirSync(resultsDir, { recursive: true });
  for (const [name, svg] of charts) writeFileSync(join(resultsDir, name), svg);
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(out, markdown);
  log(`bench: wrote ${relative(repoRoot, out)}, ${[...charts.keys()].map((c) => `bench/results/${c}`).join(', ')} and bench/results/latest.json`);
}

async function main(): Promise<number> {
  const begin = performance.now();
  const renderFrom = process.argv.includes('--render-from') ? option('--render-from', '') : null;
  if (renderFrom) {
    // Re-render BENCHMARKS.md from a saved latest.json, measuring nothing.
    writeReport(JSON.parse(readFileSync(resolve(renderFrom), 'utf8')) as BenchResults, resolve(repoRoot, option('--out', 'BENCHMARKS.md')));
    return 0;
  }
  const sizes = option('--sizes', '50,250,1000,2500,10000').split(',').map(Number);
  const waitMs = Number(option('--wait', '3000'));
  const multicastDevices = Number(option('--multicast-devices', '100'));
  const onlinkDevices = Number(option('--onlink-devices', '2000'));
  const out = resolve(repoRoot, option('--out', 'BENCHMARKS.md'));

  let snapshot: Snapshot | null = null;
  if (only.has('unicast') || only.has('multicast') || only.has('whatif') || only.has('onlink')) {
    log('bench: compiling src/ (tsconfig.build.json) into bench/.build for the speed runs …');
    snapshot = await buildSnapshot();
    if (snapshot.tscExitCode !== 0) log(`bench: tsc exited ${snapshot.tscExitCode} (JavaScript emitted anyway): ${snapshot.diagnostics}`);
  }
  const netnsUnavailable = namespaceUnavailableReason();
  if (netnsUnavailable) log(`bench: network namespaces unavailable (${netnsUnavailable}): safety, multicast and onlink scenarios are skipped`);
  const nmapVersion = versionOf('nmap', ['--version'], /Nmap version (\S+)/);
  let nodeOnvifVersion = 'not installed';
  try {
    nodeOnvifVersion = (JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'node-onvif-ts', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // reported as not installed
  }
  const machine = describeMachine();
  log(`bench: ${machine.nproc} CPUs, ${machine.memoryGiB} GiB, ${machine.cpuModel}, Node ${machine.node}`);

  const results: BenchResults = {
    machine,
    network: { rmemDefault: sysctl('net.core.rmem_default'), rmemMax: sysctl('net.core.rmem_max'), probeMatchBytes: probeMatchSizes() },
    versions: {
      oneknock: (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version,
      'node-onvif-ts': nodeOnvifVersion,
      nmap: nmapVersion,
      node: process.version,
    },
    options: { sizes, reps, waitMs, multicastDevices, onlinkDevices, onlinkNmapReps },
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    totalMs: 0,
    build: null,
    safety: { skipped: 'not selected (--only)' },
    unicast: { skipped: 'not selected (--only)' },
    multicast: { skipped: 'not selected (--only)' },
    whatIf: { skipped: 'not selected (--only)' },
    onlink: { skipped: 'not selected (--only)' },
  };
  const register = (network: Pick<TestNetwork, 'destroy'>): void => void networks.add(network);

  if (only.has('safety')) {
    if (netnsUnavailable) results.safety = { skipped: `network namespaces unavailable: ${netnsUnavailable}` };
    else if (nodeOnvifVersion === 'not installed') results.safety = { skipped: 'node-onvif-ts is not installed (npm install -D node-onvif-ts)' };
    else results.safety = await runSafety(log, register, Math.max(reps, 5));
  }
  if (only.has('unicast')) results.unicast = await runUnicast(sizes, reps, waitMs, log);
  if (only.has('whatif') && sizes.includes(1000)) results.whatIf = await runWhatIf(1000, waitMs, log);
  if (only.has('multicast')) {
    if (netnsUnavailable) results.multicast = { skipped: `network namespaces unavailable: ${netnsUnavailable}` };
    else results.multicast = await runMulticast(multicastDevices, reps, waitMs, log, register);
  }
  if (only.has('onlink')) {
    if (netnsUnavailable) results.onlink = { skipped: `network namespaces unavailable: ${netnsUnavailable}` };
    else results.onlink = await runOnlink(onlinkDevices, reps, onlinkNmapReps, waitMs, nmapVersion !== 'not installed', log, register);
  }
  results.totalMs = performance.now() - begin;
  results.build = snapshot;

  writeReport(results, out);
  log(`bench: done in ${(results.totalMs / 1000).toFixed(1)} s`);
  return 0;
}

const budget = setTimeout(() => {
  log(`bench: over the ${(BUDGET_MS / 60_000).toFixed(1)}-minute budget; stopping everything`);
  cleanUp();
  process.exit(124);
}, BUDGET_MS);
budget.unref();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`bench: ${signal}; cleaning up`);
    cleanUp();
    process.exit(130);
  });
}

main()
  .then((code) => {
    cleanUp();
    if (liveChildren() > 0) log('bench: children still running after clean-up');
    process.exit(code);
  })
  .catch((error: unknown) => {
    log(`bench: ${(error as Error).stack ?? String(error)}`);
    cleanUp();
    process.exit(1);
  });
