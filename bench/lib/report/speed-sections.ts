/** BENCHMARKS.md sections 2 and 3: the unicast sweep and multicast in namespaces, with the other tools. */
import type { OtherToolRun } from '../../scenarios/speed.js';
import { linePanels } from '../svg.js';
import type { BenchResults } from '../report.js';
import { costSteps, cpu, drops, mb, median, ms, s, skipped, table } from './format.js';

export function unicastSection(results: BenchResults, charts: Map<string, string>): string[] {
  const lines = ['## 2. Speed and scale: unicast sweep (discovery + anonymous fingerprint)', ''];
  if (skipped(results.unicast)) return [...lines, `Skipped: ${results.unicast.skipped}`, ''];
  const runs = results.unicast;
  lines.push(
    `The fleet runs in processes of its own, 2,500 devices each (\`bench/fleet-child.ts\`, N devices on 127.90.x.y, each with its own HTTP port, WS-Discovery, SADP, DHIP and SSDP`,
    'responders as its profile says; profiles cycle through the 9 demo profiles, as `oneknock simulate --count N --subnet 127.90.0 --http-port 0` does).',
    'Both share this machine\'s two cores with the scanner; "fleet CPU" is what the fleet\'s processes used while the scan ran (from /proc). Where the',
    'scanner\'s memory goes at 10,000 devices (heap snapshot and allocation profile, measured by hand): [bench/README.md](bench/README.md#where-the-memory-goes).',
    'The scanner is the CLI compiled from the current src/ with tsconfig.build.json (into bench/.build — the JavaScript `npm run build` puts in dist/),',
    'run as a user runs it, with `bench/lib/measure.mjs` preloaded to report its own `process.cpuUsage()` and peak RSS (`getrusage` maxRSS) at exit,',
    'and the largest V8 heap it committed ("of it V8 heap": `v8.getHeapStatistics().total_heap_size`, sampled every 100 ms — live objects and the',
    'garbage not yet collected; the rest of the RSS is Node itself, loaded code, native buffers and sockets). CPU includes Node start-up and module loading. Times are from the CLI\'s',
    `own NDJSON \`phase\` events, measured from "discovery started". ${results.options.reps} repetitions per size against the same fleet; the table shows the median, the`,
    'per-rep values are in brackets. "Found" = a device record lists the device\'s address; "fingerprinted" = its model is the simulated model.',
    '',
  );
  lines.push(
    table(
      ['devices', 'addresses swept', 'found', 'fingerprinted', 'fingerprint phase done', 'vs --wait', 'process wall', 'CPU (user+sys)', 'CPU / device', 'fleet CPU', 'peak RSS', 'of it V8 heap', 'RSS / device', 'UDP datagrams dropped (scanner sockets)'],
      runs.map((u) => {
        const r = u.runs;
        const fp = median(r.map((x) => x.fingerprintFinishedMs ?? NaN));
        const c = median(r.map(cpu));
        return [
          `${u.devices}`,
          `${u.sweptAddresses}`,
          `${median(r.map((x) => x.found))} [${r.map((x) => x.found).join(', ')}]`,
          `${median(r.map((x) => x.fingerprinted))} [${r.map((x) => x.fingerprinted).join(', ')}]`,
          `${s(fp)} [${r.map((x) => s(x.fingerprintFinishedMs)).join(', ')}]`,
          `+${ms(fp - u.waitMs)} ms`,
          `${s(median(r.map((x) => x.wallMs)))}`,
          `${ms(c)} ms [${r.map((x) => ms(cpu(x))).join(', ')}]`,
          `${(c / u.devices).toFixed(2)} ms`,
          Number.isNaN(median(r.map((x) => x.fleetCpuMs ?? NaN))) ? '–' : `${ms(median(r.map((x) => x.fleetCpuMs ?? NaN)))} ms`,
          `${mb(median(r.map((x) => x.maxRssMb ?? NaN)))} [${r.map((x) => mb(x.maxRssMb)).join(', ')}]`,
          `${mb(median(r.map((x) => x.peakHeapMb ?? NaN)))}`,
          `${((median(r.map((x) => x.maxRssMb ?? NaN)) * 1024) / u.devices).toFixed(1)} KB`,
          `${median(r.map(drops))} [${r.map(drops).join(', ')}]`,
        ];
      }),
    ),
    '',
  );
  lines.push('Commands (the scanner; `--wait` is the CLI default):', '');
  for (const u of runs) lines.push(`- ${u.devices}: \`${u.command}\`  — fleet: \`${u.fleetCommand}\` (started in ${s(u.fleetStartMs)})`);
  lines.push('');
  // Growth: per-device cost between sizes.
  if (runs.length >= 2) {
    lines.push('How the cost grows (medians; Δ per added device between consecutive sizes):', '');
    const rows: string[][] = [];
    for (let i = 1; i < runs.length; i++) {
      const a = runs[i - 1]!;
      const b = runs[i]!;
      const dn = b.devices - a.devices;
      const dCpu = median(b.runs.map(cpu)) - median(a.runs.map(cpu));
      const dRss = median(b.runs.map((x) => x.maxRssMb ?? NaN)) - median(a.runs.map((x) => x.maxRssMb ?? NaN));
      const dFp = median(b.runs.map((x) => x.fingerprintFinishedMs ?? NaN)) - median(a.runs.map((x) => x.fingerprintFinishedMs ?? NaN));
      rows.push([`${a.devices} → ${b.devices}`, `${(dCpu / dn).toFixed(2)} ms CPU`, `${((dRss * 1024) / dn).toFixed(1)} KB RSS`, `${(dFp / dn).toFixed(2)} ms of fingerprint-phase time`]);
    }
    lines.push(table(['sizes', 'CPU per added device', 'peak RSS per added device', 'time per added device'], rows), '');
    const steps = costSteps(runs);
    lines.push(
      `Cost per added device from the first step to the last: CPU ${steps.cpuMs.map((v) => v.toFixed(2)).join(' → ')} ms, RSS ${steps.rssMb.map((v) => (v * 1024).toFixed(1)).join(' → ')} KB — ` +
        `${steps.flatOrFalling ? 'flat or falling (no step more than 15 % above the one before)' : '**rising somewhere** (a step more than 15 % above the one before)'}.`,
      '',
    );
  }
  lines.push('Devices heard per discovery channel (median over reps; heard / devices whose profile answers on that channel; mDNS is multicast-only, so a', 'unicast sweep does not use it):', '');
  const channels = [...new Set(runs.flatMap((u) => u.runs.flatMap((r) => Object.keys(r.byChannel))))].filter((c) => c !== 'mdns').sort();
  lines.push(
    table(
      ['devices', ...channels],
      runs.map((u) => [`${u.devices}`, ...channels.map((c) => {
        const expected = u.runs[0]?.byChannel[c]?.expected ?? 0;
        return expected === 0 ? '–' : `${median(u.runs.map((r) => r.byChannel[c]?.found ?? 0))} / ${expected}`;
      })]),
    ),
    '',
    '![scale chart](bench/results/scale.svg)',
    '',
  );
  const x = runs.map((u) => `${u.devices}`);
  charts.set(
    'scale.svg',
    linePanels({
      title: 'oneknock unicast sweep: discovery + anonymous fingerprint (medians)',
      xLabels: x,
      xTitle: 'simulated devices',
      panels: [
        {
          title: 'time after start (s); target = wait+1 s / +3 s',
          yLabel: 'seconds',
          series: [
            { name: 'fingerprint done', values: runs.map((u) => Number((median(u.runs.map((r) => r.fingerprintFinishedMs ?? NaN)) / 1000).toFixed(2))) },
            { name: '--wait', values: runs.map((u) => u.waitMs / 1000), dashed: true },
            { name: 'target', values: runs.map((u) => (u.devices >= 1000 ? (u.waitMs + 3000) / 1000 : u.devices >= 250 ? (u.waitMs + 1000) / 1000 : null)), dashed: true },
          ],
        },
        {
          title: 'scanner CPU (s) and peak RSS (100 MB)',
          yLabel: 'CPU s  /  RSS ×100 MB',
          series: [
            { name: 'CPU user+sys (s)', values: runs.map((u) => Number((median(u.runs.map(cpu)) / 1000).toFixed(2))) },
            { name: 'peak RSS (×100 MB)', values: runs.map((u) => Number((median(u.runs.map((r) => r.maxRssMb ?? NaN)) / 100).toFixed(2))) },
          ],
        },
        {
          title: 'devices found (of N)',
          yLabel: 'share found',
          series: [{ name: 'found / N', values: runs.map((u) => Number((median(u.runs.map((r) => r.found)) / u.devices).toFixed(3))) }],
        },
      ],
    }),
  );
  return lines;
}

