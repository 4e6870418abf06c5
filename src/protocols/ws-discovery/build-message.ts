/**
 * WS-Discovery messages in the April 2005 draft that ONVIF mandates (ONVIF Core, "Discovery": namespace
 * http://schemas.xmlsoap.org/ws/2005/04/discovery with WS-Addressing 2004/08), over SOAP 1.2. The Probe is what
 * the scanner sends. The simulator answers with its own encoders (src/simulator/wire), and real captures are the
 * parser's test oracle, so an encoder bug here cannot hide a decoder bug.
 */

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
} as const;

/** The ONVIF discovery type of a video device (dn = the ONVIF network WSDL namespace). */
export const NETWORK_VIDEO_TRANSMITTER = 'dn:NetworkVideoTransmitter';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Only prefixes this envelope declares may appear in Types; anything else would be an unbound QName. */
const TYPE_PATTERN = /^(?:dn|tds):[A-Za-z_][\w.-]*$/;

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

function envelope(header: string, body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<s:Envelope xmlns:s="${SOAP12_NAMESPACE}" xmlns:a="${WS_ADDRESSING_NAMESPACE}" xmlns:d="${WS_DISCOVERY_NAMESPACE}" ` +
    `xmlns:dn="${ONVIF_NETWORK_NAMESPACE}" xmlns:tds="${ONVIF_DEVICE_NAMESPACE}">` +
    `<s:Header>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`
  );
}

function typesElement(types: string[]): string {
  for (const type of types) {
    if (!TYPE_PATTERN.test(type)) throw new RangeError(`WS-Discovery type must be a dn: or tds: QName, got ${JSON.stringify(type)}`);
  }
  return types.length > 0 ? `<d:Types>${types.join(' ')}</d:Types>` : '';
}

function checkUuid(value: string): string {
  if (!UUID_PATTERN.test(value)) throw new RangeError(`expected an RFC 4122 UUID, got ${JSON.stringify(value)}`);
  // Sent as given: the caller matches replies' RelatesTo against the id it chose.
  return value;
}
