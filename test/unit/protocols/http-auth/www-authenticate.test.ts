import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { listCaptures, readCapture, readCaptureText } from '../../../support/captures.js';
import { MAX_HEADER_CHARS, parseWwwAuthenticate } from '../../../../src/protocols/http-auth/www-authenticate.js';
import type { Challenge } from '../../../../src/protocols/http-auth/www-authenticate.js';
import { headerValues, parseHttpResponseHead } from '../../../../src/protocols/http-message/http-message.js';

/** recog's compiled examples: a "# description" line, then the header value. */
function recogValues(file: string): Array<{ description: string; value: string }> {
  const out: Array<{ description: string; value: string }> = [];
  let description = '';
  for (const line of readCaptureText(file).split('\n')) {
    if (line.startsWith('# ')) description = line.slice(2);
    else if (line.trim() !== '') out.push({ description, value: line });
  }
  return out;
}

/** The comparable part of a challenge (params are a null-prototype object; spread them). */
function summary(c: Challenge): Record<string, unknown> {
  return { ...c, params: { ...c.params } };
}

describe('parseWwwAuthenticate on the recog camera examples', () => {
  const values = recogValues('http-auth/recog-camera-WWW-Authenticate-header-values.txt');

  it('reads every example as exactly one challenge of the scheme it starts with, with the realm it quotes', () => {
    expect(values).toHaveLength(16);
    for (const { value } of values) {
      const challenges = parseWwwAuthenticate([value]);
      expect(challenges, value).toHaveLength(1);
      expect(challenges[0]!.scheme).toBe(value.split(' ')[0]!.toLowerCase());
      expect(challenges[0]!.realm).toBe(/realm="([^"]*)"/.exec(value)![1]);
    }
  });

  it('decodes each Digest example field by field', () => {
    const digests = values.filter((v) => v.value.startsWith('Digest')).map((v) => summary(parseWwwAuthenticate(v.value)[0]!));
    expect(digests).toEqual([
      {
        scheme: 'digest',
        params: { realm: 'DCS-932LB1_BC', qop: 'auth', nonce: 'ab08230abdfae0061bb2b657537e7eea' },
        realm: 'DCS-932LB1_BC', nonce: 'ab08230abdfae0061bb2b657537e7eea', qop: ['auth'], stale: null,
      },
      { scheme: 'digest', params: { realm: 'TiVo DVR' }, realm: 'TiVo DVR', qop: [], stale: null },
      {
        scheme: 'digest',
        params: { realm: 'Orbit-351', nonce: '0000040dY892418598785d2a2304a74adf22f6098f2792', stale: 'FALSE' },
        realm: 'Orbit-351', nonce: '0000040dY892418598785d2a2304a74adf22f6098f2792', qop: [], stale: false,
      },
      {
        scheme: 'digest',
        params: { realm: 'Login to ND011811000000', nonce: 'ec3682ef24b2cd9cedefe5cc26110000' },
        realm: 'Login to ND011811000000', nonce: 'ec3682ef24b2cd9cedefe5cc26110000', qop: [], stale: null,
      },
      {
        scheme: 'digest',
        params: { realm: "Use 'live' as User Name", nonce: '18e62d241a5358a9650640fa72c1773c', opaque: '', stale: 'FALSE', algorithm: 'MD5' },
        realm: "Use 'live' as User Name", nonce: '18e62d241a5358a9650640fa72c1773c', opaque: '', algorithm: 'MD5', qop: [], stale: false,
      },
      {
        scheme: 'digest',
        params: {
          realm: "Use 'live' as User Name in order to log in to the respective level",
          nonce: '2e6007092c2b28af7e2516b80b5b4f95', opaque: '', stale: 'FALSE', algorithm: 'MD5', qop: 'auth',
        },
        realm: "Use 'live' as User Name in order to log in to the respective level",
        nonce: '2e6007092c2b28af7e2516b80b5b4f95', opaque: '', algorithm: 'MD5', qop: ['auth'], stale: false,
      },
    ]);
  });

  it('keeps the comma inside the quoted Merit LILIN realm', () => {
    const lilin = values.find((v) => v.value.includes('Ltd,'))!;
    expect(parseWwwAuthenticate(lilin.value)[0]!.realm).toBe('Merit LILIN Ent. Co., Ltd,');
  });
});

