/**
 * Safety, side by side: four tools against the same simulated fleet in a network namespace (restarted for each
 * tool so each tool's counters are its own), one credential set that is wrong for some devices, and a device whose
 * WS-Discovery XAddrs point at a credential collector. Figures are read from the simulator's own counters.
 */
import { join } from 'node:path';
import { createTestNetwork, type TestNetwork } from '../../test/support/netns.js';
import { DEFAULT_FLEET_PASSWORD } from '../../src/simulator/fleet.js';
import { startFleetChild } from '../lib/fleet.js';
import { run } from '../lib/proc.js';
import { benchRoot, repoRoot } from '../lib/paths.js';
import type { FleetChildReport, FleetProfileSpec } from '../fleet-child.js';

export const SAFETY_SUBNET = '198.18.40';
const COLLECTOR_HOST = 200;
const WRONG_PASSWORD_PROFILE = 'hikvision-ds-2cd2385g1-v5.6-other-password';
/** Eight kinds of device, three of each, plus a factory-new (SADP-only) camera and one spoofed-XAddrs device. */
const BASE = [
  'hikvision-ds-2cd2386g2-v5.7',
  'hikvision-ds-2cd2032-v5.3',
  WRONG_PASSWORD_PROFILE,
  'dahua-ipc-hfw2228m',
  'axis-m1034-w',
  'pelco-d6230l',
  'generic-nvt-ipcam',
  'hikvision-ds-2cd2347g2-locked',
];
export const SAFETY_PROFILES: FleetProfileSpec[] = [...BASE, ...BASE, ...BASE, 'hikvision-ds-2cd2143g2-not-activated', { spoofOf: 'generic-nvt-ipcam' }];

export interface ToolSpec {
  key: string;
  label: string;
  /** What runs in the scanner namespace (argv after `node`). */
  args: (network: TestNetwork) => string[];
  what: string;
}

export interface ProfileRow {
  profile: string;
  devices: number;
  failedLogins: number;
  lockouts: number;
  credentialedRequests: number;
  successfulDevices: number;
}

export interface SafetyResult {
  key: string;
  label: string;
  command: string;
  what: string;
  wallMs: number;
  exitCode: number | null;
  toolSummary: unknown;
  devices: number;
  devicesFound: number | null;
  devicesLoggedIn: number;
  failedLogins: number;
  lockouts: number;
  devicesLockedOut: number;
  credentialedRequests: number;
  basicRequests: number;
  mixedRequests: number;
  devicesWithFailures: number;
  collectorCredentialed: number;
  collectorRequests: number;
  byProfile: ProfileRow[];
}

const tsx = (script: string): string[] => ['--import', 'tsx', join(benchRoot, script)];

export const SAFETY_TOOLS: ToolSpec[] = [
  {
    key: 'oneknock',
    label: '(a) oneknock',
    what: 'runScan + createLoginPhase: multicast discovery, anonymous fingerprint, one login per device',
    args: (n) => [...tsx('tools/oneknock-login.ts'), '--interface', n.scannerInterface, '--address', n.scannerAddress],
  },
  {
    key: 'node-onvif-ts',
    label: '(b) node-onvif-ts 0.1.7',
    what: 'startProbe(), then new OnvifDevice({xaddr: xaddrs[0], user, pass}).init() per device (README usage)',
    args: () => [...tsx('tools/node-onvif-ts-run.ts'), '--login'],
  },
  {
    key: 'vms',
    label: '(c) VMS express-scan emulation',
    what: '3 typed pairs (right one first) + driver defaults per device, naive Basic→Digest / local-clock token, stop at first success',
    args: (n) => [...tsx('tools/vms-express-scan.ts'), '--address', n.scannerAddress],
  },
  {
    key: 'local-clock',
    label: '(d) local-clock scanner',
    what: 'oneknock with one change: WS-UsernameToken dated by the local clock (device clock offset ignored)',
    args: (n) => [...tsx('tools/oneknock-login.ts'), '--interface', n.scannerInterface, '--address', n.scannerAddress, '--local-clock'],
  },
];

function summarise(report: FleetChildReport, scannerAddress: string): Omit<SafetyResult, 'key' | 'label' | 'command' | 'what' | 'wallMs' | 'exitCode' | 'toolSummary' | 'devicesFound'> {
  const devices = report.devices;
  const sum = (pick: (c: FleetChildReport['devices'][number]['counters']) => number): number => devices.reduce((total, d) => total + pick(d.counters), 0);
  const rows = new Map<string, ProfileRow>();
  for (const device of devices) {
    const row = rows.get(device.name) ?? { profile: device.name, devices: 0, failedLogins: 0, lockouts: 0, credentialedRequests: 0, successfulDevices: 0 };
    row.devices += 1;
    row.failedLogins += device.counters.failedLogins;
    row.lockouts += device.counters.lockouts;
    row.credentialedRequests += device.counters.credentialedRequests;
    if (device.counters.successfulLogins > 0) row.successfulDevices += 1;
    rows.set(device.name, row);
  }
  const strangers = devices.flatMap((d) => d.counters.credentialedSources.filter((s) => s !== scannerAddress));
  if (strangers.length > 0) throw new Error(`credentials from unexpected sources: ${strangers.join(', ')}`);
  return {
    devices: devices.length,
    devicesLoggedIn: devices.filter((d) => d.counters.successfulLogins > 0).length,
    failedLogins: sum((c) => c.failedLogins),
    lockouts: sum((c) => c.lockouts),
    devicesLockedOut: devices.filter((d) => d.counters.lockouts > 0).length,
    credentialedRequests: sum((c) => c.credentialedRequests),
    basicRequests: sum((c) => c.basicCredentialRequests),
    mixedRequests: sum((c) => c.mixedCredentialRequests),
    devicesWithFailures: devices.filter((d) => d.counters.failedLogins > 0).length,
    collectorCredentialed: report.collector?.credentialed ?? 0,
    collectorRequests: report.collector?.requests ?? 0,
    byProfile: [...rows.values()],
  };
}

