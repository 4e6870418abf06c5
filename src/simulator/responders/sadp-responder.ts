/**
 * A Hikvision device's SADP side: answers an inquiry with a ProbeMatch in the element order of a captured
 * DS-2CD2385G1-I V5.6.2 answer (false spelled "flase", as that firmware does). An inquiry heard on the group is
 * answered to the group, as Hikvision devices do (docs/FIELD-NOTES.md §3); a unicast inquiry is answered to its sender.
 * Every other SADP command carries a password on real devices: it is counted as credentialed and never answered.
 */
import { parseSadpMessage, type SadpMessage } from '../../protocols/sadp/index.js';
import { sadpProbeMatchXml } from '../wire/sadp.js';
import { openResponderEndpoint } from './udp-responder.js';
import { looksCredentialed, type Responder, type ResponderOptions } from './types.js';
import { SADP_PORT, SADP_GROUP } from '../../protocols/sadp/index.js';
export { SADP_PORT, SADP_GROUP };


export interface SadpResponderOptions extends ResponderOptions {
  /** IPv4Address to claim in the payload (default: the device's address), to simulate a NATed or stale device. */
  reportedAddress?: string;
}

export async function startSadpResponder(options: SadpResponderOptions): Promise<Responder> {
  const { device } = options;
  const endpoint = await openResponderEndpoint(options, { port: SADP_PORT, group: SADP_GROUP }, (message, multicast, socket) => {
    const credentialed = looksCredentialed(message.data);
    let decoded: SadpMessage;
    try {
      decoded = parseSadpMessage(message.data);
    } catch {
      // A command other than inquiry (or garbage): a real device would not answer an inquiry-less datagram either.
      if (credentialed) options.onProbe?.({ source: message.address, credentialed, multicast });
      return;
    }
    // ProbeMatches (our own, looped back by the group, or other devices') are not probes.
    if (decoded.kind !== 'inquiry') return;
    options.onProbe?.({ source: message.address, credentialed, multicast });
    if (credentialed) return;
    const reply = sadpProbeMatchXml({
      uuid: decoded.uuid ?? '',
      deviceType: '141945',
      model: device.model,
      serial: device.serial,
      commandPort: 8000,
      httpPort: device.httpPort,
      mac: device.mac,
      ipv4: options.reportedAddress ?? device.address,
      ipv4Mask: '255.255.255.0',
      dhcp: false,
      firmware: device.firmware,
      dspVersion: 'V7.3 build 190626',
      activated: device.activated,
      oemCode: '1',
      deviceLocked: false,
      falseSpelling: 'flase',
    });
    const [port, address] = multicast ? [SADP_PORT, SADP_GROUP] : [message.port, message.address];
    socket.send(reply, port, address).catch(() => undefined);
  });
  return { close: () => endpoint.close() };
}
