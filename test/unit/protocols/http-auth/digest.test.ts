import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { readCapture } from '../../../support/captures.js';
import { parseWwwAuthenticate } from '../../../../src/protocols/http-auth/www-authenticate.js';
import type { Challenge } from '../../../../src/protocols/http-auth/www-authenticate.js';
import { DigestError, SUPPORTED_DIGEST_ALGORITHMS, computeDigestAuthorization } from '../../../../src/protocols/http-auth/digest.js';
import type { DigestInput } from '../../../../src/protocols/http-auth/digest.js';
import { headerValues, parseHttpResponseHead } from '../../../../src/protocols/http-message/http-message.js';
// The simulator's server-side check was written separately on purpose (see its header comment): an
// independent implementation to check the client against where no published vector exists.
import { parseAuthParams, verifyDigest } from '../../../../src/simulator/verify-credentials.js';

function challengeOf(header: string): Challenge {
  const [challenge] = parseWwwAuthenticate(header);
  if (!challenge) throw new Error(`no challenge in ${header}`);
  return challenge;
}

function digestErrorOf(input: DigestInput): DigestError {
  try {
    computeDigestAuthorization(input);
  } catch (error) {
    if (error instanceof DigestError) return error;
    throw error;
  }
  throw new Error('expected a DigestError');
}

function paramsOf(authorization: string): Record<string, string> {
  expect(authorization.startsWith('Digest ')).toBe(true);
  return parseAuthParams(authorization.slice('Digest '.length));
}

// RFC 7616 §3.9.1.
const RFC7616_NONCE = '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v';
const RFC7616_OPAQUE = 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS';
const RFC7616_CNONCE = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';

function rfc7616(algorithm: 'MD5' | 'SHA-256'): string {
  return computeDigestAuthorization({
    challenge: challengeOf(`Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, nonce="${RFC7616_NONCE}", opaque="${RFC7616_OPAQUE}"`),
    username: 'Mufasa',
    password: 'Circle of Life',
    method: 'GET',
    uri: '/dir/index.html',
    cnonce: RFC7616_CNONCE,
  });
}

