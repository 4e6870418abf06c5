/** HTTP/RTSP response heads, from text or bytes. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HttpMessageDecodeError, headerValues, parseHttpResponseHead } from '../../src/protocols/http-message/index.js';
import { FUZZ_TEST_TIMEOUT_MS, anyText, captureSeeds, checkEveryTruncation, expectSeedsAccepted, fuzz, textOrBytes, type Codec } from './fuzz-kit.js';

const seeds = [...captureSeeds(['http-auth'], (name) => /401.*\.txt$/.test(name)), ...captureSeeds(['rtsp'], (name) => /(OPTIONS|DESCRIBE)/.test(name)), ...captureSeeds(['upnp'], (name) => name.includes('200-response'))];
const codec: Codec<string | Uint8Array> = { name: 'parseHttpResponseHead', run: (input) => parseHttpResponseHead(input), errors: [HttpMessageDecodeError] };

describe('fuzz: parseHttpResponseHead', () => {
  it('decodes the captured heads', () => {
    expectSeedsAccepted(seeds, (seed) => parseHttpResponseHead(seed), seeds.length);
  });

  it('throws only HttpMessageDecodeError, fast, bounded', () => {
    fuzz(codec, textOrBytes(seeds, ['HTTP/1.1 401 X\r\n', 'A: b\r\n', '\r\n', '\n', ' ', '\t', ':', 'WWW-Authenticate: ']));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('survives every truncation', () => {
    expect(checkEveryTruncation(codec, seeds)).toBeGreaterThan(1000);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('headerValues never throws', () => {
    fuzz<[Array<[string, string]>, string]>({ name: 'headerValues', run: ([headers, name]) => headerValues(headers, name), errors: [] }, fc.tuple(fc.array(fc.tuple(anyText, anyText), { maxLength: 50 }), anyText));
  }, FUZZ_TEST_TIMEOUT_MS);
});
