/** The "Targets: where we stand" verdicts of BENCHMARKS.md. */
import type { BenchResults } from '../report.js';
import { costSteps, list, mb, median, s, skipped } from './format.js';
import { neighbourCounter, onlinkOf } from './onlink-section.js';

/** The sized unicast targets: devices, slack after --wait for the fingerprint phase, peak RSS limit (MB) or null. */
export const SIZE_TARGETS = [
  [250, 1000, null],
  [1000, 3000, 250],
  [10_000, 10_000, 400],
] as const;

interface Verdict {
  target: string;
  measured: string;
  met: boolean | null;
}

export function verdicts(results: BenchResults): Verdict[] {
  const out: Verdict[] = [];
  const wait = results.options.waitMs;
  if (!skipped(results.unicast)) {
    const cases = results.unicast.map((u) => `${u.devices}: ${u.runs.map((r) => `${r.found}`).join('/')}`);
    const allFound = results.unicast.every((u) => u.runs.every((r) => r.found === r.expected));
    let measured = `unicast (found per rep) ${cases.join('; ')}`;
    let met = allFound;
    if (!skipped(results.multicast)) {
      const m = results.multicast;
      measured += `; multicast ${m.devices}: ${m.oneknock.map((r) => r.found).join('/')}`;
      met = met && m.oneknock.every((r) => r.found === r.expected);
    }
    out.push({ target: 'All devices found, in every case', measured, met });
    for (const [size, slack, rss] of SIZE_TARGETS) {
      const u = results.unicast.find((x) => x.devices === size);
      if (!u) continue;
      const done = u.runs.map((r) => r.fingerprintFinishedMs ?? Infinity);
      const complete = u.runs.every((r) => r.fingerprinted === r.expected);
      const inTime = done.every((d) => d <= wait + slack);
      out.push({
        target: `${size} devices fingerprinted within wait + ${slack / 1000} s (${s(wait + slack)})`,
        measured: `fingerprint phase finished at ${list(done, (v) => s(v))} after start; fingerprinted ${u.runs.map((r) => r.fingerprinted).join('/')} of ${size}${
          !skipped(results.whatIf) && results.whatIf.devices === size
            ? `; what-if (same scan, only SO_RCVBUF changed): ${results.whatIf.runs.map((r) => `${r.variant} ${r.fingerprinted}/${size} by ${s(r.fingerprintDoneMs)}`).join(', ')}`
            : ''
        }`,
        met: complete && inTime,
      });
      if (rss !== null) {
        const peak = Math.max(...u.runs.map((r) => r.maxRssMb ?? Infinity));
        const whatIf = results.whatIf;
        const big = skipped(whatIf) ? undefined : whatIf.runs.find((r) => r.found === r.fingerprinted && r.found === whatIf.devices);
        out.push({
          target: `${size} devices: peak RSS under ${rss} MB`,
          measured: complete
            ? `max over reps ${mb(peak)}`
            : `max over reps ${mb(peak)}, but with only ${u.runs.map((r) => r.found).join('/')} of ${size} devices found, so not the full load${big ? `; with every device found (what-if, 4 MiB buffer) ${mb(big.maxRssMb)} including ≈ 40 MB of tsx loader` : ''}`,
          met: complete ? peak < rss : null,
        });
      }
    }
  }
  if (!skipped(results.unicast) && results.unicast.length >= 3) {
    const steps = costSteps(results.unicast);
    const sizes = results.unicast.map((u) => u.devices);
    out.push({
      target: `Cost per added device flat or falling from ${sizes[0]} to ${sizes.at(-1)} devices (CPU and RSS)`,
      measured: `CPU ${steps.cpuMs.map((v) => `${v.toFixed(2)} ms`).join(' → ')}; RSS ${steps.rssMb.map((v) => `${(v * 1024).toFixed(1)} KB`).join(' → ')} (steps ${sizes.join(' → ')})`,
      met: steps.flatOrFalling,
    });
  }
  if (!skipped(results.multicast)) {
    const m = results.multicast;
    const last = median(m.oneknock.map((r) => r.lastAnswerMs ?? NaN));
    const done = median(m.oneknock.map((r) => r.discoveryFinishedMs ?? NaN));
    const settled = m.oneknockSettle ?? [];
    const sLast = median(settled.map((r) => r.lastAnswerMs ?? NaN));
    const sDone = median(settled.map((r) => r.discoveryFinishedMs ?? NaN));
    const allFound = settled.length > 0 && settled.every((r) => r.found === r.expected);
    out.push({
      target: 'Multicast discovery complete as soon as answers stop (devices answer within 500 ms)',
      measured:
        `with --wait ${wait} alone: last answer at ${s(last)}, discovery ended at ${s(done)} (${s(done - last)} of silence). ` +
        `With the adaptive early finish --settle ${m.settleMs}: found ${settled.map((r) => r.found).join('/')} of ${m.devices}, last answer at ${s(sLast)}, discovery ended at ${s(sDone)} (medians)`,
      met: allFound && sDone - sLast <= m.settleMs + 300,
    });
  }
  const o = onlinkOf(results);
  if (!skipped(o)) {
    const runs = o.oneknock;
    const found = runs.map((r) => (r.scan ? `${r.scan.found}${r.stoppedAtDeadline ? ` (stopped at ${o.timeouts.oneknockMs / 60_000} min)` : ''}` : 'failed'));
    const fulls = runs.map((r) => neighbourCounter(r.kernel, 'table_fulls'));
    const shown = runs.length > 0 && fulls.every((v) => v !== null);
    const allFound = runs.length > 0 && runs.every((r) => r.scan !== null && r.scan.found === r.scan.expected && r.scan.expected === o.devices);
    out.push({
      target: `On-link /16 with ${o.devices.toLocaleString('en-US')} devices: 100 % found in every repetition, neighbour-table overflows shown`,
      measured:
        `found per rep ${found.join('/')} of ${o.devices}; table_fulls (overflows) per rep ${fulls.map((v) => (v === null ? 'not read' : `${v}`)).join('/')}` +
        `, peak neighbour entries ${runs.map((r) => r.kernel.neighbour.peakEntries ?? '?').join('/')} (gc_thresh3 ${o.sysctls.default['gc_thresh3'] ?? '?'})` +
        (runs.some((r) => (r.kernel.neighbour.peakOtherEntries ?? 0) > 16) ? `; the table was shared (up to ${Math.max(...runs.map((r) => r.kernel.neighbour.peakOtherEntries ?? 0))} entries held outside the scanner namespace)` : '') +
        (o.nmapPing.length ? `; nmap -sn found ${o.nmapPing.map((r) => r.found).join('/')} in ${o.nmapPing.map((r) => s(r.wallMs)).join('/')}` : ''),
      met: allFound && shown,
    });
  }
  return out;
}
