/**
 * Hikvision SADP: the inquiry Probe (no credential: docs/SAFETY.md S1) by unicast to each target's UDP 37020 and by
 * multicast to 239.255.255.250:37020 on each chosen IPv4 interface. Hikvision devices answer a multicast inquiry
 * on the group itself (docs/FIELD-NOTES.md §3), so the multicast socket binds port 37020 (shared: other SADP tools and the
 * simulator listen there too) and joins the group on its interface; a unicast inquiry is answered to its sender.
 * The group also echoes our own inquiry and other tools' inquiries back: those are ignored.
 */
import { isIPv4 } from 'node:net';
import { buildSadpInquiry, parseSadpMessage, type SadpMessage, type SadpProbeMatch } from '../protocols/sadp/index.js';
import type { Evidence } from '../model/device.js';
import type { Observation } from '../model/record.js';
import type { UdpMessage } from '../transport/udp.js';
import type { DiscoveryChannelRunner, DiscoveryContext } from './types.js';
import { createDuplicateFilter, createProbeSockets, limitSources, openSweepSockets, sweepTargets } from './udp-probe.js';
import { SADP_PORT, SADP_GROUP } from '../protocols/sadp/index.js';
export { SADP_PORT, SADP_GROUP };


export const sadpChannel: DiscoveryChannelRunner = {
  name: 'sadp',
  async run(context) {
    let inquiry: Buffer;
    try {
      inquiry = Buffer.from(buildSadpInquiry(context.newUuid()), 'utf8');
    } catch (error) {
      context.warn(null, `SADP inquiry not sent: ${(error as Error).message}`, 'sadp-bad-uuid');
      return;
    }
    const isDuplicate = createDuplicateFilter();
    const limits = limitSources(context, 'SADP');
    const sockets = createProbeSockets(context, 'SADP', (message) => {
      if (!limits.admit(message) || isDuplicate(message)) return;
      handleSadpDatagram(limits.context, message);
    });
    try {
      const sweeps: Array<Promise<void>> = [];
      // SADP is IPv4 only: an IPv6 target has nothing listening on 37020.
      if (context.sweep.targets.ipv4Count > 0) {
        const unicast = await openSweepSockets(sockets, { type: 'udp4' }, 'unicast', context.sweep.socketsPerChannel);
        sweeps.push(sweepTargets(context, { label: 'SADP', sockets: unicast, payload: inquiry, port: SADP_PORT, accepts: isIPv4 }));
      }
      for (const iface of context.interfaces) {
        if (iface.family !== 'IPv4') continue;
        // Bound to the wildcard, not the interface address: Linux delivers group datagrams only to sockets bound
        // to the wildcard or the group, and Windows refuses to bind a group address.
        const socket = await sockets.open(
          {
            type: 'udp4',
            port: SADP_PORT,
            reuseAddr: true,
            memberships: [{ group: SADP_GROUP, interfaceAddress: iface.address }],
            multicastInterface: iface.address,
            multicastTtl: 1,
          },
          `multicast on ${iface.name} (${iface.address})`,
        );
        await socket?.send(inquiry, SADP_PORT, SADP_GROUP).catch((error: Error) => context.warn(null, `SADP multicast on ${iface.name} failed: ${error.message}`, 'send-failed'));
      }
      await Promise.all([context.sweep.listen(context.signal), ...sweeps]);
    } finally {
      await sockets.closeAll();
    }
  },
};

/** Decode one datagram heard on a SADP socket and report the device it describes; garbage becomes a warning. */
export function handleSadpDatagram(context: Pick<DiscoveryContext, 'found' | 'warn'>, message: UdpMessage): void {
  let decoded: SadpMessage;
  try {
    decoded = parseSadpMessage(message.data);
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'sadp-malformed';
    context.warn(message.address, `malformed SADP reply ignored (${(error as Error).message})`, code);
    return;
  }
  // Our own inquiry looped back by the group, or another SADP tool's.
  if (decoded.kind === 'inquiry') return;
  if (decoded.truncated) {
    const kept = decoded.mac || decoded.serial ? 'identity kept' : 'no identity in the part that arrived, ignored';
    context.warn(message.address, `truncated SADP reply (${Object.keys(decoded.raw).length} complete fields; ${kept})`, 'sadp-truncated');
    if (!decoded.mac && !decoded.serial) return;
  }
  context.found(sadpObservation(message.address, decoded));
}

/**
 * The responder's address is the device's address; IPv4Address in the payload is only what the device claims
 * (a NATed or misconfigured device reports another one), kept as evidence and never used (docs/SAFETY.md S3).
 */
export function sadpObservation(address: string, match: SadpProbeMatch): Observation {
  const evidence: Evidence[] = [{ source: 'sadp', field: 'vendor', value: 'Hikvision' }];
  const add = (field: string, value: string | undefined): void => {
    if (value !== undefined) evidence.push({ source: 'sadp', field, value });
  };
  add('model', match.model);
  add('firmware', match.firmware);
  add('activated', match.activated === undefined ? undefined : String(match.activated));
  add('device-lock', match.deviceLocked === undefined ? undefined : String(match.deviceLocked));
  if (match.ipv4 !== undefined && match.ipv4 !== address) add('reported-address', match.ipv4);
  const ports: Record<string, number> = {};
  if (match.httpPort !== undefined) ports['http'] = match.httpPort;
  if (match.httpsPort !== undefined) ports['https'] = match.httpsPort;
  return {
    channel: 'sadp',
    address,
    mac: match.mac ?? null,
    serial: match.serial ?? null,
    evidence,
    ...(Object.keys(ports).length > 0 ? { ports } : {}),
  };
}
