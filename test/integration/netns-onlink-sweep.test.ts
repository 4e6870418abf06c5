/**
 * An on-link sweep (issue 14): every probe to an address of the attached /24 makes the kernel resolve a neighbour.
 * The scan says so before it starts (the `sweep` of the discovery phase: on-link count, pace, estimate), finds
 * every device in the block, and the TCP probe leaves alone the addresses nobody answered ARP for.
 * Two network namespaces the test creates; skips loudly where they cannot be made.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath } from '../support/cli.js';
import { collectChild, createTestNetwork, namespaceUnavailableReason, type TestNetwork } from '../support/netns.js';
import { unavailable } from '../support/skip.js';

const skipped = unavailable('the on-link sweep test (network namespaces)', namespaceUnavailableReason());
const SUBNET = '198.18.12';
// `simulate` numbers its devices from .10; the other 249 addresses of the block are silent.
const HOSTS = [10, 11, 12, 13, 14];

describe.skipIf(skipped)('an on-link sweep paced for the neighbour table (network namespaces)', () => {
  let network: TestNetwork | null = null;
  let fleet: ChildProcess | null = null;

  afterAll(() => {
    fleet?.kill('SIGKILL');
    network?.destroy();
  });

  it('announces the on-link sweep with its pace and estimate, and finds every device in it', async () => {
    network = createTestNetwork('ol', SUBNET, HOSTS);
    fleet = network.spawnIn(network.fleet, process.execPath, [cliPath, 'simulate', '--http-port', '80', '--profile', 'hikvision-ds-2cd2386g2-v5.7', '--profile', 'dahua-ipc-hfw2228m', '--profile', 'axis-m1034-w', '--profile', 'generic-nvt-ipcam', '--profile', 'pelco-d6230l', '--subnet', SUBNET]);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const result = await collectChild(network.spawnIn(network.scanner, process.execPath, [cliPath, 'scan', '--no-multicast', '--target', `${SUBNET}.0/24`, '--ndjson', '--wait', '2000']), 40_000);
    expect(result.code, result.stderr).toBe(0);
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; phase?: string; state?: string; detail?: string; sweep?: { addresses: number; onLink: number; onLinkRatePerSecond: number | null; estimateMs: number }; device?: { addresses: string[]; discoveredBy: string[] } });
    const started = events.find((e) => e.type === 'phase' && e.phase === 'discovery' && e.state === 'started');
    expect(started?.sweep).toMatchObject({ addresses: 254, onLink: 254 });
    expect(started!.sweep!.onLinkRatePerSecond).toBeGreaterThan(10);
    expect(started!.detail).toMatch(/all on-link .* so the neighbour table never overflows: about \d+ s/);
    const found = new Set(events.filter((e) => e.type === 'device').flatMap((e) => e.device!.addresses));
    for (const host of HOSTS) expect(found.has(`${SUBNET}.${host}`), `${SUBNET}.${host}`).toBe(true);
    // Nothing but the fleet answered: no address without a host behind it became a device (the TCP probe skipped them).
    expect([...found].filter((a) => !HOSTS.map((h) => `${SUBNET}.${h}`).includes(a))).toEqual([]);
    expect(events.some((e) => e.type === 'warning' && /neighbour table overflowed/.test(String((e as { message?: string }).message)))).toBe(false);
  }, 60_000);
});
