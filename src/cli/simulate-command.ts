/** `oneknock simulate`: the simulated fleet in the foreground, for pointing other tools at it; Ctrl-C stops. */
import type { Command } from 'commander';
import { ExitCode } from '../model/errors.js';
import { collect, positiveInt } from './options.js';
import { write } from './write.js';

interface SimulateFlags {
  subnet: string;
  controlPort: string;
  profile: string[];
  count?: string;
  httpPort?: string;
  multicastInterface?: string;
  multicastInterfaceName?: string;
  ipv6Prefix?: string;
}

export function addSimulateOptions(command: Command): Command {
  return command
    .option('--subnet <a.b.c>', 'first three octets of the loopback addresses', '127.77.0')
    .option('--control-port <port>', 'port of the counters API on 127.0.0.1', '0')
    .option('--profile <name>', 'only these profiles (fixtures/profiles); repeatable', collect, [])
    .option('--count <n>', 'this many devices, cycling through the profiles (addresses continue past .255 into the next /24)')
    .option('--http-port <port>', 'HTTP port of every device (default 80 as root, else ephemeral)')
    .option('--multicast-interface <address>', 'also answer multicast probes on the interface with this address (for network-namespace tests only)')
    .option('--multicast-interface-name <name>', 'that interface\'s name, to answer IPv6 multicast (ff02::c) too')
    .option('--ipv6-prefix <prefix>', 'also give each device the IPv6 address <prefix><host number in hex>, e.g. fd00:198:18:7::');
}

export async function simulateCommand(flags: SimulateFlags): Promise<number> {
  const { defaultFleetProfiles, startFleet } = await import('../simulator/fleet.js');
  const profiles = flags.profile.length > 0 ? flags.profile : undefined;
  const count = flags.count ? positiveInt('--count', flags.count, 4000) : undefined;
  const base = profiles ?? defaultFleetProfiles();
  const fleet = await startFleet({
    subnet: flags.subnet,
    ...(count ? { profiles: Array.from({ length: count }, (_, i) => base[i % base.length]!) } : {}),
    ...(flags.httpPort !== undefined ? { httpPort: Number(flags.httpPort) } : {}),
    ...(flags.multicastInterface ? { multicast: { interfaceAddress: flags.multicastInterface, ...(flags.multicastInterfaceName ? { interfaceName: flags.multicastInterfaceName } : {}) } } : {}),
    ...(flags.ipv6Prefix ? { ipv6Prefix: flags.ipv6Prefix } : {}),
    control: { address: '127.0.0.1', port: Number(flags.controlPort) },
    ...(profiles && !count ? { profiles } : {}),
  });
  await write(`Simulated fleet running${flags.multicastInterface ? ` (answering multicast on ${flags.multicastInterface})` : ' (loopback only)'}. Ctrl-C stops it.\n`);
  for (const device of fleet.devices) {
    const service = device.profile.onvif ? device.onvifUrl : `${device.baseUrl}/ (no ONVIF; ${device.profile.channels.join(', ')})`;
    await write(`  ${device.address.padEnd(15)} ${device.profile.name.padEnd(32)} ${service}\n`);
  }
  await write(`Counters: ${fleet.controlUrl}\n`);
  await write(`Scan it:  oneknock scan --no-multicast --target ${fleet.addresses[0]}-${fleet.addresses.at(-1)}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await fleet.stop();
  return ExitCode.ok;
}
