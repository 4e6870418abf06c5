/**
 * WS-Discovery Hello heard during the wait (issue 3): a camera that comes up after the multicast Probe went out is
 * still found, because the scanner listens on the group for Hello. Runs in two network namespaces (never on the
 * machine's own interfaces); skips loudly where namespaces cannot be made.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath } from '../support/cli.js';
import { collectChild, createTestNetwork, namespaceUnavailableReason, type TestNetwork } from '../support/netns.js';
import { expectValidDocument } from '../support/schema.js';
import { unavailable } from '../support/skip.js';

const skipped = unavailable('the WS-Discovery Hello test (network namespaces)', namespaceUnavailableReason());

describe.skipIf(skipped)('WS-Discovery Hello during the wait (network namespaces)', () => {
  let network: TestNetwork | null = null;
  let fleet: ChildProcess | null = null;

  afterAll(() => {
    fleet?.kill('SIGKILL');
    network?.destroy();
  });

  it('finds a device that announces itself with Hello after the probe was sent', async () => {
    network = createTestNetwork('he', '198.18.9', [10]);
    const scan = collectChild(network.spawnIn(network.scanner, process.execPath, [cliPath, 'scan', '--interface', network.scannerInterface, '--json', '--wait', '2500']), 15_000);
    // The probe goes out at once; the camera boots a second later and only says Hello (it has ONVIF only).
    await new Promise((r) => setTimeout(r, 1000));
    fleet = network.spawnIn(network.fleet, process.execPath, [cliPath, 'simulate', '--subnet', '198.18.9', '--multicast-interface', '198.18.9.10', '--http-port', '80', '--profile', 'pelco-d6230l']);
    const result = await scan;
    expect(result.code, result.stderr).toBe(0);
    const document = expectValidDocument<{ devices: Array<{ addresses: string[]; model: string | null; discoveredBy: string[] }> }>(result.stdout);
    const pelco = document.devices.find((d) => d.addresses.includes('198.18.9.10'));
    expect(pelco, result.stdout).toBeDefined();
    expect(pelco!.discoveredBy).toEqual(['ws-discovery']);
    expect(pelco!.model).toBe('D6230L');
  }, 30_000);
});
