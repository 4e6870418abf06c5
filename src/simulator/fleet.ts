/**
 * A fleet of simulated devices, each on its own loopback address (127.x.y.z, the whole /8 is loopback) with the
 * standard UDP ports, plus a small control API that reports every device's counters as JSON.
 */
import { createServer, type Server } from 'node:http';
import { SimulatedDevice, type DeviceCounters } from './device.js';
import { listProfiles, loadProfile, type SimulatorProfile } from './profile.js';
import type { UdpSocketFactory } from '../transport/udp.js';
import { loopbackUdpSharingProblem } from '../transport/loopback-udp.js';
import { openUdpSocket, type UdpEndpoint } from '../transport/udp.js';
import { WS_DISCOVERY_PORT } from '../protocols/ws-discovery/constants.js';
import { SADP_PORT } from '../protocols/sadp/constants.js';
import { DHIP_PORT } from '../protocols/dhip/constants.js';
import { SSDP_PORT } from '../protocols/ssdp/constants.js';
import { OneknockError } from '../model/errors.js';

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
  /**
   * Also answer multicast probes arriving on the interface with this IPv4 address. Only ever used inside a
   * network namespace a test created (never on the machine's real interfaces).
   */
  multicast?: { interfaceAddress: string; interfaceName?: string };
  /** Give device i also the IPv6 address <prefix><10+i in hex> (e.g. 'fd00:198:18:7::'), for dual-stack tests. */
  ipv6Prefix?: string;
  /**
   * This fleet is part of a larger one split over several processes: its first device is device number
   * `indexOffset` of the whole, so every copy (MAC, serial, endpoint) stays distinct across the parts.
   */
  indexOffset?: number;
  /**
   * Bind a socket that reads and drops on each swept discovery port (3702, 37020, 37810, 1900) a device does not
   * serve. Only for large loopback fleets: every simulated device shares this machine's kernel, and Linux (6.x)
   * answers a datagram to an address:port nobody bound by walking every socket bound to that port on any address
   * (its fallback lookup by port alone) — with 8,000 devices on 3702 that is ~180 µs of the *sender's* system time
   * per datagram, a cost a scanner on a real network, where each device is its own host, never pays.
   */
  sinkUnservedPorts?: boolean;
}

/** The UDP port each discovery channel a sweep probes listens on. */
const SWEPT_CHANNEL_PORTS: ReadonlyArray<readonly [string, number]> = [
  ['ws-discovery', WS_DISCOVERY_PORT],
  ['sadp', SADP_PORT],
  ['dhip', DHIP_PORT],
  ['ssdp', SSDP_PORT],
];

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

/** The index-th host from subnet.first, skipping .0 and .255 so large fleets continue into the next /24. */
export function hostAddress(subnet: string, first: number, index: number): string {
  const [a, b, c] = subnet.split('.').map(Number) as [number, number, number];
  let value = a * 16_777_216 + b * 65_536 + c * 256 + first;
  for (let i = 0; i < index; i++) {
    value += 1;
    while (value % 256 === 0 || value % 256 === 255) value += 1;
  }
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** A second device from the same profile gets its own MAC, serial and endpoint (a different physical camera). */
function distinctCopy(profile: SimulatorProfile, index: number): SimulatorProfile {
  const copy = structuredClone(profile);
  const suffix = (index + 1).toString(16).padStart(4, '0');
  const macHex = profile.identity.mac.replace(/[^0-9a-f]/gi, '').slice(0, 8) + suffix;
  copy.identity.mac = macHex.match(/../g)!.join(':');
  // An Axis serial number is its MAC (every Axis capture agrees); others get a numbered serial.
  copy.identity.serial = /^axis$/i.test(profile.identity.vendor) ? macHex.toUpperCase() : `${profile.identity.serial}-${index + 1}`;
  if (copy.wsDiscovery && !copy.wsDiscovery.endpointUuid.includes('{mac}')) {
    copy.wsDiscovery.endpointUuid = copy.wsDiscovery.endpointUuid.replace(/[0-9a-f]{12}$/i, '{mac}');
  }
  return copy;
}

export async function startFleet(options: FleetOptions = {}): Promise<Fleet> {
  const loaded = (options.profiles ?? defaultFleetProfiles()).map((p) => (typeof p === 'string' ? loadProfile(p) : p));
  const offset = options.indexOffset ?? 0;
  const firstOfName = new Map<string, number>();
  loaded.forEach((profile, index) => {
    if (!firstOfName.has(profile.name)) firstOfName.set(profile.name, index);
  });
  const profiles = loaded.map((profile, index) => (offset === 0 && firstOfName.get(profile.name) === index ? profile : distinctCopy(profile, index + offset)));
  const subnet = options.subnet ?? '127.77.0';
  const first = options.firstHost ?? 10;
  const devices: SimulatedDevice[] = [];
  const sinks: UdpEndpoint[] = [];
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
      await Promise.all(sinks.splice(0).map((sink) => sink.close()));
      if (control) await new Promise<void>((resolve) => control!.close(() => resolve()));
    },
  };
  let control: Server | null = null;
  const planned = profiles.map((_, index) => options.addresses?.[index] ?? hostAddress(subnet, first, index));
  const loopback4 = planned.filter((a) => a.startsWith('127.'));
  if (loopback4.length >= 2) {
    const problem = await loopbackUdpSharingProblem(loopback4[0]!, loopback4[1]!, options.udpFactory);
    if (problem) {
      throw new OneknockError('E_LOOPBACK_UDP', `the simulated fleet needs one UDP port on many loopback addresses, but ${problem}. Run the simulator with Node on Linux, macOS or Windows itself (oneknock simulate), then scan it with this one: oneknock scan --no-multicast --target ${loopback4[0]}-${loopback4.at(-1)!.split('.')[3]}`);
    }
  }
  try {
    for (const [index, profile] of profiles.entries()) {
      const address = options.addresses?.[index] ?? hostAddress(subnet, first, index);
      const device = new SimulatedDevice(profile, {
        address,
        httpPort: options.httpPort ?? defaultHttpPort(),
        password: options.password ?? DEFAULT_FLEET_PASSWORD,
        udpFactory: options.udpFactory,
        maxAnswerDelayMs: options.maxAnswerDelayMs,
        ...(options.multicast ? { multicast: options.multicast } : {}),
        ...(options.ipv6Prefix ? { ipv6Address: `${options.ipv6Prefix}${(first + index).toString(16)}` } : {}),
      });
      devices.push(device);
      await device.start();
      fleet.addresses.push(address);
      if (options.sinkUnservedPorts) {
        for (const [channel, port] of SWEPT_CHANNEL_PORTS) {
          if (profile.channels.includes(channel)) continue;
          const sink = await (options.udpFactory ?? openUdpSocket)({ type: address.includes(':') ? 'udp6' : 'udp4', bindAddress: address, port, reuseAddr: true, recvBufferSize: 16_384 });
          sink.onMessage(() => undefined);
          sink.onError(() => undefined);
          sinks.push(sink);
        }
      }
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
