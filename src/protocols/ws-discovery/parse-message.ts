/**
 * Decode one WS-Discovery datagram. Everything on UDP 3702 arrives here: camera replies, Hellos and Byes, our own
 * Probe echoed by the group, other tools' Probes, Windows and wsdd hosts, faults. Each becomes a typed message or
 * a WsDiscoveryDecodeError with a stable code — never a raw TypeError — so one bad datagram costs one warning,
 * not the scan (docs/ARCHITECTURE.md §4; agsh/onvif rejects the whole probe on one bad reply).
 *
 * Matching is on local names: devices use every prefix (d:, wsdd:, wsd:; a:, wsa:, wsadis:; s:, env:, SOAP-ENV:).
 */
import { XmlDecodeError, childElement, decodeXmlText, parseXml } from '../xml/parse-xml.js';
import type { XmlElement, XmlErrorCode } from '../xml/parse-xml.js';
import { readSoapFault } from '../onvif/soap.js';
import { CodecError } from '../codec-error.js';

export type WsDiscoveryErrorCode = XmlErrorCode | 'not-soap' | 'unknown-message';

export class WsDiscoveryDecodeError extends CodecError<WsDiscoveryErrorCode> {}

/** One advertised endpoint as it came off the wire; nothing in it is validated beyond size. */
export interface ProbeMatch {
  /** EndpointReference/Address, e.g. "urn:uuid:18ec6401-3aa0-11b5-83f6-b4a3820fd92d". */
  endpoint?: string;
  /** QNames as sent ("dn:NetworkVideoTransmitter", "tds:Device"); prefixes are the sender's own. */
  types: string[];
  scopes: string[];
  /** Service URLs; may name IPv6 link-local or 169.254 addresses besides the one the reply came from. */
  xaddrs: string[];
  metadataVersion?: string;
}

export type DiscoveryMessage =
  | { kind: 'probe-matches'; relatesTo?: string; messageId?: string; matches: ProbeMatch[] }
  | { kind: 'hello'; messageId?: string; match: ProbeMatch }
  | { kind: 'bye'; messageId?: string; endpoint?: string }
  | { kind: 'probe'; messageId?: string; types: string[] }
  | { kind: 'fault'; relatesTo?: string; code?: string; subcode?: string; reason?: string };

/** The largest UDP payload over IPv4 is 65,507 bytes; WS-Discovery replies are 1–4 KB on every capture. */
export const MAX_DISCOVERY_BYTES = 65_507;
/** Real replies carry one ProbeMatch; a handful is plausible for a multi-service host, dozens is not. */
const MAX_MATCHES = 64;
const MAX_LIST_ITEMS = 64;
const MAX_ITEM_CHARS = 2048;
const MAX_HEADER_CHARS = 256;

export function parseDiscoveryMessage(bytes: Uint8Array | string): DiscoveryMessage {
  let envelope: XmlElement;
  try {
    envelope = parseXml(bytes, MAX_DISCOVERY_BYTES);
  } catch (error) {
    if (error instanceof XmlDecodeError) throw new WsDiscoveryDecodeError(error.code, `undecodable WS-Discovery datagram: ${error.message}`, { cause: error });
    throw error;
  }
  if (envelope.name !== 'Envelope') throw new WsDiscoveryDecodeError('not-soap', `expected a SOAP Envelope, got <${envelope.name}>`);
  const body = childElement(envelope, 'Body');
  if (!body) throw new WsDiscoveryDecodeError('not-soap', 'SOAP Envelope without a Body');
  const header = childElement(envelope, 'Header');
  const messageId = headerText(header, 'MessageID');
  const relatesTo = headerText(header, 'RelatesTo');

  const content = body.children[0];
  switch (content?.name) {
    case 'ProbeMatches': {
      const matches = content.children.filter((c) => c.name === 'ProbeMatch').slice(0, MAX_MATCHES).map(readMatch);
      return withoutUndefined<DiscoveryMessage>({ kind: 'probe-matches', relatesTo, messageId, matches });
    }
    case 'Hello':
      return withoutUndefined<DiscoveryMessage>({ kind: 'hello', messageId, match: readMatch(content) });
    case 'Bye':
      return withoutUndefined<DiscoveryMessage>({ kind: 'bye', messageId, endpoint: endpointOf(content) });
    case 'Probe':
      return withoutUndefined<DiscoveryMessage>({ kind: 'probe', messageId, types: listOf(childElement(content, 'Types')) });
    case 'Fault': {
      const fault = readSoapFault(content);
      return withoutUndefined<DiscoveryMessage>({ kind: 'fault', relatesTo, code: fault.code, subcode: fault.subcodes[0], reason: fault.reason });
    }
    default:
      throw new WsDiscoveryDecodeError('unknown-message', content ? `unsupported WS-Discovery message <${content.name}>` : 'empty SOAP Body');
  }
}

/** Hello and ProbeMatch share one shape (WS-Discovery: EndpointReference, Types, Scopes, XAddrs, MetadataVersion). */
function readMatch(element: XmlElement): ProbeMatch {
  return withoutUndefined<ProbeMatch>({
    endpoint: endpointOf(element),
    types: listOf(childElement(element, 'Types')),
    scopes: listOf(childElement(element, 'Scopes')),
    xaddrs: listOf(childElement(element, 'XAddrs')),
    metadataVersion: singleText(childElement(element, 'MetadataVersion')),
  });
}

function endpointOf(element: XmlElement): string | undefined {
  return singleText(childElement(childElement(element, 'EndpointReference'), 'Address'));
}

/** Types, Scopes and XAddrs are whitespace-separated lists; devices wrap them over several lines. */
function listOf(element: XmlElement | undefined): string[] {
  if (!element) return [];
  const items: string[] = [];
  for (const item of decodeXmlText(element.text).split(/\s+/)) {
    if (item === '' || item.length > MAX_ITEM_CHARS) continue;
    items.push(item);
    if (items.length >= MAX_LIST_ITEMS) break;
  }
  return items;
}

function headerText(header: XmlElement | undefined, name: string): string | undefined {
  const value = singleText(childElement(header, name));
  return value !== undefined && value.length <= MAX_HEADER_CHARS ? value : undefined;
}

function singleText(element: XmlElement | undefined): string | undefined {
  if (!element) return undefined;
  const value = decodeXmlText(element.text).trim();
  return value === '' || value.length > MAX_ITEM_CHARS ? undefined : value;
}

/** Drop keys whose value is undefined, so results compare cleanly and serialise without holes. */
function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}
