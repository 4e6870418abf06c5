/** BENCHMARKS.md section 4: the on-link /16 in network namespaces, oneknock and nmap side by side, with the kernel's neighbour counters. */
import type { KernelFigures, OnlinkNmapRun, OnlinkResult } from '../../scenarios/onlink.js';
import type { ScanFigures } from '../../scenarios/speed.js';
import type { BenchResults } from '../report.js';
import { cpu, drops, mb, median, ms, s, skipped, table } from './format.js';

/** The on-link result of a results file, or why there is none (files written before the scenario have no key). */
export function onlinkOf(results: BenchResults): OnlinkResult | { skipped: string } {
  return results.onlink ?? { skipped: 'not in this results file (written before the on-link scenario existed)' };
}

/** Entries held outside the scanner namespace above which a run is flagged as sharing the table (the host's own few are normal). */
const OTHERS_NOTICEABLE = 16;

const count = (v: number | null | undefined): string => (v === null || v === undefined || Number.isNaN(v) ? '–' : `${v}`);
/** Median with the per-run values in brackets (just the value when there is one run). */
function withRuns(values: Array<number | null>, format: (v: number | null) => string): string {
  const known = values.filter((v): v is number => v !== null && !Number.isNaN(v));
  if (values.length === 1) return format(values[0] ?? null);
  return `${format(known.length ? median(known) : null)} [${values.map(format).join(', ')}]`;
}

export const neighbourCounter = (k: KernelFigures, name: string): number | null => k.neighbour.delta?.[name] ?? null;
const udp = (k: KernelFigures, name: string): number | null => k.snmp?.udp[name] ?? null;
const ipCounter = (k: KernelFigures, name: string): number | null => k.snmp?.ip[name] ?? null;

function kernelRow(label: string, k: KernelFigures, extraDrops: number | null): string[] {
  return [
    label,
    count(udp(k, 'OutDatagrams')),
    count(udp(k, 'SndbufErrors')),
    count(ipCounter(k, 'OutDiscards')),
    `${count(k.link?.txPackets)} / ${count(k.link?.txDropped)}`,
    count(extraDrops),
    `${count(udp(k, 'RcvbufErrors'))} / ${count(udp(k, 'InErrors'))}`,
    count(neighbourCounter(k, 'allocs')),
    count(neighbourCounter(k, 'res_failed')),
    count(neighbourCounter(k, 'forced_gc_runs')),
    count(neighbourCounter(k, 'unresolved_discards')),
    `**${count(neighbourCounter(k, 'table_fulls'))}**`,
    `${count(k.neighbour.peakEntries)} / ${count(k.neighbour.peakNamespaceEntries)} / ${count(k.neighbour.peakOtherEntries)}`,
  ];
}

function nmapRow(label: string, runs: OnlinkNmapRun[], command: string): string[] {
  const expected = runs[0]?.expected ?? 0;
  return [
    label,
    `${withRuns(runs.map((r) => r.found), count)} / ${expected}`,
    '–',
    '–',
    '–',
    withRuns(runs.map((r) => r.wallMs), s),
    `${withRuns(runs.map((r) => r.cpuMs), ms)} ms`,
    withRuns(runs.map((r) => r.maxRssMb), mb),
    '–',
    `\`${command}\``,
  ];
}

