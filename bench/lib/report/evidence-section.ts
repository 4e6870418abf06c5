/** BENCHMARKS.md: the evidence for every missed target. */
import type { BenchResults } from '../report.js';
import { costSteps, cpu, drops, mb, median, ms, s, skipped, table } from './format.js';
import { SIZE_TARGETS } from './verdicts.js';
import { neighbourCounter, onlinkOf } from './onlink-section.js';

export function evidenceSection(results: BenchResults): string[] {
  const lines = ['## 6. Where the targets are missed, and why (evidence)', ''];
  let any = false;
  if (!skipped(results.unicast)) {
    const short = results.unicast.filter((u) => u.runs.some((r) => r.found < r.expected));
    if (short.length > 0) {
      any = true;
      const sizes = Object.values(results.network.probeMatchBytes);
      const largest = short.at(-1)!;
      const channelNames = Object.keys(largest.runs[0]!.byChannel).filter((c) => c !== 'mdns');
      const lost = (c: string): number => median(largest.runs.map((r) => (r.byChannel[c]?.expected ?? 0) - (r.byChannel[c]?.found ?? 0)));
      const lossy = channelNames.filter((c) => lost(c) > 0);
      const complete = channelNames.filter((c) => lost(c) === 0);
      lines.push('### Devices not found in unicast sweeps', '');
      lines.push(
        table(
          ['devices', 'found (per rep)', 'datagrams dropped on the scanner\'s sockets (per rep)', 'worst socket: drops, peak queued bytes', 'Udp RcvbufErrors Δ (whole host, fleet included)', 'not heard, by channel (median)'],
          short.map((u) => {
            const worst = u.runs.flatMap((r) => r.udpDrops).sort((a, b) => b.drops - a.drops)[0];
            const missingByChannel = Object.keys(u.runs[0]!.byChannel)
              .filter((c) => c !== 'mdns')
              .map((c) => `${c} ${median(u.runs.map((r) => (r.byChannel[c]?.expected ?? 0) - (r.byChannel[c]?.found ?? 0)))} of ${u.runs[0]!.byChannel[c]!.expected}`)
              .join(', ');
            return [
              `${u.devices}`,
              u.runs.map((r) => r.found).join(', '),
              u.runs.map(drops).join(', '),
              worst ? `${worst.drops}, ${worst.maxRxQueueBytes}` : '–',
              u.runs.map((r) => `${r.rcvbufErrorsDelta ?? '–'}`).join(', '),
              missingByChannel,
            ];
          }),
        ),
        '',
        `How to read it: "drops" is the kernel's per-socket counter (\`/proc/<pid>/net/udp\`, last column) for the scanner's own sockets, sampled every 50 ms`,
        `while it runs; \`net.core.rmem_default\` here is ${results.network.rmemDefault ?? '?'} bytes (\`rmem_max\` ${results.network.rmemMax ?? '?'}). The sockets that drop are the ones whose`,
        `queue peaks at rmem_default — full. The channels that lose answers at ${largest.devices} devices: ${lossy.length ? lossy.join(', ') : 'none'}; complete: ${complete.length ? complete.join(', ') : 'none'}.`,
        `A WS-Discovery ProbeMatch from the demo profiles is ${sizes.length ? `${Math.min(...sizes)}–${Math.max(...sizes)}` : '?'} bytes, and every target answers a probe sent to it at once. Loopback itself loses`,
        'nothing; every drop counted is a datagram the kernel discarded because the socket\'s buffer was full.',
        '',
        'The sweep\'s pacing, back-pressure and resends are in `src/discovery/sweep.ts`; the receive buffer a discovery socket asks for is in',
        '`src/transport/udp.ts`.',
        '',
      );
      if (!skipped(results.whatIf)) {
        const w = results.whatIf;
        lines.push(
          `**What-if, measured:** the same scan (runScan from the same compiled src/, in a child process) against the same ${w.devices}-device fleet, with only the`,
          'socket factory changed (`ScanOptions.udp`, an injection point runScan already has — `bench/tools/scan-what-if.ts`):',
          '',
          table(
            ['variant', 'SO_RCVBUF granted', 'found', 'fingerprinted', 'fingerprint phase done', 'CPU', 'peak RSS (incl. tsx ≈ 40 MB)'],
            w.runs.map((r) => [r.variant, r.recvBufferGranted.join(', '), `${r.found} / ${w.devices}`, `${r.fingerprinted}`, s(r.fingerprintDoneMs), `${ms(r.cpuMs)} ms`, mb(r.maxRssMb)]),
          ),
          '',
          `Command: \`${w.command}\`.`,
          '',
        );
        const big = w.runs.find((r) => r.variant.startsWith('4 MiB'));
        const small = w.runs.find((r) => !r.variant.startsWith('4 MiB'));
        if (big && small) {
          lines.push(
            `With the large buffer ${big.found === w.devices ? 'every device is found' : `${big.found} of ${w.devices} devices are found`}; the scan then does about ${(big.cpuMs / Math.max(1, small.cpuMs)).toFixed(1)}× the CPU work and`,
            `finishes fingerprinting at ${s(big.fingerprintDoneMs)} (target ${s(w.waitMs + 3000)}: ${big.fingerprintDoneMs <= w.waitMs + 3000 ? 'inside' : 'outside'}); its peak RSS of ${mb(big.maxRssMb)} includes the tsx loader`,
            `(≈ 40 MB), so the compiled CLI would be near ${mb(big.maxRssMb - 40)} — ${big.maxRssMb - 40 < 250 ? 'under' : 'over'} the 250 MB target, with less headroom than the table above suggests.`,
            '',
          );
        }
      }
    }
    const wait = results.options.waitMs;
    const unicast = results.unicast;
    const late = SIZE_TARGETS.flatMap(([size, slack]) => {
      const u = unicast.find((x) => x.devices === size);
      return u && u.runs.some((r) => (r.fingerprintFinishedMs ?? Infinity) > wait + slack || r.fingerprinted < r.expected) ? [{ u, slack }] : [];
    });
    if (late.length > 0) {
      any = true;
      lines.push(
        '### Fingerprinting late',
        '',
        table(
          ['devices', 'target', 'fingerprint phase done', 'last answer heard', 'discovery ended', 'scanner CPU / its wall', 'fleet CPU in the same time', 'cores in use (scanner + fleet)', 'scanner CPU per device', 'per device to meet the target on one core'],
          late.map(({ u, slack }) => {
            const c = median(u.runs.map(cpu));
            const wall = median(u.runs.map((r) => r.wallMs));
            const fleet = median(u.runs.map((r) => r.fleetCpuMs ?? NaN));
            return [
              `${u.devices}`,
              s(wait + slack),
              u.runs.map((r) => s(r.fingerprintFinishedMs)).join(', '),
              u.runs.map((r) => s(r.lastAnswerMs)).join(', '),
              u.runs.map((r) => s(r.discoveryFinishedMs)).join(', '),
              `${s(c)} / ${s(wall)} (${((100 * c) / wall).toFixed(0)} % of one core)`,
              Number.isNaN(fleet) ? 'not measured' : s(fleet),
              Number.isNaN(fleet) ? '–' : `${((c + fleet) / wall).toFixed(2)} of ${results.machine.nproc}`,
              `${(c / u.devices).toFixed(2)} ms`,
              `under ${((wait + slack) / u.devices).toFixed(2)} ms`,
            ];
          }),
        ),
        '',
        'A unicast sweep listens for --wait after its last batch, and the fingerprint phase ends with discovery; the sweep sends no new batch while',
        'its event loop runs more than 50 ms late or more than 4 × --concurrency heard devices wait for their fingerprint. So when fingerprinting cannot keep up, the last batch goes out late',
        '(the "last answer heard" column) and the phase ends about --wait after it: the time is set by how fast devices are fingerprinted.',
        'CPU and cores are medians over the reps; "cores in use" is (scanner CPU + fleet CPU) / wall. When the scanner\'s',
        'CPU is close to its wall time it never waits on the network: the fingerprints wait for its one event loop. Meeting the target on one core',
        'needs the CPU per device in the last column (the whole wait included); otherwise the work has to be spread over more cores. The scanner',
        `runs on one core; what the ${results.machine.nproc} cores had left over is ${late
          .map(({ u }) => {
            const wall = median(u.runs.map((r) => r.wallMs));
            const used = median(u.runs.map(cpu)) + median(u.runs.map((r) => r.fleetCpuMs ?? NaN));
            return Number.isNaN(used) ? `not measured at ${u.devices} devices` : `${(results.machine.nproc - used / wall).toFixed(2)} of a core at ${u.devices} devices`;
          })
          .join(', ')}.`,
        'Where the scanner\'s CPU goes: [bench/README.md](bench/README.md#where-the-memory-goes) ("Where the CPU goes now").',
        '',
      );
    }
    const heavy = SIZE_TARGETS.flatMap(([size, , limit]) => {
      const u = unicast.find((x) => x.devices === size);
      return u && limit !== null && u.runs.some((r) => (r.maxRssMb ?? 0) >= limit) ? [{ u, limit }] : [];
    });
    if (heavy.length > 0) {
      any = true;
      lines.push('### Peak RSS over its target', '', ...heavy.map(({ u, limit }) => `- ${u.devices} devices (target ${limit} MB): ${u.runs.map((r) => mb(r.maxRssMb)).join(', ')}; V8 heap at most ${u.runs.map((r) => mb(r.peakHeapMb)).join(', ')}`), '');
    }
    const steps = unicast.length >= 3 ? costSteps(unicast) : null;
    if (steps && !steps.flatOrFalling) {
      any = true;
      const risen = (values: number[]): number[] => values.flatMap((v, i) => (i > 0 && v > values[i - 1]! * 1.15 ? [i] : []));
      const describe = (what: string, values: number[], unit: (v: number) => string): string[] =>
        risen(values).map((i) => {
          const a = unicast[i]!;
          const b = unicast[i + 1]!;
          return `- ${what}: ${unicast[i - 1]!.devices} → ${a.devices} ${unit(values[i - 1]!)} per added device, ${a.devices} → ${b.devices} ${unit(values[i]!)}.`;
        });
      lines.push(
        '### Cost per added device: a step rises',
        '',
        ...describe('CPU', steps.cpuMs, (v) => `${v.toFixed(2)} ms`),
        ...describe('Peak RSS', steps.rssMb, (v) => `${(v * 1024).toFixed(1)} KB`),
        '',
        table(
          ['devices', 'peak RSS per rep', 'spread over reps', 'V8 heap committed at most (median)', 'RSS outside the V8 heap (median)', 'CPU per rep'],
          unicast.map((u) => {
            const rss = u.runs.map((r) => r.maxRssMb ?? NaN);
            const heap = median(u.runs.map((r) => r.peakHeapMb ?? NaN));
            return [
              `${u.devices}`,
              rss.map((v) => mb(v)).join(', '),
              mb(Math.max(...rss) - Math.min(...rss)),
              mb(heap),
              mb(median(rss) - heap),
              u.runs.map((r) => `${ms(cpu(r))} ms`).join(', '),
            ];
          }),
        ),
        '',
        'A step is "rising" when it is more than 15 % above the step before. Peak RSS is one sample per run (the high-water mark), and at the small',
        'sizes a step of a few MB is within the spread between reps; the V8 heap column shows how much of a rise is the heap V8 chose to commit',
        '(it grows its young generation and old space with the allocation rate, not only with what is alive).',
        '',
      );
    }
  }
  if (!skipped(results.multicast) && results.multicast.oneknock.some((r) => r.found < r.expected)) {
    any = true;
    const m = results.multicast;
    lines.push(
      '### Devices missed by multicast',
      '',
      table(
        ['rep', 'found', 'missing', 'not heard, by channel', 'datagrams dropped on the scanner\'s sockets (worst: drops, peak queued bytes)', 'Udp RcvbufErrors Δ (scanner namespace only)'],
        m.oneknock.filter((r) => r.found < r.expected).map((r) => {
          const worst = [...r.udpDrops].sort((a, b) => b.drops - a.drops)[0];
          return [
            `${r.rep}`,
            `${r.found} / ${r.expected}`,
            r.missing.join(', '),
            Object.entries(r.byChannel).filter(([, v]) => v.found < v.expected).map(([c, v]) => `${c} ${v.expected - v.found}`).join(', ') || '–',
            `${drops(r)}${worst ? ` (${worst.drops}, ${worst.maxRxQueueBytes})` : ''}`,
            `${r.rcvbufErrorsDelta ?? '–'}`,
          ];
        }),
      ),
      '',
      `${m.devices} devices answer one multicast Probe within ${m.maxAnswerDelayMs} ms, so about ${m.wsDiscoveryDevices} ProbeMatches arrive within that time on one socket.`,
      'The scanner namespace holds only the scanner, so its RcvbufErrors are the scanner\'s own.',
      '',
    );
  }
  if (!skipped(results.multicast)) {
    const m = results.multicast;
    const settled = m.oneknockSettle ?? [];
    const sLast = median(settled.map((r) => r.lastAnswerMs ?? NaN));
    const sDone = median(settled.map((r) => r.discoveryFinishedMs ?? NaN));
    if (settled.length === 0 || settled.some((r) => r.found < r.expected) || !(sDone - sLast <= m.settleMs + 300)) {
      any = true;
      lines.push(
        `### Multicast: discovery with --settle ${m.settleMs} did not end soon after the last answer, or missed a device`,
        '',
        `Per rep: ${settled.map((r) => `found ${r.found}/${r.expected}, last answer ${s(r.lastAnswerMs)}, discovery ended ${s(r.discoveryFinishedMs)}`).join('; ') || 'no run'}.`,
        `The early finish ends discovery once no answer has come for the settle time (src/scan/run-scan.ts); a later end means answers kept coming.`,
        '',
      );
    }
  }
  const o = onlinkOf(results);
  if (!skipped(o) && o.oneknock.some((r) => !r.scan || r.scan.found < r.scan.expected)) {
    any = true;
    const thresh3 = o.sysctls.default['gc_thresh3'];
    lines.push(
      '### On-link /16: devices missed in the sweep',
      '',
      table(
        ['rep', 'found', 'table_fulls', 'unresolved_discards', 'res_failed', 'peak entries (host)', 'IP OutDiscards', 'discovery finished'],
        o.oneknock.map((r) => [
          `${r.rep}`,
          r.scan ? `${r.scan.found} / ${o.devices}` : `failed: ${r.error ?? ''}`,
          `${neighbourCounter(r.kernel, 'table_fulls') ?? '–'}`,
          `${neighbourCounter(r.kernel, 'unresolved_discards') ?? '–'}`,
          `${neighbourCounter(r.kernel, 'res_failed') ?? '–'}`,
          `${r.kernel.neighbour.peakEntries ?? '–'}`,
          `${r.kernel.snmp?.ip['OutDiscards'] ?? '–'}`,
          s(r.scan?.discoveryFinishedMs),
        ]),
      ),
      '',
      ...(o.oneknock.some((r) => (neighbourCounter(r.kernel, 'table_fulls') ?? 0) > 0)
        ? [
            `Every address of the /16 needs a neighbour entry before anything is sent to it, and an address that does not answer holds its entry while the kernel`,
            `asks for it (${o.sysctls.default['mcast_solicit'] ?? '?'} × ${o.sysctls.default['retrans_time_ms'] ?? '?'} ms; an entry still resolving cannot be collected). A sweep that sends to more than`,
            `gc_thresh3 = ${thresh3 ?? '?'} new addresses within that time fills the host's table: every further datagram to a new address is dropped by the kernel (table_fulls),`,
            'and datagrams to devices that do exist are dropped with them. See section 4 for every counter. The scanner would need to pace its sweep under',
            "the table's capacity (new addresses per second × the time an unanswered entry lives < gc_thresh3, with room left for the host's own neighbours).",
          ]
        : ['The neighbour table did not overflow in the runs that missed devices (table_fulls 0): the losses are elsewhere — see the drops and warnings in section 4.']),
      '',
    );
  }
  if (!any) lines.push('Every target was met in this run.', '');
  return lines;
}
