/**
 * Dahua DHIP: DHDiscover.search (no credential: docs/SAFETY.md S1) by unicast to each target's UDP 37810 and by multicast
 * to 239.255.255.251:37810 on each chosen IPv4 interface, plus the limited broadcast there because older firmware
 * only listens for broadcast (docs/FIELD-NOTES.md §3). Devices answer client.notifyDevInfo to the sender's address and
 * port, so every socket here is ephemeral. The answer tells whether the device is initialised, which is what keeps
 * an uninitialised Dahua from being knocked (docs/SAFETY.md S6).
 */
import { isIPv4 } from 'node:net';
import { buildDhipDiscover, parseDhipMessage, type DhipDeviceInfo, type DhipMessage } from '../protocols/dhip/index.js';
import type { Evidence } from '../model/device.js';
import type { Observation } from '../model/record.js';
import type { UdpMessage } from '../transport/udp.js';
import type { DiscoveryChannelRunner, DiscoveryContext } from './types.js';
import { createDuplicateFilter, createProbeSockets, limitSources, openSweepSockets, sweepTargets } from './udp-probe.js';
import { DHIP_PORT, DHIP_GROUP } from '../protocols/dhip/index.js';
export { DHIP_PORT, DHIP_GROUP };

export const DHIP_BROADCAST = '255.255.255.255';

export const dhipChannel: DiscoveryChannelRunner = {
  name: 'dhip',
  async run(context) {
    const search = buildDhipDiscover();
    const isDuplicate = createDuplicateFilter();
    const limits = limitSources(context, 'DHIP');
    const sockets = createProbeSockets(context, 'DHIP', (message) => {
      if (!limits.admit(message) || isDuplicate(message)) return;
      handleDhipDatagram(limits.context, message);
    });
    try {
      const sweeps: Array<Promise<void>> = [];
      // DHIP discovery is IPv4 only.
      if (context.sweep.targets.ipv4Count > 0) {
        const unicast = await openSweepSockets(sockets, { type: 'udp4' }, 'unicast', context.sweep.socketsPerChannel);
        sweeps.push(sweepTargets(context, { label: 'DHIP', sockets: unicast, payload: search, port: DHIP_PORT, accepts: isIPv4 }));
      }
      for (const iface of context.interfaces) {
        if (iface.family !== 'IPv4') continue;
        // Bound to the interface address: Linux routes a limited broadcast out of the interface that owns the
        // source address, and the unicast answers come back to this address.
        const socket = await sockets.open(
          { type: 'udp4', bindAddress: iface.address, multicastInterface: iface.address, multicastTtl: 1, broadcast: true },
          `multicast on ${iface.name} (${iface.address})`,
        );
        if (!socket) continue;
        for (const destination of [DHIP_GROUP, DHIP_BROADCAST]) {
          await socket.send(search, DHIP_PORT, destination).catch((error: Error) => context.warn(null, `DHIP search to ${destination} on ${iface.name} failed: ${error.message}`, 'send-failed'));
        }
      }
      await Promise.all([context.sweep.listen(context.signal), ...sweeps]);
    } finally {
      await sockets.closeAll();
    }
  },
};

/** Decode one datagram heard on a DHIP socket and report the device it describes; garbage becomes a warning. */
export function handleDhipDatagram(context: Pick<DiscoveryContext, 'found' | 'warn'>, message: UdpMessage): void {
  let decoded: DhipMessage;
  try {
    decoded = parseDhipMessage(message.data);
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'dhip-malformed';
    context.warn(message.address, `malformed DHIP reply ignored (${(error as Error).message})`, code);
    return;
  }
  // Another scanner's search (or ours, looped back).
  if (decoded.kind === 'search') return;
  context.found(dhipObservation(message.address, decoded));
}

/** The responder's address is the device's; the IPv4Address block is only what the device claims (docs/SAFETY.md S3). */
export function dhipObservation(address: string, info: DhipDeviceInfo): Observation {
  const evidence: Evidence[] = [];
  const add = (field: string, value: string | undefined): void => {
    if (value !== undefined) evidence.push({ source: 'dhip', field, value });
  };
  // OEM devices (Lorex, Amcrest, …) name themselves in Vendor; a DHIP answer without one is Dahua's own stack.
  add('vendor', info.vendor ?? 'Dahua');
  add('model', info.model);
  add('firmware', info.firmware);
  add('device-class', info.deviceClass);
  add('activated', info.initialised === undefined || info.initialised === null ? undefined : String(info.initialised));
  if (info.ipv4 !== undefined && info.ipv4 !== address) add('reported-address', info.ipv4);
  const ports: Record<string, number> = {};
  if (info.httpPort !== undefined) ports['http'] = info.httpPort;
  if (info.httpsPort !== undefined) ports['https'] = info.httpsPort;
  return {
    channel: 'dhip',
    address,
    mac: info.mac ?? null,
    serial: info.serial ?? null,
    evidence,
    ...(Object.keys(ports).length > 0 ? { ports } : {}),
  };
}
