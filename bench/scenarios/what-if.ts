/**
 * Evidence for the proposed fix of the unicast-sweep loss: the same scan (runScan in a child process) against the
 * same N-device fleet, once with the kernel's default socket receive buffer and once with 4 MiB, changing nothing
 * else (the socket factory is ScanOptions.udp, an injection point runScan already has).
 */
import { join } from 'node:path';
import { defaultFleetProfiles, hostAddress } from '../../src/simulator/fleet.js';
import { startFleetChild } from '../lib/fleet.js';
import { run } from '../lib/proc.js';
import { benchRoot, repoRoot } from '../lib/paths.js';
import { UNICAST_SUBNET } from './speed.js';
import { snapshotDir } from '../lib/build.js';

export interface WhatIfRun {
  variant: string;
  recvBufferGranted: number[];
  found: number;
  fingerprinted: number;
  fingerprintDoneMs: number;
  cpuMs: number;
  /** Includes the tsx loader the tool runs under (~40 MB). */
  maxRssMb: number;
}

export interface WhatIfResult {
  devices: number;
  waitMs: number;
  command: string;
  runs: WhatIfRun[];
}

export async function runWhatIf(size: number, waitMs: number, log: (line: string) => void): Promise<WhatIfResult> {
  const base = defaultFleetProfiles();
  const profiles = Array.from({ length: size }, (_, i) => base[i % base.length]!);
  const range = `${hostAddress(UNICAST_SUBNET, 10, 0)}-${hostAddress(UNICAST_SUBNET, 10, size - 1)}`;
  const fleet = await startFleetChild({ profiles, subnet: UNICAST_SUBNET, httpPort: 0, lifetimeMs: 120_000, sinkUnservedPorts: true }, { readyTimeoutMs: 90_000 });
  const result: WhatIfResult = { devices: size, waitMs, command: `node --import tsx bench/tools/scan-what-if.ts --targets ${range} --wait ${waitMs} --build bench/.build [--recv-buffer 4194304]`, runs: [] };
  try {
    const expected = new Map((await fleet.report()).devices.map((d) => [d.address, d.model]));
    for (const [variant, extra] of [['kernel default SO_RCVBUF', []], ['4 MiB SO_RCVBUF', ['--recv-buffer', String(4 * 1024 * 1024)]]] as const) {
      const finished = await run(process.execPath, ['--import', 'tsx', join(benchRoot, 'tools', 'scan-what-if.ts'), '--targets', range, '--wait', String(waitMs), '--build', snapshotDir, ...extra], { timeoutMs: waitMs + 60_000, cwd: repoRoot });
      const line = /^RESULT (.*)$/m.exec(finished.stdout)?.[1];
      if (!line) throw new Error(`scan-what-if printed no RESULT (exit ${finished.code})\n${finished.stderr.slice(-2000)}`);
      const parsed = JSON.parse(line) as { recvBufferGranted: number[]; fingerprintDoneMs: number; cpuMs: number; maxRssKb: number; devices: Array<{ addresses: string[]; model: string | null }> };
      let found = 0;
      let fingerprinted = 0;
      const seen = new Map<string, string | null>();
      for (const device of parsed.devices) for (const address of device.addresses) seen.set(address, device.model);
      for (const [address, model] of expected) {
        if (!seen.has(address)) continue;
        found += 1;
        if (seen.get(address) === model) fingerprinted += 1;
      }
      result.runs.push({ variant, recvBufferGranted: parsed.recvBufferGranted, found, fingerprinted, fingerprintDoneMs: parsed.fingerprintDoneMs, cpuMs: parsed.cpuMs, maxRssMb: parsed.maxRssKb / 1024 });
      log(`what-if ${size}: ${variant}: found ${found}/${size}, fingerprinted ${fingerprinted}, fingerprint done at ${parsed.fingerprintDoneMs} ms`);
    }
  } finally {
    await fleet.stop();
  }
  return result;
}
