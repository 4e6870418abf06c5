/**
 * How a scan is judged against the fleet it ran on (shared by the unicast, multicast and on-link scenarios): a
 * device counts as found when a record lists its address, and as fingerprinted when that record's model is the
 * simulated one; per discovery channel, heard / devices whose profile answers on it.
 */
import { defaultFleetProfiles } from '../../src/simulator/fleet.js';
import { loadProfile } from '../../src/simulator/profile.js';
import type { RunningFleet } from './fleet.js';
import type { CliScan } from './oneknock-cli.js';

export interface ExpectedDevice {
  address: string;
  model: string;
  channels: string[];
}

export interface Judged {
  found: number;
  fingerprinted: number;
  expected: number;
  missing: string[];
  /** Per discovery channel: devices heard on it / devices whose profile answers on it. */
  byChannel: Record<string, { found: number; expected: number }>;
}

/** `count` profile names: the demo profiles (`defaultFleetProfiles()`) cycled. */
export function fleetProfiles(count: number): string[] {
  const base = defaultFleetProfiles();
  return Array.from({ length: count }, (_, i) => base[i % base.length]!);
}

/** What the running fleet holds: every device's address, simulated model and discovery channels. */
export async function expectedDevices(fleet: RunningFleet): Promise<ExpectedDevice[]> {
  const channels = new Map<string, string[]>();
  return (await fleet.report()).devices.map((d) => {
    const base = d.name.replace(/^x-spoofed-xaddrs-/, '');
    if (!channels.has(base)) channels.set(base, loadProfile(base).channels);
    return { address: d.address, model: d.model, channels: channels.get(base)! };
  });
}

/** Compare the scan's devices with what the fleet runs: found (an address answered) and fingerprinted (model right). */
export function judge(scan: CliScan, expected: ExpectedDevice[]): Judged {
  const byAddress = new Map<string, { model: string | null; channels: string[] }>();
  for (const device of scan.document.devices) for (const address of device.addresses) byAddress.set(address, { model: device.model, channels: device.discoveredBy });
  const missing: string[] = [];
  const byChannel: Record<string, { found: number; expected: number }> = {};
  let found = 0;
  let fingerprinted = 0;
  for (const device of expected) {
    const seen = byAddress.get(device.address);
    for (const channel of device.channels) {
      const entry = (byChannel[channel] ??= { found: 0, expected: 0 });
      entry.expected += 1;
      if (seen?.channels.includes(channel)) entry.found += 1;
    }
    if (!seen) {
      missing.push(device.address);
      continue;
    }
    found += 1;
    if (seen.model === device.model) fingerprinted += 1;
  }
  return { found, fingerprinted, expected: expected.length, missing, byChannel };
}
