/**
 * WWW-Authenticate, the challenge choice and the Digest computation: what an anonymous 401 from any host turns into.
 * The hostile cases of issue 8 (10 KB nonces, a thousand params, unknown algorithms) are in the generators.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DigestError, chooseChallenge, computeDigestAuthorization, parseWwwAuthenticate } from '../../src/protocols/http-auth/index.js';
import { headerValues, parseHttpResponseHead } from '../../src/protocols/http-message/index.js';
import { listCaptures, readCapture, readCaptureText } from '../support/captures.js';
import { FUZZ_RUNS, FUZZ_TEST_TIMEOUT_MS, anyText, fuzz, textFrom, type Codec } from './fuzz-kit.js';

/** Every real challenge we hold: recog's examples, the Axis headers, and the heads of the 401 and RTSP captures. */
function captureChallenges(): string[] {
  const out = readCaptureText('http-auth/recog-camera-WWW-Authenticate-header-values.txt').split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  out.push(String((JSON.parse(readCaptureText('http-auth/axis-ACCC8E494578-onvif-cgi-jpg-401-headers-node-onvif-issue40.json')) as Record<string, unknown>)['www-authenticate']));
  for (const [folder, filter] of [['http-auth', /401.*\.txt$/], ['rtsp', /401.*\.txt$/]] as const) {
    for (const name of listCaptures(folder).filter((n) => filter.test(n))) {
      try {
        out.push(...headerValues(parseHttpResponseHead(readCapture(`${folder}/${name}`)).headers, 'www-authenticate'));
      } catch {
        // a capture without a parseable head adds nothing
      }
    }
  }
  return out;
}

const challenges = captureChallenges();
const ALPHABET = ['Digest ', 'Basic ', 'realm=', 'nonce=', '"', '\\', ',', ' ', '=', 'qop="auth"', 'algorithm=', 'MD5-sess', 'SHA-512-256', 'stale=TRUE', 'opaque=""', 'a'];
const hostile = fc.oneof(
  fc.integer({ min: 1, max: 1200 }).map((n) => `Digest realm="r", nonce="n", ${Array.from({ length: n }, (_, i) => `p${i}=v${i}`).join(', ')}`),
  fc.integer({ min: 1, max: 12_000 }).map((n) => `Digest realm="r", qop="auth", nonce="${'N'.repeat(n)}", algorithm=MD5`),
  fc.constantFrom('MD6', 'SHA-1', 'sha-256-SESS', 'SHA-512', 'md5', '', '"', 'A'.repeat(5000)).map((a) => `Digest realm="r", qop="auth", nonce="n", algorithm=${a}`),
  fc.integer({ min: 1, max: 5000 }).map((n) => `Digest realm="${'\\"'.repeat(n)}`),
);
const headerValue = fc.oneof(fc.constantFrom(...challenges), textFrom(challenges.map((c) => Buffer.from(c)), ALPHABET), hostile, anyText);

describe('fuzz: WWW-Authenticate → challenge choice → Digest', () => {
  it('has the captured challenges to start from', () => {
    expect(challenges.length).toBeGreaterThan(20);
  });

  it('parseWwwAuthenticate never throws, fast, bounded, on one value or many', () => {
    const codec: Codec<string | string[]> = { name: 'parseWwwAuthenticate', run: (values) => parseWwwAuthenticate(values), errors: [] };
    fuzz(codec, fc.oneof(headerValue, fc.array(headerValue, { maxLength: 40 })));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('chooseChallenge never throws, and computeDigestAuthorization throws only DigestError on what it chose', () => {
    const codec: Codec<string[]> = {
      name: 'chooseChallenge+computeDigestAuthorization',
      run: (values) => {
        const choice = chooseChallenge(parseWwwAuthenticate(values));
        if (choice.kind !== 'digest') return choice;
        return computeDigestAuthorization({ challenge: choice.challenge, username: 'admin', password: 'pw', method: 'GET', uri: '/ISAPI/Security/userCheck', cnonce: '0a4f113b', nc: 1 });
      },
      errors: [DigestError],
    };
    fuzz(codec, fc.array(headerValue, { minLength: 1, maxLength: 8 }));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('a challenge chosen by chooseChallenge always yields an Authorization value without line breaks', () => {
    fc.assert(
      fc.property(fc.array(headerValue, { minLength: 1, maxLength: 4 }), anyText, (values, username) => {
        const choice = chooseChallenge(parseWwwAuthenticate(values));
        if (choice.kind !== 'digest') return true;
        try {
          const header = computeDigestAuthorization({ challenge: choice.challenge, username, password: 'pw', method: 'GET', uri: '/', cnonce: 'abc', nc: 1 });
          return !/[\r\n]/.test(header);
        } catch (error) {
          return error instanceof DigestError;
        }
      }),
      { numRuns: Math.min(20_000, FUZZ_RUNS) },
    );
  }, FUZZ_TEST_TIMEOUT_MS);
});
