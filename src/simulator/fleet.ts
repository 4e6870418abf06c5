/**
 * A fleet of simulated devices, each on its own loopback address (127.x.y.z, the whole /8 is loopback) with the
 * standard UDP ports, plus a small control API that reports every device's counters as JSON.
 */
import { createServer, type Server } from 'node:http';
import { SimulatedDevice, type DeviceCounters } from './device.js';
import { listProfiles, loadProfile, type SimulatorProfile } from './profile.js';
import type { UdpSocketFactory } from '../transport/udp.js';

export interface FleetOptions {
  /** Profile names (fixtures/profiles) or profile objects; default: the demo fleet. */
  profiles?: Array<string | SimulatorProfile>;
  /** First three octets of the fleet's addresses, e.g. '127.77.0'; devices get .10, .11, … */
  subnet?: string;
  firstHost?: number;
  /** Explicit addresses, one per profile (overrides subnet/firstHost). */
  addresses?: string[];
  /** HTTP port for every device: 80 needs root; 0 gives each its own ephemeral port (announced via XAddrs). */
  httpPort?: number;
  /** The fleet's password for every account that does not set its own. */
  password?: string;
  udpFactory?: UdpSocketFactory;
  maxAnswerDelayMs?: number;
  /** Start the control API on this address:port (port 0 = ephemeral). */
  control?: { address: string; port: number };
}

export interface DeviceReport {
  name: string;
  address: string;
  httpPort: number;
  vendor: string;
  model: string;
  mac: string;
  counters: DeviceCounters;
}

export interface Fleet {
  devices: SimulatedDevice[];
  addresses: string[];
  controlUrl: string | null;
  report(): DeviceReport[];
  stop(): Promise<void>;
}

export const DEFAULT_FLEET_PASSWORD = 'fleet-Pass-2026';

/** Profiles that form the demo fleet: every profile not marked as a hostile or special-purpose one. */
export function defaultFleetProfiles(): string[] {
  return listProfiles().filter((name) => !name.startsWith('hostile-') && !name.startsWith('x-'));
}

export function defaultHttpPort(): number {
  return typeof process.getuid === 'function' && process.getuid() === 0 ? 80 : 0;
}

export async function startFleet(options: FleetOptions = {}): Promise<Fleet> {
  const profiles = (options.profiles ?? defaultFleetProfiles()).map((p) => (typeof p === 'string' ? loadProfile(p) : p));
  const subnet = options.subnet ?? '127.77.0';
  const first = options.firstHost ?? 10;
  const devices: SimulatedDevice[] = [];
  const fleet: Fleet = {
    devices,
    addresses: [],
    controlUrl: null,
    report: () => devices.map((d) => ({
      name: d.profile.name,
      address: d.address,
      httpPort: d.httpPort,
      vendor: d.profile.identity.vendor,
      model: d.profile.identity.model,
      mac: d.profile.identity.mac,
      counters: structuredClone(d.counters),
    })),
    stop: async () => {
      await Promise.all(devices.map((d) => d.stop()));
      if (control) await new Promise<void>((resolve) => control!.close(() => resolve()));
    },
  };
  let control: Server | null = null;
  try {
    for (const [index, profile] of profiles.entries()) {
      const address = options.addresses?.[index] ?? `${subnet}.${first + index}`;
      const device = new SimulatedDevice(profile, {
        address,
        httpPort: options.httpPort ?? defaultHttpPort(),
        password: options.password ?? DEFAULT_FLEET_PASSWORD,
        udpFactory: options.udpFactory,
        maxAnswerDelayMs: options.maxAnswerDelayMs,
      });
      devices.push(device);
      await device.start();
      fleet.addresses.push(address);
    }
    if (options.control) {
      control = createServer((req, res) => {
        if (req.url === '/devices') {
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(fleet.report(), null, 2));
        } else {
          res.writeHead(404).end();
        }
      });
      await new Promise<void>((resolve, reject) => {
        control!.once('error', reject);
        control!.listen(options.control!.port, options.control!.address, () => resolve());
      });
      const bound = control.address();
      if (bound && typeof bound === 'object') fleet.controlUrl = `http://${options.control.address}:${bound.port}/devices`;
    }
  } catch (error) {
    await fleet.stop();
    throw error;
  }
  return fleet;
}