function otherRows(label: string, runs: OtherToolRun[], expected: number, command: string): string[] {
  return [
    label,
    `${median(runs.map((r) => r.found))} / ${expected} [${runs.map((r) => r.found).join(', ')}]`,
    '–',
    `${s(median(runs.map((r) => r.wallMs)))} [${runs.map((r) => s(r.wallMs)).join(', ')}]`,
    `${ms(median(runs.map((r) => r.cpuMs ?? NaN)))} ms`,
    mb(median(runs.map((r) => r.maxRssMb ?? NaN))),
    `\`${command}\``,
  ];
}

export function multicastSection(results: BenchResults): string[] {
  const lines = ['## 3. Multicast discovery in a network namespace', ''];
  if (skipped(results.multicast)) return [...lines, `Skipped: ${results.multicast.skipped}`, ''];
  const m = results.multicast;
  lines.push(
    `${m.devices} simulated devices (the 9 demo profiles cycled; ${m.wsDiscoveryDevices} of them answer WS-Discovery, the rest only SADP) in one namespace, each answering a`,
    `multicast WS-Discovery Probe after a random delay of up to ${m.maxAnswerDelayMs} ms (APP_MAX_DELAY). Each tool runs inside the scanner namespace and multicasts on`,
    `its veth only. ${results.options.reps} repetitions, medians with per-rep values in brackets. oneknock's count is of all ${m.devices} devices (it also listens to SADP, DHIP,`,
    'SSDP, mDNS); the others only speak WS-Discovery, so their count is out of the WS-Discovery devices. The RSS of the node-onvif-ts run includes the tsx',
    'loader it runs under (≈ 40 MB); nmap\'s is from `/usr/bin/time`.',
    '',
  );
  const ok = m.oneknock;
  lines.push(
    table(
      ['tool', 'found', 'last answer heard', 'discovery done (wall)', 'CPU', 'peak RSS', 'command'],
      [
        [
          'oneknock',
          `${median(ok.map((r) => r.found))} / ${m.devices} [${ok.map((r) => r.found).join(', ')}]`,
          `${s(median(ok.map((r) => r.lastAnswerMs ?? NaN)))} [${ok.map((r) => s(r.lastAnswerMs)).join(', ')}]`,
          `${s(median(ok.map((r) => r.discoveryFinishedMs ?? NaN)))}; fingerprint done ${s(median(ok.map((r) => r.fingerprintFinishedMs ?? NaN)))}; process ${s(median(ok.map((r) => r.wallMs)))}`,
          `${ms(median(ok.map(cpu)))} ms`,
          mb(median(ok.map((r) => r.maxRssMb ?? NaN))),
          `\`${m.oneknockCommand}\``,
        ],
        otherRows('node-onvif-ts 0.1.7 `startProbe()`', m.nodeOnvif, m.wsDiscoveryDevices, m.nodeOnvifCommand),
        otherRows(`nmap ${results.versions['nmap'] ?? ''} broadcast-wsdd-discover`, m.nmap, m.wsDiscoveryDevices, m.nmapCommand),
      ],
    ),
    '',
  );
  const last = median(ok.map((r) => r.lastAnswerMs ?? NaN));
  const done = median(ok.map((r) => r.discoveryFinishedMs ?? NaN));
  lines.push(
    `**Time to last answer vs the wait.** Every device had answered by ${s(last)} (median; the simulated devices answer within ${m.maxAnswerDelayMs} ms of the probe), yet`,
    `discovery ran to ${s(done)} because \`--wait ${m.waitMs}\` is a fixed listening window: ${s(done - last)} (${Math.round(((done - last) / done) * 100)} % of the discovery phase) is spent`,
    'listening after the last answer. node-onvif-ts has the same shape (a fixed 3 s), nmap a fixed 5 s per probe thread (timing template T3).',
    '',
  );
  const nmapNotes = [...new Set(m.nmap.map((r) => r.note).filter((n): n is string => !!n))];
  if (nmapNotes.length > 0) {
    lines.push('What nmap printed, per run:', '', ...m.nmap.map((r) => `- run ${r.rep}: ${(r.note ?? '').replace(/"/g, "'")}`), '', 'The head of its output:', '');
    if (m.nmapSample) lines.push('```', m.nmapSample.trim(), '```', '');
  }
  return lines;
}
