import { describe, it, expect } from 'vitest';
import { readCapture } from '../../../support/captures.js';
import { childElement, findElement, parseXml, textOf } from '../../../../src/protocols/xml/parse-xml.js';
import {
  ONVIF_NETWORK_NAMESPACE,
  WS_ADDRESSING_NAMESPACE,
  WS_DISCOVERY_NAMESPACE,
  buildBye,
  buildHello,
  buildProbe,
  buildProbeMatches,
  classifyEndpoint,
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

describe('buildProbeMatches (for the simulator)', () => {
  // Values from the Hikvision DS-2CD3955FWD-IWS capture; the capture itself stays the parser's oracle.
  const options = {
    relatesTo: `uuid:${ID}`,
    messageId: '18ec6401-3aa0-11b5-83f6-b4a3820fd92d',
    endpointUuid: '18ec6401-3aa0-11b5-83f6-b4a3820fd92d',
    types: ['dn:NetworkVideoTransmitter', 'tds:Device'],
    scopes: ['onvif://www.onvif.org/hardware/DS-2CD3955FWD-IWS', 'onvif://www.onvif.org/name/HIKVISION%20DS-2CD3955FWD-IWS'],
    xaddrs: ['http://192.168.0.218/onvif/device_service', 'http://[fe80::b6a3:82ff:fe0f:d92d]/onvif/device_service'],
    metadataVersion: 10,
    appSequence: { instanceId: 705289, messageNumber: 11682 },
  };

  it('round-trips through parseDiscoveryMessage', () => {
    const message = parseDiscoveryMessage(buildProbeMatches(options));
    expect(message).toEqual({
      kind: 'probe-matches',
      relatesTo: options.relatesTo,
      messageId: 'uuid:18ec6401-3aa0-11b5-83f6-b4a3820fd92d',
      matches: [
        {
          endpoint: 'urn:uuid:18ec6401-3aa0-11b5-83f6-b4a3820fd92d',
          types: options.types,
          scopes: options.scopes,
          xaddrs: options.xaddrs,
          metadataVersion: '10',
        },
      ],
    });
    if (message.kind === 'probe-matches') expect(classifyEndpoint(message.matches[0]!)).toBe('camera');
  });

  it('has the reply Action, the anonymous To and the AppSequence', () => {
    const root = parseXml(buildProbeMatches(options));
    expect(textOf(root, 'Action')).toBe('http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches');
    expect(textOf(root, 'To')).toBe('http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous');
    expect(findElement(root, 'AppSequence')?.attributes).toEqual({ InstanceId: '705289', MessageNumber: '11682' });
  });

  it('keeps an endpoint already written as a URI, and escapes what it echoes', () => {
    const message = parseDiscoveryMessage(
      buildProbeMatches({ ...options, endpointUuid: 'uuid:278b1b37-153c-452d-b316-d2ed4e99e6a2', relatesTo: 'uuid:<&>', xaddrs: ['http://192.0.2.1/x?a=1&b=2'] }),
    );
    expect(message).toMatchObject({ relatesTo: 'uuid:<&>', matches: [{ endpoint: 'uuid:278b1b37-153c-452d-b316-d2ed4e99e6a2', xaddrs: ['http://192.0.2.1/x?a=1&b=2'] }] });
  });

  it('refuses list items that would split on the wire', () => {
    expect(() => buildProbeMatches({ ...options, scopes: ['onvif://www.onvif.org/name/two words'] })).toThrow(RangeError);
    expect(() => buildProbeMatches({ ...options, xaddrs: [''] })).toThrow(RangeError);
    expect(() => buildProbeMatches({ ...options, appSequence: { instanceId: -1, messageNumber: 0 } })).toThrow(RangeError);
  });
});

describe('buildHello / buildBye (for the simulator)', () => {
  it('Hello round-trips with the values of the captured Dahua Hello', () => {
    const captured = parseDiscoveryMessage(readCapture('ws-discovery/dahua-IPC-HFW2228M-I1-V2-Hello.xml'));
    if (captured.kind !== 'hello') throw new Error(captured.kind);
    const { match } = captured;
    const built = buildHello({
      messageId: '7dffd1ac-a95b-4479-ae60-0128450c7104',
      endpointUuid: match.endpoint!,
      types: match.types,
      scopes: match.scopes,
      xaddrs: match.xaddrs,
      metadataVersion: match.metadataVersion!,
    });
    expect(parseDiscoveryMessage(built)).toEqual(captured);
    expect(textOf(parseXml(built), 'To')).toBe('urn:schemas-xmlsoap-org:ws:2005:04:discovery');
  });

  it('Bye round-trips', () => {
    expect(parseDiscoveryMessage(buildBye({ messageId: ID, endpointUuid: '503b687a-b9d7-474f-a2d0-a18c8b25a464' }))).toEqual({
      kind: 'bye',
      messageId: `uuid:${ID}`,
      endpoint: 'urn:uuid:503b687a-b9d7-474f-a2d0-a18c8b25a464',
    });
  });
});
