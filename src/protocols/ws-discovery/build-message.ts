/**
 * WS-Discovery messages in the April 2005 draft that ONVIF mandates (ONVIF Core, "Discovery": namespace
 * http://schemas.xmlsoap.org/ws/2005/04/discovery with WS-Addressing 2004/08), over SOAP 1.2. The Probe is what
 * the scanner sends; ProbeMatches, Hello and Bye exist for the simulator. Real captures, not these builders, are
 * the test oracle for the parser (docs/ARCHITECTURE.md §10).
 */
import { escapeXml } from '../xml/parse-xml.js';

export const WS_DISCOVERY_NAMESPACE = 'http://schemas.xmlsoap.org/ws/2005/04/discovery';
export const WS_ADDRESSING_NAMESPACE = 'http://schemas.xmlsoap.org/ws/2004/08/addressing';
/** wsa:To of multicast messages (Probe, Hello, Bye) in the 2005/04 draft. */
export const WS_DISCOVERY_TO = 'urn:schemas-xmlsoap-org:ws:2005:04:discovery';
/** wsa:To of a reply sent back to the requester's address. */
export const WS_ADDRESSING_ANONYMOUS = 'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous';
export const ONVIF_NETWORK_NAMESPACE = 'http://www.onvif.org/ver10/network/wsdl';
const ONVIF_DEVICE_NAMESPACE = 'http://www.onvif.org/ver10/device/wsdl';
const SOAP12_NAMESPACE = 'http://www.w3.org/2003/05/soap-envelope';

const ACTION = {
  probe: `${WS_DISCOVERY_NAMESPACE}/Probe`,
  probeMatches: `${WS_DISCOVERY_NAMESPACE}/ProbeMatches`,
  hello: `${WS_DISCOVERY_NAMESPACE}/Hello`,
  bye: `${WS_DISCOVERY_NAMESPACE}/Bye`,
} as const;

/** The ONVIF discovery type of a video device (dn = the ONVIF network WSDL namespace). */
export const NETWORK_VIDEO_TRANSMITTER = 'dn:NetworkVideoTransmitter';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Only prefixes this envelope declares may appear in Types; anything else would be an unbound QName. */
const TYPE_PATTERN = /^(?:dn|tds):[A-Za-z_][\w.-]*$/;

/** The sequencing header a device puts on Hello, Bye and ProbeMatches (WS-Discovery, "Application Sequencing"). */
export interface AppSequence {
  instanceId: number;
  messageNumber: number;
}

/** What a device advertises about itself. */
export interface AdvertisedEndpoint {
  /** Bare UUID, "uuid:…" or "urn:uuid:…"; a bare UUID is sent as urn:uuid:… */
  endpointUuid: string;
  /** QNames with the dn: or tds: prefix, e.g. "dn:NetworkVideoTransmitter", "tds:Device". */
  types: string[];
  scopes: string[];
  xaddrs: string[];
  metadataVersion: number | string;
}

export interface ProbeMatchesOptions extends AdvertisedEndpoint {
  /** The MessageID of the Probe being answered, echoed verbatim. */
  relatesTo: string;
  /** Bare UUID of this reply (the caller owns randomness). */
  messageId: string;
  appSequence?: AppSequence;
}

export interface HelloOptions extends AdvertisedEndpoint {
  messageId: string;
  appSequence?: AppSequence;
}

export interface ByeOptions {
  messageId: string;
  endpointUuid: string;
  appSequence?: AppSequence;
}

/**
 * A multicast or unicast Probe. `messageId` is a bare UUID (sent as uuid:<id>). The default Types
 * dn:NetworkVideoTransmitter is what ONVIF clients send. Several types in one Probe are ANDed (WS-Discovery,
 * "Matching Types and Scopes": a service matches only if it has every listed type), and many cameras list only
 * NetworkVideoTransmitter, so send one Probe per type rather than both in one. An empty list omits Types and
 * matches every WS-Discovery host, Windows PCs included.
 * Throws RangeError for a malformed UUID or type (caller bugs, not network input).
 */
export function buildProbe(messageId: string, types: string[] = [NETWORK_VIDEO_TRANSMITTER]): string {
  const header = [
    `<a:MessageID>uuid:${checkUuid(messageId)}</a:MessageID>`,
    `<a:To>${WS_DISCOVERY_TO}</a:To>`,
    `<a:Action>${ACTION.probe}</a:Action>`,
  ].join('');
  return envelope(header, `<d:Probe>${typesElement(types)}</d:Probe>`);
}

