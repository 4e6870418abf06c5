/**
 * UPnP device description (UDA 1.1 §2.3): the XML at an SSDP LOCATION, readable without login. Axis puts its
 * serial number (= the MAC) here, and URLBase after </device>.
 */
import { XmlDecodeError, childElement, decodeXmlText, parseXml } from '../xml/parse-xml.js';
import type { XmlElement } from '../xml/parse-xml.js';
import { SsdpDecodeError } from './ssdp.js';

/** Descriptions are a few KB; embedded device and service lists stay well under this. */
export const MAX_DESCRIPTION_BYTES = 256 * 1024;

export interface UpnpDeviceDescription {
  deviceType?: string;
  friendlyName?: string;
  manufacturer?: string;
  modelName?: string;
  modelNumber?: string;
  modelDescription?: string;
  serialNumber?: string;
  /** UDN, e.g. "uuid:Upnp-BasicDevice-1_0-ACCC8E270AD8". */
  udn?: string;
  presentationUrl?: string;
  urlBase?: string;
}

/** Fields of the root device (embedded devices under deviceList are ignored). Throws SsdpDecodeError. */
export function parseDeviceDescription(xml: string | Uint8Array): UpnpDeviceDescription {
  let root: XmlElement;
  try {
    root = parseXml(xml, MAX_DESCRIPTION_BYTES);
  } catch (error) {
    const detail = error instanceof XmlDecodeError ? `${error.code}: ${error.message}` : String(error);
    throw new SsdpDecodeError('upnp-malformed', `unreadable UPnP description (${detail})`, { cause: error });
  }
  const device = root.name === 'root' ? childElement(root, 'device') : undefined;
  if (!device) throw new SsdpDecodeError('upnp-no-device', `UPnP description has no root <device> (root is <${root.name}>)`);

  const out: UpnpDeviceDescription = {};
  const fields: Array<[keyof UpnpDeviceDescription, XmlElement, string]> = [
    ['deviceType', device, 'deviceType'],
    ['friendlyName', device, 'friendlyName'],
    ['manufacturer', device, 'manufacturer'],
    ['modelName', device, 'modelName'],
    ['modelNumber', device, 'modelNumber'],
    ['modelDescription', device, 'modelDescription'],
    ['serialNumber', device, 'serialNumber'],
    ['udn', device, 'UDN'],
    ['presentationUrl', device, 'presentationURL'],
    ['urlBase', root, 'URLBase'],
  ];
  for (const [key, parent, name] of fields) {
    const value = childText(parent, name);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function childText(parent: XmlElement, name: string): string | undefined {
  const element = childElement(parent, name);
  if (!element) return undefined;
  const value = decodeXmlText(element.text).trim().slice(0, 1024);
  return value === '' ? undefined : value;
}
