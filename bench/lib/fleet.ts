/** Start bench/fleet-child.ts (on loopback or inside a network namespace) and read its counters. */
import { join } from 'node:path';
import { procCpuMs, start, type Running } from './proc.js';
import { repoRoot } from './paths.js';
import type { FleetChildConfig, FleetChildReport } from '../fleet-child.js';

export interface RunningFleet {
  process: Running;
  /** The pid of every fleet process (one per part of a split fleet). */
  pids: number[];
  addresses: string[];
  collectorPort: number;
  report(): Promise<FleetChildReport>;
  stop(): Promise<void>;
}

export async function startFleetChild(config: FleetChildConfig, options: { namespace?: string; readyTimeoutMs: number }): Promise<RunningFleet> {
  const child = start(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench', 'fleet-child.ts')], {
    timeoutMs: config.lifetimeMs + 15_000,
    cwd: repoRoot,
    env: { ...process.env, BENCH_FLEET: JSON.stringify(config) },
    ...(options.namespace ? { namespace: options.namespace } : {}),
  });
  let ready: RegExpExecArray;
  try {
    ready = await child.waitForLine(/^READY (.*)$/, options.readyTimeoutMs);
  } catch (error) {
    await child.stop(1_000);
    throw error;
  }
  const info = JSON.parse(ready[1]!) as { addresses: string[]; collectorPort: number };
  let reports = 0;
  return {
    process: child,
    pids: [child.pid],
    addresses: info.addresses,
    collectorPort: info.collectorPort,
    async report() {
      reports += 1;
      const seen = reports;
      child.send('report');
      // The n-th REPORT line answers the n-th request.
      const deadline = Date.now() + 15_000;
      for (;;) {
        // Only complete lines: a large report arrives in several chunks.
        const lines = child.stdout().split('\n').slice(0, -1).filter((l) => l.startsWith('REPORT '));
        if (lines.length >= seen) return JSON.parse(lines[seen - 1]!.slice('REPORT '.length)) as FleetChildReport;
        if (Date.now() > deadline) throw new Error(`fleet did not report within 15 s\nstderr: ${child.stderr().slice(-2000)}`);
        if (child.child.exitCode !== null || child.child.signalCode !== null) throw new Error(`fleet exited before reporting\nstderr: ${child.stderr().slice(-2000)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      await child.stop(5_000);
    },
  };
}

/** Devices per fleet process: each device holds an HTTP server and up to four UDP sockets, so 2,500 stay under a 20,000-descriptor limit. */
export const DEVICES_PER_FLEET_PROCESS = 2_500;

/**
 * One fleet split over several processes (`addresses` cut into runs of DEVICES_PER_FLEET_PROCESS), started one after
 * the other and reported as one: what a single process cannot hold (10,000 devices is ~50,000 sockets).
 */
export async function startSplitFleet(config: FleetChildConfig & { addresses: string[] }, options: { namespace?: string; readyTimeoutMs: number }): Promise<RunningFleet> {
  const parts: RunningFleet[] = [];
  try {
    for (let from = 0; from < config.addresses.length; from += DEVICES_PER_FLEET_PROCESS) {
      const to = Math.min(config.addresses.length, from + DEVICES_PER_FLEET_PROCESS);
      parts.push(await startFleetChild({ ...config, profiles: config.profiles.slice(from, to), addresses: config.addresses.slice(from, to), indexOffset: from }, options));
    }
  } catch (error) {
    await Promise.all(parts.map((part) => part.stop()));
    throw error;
  }
  if (parts.length === 1) return parts[0]!;
  return {
    process: parts[0]!.process,
    pids: parts.flatMap((part) => part.pids),
    addresses: parts.flatMap((part) => part.addresses),
    collectorPort: parts[0]!.collectorPort,
    async report() {
      const reports = await Promise.all(parts.map((part) => part.report()));
      return { devices: reports.flatMap((r) => r.devices), collector: reports.find((r) => r.collector)?.collector ?? null };
    },
    async stop() {
      await Promise.all(parts.map((part) => part.stop()));
    },
  };
}

/** CPU time (user + system, ms) of every fleet process so far; null when one of them cannot be read. */
export function fleetCpuMs(fleet: RunningFleet): number | null {
  let total = 0;
  for (const pid of fleet.pids) {
    const cpu = procCpuMs(pid);
    if (!cpu) return null;
    total += cpu.userMs + cpu.systemMs;
  }
  return total;
}
