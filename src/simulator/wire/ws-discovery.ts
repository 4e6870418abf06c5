/**
 * The simulated devices' own WS-Discovery answers, kept apart from the scanner's codec (src/protocols) so an
 * encoder bug cannot hide a decoder bug: Hello is the captured Dahua IPC-HFW2228M Hello with this device's values
 * put in; ProbeMatches is written here from WS-Discovery (April 2005 draft, which ONVIF Core §7 mandates) with the
 * s:/a:/d: prefixes most captured devices use.
 */
import { escapeXml } from '../../protocols/xml/parse-xml.js';
import { loadCapture, setElementText } from '../templates.js';

export interface AnnouncedEndpoint {
  /** wsa:Address of the endpoint reference, e.g. urn:uuid:… */
  address: string;
  /** Space-separated QNames using the dn: and tds: prefixes. */
  types: string;
  scopes: string[];
  xaddrs: string[];
}

const HELLO_CAPTURE = 'ws-discovery/dahua-IPC-HFW2228M-I1-V2-Hello.xml';

/** Hello: multicast by a device joining the network (WS-Discovery §4.1). */
export function helloXml(messageId: string, endpoint: AnnouncedEndpoint): string {
  let xml = loadCapture(HELLO_CAPTURE);
  xml = setElementText(xml, 'MessageID', `uuid:${messageId}`);
  xml = setElementText(xml, 'Address', escapeXml(endpoint.address));
  xml = setElementText(xml, 'Types', escapeXml(endpoint.types));
  xml = setElementText(xml, 'Scopes', escapeXml(endpoint.scopes.join(' ')));
  xml = setElementText(xml, 'XAddrs', escapeXml(endpoint.xaddrs.join(' ')));
  return xml;
}

/** ProbeMatches: the unicast answer to a Probe, echoing its MessageID in RelatesTo (WS-Discovery §5.3). */
export function probeMatchesXml(messageId: string, relatesTo: string, endpoint: AnnouncedEndpoint): string {
  const soap = 'http://www.w3.org/2003/05/soap-envelope';
  const addressing = 'http://schemas.xmlsoap.org/ws/2004/08/addressing';
  const discovery = 'http://schemas.xmlsoap.org/ws/2005/04/discovery';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<s:Envelope xmlns:s="${soap}" xmlns:a="${addressing}" xmlns:d="${discovery}" ` +
    'xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">' +
    `<s:Header><a:MessageID>uuid:${messageId}</a:MessageID><a:RelatesTo>${escapeXml(relatesTo)}</a:RelatesTo>` +
    `<a:To>${addressing}/role/anonymous</a:To><a:Action>${discovery}/ProbeMatches</a:Action></s:Header>` +
    `<s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>${escapeXml(endpoint.address)}</a:Address></a:EndpointReference>` +
    `<d:Types>${escapeXml(endpoint.types)}</d:Types><d:Scopes>${escapeXml(endpoint.scopes.join(' '))}</d:Scopes>` +
    `<d:XAddrs>${escapeXml(endpoint.xaddrs.join(' '))}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>`
  );
}
