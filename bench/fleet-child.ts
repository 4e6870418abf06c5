/**
 * The simulated fleet in its own process (so a scanner's RSS and CPU are its own), driven over stdio:
 *
 *   BENCH_FLEET='{"profiles":[...],"subnet":"127.90.0",...}' node --import tsx bench/fleet-child.ts
 *
 * prints `READY {json}` once every device (and the credential collector, if asked for) is up; then each stdin
 * line `report` is answered with `REPORT {json}` (every device's counters and what the collector received);
 * `stop`, SIGTERM or SIGINT stop it. It also stops by itself after `lifetimeMs`, so it can never linger.
 *
 * A profile entry `{"spoofOf":"generic-nvt-ipcam"}` is a copy of that profile whose WS-Discovery XAddrs point at
 * the collector instead of itself (docs/SAFETY.md S3: a spoofed or misconfigured answer).
 */
import { startFleet, type Fleet } from '../src/simulator/fleet.js';
import { loadProfile, type SimulatorProfile } from '../src/simulator/profile.js';
import { startCollector, type Collector } from '../test/support/collector.js';

export type FleetProfileSpec = string | { spoofOf: string };

export interface FleetChildConfig {
  profiles: FleetProfileSpec[];
  subnet?: string;
  addresses?: string[];
  httpPort: number;
  maxAnswerDelayMs?: number;
  /** Answer multicast on the interface with this address (network namespaces only). */
  multicastInterface?: string;
  /** Where the credential collector listens (needed when a spoofed profile is present). */
  collectorAddress?: string;
  lifetimeMs: number;
  /** Part of a fleet split over processes: the number of this part's first device in the whole. */
  indexOffset?: number;
  /** A sink on each swept discovery port a device does not serve (FleetOptions.sinkUnservedPorts). */
  sinkUnservedPorts?: boolean;
}

export interface CollectorReport {
  address: string;
  port: number;
  requests: number;
  credentialed: number;
}

export interface FleetChildReport {
  devices: ReturnType<Fleet['report']>;
  collector: CollectorReport | null;
}

function spoofedProfile(base: string, collectorAddress: string): SimulatorProfile {
  const profile = loadProfile(base);
  profile.name = `x-spoofed-xaddrs-${base}`;
  profile.identity = { ...profile.identity, mac: '00:12:41:aa:bb:99', serial: 'SPOOF-1' };
  profile.wsDiscovery = { ...profile.wsDiscovery!, advertisedHost: collectorAddress, endpointUuid: 'urn:uuid:2419d68a-2dd2-21b2-a205-{mac}' };
  return profile;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env['BENCH_FLEET'] ?? '') as FleetChildConfig;
  const profiles = config.profiles.map((spec) => {
    if (typeof spec === 'string') return spec;
    if (!config.collectorAddress) throw new Error('a spoofed profile needs collectorAddress');
    return spoofedProfile(spec.spoofOf, config.collectorAddress);
  });
  const fleet = await startFleet({
    profiles,
    httpPort: config.httpPort,
    ...(config.subnet ? { subnet: config.subnet } : {}),
    ...(config.addresses ? { addresses: config.addresses } : {}),
    ...(config.indexOffset ? { indexOffset: config.indexOffset } : {}),
    ...(config.sinkUnservedPorts ? { sinkUnservedPorts: true } : {}),
    ...(config.maxAnswerDelayMs !== undefined ? { maxAnswerDelayMs: config.maxAnswerDelayMs } : {}),
    ...(config.multicastInterface ? { multicast: { interfaceAddress: config.multicastInterface } } : {}),
  });
  let collector: Collector | null = null;
  let collectorPort = 0;
  const spoof = fleet.devices.find((d) => d.profile.wsDiscovery?.advertisedHost);
  if (spoof && config.collectorAddress) {
    // The spoofed XAddrs keep the device's port, so the collector listens on that port at its own address.
    collectorPort = spoof.httpPort;
    collector = await startCollector(config.collectorAddress, collectorPort);
  }
  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await collector?.close();
    await fleet.stop();
    process.exit(code);
  };
  const lifetime = setTimeout(() => void stop(3), config.lifetimeMs);
  lifetime.unref();
  process.once('SIGTERM', () => void stop(0));
  process.once('SIGINT', () => void stop(0));
  let buffered = '';
  process.stdin.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const command = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (command === 'report') {
        const report: FleetChildReport = {
          devices: fleet.report(),
          collector: collector && config.collectorAddress ? { address: config.collectorAddress, port: collectorPort, requests: collector.requests.length, credentialed: collector.credentialed() } : null,
        };
        process.stdout.write(`REPORT ${JSON.stringify(report)}\n`);
      } else if (command === 'stop') {
        void stop(0);
      }
    }
  });
  process.stdin.on('end', () => void stop(0));
  process.stdout.write(`READY ${JSON.stringify({ addresses: fleet.addresses, devices: fleet.devices.length, collectorPort })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`fleet-child: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
