/**
 * GetCapabilities (ONVIF 1.x, still answered by every device) and GetServices (ONVIF 2.x): both PRE_AUTH, both
 * say where each service lives. Addresses are reported as the device wrote them; they often name another
 * interface or a NAT-ed address, and docs/SAFETY.md S3 forbids sending credentials to any address but the responder's.
 */
import { childElement, decodeXmlText } from '../xml/parse-xml.js';
import type { XmlElement } from '../xml/parse-xml.js';
import { readSoapResponse } from './soap.js';

export interface OnvifCapabilities {
  analyticsXAddr?: string;
  deviceXAddr?: string;
  eventsXAddr?: string;
  imagingXAddr?: string;
  mediaXAddr?: string;
  ptzXAddr?: string;
  deviceIOXAddr?: string;
  displayXAddr?: string;
  recordingXAddr?: string;
  searchXAddr?: string;
  replayXAddr?: string;
  receiverXAddr?: string;
  analyticsDeviceXAddr?: string;
  /**
   * Vendor blocks under Capabilities/Extension that carry an XAddr, by element name — e.g. Hikvision's
   * `hikCapabilities` → http://…/onvif/hik_ext, a maker's fingerprint obtained without a login.
   */
  vendorExtensions?: Record<string, string>;
}

export interface OnvifService {
  namespace: string;
  xaddr: string;
  /** "Major.Minor" as sent, e.g. "2.10". */
  version?: string;
}

const MAX_URL_CHARS = 2048;
/** The Pelco capture lists 16 services; a device with hundreds is not describing itself. */
const MAX_SERVICES = 128;
const MAX_VENDOR_EXTENSIONS = 16;

// tt:Capabilities (ONVIF schema onvif.xsd): top-level categories, then those added under Extension.
const TOP_LEVEL: Record<string, keyof OnvifCapabilities> = {
  Analytics: 'analyticsXAddr',
  Device: 'deviceXAddr',
  Events: 'eventsXAddr',
  Imaging: 'imagingXAddr',
  Media: 'mediaXAddr',
  PTZ: 'ptzXAddr',
};
const EXTENSION: Record<string, keyof OnvifCapabilities> = {
  DeviceIO: 'deviceIOXAddr',
  Display: 'displayXAddr',
  Recording: 'recordingXAddr',
  Search: 'searchXAddr',
  Replay: 'replayXAddr',
  Receiver: 'receiverXAddr',
  AnalyticsDevice: 'analyticsDeviceXAddr',
};

/** Service addresses from a GetCapabilitiesResponse. Throws OnvifDecodeError (soap-fault, unexpected-response, XML codes). */
export function parseCapabilities(xml: string | Uint8Array): OnvifCapabilities {
  const response = readSoapResponse(xml, 'GetCapabilitiesResponse');
  const capabilities = childElement(response, 'Capabilities');
  const result: OnvifCapabilities = {};
  if (!capabilities) return result;
  for (const category of capabilities.children) {
    const key = TOP_LEVEL[category.name];
    if (key) setXAddr(result, key, category);
  }
  const extension = childElement(capabilities, 'Extension');
  for (const category of extension?.children ?? []) {
    const key = EXTENSION[category.name];
    if (key) {
      setXAddr(result, key, category);
      continue;
    }
    const xaddr = urlText(childElement(category, 'XAddr'));
    const vendor = (result.vendorExtensions ??= {});
    if (xaddr && Object.keys(vendor).length < MAX_VENDOR_EXTENSIONS && !(category.name in vendor)) vendor[category.name] = xaddr;
  }
  if (result.vendorExtensions && Object.keys(result.vendorExtensions).length === 0) delete result.vendorExtensions;
  return result;
}

/** Services from a GetServicesResponse, in document order; entries without a namespace or address are skipped. */
export function parseServices(xml: string | Uint8Array): OnvifService[] {
  const response = readSoapResponse(xml, 'GetServicesResponse');
  const services: OnvifService[] = [];
  for (const service of response.children.filter((child) => child.name === 'Service')) {
    if (services.length >= MAX_SERVICES) break;
    const namespace = urlText(childElement(service, 'Namespace'));
    const xaddr = urlText(childElement(service, 'XAddr'));
    if (!namespace || !xaddr) continue;
    const entry: OnvifService = { namespace, xaddr };
    const version = childElement(service, 'Version');
    const major = versionPart(childElement(version, 'Major'));
    const minor = versionPart(childElement(version, 'Minor'));
    if (major !== null && minor !== null) entry.version = `${major}.${minor}`;
    services.push(entry);
  }
  return services;
}

function setXAddr(result: OnvifCapabilities, key: keyof OnvifCapabilities, category: XmlElement): void {
  const xaddr = urlText(childElement(category, 'XAddr'));
  if (xaddr && key !== 'vendorExtensions') result[key] = xaddr;
}

function urlText(element: XmlElement | undefined): string | null {
  if (!element) return null;
  const text = decodeXmlText(element.text).trim();
  if (text === '' || text.length > MAX_URL_CHARS || /\s/.test(text)) return null;
  return text;
}

function versionPart(element: XmlElement | undefined): string | null {
  if (!element) return null;
  const text = decodeXmlText(element.text).trim();
  return /^\d{1,4}$/.test(text) ? text : null;
}