describe('parseWwwAuthenticate on captured responses', () => {
  it('reads the Axis 401 header (node-onvif issue 40): unquoted algorithm, realm AXIS_WS_<serial>', () => {
    const headers = JSON.parse(readCaptureText('http-auth/axis-ACCC8E494578-onvif-cgi-jpg-401-headers-node-onvif-issue40.json')) as Record<string, string>;
    const [challenge, ...rest] = parseWwwAuthenticate([headers['www-authenticate']!]);
    expect(rest).toEqual([]);
    expect(challenge).toMatchObject({
      scheme: 'digest',
      realm: 'AXIS_WS_ACCC8E494578',
      nonce: 't6fuOp51BQA=f644e559881cb59b13221e8f9b63747f39e342c7',
      algorithm: 'MD5',
      qop: ['auth'],
      stale: null,
    });
    expect(challenge!.opaque).toBeUndefined();
  });

  it('reads the partial Dahua magicBox 401: Basic only', () => {
    const head = parseHttpResponseHead(readCapture('http-auth/dahua-IPC-HFW4300S-V2-fw2.420-magicBox-cgi-401-partial-rroller-issue583.txt'));
    expect(parseWwwAuthenticate(headerValues(head.headers, 'www-authenticate')).map(summary)).toEqual([
      { scheme: 'basic', params: { realm: 'Device_CGI' }, realm: 'Device_CGI', qop: [], stale: null },
    ]);
  });

  it('reads the full Hikvision NVR 401: quoted algorithm and stale, empty opaque, domain "::"', () => {
    const head = parseHttpResponseHead(readCapture('http-auth/hikvision-NVR-ERI-K104-P4-ISAPI-System-status-401-full-hikvision_next-issue50.txt'));
    const challenges = parseWwwAuthenticate(headerValues(head.headers, 'www-authenticate'));
    expect(challenges.map(summary)).toEqual([
      {
        scheme: 'digest',
        params: {
          realm: 'fe12f37bdXXXXXbccbbd35f1', domain: '::', qop: 'auth', nonce: '300b7e88f3d69ebfXXXXXf3e2f04218a:1685XXXXX4756',
          opaque: '', algorithm: 'MD5', stale: 'FALSE',
        },
        realm: 'fe12f37bdXXXXXbccbbd35f1',
        domain: '::',
        nonce: '300b7e88f3d69ebfXXXXXf3e2f04218a:1685XXXXX4756',
        opaque: '',
        algorithm: 'MD5',
        qop: ['auth'],
        stale: false,
      },
    ]);
  });

  it('reads the WWW-Authenticate lines of every RTSP capture', () => {
    const expected: Record<string, Array<[string, string, string | undefined, boolean | null]>> = {
      'aiphone-ZePRO-DESCRIBE-401-cameradar-issue199.txt': [['digest', 'Secret', 'ODQ4MDguNTM2Mzk6NTQ1OTExMzQz', null]],
      'axis-AXISOS-GStreamer-DESCRIBE-401-Kane610-axis.txt': [['digest', 'AXIS_ACCC8E012345', '0000eb57Y1462133062b37999f0cd530f02755fa37b8df1', false]],
      'dahua-DVR-D12A163300000656-DESCRIBE-401-hydra-issue695.txt': [['digest', 'Login to D12A163300000656', '1f75a67964d63e257edb6c66163f1261', null]],
      'dahua-IPC-4K01FD2PAJ6E3FF-DESCRIBE-401-retina-issue62.txt': [['digest', 'Login to 4K01FD2PAJ6E3FF', '203c8d27b595204504dfa65fd22586bd', null]],
      'generic-hisilicon-tcp-av0_0-DESCRIBE-401-cameradar-issue142-nonce-redacted.txt': [['digest', 'RTSPD', 'xxxxxxxxxxxxxxx', null]],
      'hanwha-wisenet-iPOLiS-profile2-media.smp-DESCRIBE-401-cameradar-issue199.txt': [['digest', 'iPOLiS', 'BA2BBD4E602A4CD5E08ACC0896D1234E', null]],
      'hikvision-IPC-C1214-DESCRIBE-401-exoplayer-issue9800-truncated.txt': [
        ['digest', 'IP Camera(C1214)', '0191a41d87c28cd52b3e9c8adc99291c', false],
        ['basic', 'IP Camera(C1214)', undefined, null],
      ],
      'reolink-h264Preview-DESCRIBE-401-cameradar-issue213-nonce-redacted.txt': [['digest', 'LIVE555 Streaming Media', 'yyy', null]],
    };
    const withChallenges = listCaptures('rtsp').filter((file) => /^WWW-Authenticate:/im.test(readCaptureText(`rtsp/${file}`)));
    expect(withChallenges.sort()).toEqual(Object.keys(expected).sort());
    for (const file of withChallenges) {
      // Read the raw lines independently of the head parser.
      const lines = readCaptureText(`rtsp/${file}`)
        .split(/\r?\n/)
        .filter((line) => /^WWW-Authenticate:/i.test(line))
        .map((line) => line.slice(line.indexOf(':') + 1).trim());
      const challenges = parseWwwAuthenticate(lines);
      expect(challenges.map((c) => [c.scheme, c.realm, c.nonce, c.stale]), file).toEqual(expected[file]);
    }
  });
});