export interface RepeatSummary {
  key: string;
  label: string;
  runs: Array<{ failedLogins: number; lockouts: number; collectorCredentialed: number; devicesLoggedIn: number; neverPlanned: number; neverPlannedModels: string[] }>;
}

export async function runSafety(log: (line: string) => void, register: (network: TestNetwork) => void, reps: number): Promise<{ results: SafetyResult[]; repeats: RepeatSummary; fleetSize: number; subnet: string }> {
  const hosts = SAFETY_PROFILES.map((_, i) => 10 + i);
  const network = createTestNetwork('bs', SAFETY_SUBNET, [...hosts, COLLECTOR_HOST]);
  register(network);
  const deviceAddresses = network.fleetAddresses.slice(0, hosts.length);
  const collectorAddress = network.fleetAddresses.at(-1)!;

  const runTool = async (tool: ToolSpec): Promise<SafetyResult> => {
    const fleet = await startFleetChild(
      { profiles: SAFETY_PROFILES, addresses: deviceAddresses, httpPort: 80, maxAnswerDelayMs: 500, multicastInterface: deviceAddresses[0]!, collectorAddress, lifetimeMs: 180_000 },
      { namespace: network.fleet, readyTimeoutMs: 30_000 },
    );
    try {
      const args = tool.args(network);
      const finished = await run(process.execPath, args, {
        namespace: network.scanner,
        timeoutMs: 150_000,
        cwd: repoRoot,
        env: { ...process.env, BENCH_PASSWORD: DEFAULT_FLEET_PASSWORD, NO_COLOR: '1' },
      });
      const line = /^RESULT (.*)$/m.exec(finished.stdout)?.[1];
      if (!line) throw new Error(`${tool.label} printed no RESULT (exit ${finished.code}${finished.timedOut ? ', timed out' : ''})\nstderr: ${finished.stderr.slice(-3000)}`);
      const toolSummary = JSON.parse(line) as { found?: number };
      const report = await fleet.report();
      const result: SafetyResult = {
        key: tool.key,
        label: tool.label,
        what: tool.what,
        command: `ip netns exec <scanner-ns> node ${args.map((a) => a.replace(`${repoRoot}/`, '')).join(' ')}`.replace(network.scannerInterface, '<veth>').replace(network.scannerAddress, `${SAFETY_SUBNET}.1`),
        wallMs: finished.wallMs,
        exitCode: finished.code,
        toolSummary,
        devicesFound: typeof toolSummary.found === 'number' ? toolSummary.found : null,
        ...summarise(report, network.scannerAddress),
      };
      log(`  found ${result.devicesFound}, logged in ${result.devicesLoggedIn}/${result.devices}, failed logins ${result.failedLogins}, lockouts ${result.lockouts}, to collector ${result.collectorCredentialed}, ${Math.round(result.wallMs)} ms`);
      return result;
    } finally {
      await fleet.stop();
    }
  };

  const results: SafetyResult[] = [];
  const oneknock = SAFETY_TOOLS[0]!;
  const repeats: RepeatSummary = { key: oneknock.key, label: oneknock.label, runs: [] };
  const neverPlanned = (r: SafetyResult): string[] =>
    ((r.toolSummary as { devices?: Array<{ model: string | null; login: { status: string } }> }).devices ?? []).filter((d) => d.login.status === 'not-requested').map((d) => d.model ?? '?');
  const note = (r: SafetyResult): void =>
    void repeats.runs.push({ failedLogins: r.failedLogins, lockouts: r.lockouts, collectorCredentialed: r.collectorCredentialed, devicesLoggedIn: r.devicesLoggedIn, neverPlanned: neverPlanned(r).length, neverPlannedModels: neverPlanned(r) });
  try {
    for (const tool of SAFETY_TOOLS) {
      log(`safety: ${tool.label} …`);
      const result = await runTool(tool);
      results.push(result);
      if (tool === oneknock) note(result);
    }
    // oneknock again, on a fresh fleet each time: the promise must hold on every run, not on a lucky one.
    for (let rep = 2; rep <= reps; rep++) {
      log(`safety: ${oneknock.label}, repetition ${rep} …`);
      note(await runTool(oneknock));
    }
  } finally {
    network.destroy();
  }
  return { results, repeats, fleetSize: SAFETY_PROFILES.length, subnet: SAFETY_SUBNET };
}
