import { describe, it, expect } from 'vitest';
import { childElement, findElement, parseXml, textOf } from '../../../../src/protocols/xml/parse-xml.js';
import {
  ONVIF_NETWORK_NAMESPACE,
  WS_ADDRESSING_NAMESPACE,
  WS_DISCOVERY_NAMESPACE,
  buildProbe,
  parseDiscoveryMessage,
} from '../../../../src/protocols/ws-discovery/index.js';

const ID = 'E8ECFE09-90E4-44C0-842B-703F46B58C81';

function namespaceOf(xml: string, prefix: string): string | undefined {
  return new RegExp(`xmlns:${prefix}="([^"]+)"`).exec(xml)?.[1];
}

describe('buildProbe', () => {
  it('is a SOAP 1.2 WS-Discovery 2005/04 Probe for dn:NetworkVideoTransmitter', () => {
    const xml = buildProbe(ID);
    const root = parseXml(xml);
    expect(root.name).toBe('Envelope');
    const header = childElement(root, 'Header');
    expect(textOf(header, 'Action')).toBe('http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe');
    expect(textOf(header, 'To')).toBe('urn:schemas-xmlsoap-org:ws:2005:04:discovery');
    expect(textOf(header, 'MessageID')).toBe(`uuid:${ID}`);
    const probe = findElement(root, 'Probe');
    expect(textOf(probe, 'Types')).toBe('dn:NetworkVideoTransmitter');
    expect(findElement(root, 'Scopes')).toBeUndefined();
    // Devices match Types by namespace, not by prefix: each prefix must be bound to the exact URI.
    expect(namespaceOf(xml, 's')).toBe('http://www.w3.org/2003/05/soap-envelope');
    expect(namespaceOf(xml, 'a')).toBe('http://schemas.xmlsoap.org/ws/2004/08/addressing');
    expect(namespaceOf(xml, 'd')).toBe('http://schemas.xmlsoap.org/ws/2005/04/discovery');
    expect(namespaceOf(xml, 'dn')).toBe('http://www.onvif.org/ver10/network/wsdl');
    expect(namespaceOf(xml, 'tds')).toBe('http://www.onvif.org/ver10/device/wsdl');
    expect([WS_DISCOVERY_NAMESPACE, WS_ADDRESSING_NAMESPACE, ONVIF_NETWORK_NAMESPACE]).toEqual([namespaceOf(xml, 'd'), namespaceOf(xml, 'a'), namespaceOf(xml, 'dn')]);
  });

  it('fits in one datagram and carries no credential', () => {
    const xml = buildProbe(ID);
    expect(Buffer.byteLength(xml)).toBeLessThan(1200);
    expect(xml).not.toMatch(/Security|UsernameToken|Password|Authorization/i);
  });

  it('is recognised by our own parser as a probe (so the group echo is ignored)', () => {
    expect(parseDiscoveryMessage(buildProbe(ID))).toEqual({ kind: 'probe', messageId: `uuid:${ID}`, types: ['dn:NetworkVideoTransmitter'] });
  });

  it('takes other types, or none (matches every WS-Discovery host)', () => {
    expect(textOf(parseXml(buildProbe(ID, ['tds:Device'])), 'Types')).toBe('tds:Device');
    expect(findElement(parseXml(buildProbe(ID, [])), 'Types')).toBeUndefined();
  });

  it('refuses a malformed id or an unbound type prefix (caller bugs, and no XML injection)', () => {
    expect(() => buildProbe('not-a-uuid')).toThrow(RangeError);
    expect(() => buildProbe(`${ID}</a:MessageID>`)).toThrow(RangeError);
    expect(() => buildProbe(ID, ['pub:Computer'])).toThrow(RangeError);
    expect(() => buildProbe(ID, ['dn:NVT</d:Types>'])).toThrow(RangeError);
    expect(() => buildProbe(ID, ['NetworkVideoTransmitter'])).toThrow(RangeError);
  });
});
