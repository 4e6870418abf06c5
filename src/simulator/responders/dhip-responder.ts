/**
 * A Dahua device's DHIP side: answers DHDiscover.search with client.notifyDevInfo built on the captured
 * IPC-HDW5421S answer (phenomite), this device's values substituted. Answers go to the sender's address and port,
 * whether the search came by unicast or on the group.
 */
import { parseDhipMessage, type DhipMessage } from '../../protocols/dhip/index.js';
import { dhipDatagram } from '../wire/dhip.js';
import { loadCapture } from '../templates.js';
import { openResponderEndpoint } from './udp-responder.js';
import { looksCredentialed, type Responder, type ResponderDeviceInfo, type ResponderOptions } from './types.js';
import { DHIP_PORT, DHIP_GROUP } from '../../protocols/dhip/index.js';
export { DHIP_PORT, DHIP_GROUP };


const TEMPLATE = 'dahua-dhip/dahua-IPC-HDW5421S-phenomite.body.json';

export interface DhipResponderOptions extends ResponderOptions {
  /** IPv4Address.IPAddress to claim in the payload (default: the device's address). */
  reportedAddress?: string;
}

export async function startDhipResponder(options: DhipResponderOptions): Promise<Responder> {
  const endpoint = await openResponderEndpoint(options, { port: DHIP_PORT, group: DHIP_GROUP }, (message, multicast, socket) => {
    const credentialed = looksCredentialed(message.data);
    let decoded: DhipMessage;
    try {
      decoded = parseDhipMessage(message.data);
    } catch {
      if (credentialed) options.onProbe?.({ source: message.address, credentialed, multicast });
      return;
    }
    if (decoded.kind !== 'search') return;
    options.onProbe?.({ source: message.address, credentialed, multicast });
    if (credentialed) return;
    const reply = dhipDatagram(buildDeviceInfoBody(options.device, options.reportedAddress ?? options.device.address));
    socket.send(reply, message.port, message.address).catch(() => undefined);
  });
  return { close: () => endpoint.close() };
}

/**
 * Init: Lorex W461ASC answers 1162 when set up (Rapid7 capture); bits 0–1 are NetSDK's byInitStatus (2 = initialised,
 * 1 = not), so an uninitialised device answers 1161.
 */
export function buildDeviceInfoBody(device: ResponderDeviceInfo, reportedAddress: string): string {
  const message = JSON.parse(loadCapture(TEMPLATE)) as { mac: string; params: { deviceInfo: Record<string, unknown> } };
  const info = message.params.deviceInfo;
  message.mac = device.mac.toLowerCase();
  info['DeviceType'] = device.model;
  info['SerialNo'] = device.serial;
  info['MachineName'] = device.serial;
  info['Version'] = device.firmware;
  info['Vendor'] = device.vendor;
  info['HttpPort'] = device.httpPort;
  info['Init'] = device.activated ? 1162 : 1161;
  info['IPv4Address'] = { ...(info['IPv4Address'] as Record<string, unknown>), IPAddress: reportedAddress, DefaultGateway: '', SubnetMask: '255.255.255.0' };
  delete info['IPv6Address'];
  return JSON.stringify(message);
}
