/**
 * Run the compiled CLI (bench/lib/build.ts: `cli.js scan … --ndjson`, what bin/oneknock.js runs) as a user would, with bench/lib/measure.mjs preloaded so the
 * process reports its own CPU time and peak RSS, and read the phase timings out of its NDJSON events.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanDocumentBuilder, type ScanDocument } from '../../src/output/json.js';
import type { ScanEvent } from '../../src/model/events.js';
import { start } from './proc.js';
import { measurePreload, repoRoot } from './paths.js';
import { snapshotCli } from './build.js';
import { readRcvbufErrors, sampleUdpDrops, type SocketDrops } from './udp-drops.js';

export interface Measured {
  exitCode: number | null;
  userCpuMs: number;
  systemCpuMs: number;
  maxRssKb: number;
  uptimeMs: number;
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
  udpDrops: SocketDrops[];
  rcvbufErrorsDelta: number | null;
  stderr: string;
}

export async function runCliScan(args: string[], options: { namespace?: string; timeoutMs: number }): Promise<CliScan> {
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
    const finished = await child.exited;
    const udpDrops = sampler.stop();
    const rcvbufAfter = readRcvbufErrors(options.namespace);
    const rcvbufErrorsDelta = rcvbufBefore !== null && rcvbufAfter !== null ? rcvbufAfter - rcvbufBefore : null;
    if (finished.timedOut) throw new Error(`oneknock ${args.join(' ')} did not finish within ${options.timeoutMs} ms`);
    let measured: Measured | null = null;
    try {
      measured = JSON.parse(readFileSync(measureFile, 'utf8')) as Measured;
    } catch {
      measured = null;
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
    for (const event of events) {
      if (event.type !== 'device') continue;
      let grew = false;
      for (const address of event.device.addresses) {
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
    for (const event of events) if (event.type === 'warning') warningsByCode[event.code ?? 'other'] = (warningsByCode[event.code ?? 'other'] ?? 0) + 1;
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
      udpDrops,
      rcvbufErrorsDelta,
      stderr: finished.stderr,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
