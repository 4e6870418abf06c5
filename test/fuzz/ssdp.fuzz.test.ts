/** SSDP datagrams on UDP 1900 and the UPnP description XML read from LOCATION. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SsdpDecodeError, extractSsdpFields, parseDeviceDescription, parseSsdpMessage, uuidFromUsn } from '../../src/protocols/ssdp/index.js';
import { readCaptureText } from '../support/captures.js';
import { FUZZ_TEST_TIMEOUT_MS, anyText, captureSeeds, checkEveryTruncation, expectSeedsAccepted, fuzz, textOrBytes, type Codec } from './fuzz-kit.js';

const datagrams = captureSeeds(['upnp'], (name) => name.endsWith('.txt'));
// The Home Assistant dump holds real Dahua SSDP answers as header maps, one JSON object per line.
const dahuaHeaders = readCaptureText('upnp/dahua-ssdp-search-responses-ha-issue46822.jsonl')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Record<string, unknown>);
const descriptions = captureSeeds(['upnp'], (name) => name.endsWith('.xml'));

const parse: Codec<string | Uint8Array> = { name: 'parseSsdpMessage', run: (input) => parseSsdpMessage(input), errors: [SsdpDecodeError] };
const describeXml: Codec<string | Uint8Array> = { name: 'parseDeviceDescription', run: (input) => parseDeviceDescription(input), errors: [SsdpDecodeError] };

describe('fuzz: SSDP', () => {
  it('decodes the seeds', () => {
    expectSeedsAccepted(datagrams, (seed) => parseSsdpMessage(seed), datagrams.length);
    expectSeedsAccepted(descriptions, (seed) => parseDeviceDescription(seed), descriptions.length);
    expect(dahuaHeaders.length).toBeGreaterThan(0);
  });

  it('parseSsdpMessage throws only SsdpDecodeError, fast, bounded', () => {
    fuzz(parse, textOrBytes(datagrams, ['HTTP/1.1 200 OK\r\n', 'LOCATION: ', 'http://', '\r\n', ' ', ':', 'USN: uuid:', '::', '\t']));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('parseSsdpMessage survives every truncation', () => {
    expect(checkEveryTruncation(parse, datagrams)).toBeGreaterThan(200);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('parseDeviceDescription throws only SsdpDecodeError, fast, bounded', () => {
    fuzz(describeXml, textOrBytes(descriptions, ['<root>', '<device>', '<serialNumber>', '</device>', '<URLBase>', '&amp;', ' ']));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('parseDeviceDescription survives every truncation', () => {
    expect(checkEveryTruncation(describeXml, descriptions)).toBeGreaterThan(1000);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('extractSsdpFields and uuidFromUsn never throw on any header map', () => {
    const maps = fc.oneof(
      fc.constantFrom(...dahuaHeaders),
      fc.dictionary(fc.oneof(anyText, fc.constantFrom('LOCATION', 'location', 'USN', 'Server', '__proto__', 'constructor', 'toString')), fc.oneof(anyText, fc.constantFrom('uuid:x::y', 'http://[::1]:80/', 'http://' + 'a'.repeat(3000)), fc.integer(), fc.constant(null)), { maxKeys: 40 }),
    ) as fc.Arbitrary<Record<string, string>>;
    fuzz<Record<string, string>>({ name: 'extractSsdpFields', run: (headers) => extractSsdpFields(headers), errors: [] }, maps);
    fuzz<string>({ name: 'uuidFromUsn', run: (usn) => uuidFromUsn(usn), errors: [] }, fc.oneof(anyText, fc.string({ unit: fc.constantFrom('uuid:', ':', 'a', ' ', '::') })));
  }, FUZZ_TEST_TIMEOUT_MS);
});