describe('parseWwwAuthenticate grammar', () => {
  it('splits several challenges in one header, and keeps several headers in order', () => {
    const one = parseWwwAuthenticate(['Digest realm="x", qop="auth", nonce="n", Basic realm="y"']);
    expect(one.map((c) => [c.scheme, c.realm])).toEqual([['digest', 'x'], ['basic', 'y']]);
    expect(one[0]!.qop).toEqual(['auth']);
    const two = parseWwwAuthenticate(['Digest realm="a", nonce="1"', 'Basic realm="b"', 'Digest realm="c", nonce="3", algorithm=SHA-256']);
    expect(two.map((c) => [c.scheme, c.realm, c.algorithm])).toEqual([['digest', 'a', undefined], ['basic', 'b', undefined], ['digest', 'c', 'SHA-256']]);
  });

  it('handles the RFC 7235 §4.1 example: escaped quotes and an unknown scheme', () => {
    const challenges = parseWwwAuthenticate('Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"');
    expect(challenges.map(summary)).toEqual([
      { scheme: 'newauth', params: { realm: 'apps', type: '1', title: 'Login to "apps"' }, realm: 'apps', qop: [], stale: null },
      { scheme: 'basic', params: { realm: 'simple' }, realm: 'simple', qop: [], stale: null },
    ]);
  });

  it('reads commas inside quotes, qop lists, and escaped backslashes', () => {
    const [c] = parseWwwAuthenticate('Digest realm="a, b \\\\ c", qop="auth,auth-int", nonce="n,1"');
    expect(c!.realm).toBe('a, b \\ c');
    expect(c!.nonce).toBe('n,1');
    expect(c!.qop).toEqual(['auth', 'auth-int']);
  });

  it('is case-insensitive in scheme and keys and uppercases the algorithm', () => {
    const [c] = parseWwwAuthenticate('DIGEST REALM="x", Nonce="n", ALGORITHM=sha-256-sess, QOP="AUTH", STALE=true');
    expect(c).toMatchObject({ scheme: 'digest', realm: 'x', nonce: 'n', algorithm: 'SHA-256-SESS', qop: ['auth'], stale: true });
  });

  it('tolerates stray whitespace, empty list elements and missing spaces after commas', () => {
    const [c, d] = parseWwwAuthenticate('  Digest   realm = "x" ,,  nonce= "n"  ,  stale = TRUE ,Basic realm="y",');
    expect(c).toMatchObject({ scheme: 'digest', realm: 'x', nonce: 'n', stale: true });
    expect(d).toMatchObject({ scheme: 'basic', realm: 'y' });
  });

  it('reads Hikvision\'s first challenge: stale="TRUE" beside a Basic challenge', () => {
    const challenges = parseWwwAuthenticate([
      'Digest qop="auth", realm="IP Camera(C2183)", nonce="4e5449354d7a59334e444d364e6a4d354d6a67324f54493d", stale="TRUE"',
      'Basic realm="IP Camera(C2183)"',
    ]);
    expect(challenges.map((c) => [c.scheme, c.stale])).toEqual([['digest', true], ['basic', null]]);
  });

  it('reads token68 challenges', () => {
    expect(parseWwwAuthenticate('Negotiate YIIGhgYGKwYBBQUCoIIGejCCBnY=').map(summary)).toEqual([
      { scheme: 'negotiate', params: {}, token68: 'YIIGhgYGKwYBBQUCoIIGejCCBnY=', qop: [], stale: null },
    ]);
    expect(parseWwwAuthenticate('Negotiate abc, Basic realm="x"').map((c) => [c.scheme, c.token68, c.realm])).toEqual([
      ['negotiate', 'abc', undefined],
      ['basic', undefined, 'x'],
    ]);
    expect(parseWwwAuthenticate('Bearer').map((c) => c.scheme)).toEqual(['bearer']);
  });

  it('reads userhash, charset and non-boolean stale', () => {
    const [c] = parseWwwAuthenticate('Digest realm="r", nonce="n", charset=UTF-8, userhash=true, stale=maybe');
    expect(c).toMatchObject({ charset: 'UTF-8', userhash: true, stale: null });
    expect(parseWwwAuthenticate('Digest realm="r", userhash=false')[0]!.userhash).toBe(false);
    expect(parseWwwAuthenticate('Digest realm="r"')[0]!.userhash).toBeUndefined();
  });

  it('keeps the first of duplicated params', () => {
    expect(parseWwwAuthenticate('Digest realm="first", realm="second", nonce="n"')[0]!.realm).toBe('first');
  });

  it('treats a __proto__ param as data, not as a prototype', () => {
    const [c] = parseWwwAuthenticate('Digest __proto__="polluted", realm="r"');
    expect(Object.hasOwn(c!.params, '__proto__')).toBe(true);
    expect(c!.params['__proto__']).toBe('polluted');
    expect(c!.realm).toBe('r');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('parseWwwAuthenticate on hostile input', () => {
  it('returns what parsed and never throws on garbage', () => {
    expect(parseWwwAuthenticate([])).toEqual([]);
    expect(parseWwwAuthenticate([''])).toEqual([]);
    expect(parseWwwAuthenticate(['"""'])).toEqual([]);
    expect(parseWwwAuthenticate([',,, ,'])).toEqual([]);
    expect(parseWwwAuthenticate(['= = ='])).toEqual([]);
    expect(parseWwwAuthenticate(['realm="no scheme"'])).toEqual([]);
    expect(parseWwwAuthenticate(['Digest realm="unterminated'])[0]!.realm).toBe('unterminated');
    expect(parseWwwAuthenticate(['Digest realm=x, "junk", nonce=y'])[0]).toMatchObject({ realm: 'x', nonce: 'y' });
    expect(parseWwwAuthenticate([undefined as unknown as string, 'Basic realm="ok"']).map((c) => c.realm)).toEqual(['ok']);
  });

  it('never throws and only yields token schemes, for any input', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 200 }), { maxLength: 4 }), (values) => {
        for (const challenge of parseWwwAuthenticate(values)) {
          expect(challenge.scheme).toMatch(/^[!#$%&'*+.^_`|~0-9a-z-]+$/);
          expect(Array.isArray(challenge.qop)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('drops an over-long header whole instead of cutting its nonce short', () => {
    const long = `Digest realm="r", nonce="${'a'.repeat(MAX_HEADER_CHARS)}"`;
    expect(parseWwwAuthenticate([long, 'Basic realm="short"']).map((c) => c.scheme)).toEqual(['basic']);
  });

  it('bounds params per challenge and challenges per response', () => {
    const params = Array.from({ length: 40 }, (_, i) => `p${i}="${i}"`).join(', ');
    const [c] = parseWwwAuthenticate(`Digest ${params}`);
    expect(Object.keys(c!.params)).toHaveLength(32);
    expect(c!.params['p31']).toBe('31');
    expect(c!.params['p32']).toBeUndefined();
    const many = Array.from({ length: 40 }, (_, i) => `Basic realm="${i}"`);
    expect(parseWwwAuthenticate(many)).toHaveLength(16);
    expect(parseWwwAuthenticate([many.join(', ')])).toHaveLength(16);
  });
});