describe('computeDigestAuthorization against published vectors', () => {
  it('reproduces the RFC 7616 §3.9.1 MD5 Authorization header exactly', () => {
    expect(rfc7616('MD5')).toBe(
      'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=MD5, ' +
        `nonce="${RFC7616_NONCE}", nc=00000001, cnonce="${RFC7616_CNONCE}", qop=auth, ` +
        `response="8ca523f5e9506fed4657c9700eebdbec", opaque="${RFC7616_OPAQUE}"`,
    );
  });

  it('reproduces the RFC 7616 §3.9.1 SHA-256 response', () => {
    const params = paramsOf(rfc7616('SHA-256'));
    expect(params['response']).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
    expect(params['algorithm']).toBe('SHA-256');
  });

  it('reproduces RFC 2617 §3.5 (qop "auth,auth-int" offered: answers auth; no algorithm echoed when none was sent)', () => {
    const authorization = computeDigestAuthorization({
      challenge: challengeOf('Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"'),
      username: 'Mufasa',
      password: 'Circle Of Life',
      method: 'GET',
      uri: '/dir/index.html',
      cnonce: '0a4f113b',
      nc: 1,
    });
    expect(authorization).toBe(
      'Digest username="Mufasa", realm="testrealm@host.com", uri="/dir/index.html", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
        'nc=00000001, cnonce="0a4f113b", qop=auth, response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
  });

  it('reproduces RFC 2069 §2.4 without qop (corrected value from the RFC 2069 errata): no nc, cnonce or qop', () => {
    const authorization = computeDigestAuthorization({
      challenge: challengeOf('Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"'),
      username: 'Mufasa',
      password: 'CircleOfLife',
      method: 'GET',
      uri: '/dir/index.html',
      cnonce: 'unused',
    });
    expect(authorization).toBe(
      'Digest username="Mufasa", realm="testrealm@host.com", uri="/dir/index.html", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
        'response="1949323746fe6a43ef61f9606e7febea", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
  });

  it('reproduces RFC 7616 §3.9.2 SHA-512-256 with userhash (values as corrected by RFC errata 4897)', () => {
    const authorization = computeDigestAuthorization({
      challenge: challengeOf(
        'Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256, nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", ' +
          'opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", charset=UTF-8, userhash=true',
      ),
      username: 'J\u00e4s\u00f8n Doe',
      password: 'Secret, or not?',
      method: 'GET',
      uri: '/doe.json',
      cnonce: 'NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v',
    });
    const params = paramsOf(authorization);
    expect(params['username']).toBe('793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b');
    expect(params['response']).toBe('3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5');
    expect(params['userhash']).toBe('true');
    expect(authorization).not.toContain('J\u00e4s');
  });
});

describe('computeDigestAuthorization: the -sess variants and every algorithm', () => {
  const base = { username: 'admin', password: 'pa:ss "word"', method: 'GET', uri: '/ISAPI/Security/userCheck', cnonce: '0123456789abcdef' };

  it('is accepted by the independent simulator check for every supported algorithm, with and without qop', () => {
    for (const algorithm of SUPPORTED_DIGEST_ALGORITHMS) {
      for (const qop of algorithm.endsWith('-SESS') ? ['qop="auth", '] : ['qop="auth", ', '']) {
        const challenge = challengeOf(`Digest realm="IP Camera(C1234)", ${qop}nonce="abc:1685000004756", algorithm=${algorithm}, opaque=""`);
        const header = computeDigestAuthorization({ ...base, challenge });
        const check = verifyDigest({ header, method: 'GET', realm: 'IP Camera(C1234)', username: 'admin', password: base.password, issuedNonces: new Set(['abc:1685000004756']) });
        expect(check, `${algorithm} ${qop}`).toEqual({ ok: true, username: 'admin' });
        const wrong = verifyDigest({ header, method: 'GET', realm: 'IP Camera(C1234)', username: 'admin', password: 'other', issuedNonces: new Set(['abc:1685000004756']) });
        expect(wrong.ok).toBe(false);
      }
    }
  });

  it('computes MD5-sess HA1 as H(H(user:realm:pass):nonce:cnonce) (RFC 7616 §3.4.2)', () => {
    const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
    const challenge = challengeOf('Digest realm="r", qop="auth", nonce="n", algorithm=MD5-sess');
    const params = paramsOf(computeDigestAuthorization({ ...base, challenge }));
    const ha1 = md5(`${md5(`admin:r:${base.password}`)}:n:${base.cnonce}`);
    const ha2 = md5(`GET:${base.uri}`);
    expect(params['response']).toBe(md5(`${ha1}:n:00000001:${base.cnonce}:auth:${ha2}`));
    expect(params['algorithm']).toBe('MD5-sess');
    const plain = paramsOf(computeDigestAuthorization({ ...base, challenge: challengeOf('Digest realm="r", qop="auth", nonce="n", algorithm=MD5') }));
    expect(plain['response']).not.toBe(params['response']);
  });

  it('answers the captured Hikvision NVR challenge in a form the simulator accepts', () => {
    const head = parseHttpResponseHead(readCapture('http-auth/hikvision-NVR-ERI-K104-P4-ISAPI-System-status-401-full-hikvision_next-issue50.txt'));
    const challenge = parseWwwAuthenticate(headerValues(head.headers, 'www-authenticate'))[0]!;
    const header = computeDigestAuthorization({ ...base, uri: '/ISAPI/System/status', challenge });
    expect(header).toContain('algorithm=MD5,');
    expect(header).toContain('opaque=""');
    expect(header).toContain('qop=auth,');
    expect(header).not.toContain('stale');
    expect(header).not.toContain('domain');
    const check = verifyDigest({ header, method: 'GET', realm: 'fe12f37bdXXXXXbccbbd35f1', username: 'admin', password: base.password, issuedNonces: new Set([challenge.nonce!]) });
    expect(check.ok).toBe(true);
  });
});

describe('computeDigestAuthorization: what goes on the wire', () => {
  const challenge = challengeOf('Digest realm="r", qop="auth", nonce="n"');
  const input = { challenge, username: 'admin', password: 'p', method: 'GET', uri: '/a?b=c&d=%20', cnonce: 'c' };

  it('echoes uri exactly and formats nc as 8 lowercase hex digits', () => {
    const header = computeDigestAuthorization({ ...input, nc: 255 });
    expect(header).toContain('uri="/a?b=c&d=%20"');
    expect(header).toContain('nc=000000ff,');
    expect(computeDigestAuthorization(input)).toContain('nc=00000001,');
  });

  it('echoes opaque only when the challenge had one, and the algorithm only when it named one', () => {
    expect(computeDigestAuthorization(input)).not.toMatch(/opaque|algorithm/);
    const hik = computeDigestAuthorization({ ...input, challenge: challengeOf('Digest realm="r", qop="auth", nonce="n", opaque="", algorithm="MD5"') });
    expect(hik).toContain('opaque=""');
    expect(hik).toContain('algorithm=MD5,');
  });

  it('escapes quotes and backslashes in the username, and the device unescapes to the same HA1', () => {
    const header = computeDigestAuthorization({ ...input, username: 'a"b\\c' });
    expect(header).toContain('username="a\\"b\\\\c"');
    const check = verifyDigest({ header, method: 'GET', realm: 'r', username: 'a"b\\c', password: 'p', issuedNonces: new Set(['n']) });
    expect(check.ok).toBe(true);
  });

  it('is deterministic for the same input, and changes with the cnonce', () => {
    expect(computeDigestAuthorization(input)).toBe(computeDigestAuthorization(input));
    expect(paramsOf(computeDigestAuthorization({ ...input, cnonce: 'd' }))['response']).not.toBe(paramsOf(computeDigestAuthorization(input))['response']);
  });

  it('refuses what it cannot answer or what would break the header', () => {
    expect(digestErrorOf({ ...input, challenge: challengeOf('Digest realm="r", nonce="n", algorithm=SHA-1') }).code).toBe('digest-unsupported-algorithm');
    expect(digestErrorOf({ ...input, challenge: challengeOf('Digest realm="r", nonce="n", qop="auth-int"') }).code).toBe('digest-unsupported-qop');
    expect(digestErrorOf({ ...input, challenge: challengeOf('Digest realm="r", nonce="n", algorithm=MD5-sess') }).code).toBe('digest-unsupported-qop');
    expect(digestErrorOf({ ...input, challenge: challengeOf('Digest realm="r"') }).code).toBe('digest-missing-field');
    expect(digestErrorOf({ ...input, challenge: challengeOf('Basic realm="r"') }).code).toBe('digest-invalid-input');
    expect(digestErrorOf({ ...input, username: 'admin\r\nX-Evil: 1' }).code).toBe('digest-invalid-input');
    expect(digestErrorOf({ ...input, uri: '/a\nb' }).code).toBe('digest-invalid-input');
    expect(digestErrorOf({ ...input, uri: '' }).code).toBe('digest-invalid-input');
    expect(digestErrorOf({ ...input, cnonce: '' }).code).toBe('digest-invalid-input');
    expect(digestErrorOf({ ...input, cnonce: 'a"b' }).code).toBe('digest-invalid-input');
    expect(digestErrorOf({ ...input, nc: 0 }).code).toBe('digest-invalid-input');
    expect(digestErrorOf({ ...input, nc: 2 ** 32 }).code).toBe('digest-invalid-input');
    expect(digestErrorOf({ ...input, method: 'GET /x' }).code).toBe('digest-invalid-input');
  });
});
