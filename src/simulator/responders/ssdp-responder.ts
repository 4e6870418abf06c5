/**
 * A UPnP device's SSDP side (UDA 1.1 §1.3.3): answers M-SEARCH by unicast to the sender, with headers from a
 * captured Axis M1014 answer, and serves its description (from a captured Axis P3301 rootdesc) at LOCATION on the
 * device's own HTTP server: SimulatedDevice mounts `ssdpDescriptionXml` at SSDP_DESCRIPTION_PATH.
 */
import { isIPv6 } from 'node:net';
import { normaliseMac } from '../../model/device.js';
import { parseSsdpMessage, type SsdpMessage } from '../../protocols/ssdp/index.js';
import { escapeXml } from '../../protocols/xml/parse-xml.js';
import { loadCapture, setElementText } from '../templates.js';
import { openResponderEndpoint } from './udp-responder.js';
import { looksCredentialed, type Responder, type ResponderDeviceInfo, type ResponderOptions } from './types.js';
import { SSDP_PORT, SSDP_GROUP } from '../../protocols/ssdp/index.js';
export { SSDP_PORT, SSDP_GROUP };

export const SSDP_DESCRIPTION_PATH = '/rootdesc.xml';

const RESPONSE_TEMPLATE = 'upnp/axis-M1014-ssdp-MSEARCH-200-response-axis-discovery-ssdp-js.txt';
const DESCRIPTION_TEMPLATE = 'upnp/axis-P3301-upnp-device-description-rootdesc.xml';
const DEVICE_TYPE = 'urn:schemas-upnp-org:device:Basic:1';
const SERVICE_TYPE = 'urn:axis-com:service:BasicService:1';

export interface SsdpResponderOptions extends ResponderOptions {
  /** LOCATION to announce (default: this device's description URL); another host's URL simulates a spoof. */
  locationUrl?: string;
}

export async function startSsdpResponder(options: SsdpResponderOptions): Promise<Responder> {
  const { device } = options;
  const location = options.locationUrl ?? ssdpLocationUrl(device);
  const endpoint = await openResponderEndpoint(options, { port: SSDP_PORT, group: SSDP_GROUP }, (message, multicast, socket) => {
    let decoded: SsdpMessage;
    try {
      decoded = parseSsdpMessage(message.data);
    } catch {
      return;
    }
    if (decoded.kind !== 'search') return;
    options.onProbe?.({ source: message.address, credentialed: looksCredentialed(message.data), multicast });
    for (const st of answeredSearchTargets(device, decoded.st)) {
      socket.send(buildSearchResponse(device, st, location, new Date()), message.port, message.address).catch(() => undefined);
    }
  });
  return { close: () => endpoint.close() };
}

export function ssdpLocationUrl(device: Pick<ResponderDeviceInfo, 'address' | 'httpPort'>): string {
  const host = isIPv6(device.address) ? `[${device.address}]` : device.address;
  return `http://${host}:${device.httpPort}${SSDP_DESCRIPTION_PATH}`;
}

/** Axis form, e.g. "uuid:Upnp-BasicDevice-1_0-00408CA45086". */
export function ssdpUdn(device: Pick<ResponderDeviceInfo, 'mac'>): string {
  const hex = (normaliseMac(device.mac) ?? '00:00:00:00:00:00').replace(/:/g, '').toUpperCase();
  return `uuid:Upnp-BasicDevice-1_0-${hex}`;
}

/** UDA 1.1 §1.3.3: ssdp:all gets one answer per root device, device and service; otherwise the matching one. */
function answeredSearchTargets(device: ResponderDeviceInfo, st: string | undefined): string[] {
  const all = ['upnp:rootdevice', ssdpUdn(device), DEVICE_TYPE, SERVICE_TYPE];
  if (st === undefined) return [];
  if (st.toLowerCase() === 'ssdp:all') return all;
  return all.filter((candidate) => candidate.toLowerCase() === st.toLowerCase());
}

export function buildSearchResponse(device: ResponderDeviceInfo, st: string, location: string, date: Date): string {
  const udn = ssdpUdn(device);
  const values: Record<string, string> = {
    date: date.toUTCString(),
    location,
    st,
    usn: st === udn ? udn : `${udn}::${st}`,
  };
  const lines = loadCapture(RESPONSE_TEMPLATE)
    .split(/\r?\n/)
    .filter((line) => line !== '')
    .map((line) => {
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon) : '';
      const value = values[name.toLowerCase()];
      return value === undefined ? line : `${name}: ${value}`;
    });
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** The description XML, on the captured P3301 document; Axis-style names: "AXIS P3301", serial = MAC. */
export function ssdpDescriptionXml(device: ResponderDeviceInfo): string {
  const modelName = device.model.toLowerCase().startsWith(device.vendor.toLowerCase()) ? device.model : `${device.vendor} ${device.model}`;
  const host = isIPv6(device.address) ? `[${device.address}]` : device.address;
  const base = `http://${host}:${device.httpPort}/`;
  const fields: Array<[string, string]> = [
    ['friendlyName', `${modelName} - ${device.serial}`],
    ['manufacturer', device.vendor],
    ['modelDescription', `${modelName} Network Camera`],
    ['modelName', modelName],
    ['modelNumber', device.model],
    ['serialNumber', device.serial],
    ['UDN', ssdpUdn(device)],
    ['presentationURL', base],
    ['URLBase', base],
  ];
  let xml = loadCapture(DESCRIPTION_TEMPLATE);
  for (const [name, value] of fields) xml = setElementText(xml, name, escapeXml(value));
  return xml;
}
