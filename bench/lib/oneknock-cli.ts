/**
 * Run the compiled CLI (bench/lib/build.ts: `cli.js scan … --ndjson`, what bin/oneknock.js runs) as a user would, with bench/lib/measure.mjs preloaded so the
 * process reports its own CPU time and peak RSS, and read the phase timings out of its NDJSON events.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanDocumentBuilder, type ScanDocument } from '../../src/output/json.js';
import type { ScanEvent } from '../../src/model/events.js';
import { procCpuMs, start } from './proc.js';
import { measurePreload, repoRoot } from './paths.js';
import { snapshotCli } from './build.js';
import { readRcvbufErrors, sampleUdpDrops, type SocketDrops } from './udp-drops.js';

export interface Measured {
  exitCode: number | null;
  userCpuMs: number;
  systemCpuMs: number;
  maxRssKb: number;
  uptimeMs: number;
  /** The largest V8 heap the process committed (measure.mjs samples it every 100 ms); absent when read from /proc. */
  peakHeapTotalKb?: number;
}

export interface CliScan {
  args: string[];
  wallMs: number;
  measured: Measured | null;
  document: ScanDocument;
  /** From the `discovery started` phase event, ms. */
  discoveryFinishedMs: number | null;
  fingerprintFinishedMs: number | null;
  doneMs: number | null;
  /** The last event that added an address or a discovery channel to some device: the last answer heard. */
  lastAnswerMs: number | null;
  /** Answers (new address/channel pairs) heard, with their time. */
  answerTimesMs: number[];
  warningsByCode: Record<string, number>;
  /** The first message of each warning code. */
  warningSamples: Record<string, string>;
  udpDrops: SocketDrops[];
  rcvbufErrorsDelta: number | null;
  /** First time (ms after "discovery started") each address was heard in a device event. */
  firstHeardMs: Record<string, number>;
  /** True when the run was stopped at `stopAtMs` (then `measured` comes from /proc, read just before the kill). */
  stoppedAtDeadline: boolean;
  stderr: string;
}

/** CPU time and peak RSS of a live process from /proc (what measure.mjs would report at exit); null when it is gone. */
function measureFromProc(pid: number, uptimeMs: number): Measured | null {
  try {
    const cpu = procCpuMs(pid);
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return cpu ? { exitCode: null, userCpuMs: cpu.userMs, systemCpuMs: cpu.systemMs, maxRssKb: hwm ? Number(hwm[1]) : 0, uptimeMs } : null;
  } catch {
    return null;
  }
}

/**
 * `timeoutMs` is a hard deadline: a run still going then is killed and this throws. With `stopAtMs` (shorter), a run
 * still going at that time is measured from /proc and killed, and what it printed so far is returned
 * (`stoppedAtDeadline`): the devices heard by then, for sweeps that may not finish in any bounded time.
 */
export async function runCliScan(args: string[], options: { namespace?: string; timeoutMs: number; stopAtMs?: number }): Promise<CliScan> {
  const dir = mkdtempSync(join(tmpdir(), 'oneknock-bench-'));
  const measureFile = join(dir, 'measure.json');
  try {
    const argv = ['--import', measurePreload, snapshotCli, ...args];
    const rcvbufBefore = readRcvbufErrors(options.namespace);
    const child = start(process.execPath, argv, {
      timeoutMs: options.timeoutMs,
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', BENCH_MEASURE_OUT: measureFile, XDG_STATE_HOME: dir, ONEKNOCK_LEDGER: join(dir, 'ledger.jsonl') },
      ...(options.namespace ? { namespace: options.namespace } : {}),
    });
    const sampler = sampleUdpDrops(child.pid);
    let stoppedAtDeadline = false;
    let procMeasured: Measured | null = null;
    const stopTimer =
      options.stopAtMs === undefined
        ? null
        : setTimeout(() => {
            stoppedAtDeadline = true;
            procMeasured = measureFromProc(child.pid, options.stopAtMs!);
            child.child.kill('SIGKILL');
          }, options.stopAtMs);
    const finished = await child.exited;
    if (stopTimer) clearTimeout(stopTimer);
    const udpDrops = sampler.stop();
    const rcvbufAfter = readRcvbufErrors(options.namespace);
    const rcvbufErrorsDelta = rcvbufBefore !== null && rcvbufAfter !== null ? rcvbufAfter - rcvbufBefore : null;
    if (finished.timedOut) throw new Error(`oneknock ${args.join(' ')} did not finish within ${options.timeoutMs} ms`);
    let measured: Measured | null = procMeasured;
    try {
      measured = JSON.parse(readFileSync(measureFile, 'utf8')) as Measured;
    } catch {
      // killed at stopAtMs (procMeasured), or it never got as far as exiting normally
    }
    const events: ScanEvent[] = [];
    for (const line of finished.stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        events.push(JSON.parse(line) as ScanEvent);
      } catch {
        // a torn line would be a CLI bug; the document check below catches missing devices
      }
    }
    const builder = new ScanDocumentBuilder();
    for (const event of events) builder.add(event);
    const t0Event = events.find((e) => e.type === 'phase' && e.phase === 'discovery' && e.state === 'started');
    const t0 = t0Event ? Date.parse(t0Event.at) : null;
    const rel = (at: string | undefined): number | null => (t0 === null || at === undefined ? null : Date.parse(at) - t0);
    const phaseAt = (phase: string, state: string): string | undefined => events.find((e) => e.type === 'phase' && e.phase === phase && e.state === state)?.at;
    const heard = new Set<string>();
    const answerTimesMs: number[] = [];
    const firstHeardMs: Record<string, number> = {};
    for (const event of events) {
      if (event.type !== 'device') continue;
      let grew = false;
      for (const address of event.device.addresses) {
        firstHeardMs[address] ??= rel(event.at) ?? 0;
        for (const channel of event.device.discoveredBy) {
          const key = `${address}|${channel}`;
          if (!heard.has(key)) {
            heard.add(key);
            grew = true;
          }
        }
      }
      if (grew) answerTimesMs.push(rel(event.at) ?? 0);
    }
    const warningsByCode: Record<string, number> = {};
    const warningSamples: Record<string, string> = {};
    for (const event of events) {
      if (event.type !== 'warning') continue;
      const code = event.code ?? 'other';
      warningsByCode[code] = (warningsByCode[code] ?? 0) + 1;
      warningSamples[code] ??= event.message;
    }
    return {
      args,
      wallMs: finished.wallMs,
      measured,
      document: builder.build(),
      discoveryFinishedMs: rel(phaseAt('discovery', 'finished')),
      fingerprintFinishedMs: rel(phaseAt('fingerprint', 'finished')),
      doneMs: rel(events.find((e) => e.type === 'done')?.at),
      lastAnswerMs: answerTimesMs.length > 0 ? Math.max(...answerTimesMs) : null,
      answerTimesMs,
      warningsByCode,
      warningSamples,
      udpDrops,
      rcvbufErrorsDelta,
      firstHeardMs,
      stoppedAtDeadline,
      stderr: finished.stderr,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
