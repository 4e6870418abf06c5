/**
 * IPv4 and IPv6 together (issue 3): a camera with an IPv4 and an IPv6 address answers the IPv4 probe on
 * 239.255.255.250 and the IPv6 probe on ff02::c (sent from the scanner's link-local address with its zone); the
 * result is ONE record listing both addresses, fingerprinted on both without a warning and without a credential.
 * Runs in two network namespaces (never on the machine's own interfaces); skips loudly where it cannot.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath } from '../support/cli.js';
import { collectChild, createTestNetwork, namespaceUnavailableReason, type TestNetwork } from '../support/netns.js';
import { expectValidDocument } from '../support/schema.js';
import { waitFor } from '../support/wait.js';
import { unavailable } from '../support/skip.js';

const skipped = unavailable('the IPv6 dual-stack test (network namespaces)', namespaceUnavailableReason());

describe.skipIf(skipped)('dual-stack device over IPv4 and IPv6 multicast (network namespaces)', () => {
  let network: TestNetwork | null = null;
  let fleet: ChildProcess | null = null;

  afterAll(() => {
    fleet?.kill('SIGKILL');
    network?.destroy();
  });

  it('is one record listing its IPv4 and IPv6 addresses, found on both families', async () => {
    network = createTestNetwork('v6', '198.18.11', [10]);
    const ip6 = (ns: string, args: string[]): void => void execFileSync('ip', ['-n', ns, '-6', ...args], { stdio: 'ignore', timeout: 10_000 });
    ip6(network.scanner, ['addr', 'add', 'fd00:198:18:b::1/64', 'dev', network.scannerInterface, 'nodad']);
    ip6(network.fleet, ['addr', 'add', 'fd00:198:18:b::a/64', 'dev', network.fleetInterface, 'nodad']);
    fleet = network.spawnIn(network.fleet, process.execPath, [
      cliPath, 'simulate', '--subnet', '198.18.11', '--http-port', '80', '--profile', 'pelco-d6230l',
      '--multicast-interface', '198.18.11.10', '--multicast-interface-name', network.fleetInterface, '--ipv6-prefix', 'fd00:198:18:b::',
    ]);
    // Scan once the fleet says it is up (printed after every device listens), not after a guessed delay.
    let simulated = '';
    fleet.stdout?.on('data', (chunk: Buffer) => (simulated += chunk.toString('utf8')));
    await waitFor(() => simulated.includes('Simulated fleet running'), 'the simulated fleet to start', 10_000);
    const result = await collectChild(network.spawnIn(network.scanner, process.execPath, [cliPath, 'scan', '--interface', network.scannerInterface, '--json', '--wait', '1500']), 15_000);
    expect(result.code, result.stderr).toBe(0);
    const document = expectValidDocument<{ devices: Array<{ addresses: string[]; model: string | null; onvif: { xaddrs: string[] } | null }>; warnings: unknown[] }>(result.stdout);
    expect(document.devices, result.stdout).toHaveLength(1);
    const device = document.devices[0]!;
    expect(device.addresses.sort()).toEqual(['198.18.11.10', 'fd00:198:18:b::a']);
    expect(device.model).toBe('D6230L');
    expect(device.onvif?.xaddrs.some((x) => x.includes('[fd00:198:18:b::a]'))).toBe(true);
    expect(document.warnings).toEqual([]);
  }, 30_000);
});
