/** BENCHMARKS.md from the measured results: tables, the targets verdict, evidence for misses, and the charts. */
import type { Machine } from './machine.js';
import { machineLine } from './machine.js';
import type { RepeatSummary, SafetyResult } from '../scenarios/safety.js';
import type { MulticastResult, UnicastResult } from '../scenarios/speed.js';
import { s, table } from './report/format.js';
import { verdicts } from './report/verdicts.js';
import { safetySection } from './report/safety-section.js';
import { multicastSection, unicastSection } from './report/speed-sections.js';
import { evidenceSection } from './report/evidence-section.js';
import type { WhatIfResult } from '../scenarios/what-if.js';
import type { Snapshot } from './build.js';
import type { OnlinkResult } from '../scenarios/onlink.js';
import { onlinkSection } from './report/onlink-section.js';

export interface BenchResults {
  machine: Machine;
  network: { rmemDefault: number | null; rmemMax: number | null; probeMatchBytes: Record<string, number> };
  versions: Record<string, string>;
  options: { sizes: number[]; reps: number; waitMs: number; multicastDevices: number; onlinkDevices?: number; onlinkNmapReps?: number };
  command: string;
  totalMs: number;
  /** The compile of src/ the speed runs measured (bench/lib/build.ts). */
  build: Snapshot | null;
  safety: { results: SafetyResult[]; repeats: RepeatSummary; fleetSize: number; subnet: string } | { skipped: string };
  unicast: UnicastResult[] | { skipped: string };
  multicast: MulticastResult | { skipped: string };
  whatIf: WhatIfResult | { skipped: string };
  /** Absent from results files written before the scenario existed. */
  onlink?: OnlinkResult | { skipped: string };
}

export { median } from './report/format.js';

export function renderReport(results: BenchResults): { markdown: string; charts: Map<string, string> } {
  const charts = new Map<string, string>();
  const lines: string[] = [
    '# Benchmarks',
    '',
    `Produced by \`${results.command}\` (bench/run.ts; how to run and what each scenario does: [bench/README.md](bench/README.md)).`,
    '',
    `**Machine:** ${machineLine(results.machine)}.  `,
    `**Versions:** ${Object.entries(results.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.  `,
    `**Run:** ${results.options.reps} repetitions per measurement, \`--wait ${results.options.waitMs}\`, total bench time ${s(results.totalMs)}. Raw figures: [bench/results/latest.json](bench/results/latest.json).`,
    '',
    'Everything runs against the project\'s simulated camera fleet (`src/simulator/`), on loopback or inside network namespaces created for the run',
    '(198.18.0.0/15); nothing is sent on the machine\'s real interfaces. The simulator answers from captured vendor payloads, but it is a simulator:',
    'absolute times on real networks and real cameras will differ; the counts (failed logins, lockouts, where credentials went) are what each tool sent.',
    '',
    '## Targets: where we stand',
    '',
    table(['target', 'measured', 'met?'], verdicts(results).map((v) => [v.target, v.measured, v.met === null ? 'not shown' : v.met ? '**yes**' : '**no**'])),
    '',
  ];
  lines.push(...safetySection(results, charts));
  lines.push(...unicastSection(results, charts));
  lines.push(...multicastSection(results));
  lines.push(...onlinkSection(results));
  lines.push(
    '## 5. Caveats',
    '',
    '- The VMS row is an emulation written from docs/FIELD-NOTES.md §1, not a vendor\'s code; it is generous to the VMS (right pair first, stops at the first',
    '  success, only the drivers the WS-Discovery scopes point to). A real address-range scan repeats per address and per candidate driver.',
    '- node-onvif-ts and nmap see only WS-Discovery; SADP-only devices (factory-new Hikvision) are invisible to them by design.',
    '- nmap 7.93\'s `wsdd` decoder only accepts a `MessageID` starting with `urn:uuid:`; the simulator always sends `uuid:…` (5 of the 11 real captured',
    '  ProbeMatches in fixtures/captures/ws-discovery also use `uuid:`, 6 use `urn:uuid:`), and nmap attributes responses on its unconnected multicast',
    '  socket to the group address rather than the sender. The simulator also does not answer nmap\'s "general" probe, an empty self-closing',
    '  `<wsd:Probe/>` (its Probe regex in `src/simulator/device.ts` wants `<Probe` followed by whitespace or `>`); a real device would match an empty',
    '  Probe. So nmap\'s zero here is partly a simulator artefact; the address attribution is nmap\'s own.',
    '- CPU and RSS are of the scanner process only; the fleet runs in its own process. Loopback has no latency or loss of its own; every drop counted',
    '  here is a full socket buffer.',
    '',
  );
  lines.push(...evidenceSection(results));
  return { markdown: `${lines.join('\n')}\n`, charts };
}
