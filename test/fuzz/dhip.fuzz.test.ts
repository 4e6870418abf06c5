/**
 * Dahua DHIP: a 32-byte binary header then JSON. Seeds are the captured JSON bodies framed with encodeDhipFrame
 * (the framing is ours; the bodies are the devices'), plus the synthetic reference frame. Mutating the body and
 * re-framing keeps the header consistent so the JSON reader gets fuzzed, not just the length checks.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DhipDecodeError, decodeDhipFrame, encodeDhipFrame, parseDhipMessage } from '../../src/protocols/dhip/index.js';
import { readCapture } from '../support/captures.js';
import { FUZZ_TEST_TIMEOUT_MS, bytesFrom, checkEveryTruncation, expectSeedsAccepted, fuzz, mutatedSeeds, type Codec } from './fuzz-kit.js';

const bodies = [readCapture('dahua-dhip/dahua-IPC-HDW5421S-phenomite.body.json'), readCapture('dahua-dhip/lorex-W461ASC-rapid7.body.json')];
const frames = [...bodies.map((body) => encodeDhipFrame(body)), readCapture('synthetic-format-references/dahua-dhip-notifyDevInfo-with-32byte-header-UniversalScanner-selftest.bin')];
const ALPHABET = ['{', '}', '[', ']', '"', ':', ',', '"Init":', '1e309', '"params":{"deviceInfo":', '"__proto__":', 'null', '\u0000'];

const parse: Codec<Uint8Array> = { name: 'parseDhipMessage', run: (bytes) => parseDhipMessage(bytes), errors: [DhipDecodeError] };

describe('fuzz: parseDhipMessage', () => {
  it('decodes the framed captured bodies (the synthetic self-test frame has a JSON error of its own)', () => {
    expectSeedsAccepted(frames, (frame) => parseDhipMessage(frame), bodies.length);
  });

  it('raw frames: throws only DhipDecodeError, fast, bounded', () => {
    fuzz(parse, bytesFrom(frames, ALPHABET));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('mutated JSON bodies in a well-formed frame: throws only DhipDecodeError, fast, bounded', () => {
    fuzz(parse, fc.oneof(mutatedSeeds(bodies), bytesFrom(bodies, ALPHABET)).map((body) => encodeDhipFrame(body.subarray(0, 60_000))));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('survives every truncation of every frame', () => {
    expect(checkEveryTruncation(parse, frames)).toBeGreaterThan(1000);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('decodeDhipFrame: throws only DhipDecodeError on any bytes', () => {
    fuzz<Uint8Array>({ name: 'decodeDhipFrame', run: (bytes) => decodeDhipFrame(bytes), errors: [DhipDecodeError] }, bytesFrom(frames, ALPHABET));
  }, FUZZ_TEST_TIMEOUT_MS);
});