export function onlinkSection(results: BenchResults): string[] {
  const lines = ['## 4. On-link /16 in network namespaces: the neighbour table under a full sweep', ''];
  const o = onlinkOf(results);
  if (skipped(o)) return [...lines, `Skipped: ${o.skipped}`, ''];
  const d = o.sysctls.default;
  lines.push(
    `${o.devices} simulated devices (the demo profiles cycled; ${o.wsDiscoveryDevices} of them answer WS-Discovery) on addresses scattered pseudo-randomly over ${o.prefix}`,
    `(fixed seed 0x${o.seed.toString(16)}, so every run has the same ones: ${o.addressSample.join(', ')}, …; never .0 or .255, never the scanner ${o.scannerAddress} or the fleet's base`,
    `address ${o.baseAddress}), all in one fleet namespace, HTTP on port 80 and the standard UDP ports on every address. The scanner namespace (${o.scannerAddress}/16) is joined`,
    'to it by one veth. Both sides have the /16 as an on-link route, no gateway: every datagram to an address the scanner has not talked to yet makes its',
    `kernel resolve a neighbour (ARP) first. The kernel's neighbour settings are left at the values below; the IPv4 neighbour table — and its gc_thresh limits —`,
    'is **one table for the whole host**, shared by every namespace, and Linux shows its counters only in the initial namespace; so the counters below are',
    'host-wide (another namespace resolving neighbours at the same time would be counted too), and the scanner namespace\'s own entries are counted beside them',
    `(\`ip -n <ns> neigh show\`, every second). The scanner's neighbour table is flushed before each run. oneknock sweeps all ${o.sweptAddresses.toLocaleString('en-US')} addresses of the /16;`,
    `${results.options.reps} repetition(s), medians with per-rep values in brackets; nmap ran ${o.nmapPing.length} time(s) on the same fleet in the same run. Network set up in ${s(o.networkSetupMs)}`,
    `(all addresses with one \`ip -n <fleet-ns> -batch -\`), fleet started in ${s(o.fleetStartMs)}.`,
    '',
    table(
      ['neighbour setting', 'net.ipv4.neigh.default (host)', 'scanner veth (its copy)'],
      Object.keys(d).map((name) => [`\`${name}\``, count(d[name]), o.sysctls.scannerInterface && name in o.sysctls.scannerInterface ? count(o.sysctls.scannerInterface[name]) : '–']),
    ),
    '',
  );
  const sc = o.oneknock.map((r) => r.scan);
  const val = (f: (x: ScanFigures) => number | null): Array<number | null> => sc.map((x) => (x ? f(x) : null));
  lines.push(
    table(
      ['tool', 'found', 'fingerprinted', 'discovery finished', 'fingerprint finished', 'process wall', 'CPU (user+sys)', 'peak RSS', 'RSS per device', 'command'],
      [
        [
          'oneknock',
          `${withRuns(val((x) => x.found), count)} / ${o.devices}${o.oneknock.some((r) => r.stoppedAtDeadline) ? ` (${o.oneknock.filter((r) => r.stoppedAtDeadline).length} of ${o.oneknock.length} run(s) stopped at the ${o.timeouts.oneknockMs / 60_000}-min deadline)` : ''}`,
          withRuns(val((x) => x.fingerprinted), count),
          withRuns(val((x) => x.discoveryFinishedMs), s),
          withRuns(val((x) => x.fingerprintFinishedMs), s),
          withRuns(val((x) => x.wallMs), s),
          `${withRuns(val(cpu), ms)} ms`,
          withRuns(val((x) => x.maxRssMb), mb),
          withRuns(val((x) => (x.maxRssMb === null ? null : (x.maxRssMb * 1024) / o.devices)), (v) => (v === null ? '–' : `${v.toFixed(1)} KB`)),
          `\`${o.oneknockCommand}\``,
        ],
        ...(o.nmapPing.length ? [nmapRow(`nmap ${results.versions['nmap'] ?? ''} -sn (ARP ping)`, o.nmapPing, o.nmapPingCommand)] : []),
        ...(o.nmapUdp.length ? [nmapRow(`nmap ${results.versions['nmap'] ?? ''} -sU -p 3702 (open)`, o.nmapUdp, o.nmapUdpCommand)] : []),
      ],
    ),
    '',
  );
  lines.push(
    'oneknock, devices heard by each minute of the run (from the NDJSON device events):',
    '',
    ...o.oneknock.map((r) =>
      r.error
        ? `- rep ${r.rep} failed: ${r.error}`
        : `- rep ${r.rep}: ${r.foundByMinute.map((n, i) => `${n} by ${i + 1} min`).join(', ') || '–'}; last device first heard at ${s(r.lastDeviceHeardMs)}${
            r.stoppedAtDeadline ? `; **still running at its ${o.timeouts.oneknockMs / 60_000}-minute deadline: stopped there** (figures are what it had done by then; CPU and peak RSS read from /proc just before the kill)` : ''
          }`,
    ),
    '',
  );
  if (!o.nmapPing.length) lines.push('nmap is not installed: no nmap rows (`apt-get install -y nmap`).', '');
  lines.push(
    `Found is out of the ${o.devices} devices for oneknock and nmap -sn (a fleet address reported up), out of the ${o.wsDiscoveryDevices} WS-Discovery devices for the nmap UDP`,
    'probe (a fleet address whose 3702 is reported `open`, i.e. it answered). RSS per device is peak RSS / devices. nmap\'s CPU and peak RSS are from',
    '`/usr/bin/time`; oneknock\'s from `bench/lib/measure.mjs` inside the process.',
    '',
    'What the kernel counted during each run (the scanner namespace\'s /proc/net/snmp and the host\'s /proc/net/stat/arp_cache, deltas over the run):',
    '',
    table(
      ['run', 'UDP datagrams sent (OutDatagrams)', 'SndbufErrors', 'IP OutDiscards', 'veth packets sent / dropped', 'dropped on the scanner\'s sockets (receive)', 'RcvbufErrors / InErrors', 'neighbour allocs', 'res_failed', 'forced_gc_runs', 'unresolved_discards', '**table_fulls** (overflows)', 'peak entries (host / scanner ns / elsewhere)'],
      [
        ...o.oneknock.map((r) => kernelRow(`oneknock rep ${r.rep}`, r.kernel, r.scan ? drops(r.scan) : null)),
        ...o.nmapPing.map((r) => kernelRow(`nmap -sn${o.nmapPing.length > 1 ? ` rep ${r.rep}` : ''}`, r.kernel, null)),
        ...o.nmapUdp.map((r) => kernelRow(`nmap -sU -p 3702${o.nmapUdp.length > 1 ? ` rep ${r.rep}` : ''}`, r.kernel, null)),
      ],
    ),
    '',
    `How to read the counters: **allocs** is neighbour entries created; **res_failed** resolutions that got no ARP reply (${count(d['mcast_solicit'])} broadcast requests,`,
    `${count(d['retrans_time_ms'])} ms apart: an address with no device); **forced_gc_runs** the times the table stood at gc_thresh2 (${count(d['gc_thresh2'])}) or gc_thresh3 (${count(d['gc_thresh3'])}) and the kernel`,
    'forced a garbage collection to make room (an entry still resolving, younger than 5 s, cannot be collected); **unresolved_discards** datagrams queued',
    `behind one unresolved entry beyond its unres_qlen_bytes (${count(d['unres_qlen_bytes'])} bytes) and thrown away (those still queued when a resolution fails are dropped too, uncounted);`,
    `**table_fulls** the overflows: a new entry was needed, the table was at gc_thresh3 even after forced collection, so the datagram was dropped before`,
    'the wire (IP OutDiscards; on this kernel the error is ENOBUFS, which a UDP send without IP_RECVERR reports as success and counts in SndbufErrors)',
    'and the kernel logged "neighbor table overflow!" — rate-limited in dmesg, so the counter is what is reported. SndbufErrors and OutDiscards also',
    'count datagrams the veth refused at once (its peer\'s backlog full: "veth dropped"); "veth packets sent" counts every frame, ARP requests included.',
    'Peak entries is the table-wide count sampled every 200 ms (host), the scanner namespace\'s own entries sampled every second, and the most',
    'held elsewhere at one of those seconds (host minus scanner namespace: other namespaces, the host itself). UDP datagrams sent counts what left the socket layer, including datagrams then queued behind a neighbour that never',
    'resolved and dropped with it. nmap sends its ARP requests and its UDP probes itself on a raw socket, so they do not pass through the kernel\'s UDP counters or neighbour',
    'resolution for the down addresses.',
    '',
  );
  const all = [...o.oneknock.map((r) => ({ label: `oneknock rep ${r.rep}`, k: r.kernel })), ...o.nmapPing.map((r) => ({ label: `nmap -sn rep ${r.rep}`, k: r.kernel })), ...o.nmapUdp.map((r) => ({ label: `nmap -sU rep ${r.rep}`, k: r.kernel }))];
  const crowded = all.filter((x) => (x.k.neighbour.peakOtherEntries ?? 0) > OTHERS_NOTICEABLE);
  if (crowded.length) {
    lines.push(
      `**Not alone on the host:** during ${crowded.map((x) => `${x.label} (up to ${x.k.neighbour.peakOtherEntries} entries)`).join(', ')} other namespaces or the host held neighbour`,
      'entries too, so the host-wide counters of those runs (allocs, res_failed, forced_gc_runs, unresolved_discards, table_fulls) include their activity,',
      "and their entries took part of the shared gc_thresh3. The scanner namespace's own peak is its alone.",
      '',
    );
  }
  const warned = o.oneknock.filter((r) => r.scan && Object.keys(r.scan.warningsByCode).length > 0);
  if (warned.length) {
    lines.push('Warnings oneknock reported (NDJSON `warning` events, by code):', '', ...warned.map((r) => `- rep ${r.rep}: ${Object.entries(r.scan!.warningsByCode).map(([c, n]) => `${c} ${n}${r.warningSamples?.[c] ? ` (first: "${r.warningSamples[c]!.replace(/[|`]/g, ' ')}")` : ''}`).join(', ')}`), '');
  }
  const short = o.oneknock.filter((r) => r.scan && r.scan.found < r.scan.expected);
  if (short.length) {
    lines.push(
      'Not heard, by channel (oneknock; heard / devices whose profile answers on it):',
      '',
      ...short.map((r) => `- rep ${r.rep}: ${Object.entries(r.scan!.byChannel).filter(([c]) => c !== 'mdns').map(([c, v]) => `${c} ${v.found} / ${v.expected}`).join(', ')}; first missing: ${r.scan!.missing.slice(0, 5).join(', ')}${r.scan!.missing.length > 5 ? ', …' : ''}`),
      '',
    );
  }
  if (o.nmapUdp.length) {
    const states = o.nmapUdp.map((r) => `${Object.entries(r.portStates).map(([k, v]) => `${v} ${k}`).join(', ')} (${r.hostsUp} hosts up)`);
    lines.push(
      `The nmap UDP run sends a WS-Discovery Probe as its payload (\`--data-string\`): the installed nmap's nmap-payloads ${
        o.nmapPayloadHas3702 === null ? 'was not found' : o.nmapPayloadHas3702 ? 'has a payload for 3702 of its own' : 'has no payload for 3702, so without it nmap sends an empty datagram, which no WS-Discovery responder answers'
      }. Port 3702 as nmap reported it: ${states.join('; ')}. "closed" needs the host's ICMP port unreachable, which the kernel rate-limits, so some closed ports read "open|filtered".`,
      '',
    );
    const notes = [...o.nmapPing, ...o.nmapUdp].filter((r) => r.note).map((r) => `- nmap rep ${r.rep}: ${r.note}`);
    if (notes.length) lines.push(...notes, '');
    const summaries = [...o.nmapPing, ...o.nmapUdp].map((r) => r.summary).filter(Boolean);
    if (summaries.length) lines.push(`nmap's own closing lines: ${summaries.map((x) => `"${x}"`).join('; ')}.`, '');
  }
  lines.push(`Fleet: \`${o.fleetCommand}\`. Deadlines: ${o.timeouts.oneknockMs / 60_000} min per oneknock run, ${o.timeouts.nmapMs / 60_000} min per nmap run.`, '');
  return lines;
}
