/** RTSP answers to the anonymous OPTIONS/DESCRIBE probes, and the Server-header vendor hint. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RtspError, parseRtspResponse, vendorFromRtspServer } from '../../src/protocols/rtsp/index.js';
import { readCaptureText } from '../support/captures.js';
import { FUZZ_TEST_TIMEOUT_MS, anyText, captureSeeds, checkEveryTruncation, expectSeedsAccepted, fuzz, textFrom, textOrBytes, type Codec } from './fuzz-kit.js';

const seeds = captureSeeds(['rtsp'], (name) => /(OPTIONS|DESCRIBE)/.test(name));
const servers = readCaptureText('rtsp/recog-camera-RTSP-Server-header-values.txt').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
const codec: Codec<string | Uint8Array> = { name: 'parseRtspResponse', run: (input) => parseRtspResponse(input), errors: [RtspError] };

describe('fuzz: RTSP', () => {
  it('decodes the captures', () => {
    expectSeedsAccepted(seeds, (seed) => parseRtspResponse(seed), seeds.length);
  });

  it('parseRtspResponse throws only RtspError, fast, bounded', () => {
    fuzz(codec, textOrBytes(seeds, ['RTSP/1.0 401 Unauthorized\r\n', 'CSeq: ', '99999999999', '\r\n', 'Public: ', ',', ' ', 'WWW-Authenticate: Digest ']));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('parseRtspResponse survives every truncation', () => {
    expect(checkEveryTruncation(codec, seeds)).toBeGreaterThan(1000);
  }, FUZZ_TEST_TIMEOUT_MS);

  it('vendorFromRtspServer never throws', () => {
    fuzz<[string | undefined, string | undefined]>(
      { name: 'vendorFromRtspServer', run: ([server, realm]) => vendorFromRtspServer(server, realm), errors: [] },
      fc.tuple(fc.option(fc.oneof(fc.constantFrom(...servers), textFrom(servers.map((s) => Buffer.from(s)), ['Rtsp Server/3.0', ' ', '/'])), { nil: undefined }), fc.option(fc.oneof(anyText, fc.constant('AXIS_ACCC8E494578')), { nil: undefined })),
    );
  }, FUZZ_TEST_TIMEOUT_MS);
});
