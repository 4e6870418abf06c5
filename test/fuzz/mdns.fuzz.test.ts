/**
 * mDNS: bonjour-service hands parseMdnsService whatever the announcement said. The input is an object, so the
 * generators build service-shaped objects (and arbitrary values) instead of bytes, seeded with the captured
 * Home Assistant Axis record.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { parseMdnsService, type MdnsServiceInput } from '../../src/protocols/mdns/index.js';
import { readCaptureText } from '../support/captures.js';
import { FUZZ_TEST_TIMEOUT_MS, anyText, fuzz, textFrom } from './fuzz-kit.js';

const captured = JSON.parse(readCaptureText('axis/axis-M1065-LW-mdns-axis-video-tcp-parsed-ha.json')) as Record<string, unknown>;
const names = ['AXIS M1065-LW - ACCC8E123456', 'HIKVISION DS-2CD2385G1-I - 33842150', 'DoorBird D101 - 1CCAE3AABBCC', String(captured['name'] ?? '')];
const nameText = fc.oneof(anyText, textFrom(names.map((n) => Buffer.from(n)), ['\\', '\\032', '\\.', ' - ', '._axis-video._tcp.local.', '.', 'AXIS ', 'HIKVISION ']));

const services: fc.Arbitrary<MdnsServiceInput> = fc.record(
  {
    name: nameText,
    type: fc.oneof(anyText, fc.constantFrom('axis-video', '_axis-video._tcp.local.', '_CGI._tcp', '_x._udp', '')),
    protocol: fc.oneof(anyText, fc.constantFrom('tcp', 'udp', '_tcp')),
    host: fc.oneof(anyText, fc.ipV4(), fc.ipV6()),
    port: fc.oneof(fc.integer(), fc.double(), fc.constant(Number.NaN)),
    addresses: fc.array(fc.oneof(fc.ipV4(), fc.ipV6(), anyText), { maxLength: 100 }),
    txt: fc.dictionary(fc.oneof(anyText, fc.constantFrom('macaddress', 'MAC', '__proto__')), fc.oneof(anyText, fc.uint8Array({ maxLength: 64 }), fc.integer(), fc.double(), fc.constant(null)), { maxKeys: 100 }),
    fqdn: fc.oneof(nameText, nameText.map((n) => `${n}._axis-video._tcp.local.`)),
  },
  { requiredKeys: [] },
);

describe('fuzz: parseMdnsService', () => {
  it('never throws on service-shaped objects or the captured record, mutated', () => {
    fuzz<MdnsServiceInput>({ name: 'parseMdnsService', run: (service) => parseMdnsService(service), errors: [] }, fc.oneof(services, fc.constant(captured as MdnsServiceInput)));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('never throws on arbitrary values where a service belongs', () => {
    fuzz<MdnsServiceInput>({ name: 'parseMdnsService (anything)', run: (service) => parseMdnsService(service), errors: [] }, fc.anything().filter((v) => typeof v === 'object' && v !== null) as fc.Arbitrary<MdnsServiceInput>);
  }, FUZZ_TEST_TIMEOUT_MS);
});
