/** WS-Discovery: every datagram on UDP 3702 reaches parseDiscoveryMessage, and its lists reach the scope readers. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  WsDiscoveryDecodeError,
  classifyEndpoint,
  decodeScopeValue,
  macFromEndpointUuid,
  parseDiscoveryMessage,
  parseScopes,
  vendorFromScopes,
  type ProbeMatch,
} from '../../src/protocols/ws-discovery/index.js';
import { readCaptureText } from '../support/captures.js';
import { FUZZ_TEST_TIMEOUT_MS, anyText, captureSeeds, checkEveryTruncation, expectSeedsAccepted, fuzz, textFrom, textOrBytes, type Codec } from './fuzz-kit.js';

const seeds = captureSeeds(['ws-discovery', 'synthetic-format-references'], (name) => /\.(xml|txt)$/.test(name) && !name.startsWith('hikvision-sadp'));
const ALPHABET = ['<s:Envelope>', '<s:Body>', '<d:ProbeMatches>', '<d:ProbeMatch>', '<d:Scopes>', '<d:XAddrs>', '</d:Scopes>', ' ', 'onvif://www.onvif.org/', '%', 'http://a/', '&amp;', '\n'];

const parse: Codec<string | Uint8Array> = { name: 'parseDiscoveryMessage', run: (input) => parseDiscoveryMessage(input), errors: [WsDiscoveryDecodeError] };

/** Real scope lists from the captures (the multi-vendor JSON holds FLIR, Geovision, Panasonic, Avigilon, Tiandy). */
function captureScopes(): string[] {
  const out: string[] = [];
  for (const seed of seeds) {
    try {
      const message = parseDiscoveryMessage(seed);
      if (message.kind === 'probe-matches') for (const match of message.matches) out.push(...match.scopes);
      if (message.kind === 'hello') out.push(...message.match.scopes);
    } catch {
      // negative captures carry no scopes
    }
  }
  const json = readCaptureText('ws-discovery/multi-vendor-scopes-FLIR-Geovision-Panasonic-Avigilon-Tiandy-onvif-discovery-testdata.json');
  out.push(...(json.match(/onvif:\/\/[^"\s]+/g) ?? []));
  return out;
}

describe('fuzz: parseDiscoveryMessage', () => {
  it('decodes the captures it is seeded with', () => {
    expectSeedsAccepted(seeds, (seed) => parseDiscoveryMessage(seed), 10);
  });

  it('throws only WsDiscoveryDecodeError, fast, bounded', () => {
    fuzz(parse, textOrBytes(seeds, ALPHABET));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('survives every truncation of every capture', () => {
    expect(checkEveryTruncation(parse, seeds)).toBeGreaterThan(1000);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('keeps at most 64 matches of 64 list items from a flood in one datagram', () => {
    const match = '<d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:1</a:Address></a:EndpointReference><d:Scopes>' + 'onvif://www.onvif.org/x '.repeat(500) + '</d:Scopes></d:ProbeMatch>';
    const xml = `<s:Envelope><s:Body><d:ProbeMatches>${match.repeat(100)}</d:ProbeMatches></s:Body></s:Envelope>`;
    const message = parseDiscoveryMessage(xml.slice(0, 65_000).replace(/<d:ProbeMatch><a:End[^]*$/, '') + '</d:ProbeMatches></s:Body></s:Envelope>');
    expect(message.kind).toBe('probe-matches');
    if (message.kind !== 'probe-matches') return;
    expect(message.matches.length).toBeLessThanOrEqual(64);
    for (const m of message.matches) expect(m.scopes.length).toBeLessThanOrEqual(64);
  });
});

describe('fuzz: scopes and endpoints', () => {
  const scopes = captureScopes();
  const scopeText = fc.oneof(fc.constantFrom(...scopes), textFrom(scopes.map((s) => Buffer.from(s)), ['onvif://www.onvif.org/', '/', '%', '%2', 'mac/', 'name/', 'hardware/', 'acc/mfr/', ' ']), anyText);
  const scopeLists = fc.array(scopeText, { maxLength: 200 });

  it('has real scopes to start from', () => {
    expect(scopes.length).toBeGreaterThan(30);
  });

  it('parseScopes + vendorFromScopes never throw', () => {
    fuzz<string[]>({ name: 'parseScopes+vendorFromScopes', run: (list) => vendorFromScopes(parseScopes(list)), errors: [] }, scopeLists);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('decodeScopeValue never throws and does not grow the text', () => {
    fuzz<string>({ name: 'decodeScopeValue', run: (text) => decodeScopeValue(text), errors: [], maxOutputChars: (n) => 6 * n + 16 }, fc.oneof(scopeText, fc.string({ unit: fc.constantFrom('%', 'f', 'F', '0', 'c', '3', 'e', '8', 'z', ' ', '\u0001') })));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('classifyEndpoint never throws on arbitrary matches', () => {
    const matches: fc.Arbitrary<ProbeMatch> = fc.record({ types: fc.array(fc.oneof(anyText, fc.constantFrom('dn:NetworkVideoTransmitter', 'tds:Device', 'pub:Computer', 'wsdp:Device', ':', ''))), scopes: scopeLists, xaddrs: fc.array(fc.oneof(anyText, fc.constant('http://1.2.3.4:5357/x'))) });
    fuzz<ProbeMatch>({ name: 'classifyEndpoint', run: (match) => classifyEndpoint(match), errors: [] }, matches);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('macFromEndpointUuid never throws', () => {
    const endpoints = fc.oneof(anyText, fc.uuid().map((u) => `urn:uuid:${u}`), fc.constantFrom('urn:uuid:2419d68a-2dd2-21b2-a205-', 'uuid:'), fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 32, maxLength: 32 }).map((h) => `${h.slice(0, 8)}-${h.slice(8, 12)}-1${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`));
    fuzz<[string, string | null]>({ name: 'macFromEndpointUuid', run: ([endpoint, vendor]) => macFromEndpointUuid(endpoint, vendor), errors: [] }, fc.tuple(endpoints, fc.option(fc.oneof(anyText, fc.constantFrom('Axis', 'Hikvision', 'Pelco', '__proto__', 'constructor')))));
  }, FUZZ_TEST_TIMEOUT_MS);
});
