/** Hikvision SADP: every datagram on UDP 37020 (device answers, other tools' inquiries, garbage) reaches parseSadpMessage. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SadpDecodeError, parseSadpBoolean, parseSadpMessage } from '../../src/protocols/sadp/index.js';
import { FUZZ_TEST_TIMEOUT_MS, anyText, captureSeeds, checkEveryTruncation, expectSeedsAccepted, fuzz, textOrBytes, type Codec } from './fuzz-kit.js';

const seeds = captureSeeds(['hikvision', 'synthetic-format-references'], (name) => /sadp/i.test(name));
const ALPHABET = ['<ProbeMatch>', '</ProbeMatch>', '<MAC>', '</MAC>', '<Activated>', 'flase', '<IPv4Address>', '127.0.0.1', '<HttpPort>', '99999', '<!-- x -->', '<', '>'];
const codec: Codec<string | Uint8Array> = { name: 'parseSadpMessage', run: (input) => parseSadpMessage(input), errors: [SadpDecodeError] };

describe('fuzz: parseSadpMessage', () => {
  it('decodes every SADP capture, the truncated DVR answer included', () => {
    expectSeedsAccepted(seeds, (seed) => parseSadpMessage(seed), seeds.length);
  });

  it('throws only SadpDecodeError, fast, bounded', () => {
    fuzz(codec, textOrBytes(seeds, ALPHABET));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('survives every truncation of every capture (salvaging what arrived)', () => {
    expect(checkEveryTruncation(codec, seeds)).toBeGreaterThan(1000);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('parseSadpBoolean never throws', () => {
    fuzz<string | undefined>({ name: 'parseSadpBoolean', run: (value) => parseSadpBoolean(value), errors: [] }, fc.option(anyText, { nil: undefined }));
  }, FUZZ_TEST_TIMEOUT_MS);
});
