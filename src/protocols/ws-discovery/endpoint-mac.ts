/**
 * The MAC address inside a WS-Discovery endpoint UUID, where — and only where — the UUID's form proves it is one.
 * A wrong MAC would merge two different cameras into one device record (and one ledger entry), so every rule
 * below needs evidence in the UUID itself; a random (version 4) or name-based (3, 5) UUID gives null even when
 * its last 12 digits look like a MAC.
 *
 * 1. Time-based (version 1) UUIDs carry the generating host's IEEE 802 address in the node field (RFC 4122
 *    §4.1.6) unless no address was available, in which case the multicast bit is set (§4.5). Hikvision and many
 *    OEMs use these: the DS-2CD3955FWD-IWS capture's node b4a3820fd92d is also the EUI-64 of its fe80:: XAddr,
 *    and the DFI6256TE capture's node 686dbc5cb15d equals its MAC scope. Locally administered nodes are refused.
 * 2. The HiSilicon SDK builds "2419d68a-2dd2-21b2-a205-<MAC>" (generic NVT captures): a fixed prefix, then the MAC.
 * 3. A node starting with an OUI registered to the vendor the scopes named (Axis 00:40:8C / AC:CC:8E /
 *    B8:A4:4F / E8:27:25, Pelco 00:04:7D, Hikvision OUIs seen in captures). A random node hits a given OUI once
 *    in 16.7 million, and the vendor must agree too.
 */
import { normaliseMac } from '../../model/device.js';

const UUID = /^(?:urn:)?(?:uuid:)?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i;
const HISILICON_PREFIX = '2419d68a-2dd2-21b2-a205';

/** IEEE OUI registry entries for vendors whose endpoint UUIDs end in the MAC; keys are normalised vendor names. */
const VENDOR_OUIS: Record<string, readonly string[]> = {
  axis: ['00408c', 'accc8e', 'b8a44f', 'e82725'],
  pelco: ['00047d'],
  // From captures: SADP (44:47:cc, 58:50:ed, 68:6d:bc) and the DS-2CD3955FWD-IWS link-local address (b4:a3:82).
  hikvision: ['4447cc', '5850ed', '686dbc', 'b4a382'],
};

export function macFromEndpointUuid(endpoint: string, vendorHint: string | null): string | null {
  const parts = UUID.exec(endpoint.trim());
  if (!parts) return null;
  const [, timeLow = '', timeMid = '', timeHigh = '', clockSeq = '', node = ''] = parts;
  const lowerNode = node.toLowerCase();
  const firstOctet = parseInt(lowerNode.slice(0, 2), 16);
  const universalUnicast = (firstOctet & 0x03) === 0;

  if (`${timeLow}-${timeMid}-${timeHigh}-${clockSeq}`.toLowerCase() === HISILICON_PREFIX) return normaliseMac(lowerNode);

  const version = timeHigh[0];
  const rfcVariant = /^[89ab]/i.test(clockSeq);
  if (version === '1' && rfcVariant && universalUnicast) return normaliseMac(lowerNode);

  // Own keys only: the hint is whatever a scope claimed ("constructor", "__proto__" would reach Object.prototype).
  const key = vendorHint?.toLowerCase();
  const ouis = key !== undefined && Object.hasOwn(VENDOR_OUIS, key) ? VENDOR_OUIS[key] : undefined;
  if (ouis?.includes(lowerNode.slice(0, 6))) return normaliseMac(lowerNode);
  return null;
}