/** One ProbeMatch answering `relatesTo`, as a device sends it to the prober's address. */
export function buildProbeMatches(options: ProbeMatchesOptions): string {
  const header = [
    `<a:MessageID>uuid:${checkUuid(options.messageId)}</a:MessageID>`,
    `<a:RelatesTo>${escapeXml(options.relatesTo)}</a:RelatesTo>`,
    `<a:To>${WS_ADDRESSING_ANONYMOUS}</a:To>`,
    `<a:Action>${ACTION.probeMatches}</a:Action>`,
    appSequenceElement(options.appSequence),
  ].join('');
  return envelope(header, `<d:ProbeMatches><d:ProbeMatch>${endpointElements(options)}</d:ProbeMatch></d:ProbeMatches>`);
}

/** The announcement a device multicasts when it joins the network. */
export function buildHello(options: HelloOptions): string {
  const header = [
    `<a:MessageID>uuid:${checkUuid(options.messageId)}</a:MessageID>`,
    `<a:To>${WS_DISCOVERY_TO}</a:To>`,
    `<a:Action>${ACTION.hello}</a:Action>`,
    appSequenceElement(options.appSequence),
  ].join('');
  return envelope(header, `<d:Hello>${endpointElements(options)}</d:Hello>`);
}

/** The announcement a device multicasts when it leaves. */
export function buildBye(options: ByeOptions): string {
  const header = [
    `<a:MessageID>uuid:${checkUuid(options.messageId)}</a:MessageID>`,
    `<a:To>${WS_DISCOVERY_TO}</a:To>`,
    `<a:Action>${ACTION.bye}</a:Action>`,
    appSequenceElement(options.appSequence),
  ].join('');
  return envelope(header, `<d:Bye>${endpointReference(options.endpointUuid)}</d:Bye>`);
}

function envelope(header: string, body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<s:Envelope xmlns:s="${SOAP12_NAMESPACE}" xmlns:a="${WS_ADDRESSING_NAMESPACE}" xmlns:d="${WS_DISCOVERY_NAMESPACE}" ` +
    `xmlns:dn="${ONVIF_NETWORK_NAMESPACE}" xmlns:tds="${ONVIF_DEVICE_NAMESPACE}">` +
    `<s:Header>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`
  );
}

function endpointElements(endpoint: AdvertisedEndpoint): string {
  return [
    endpointReference(endpoint.endpointUuid),
    typesElement(endpoint.types),
    `<d:Scopes>${listText(endpoint.scopes, 'scope')}</d:Scopes>`,
    endpoint.xaddrs.length > 0 ? `<d:XAddrs>${listText(endpoint.xaddrs, 'XAddr')}</d:XAddrs>` : '',
    `<d:MetadataVersion>${escapeXml(String(endpoint.metadataVersion))}</d:MetadataVersion>`,
  ].join('');
}

function endpointReference(endpointUuid: string): string {
  const address = UUID_PATTERN.test(endpointUuid) ? `urn:uuid:${endpointUuid}` : endpointUuid;
  if (address === '' || /\s/.test(address)) throw new RangeError(`endpoint address must be a non-empty URI, got ${JSON.stringify(endpointUuid)}`);
  return `<a:EndpointReference><a:Address>${escapeXml(address)}</a:Address></a:EndpointReference>`;
}

function typesElement(types: string[]): string {
  for (const type of types) {
    if (!TYPE_PATTERN.test(type)) throw new RangeError(`WS-Discovery type must be a dn: or tds: QName, got ${JSON.stringify(type)}`);
  }
  return types.length > 0 ? `<d:Types>${types.join(' ')}</d:Types>` : '';
}

/** Scopes and XAddrs are whitespace-separated lists on the wire: an item containing whitespace would split. */
function listText(items: string[], what: string): string {
  for (const item of items) {
    if (item === '' || /\s/.test(item)) throw new RangeError(`${what} must be non-empty without whitespace, got ${JSON.stringify(item)}`);
  }
  return escapeXml(items.join(' '));
}

function appSequenceElement(sequence: AppSequence | undefined): string {
  if (!sequence) return '';
  const { instanceId, messageNumber } = sequence;
  if (!Number.isSafeInteger(instanceId) || instanceId < 0 || !Number.isSafeInteger(messageNumber) || messageNumber < 0) {
    throw new RangeError('AppSequence InstanceId and MessageNumber must be non-negative integers');
  }
  return `<d:AppSequence InstanceId="${instanceId}" MessageNumber="${messageNumber}"/>`;
}

function checkUuid(value: string): string {
  if (!UUID_PATTERN.test(value)) throw new RangeError(`expected an RFC 4122 UUID, got ${JSON.stringify(value)}`);
  // Sent as given: the caller matches replies' RelatesTo against the id it chose.
  return value;
}
