/** parseXml is the one XML entry point for network input: every other XML codec inherits its behaviour. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { XmlDecodeError, decodeXmlText, escapeXml, parseXml } from '../../src/protocols/xml/parse-xml.js';
import { FUZZ_RUNS, FUZZ_TEST_TIMEOUT_MS, anyText, captureSeeds, checkEveryTruncation, expectSeedsAccepted, fuzz, textOrBytes, type Codec } from './fuzz-kit.js';

const seeds = captureSeeds(['onvif-device', 'ws-discovery', 'hikvision', 'upnp', 'synthetic-format-references'], (name) => name.endsWith('.xml') && !name.includes('truncated'));
const XML_ALPHABET = ['<a>', '</a>', '<a/>', '<', '>', '&', '&amp;', '&#x41;', '"', "'", '=', ' ', 'a:b', '<!--', '-->', '<![CDATA[x]]>', '<?x?>', 'x="y"'];

// An element tree costs more JSON than the markup it came from (`<a/>` → {"name":"a",...}); bounded, not amplified.
const parseXmlCodec: Codec<string | Uint8Array> = { name: 'parseXml', run: (input) => parseXml(input), errors: [XmlDecodeError], maxOutputChars: (n) => 24 * n + 1024 };

describe('fuzz: parseXml', () => {
  it('accepts the XML captures it is seeded with (all but the elided excerpts)', () => {
    expectSeedsAccepted(seeds, (seed) => parseXml(seed), seeds.length - 2);
  });

  it('throws only XmlDecodeError, fast, with bounded output, on mutated captures and arbitrary input', () => {
    fuzz(parseXmlCodec, textOrBytes(seeds, XML_ALPHABET));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('survives every truncation of every capture', () => {
    expect(checkEveryTruncation(parseXmlCodec, seeds)).toBeGreaterThan(1000);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('refuses DOCTYPE and ENTITY declarations wherever they are inserted', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.nat(), fc.constantFrom('<!DOCTYPE x [<!ENTITY a "b">]>', '<!doctype x SYSTEM "http://127.0.0.1/x">', '<!ENTITY e SYSTEM "file:///etc/passwd">'), (seed, at, declaration) => {
          const text = seed.toString('utf8');
          const cut = at % (text.length + 1);
          try {
            parseXml(text.slice(0, cut) + declaration + text.slice(cut));
            return false;
          } catch (error) {
            return error instanceof XmlDecodeError;
          }
        }),
      { numRuns: Math.min(2000, Math.max(100, FUZZ_RUNS)) },
    );
  });
});

describe('fuzz: decodeXmlText and escapeXml', () => {
  const decode: Codec<string> = { name: 'decodeXmlText', run: (input) => decodeXmlText(input), errors: [] };

  it('decodeXmlText never throws and never grows the text', () => {
    fuzz(decode, fc.oneof(anyText, fc.string({ unit: fc.constantFrom('&', '#', 'x', ';', '1', 'F', 'amp', 'lt', '0') })));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('escapeXml then decodeXmlText is the identity', () => {
    fc.assert(fc.property(anyText, (text) => decodeXmlText(escapeXml(text)) === text), { numRuns: Math.min(5000, FUZZ_RUNS) });
  });
});
