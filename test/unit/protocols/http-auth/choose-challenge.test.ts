import { describe, it, expect } from 'vitest';
import { readCapture, readCaptureText } from '../../../support/captures.js';
import { chooseChallenge } from '../../../../src/protocols/http-auth/choose-challenge.js';
import type { ChallengeChoice } from '../../../../src/protocols/http-auth/choose-challenge.js';
import { parseWwwAuthenticate } from '../../../../src/protocols/http-auth/www-authenticate.js';
import { computeDigestAuthorization } from '../../../../src/protocols/http-auth/digest.js';
import { headerValues, parseHttpResponseHead } from '../../../../src/protocols/http-message/http-message.js';

function choose(...headers: string[]): ChallengeChoice {
  return chooseChallenge(parseWwwAuthenticate(headers));
}

function digestChoice(choice: ChallengeChoice): Extract<ChallengeChoice, { kind: 'digest' }> {
  if (choice.kind !== 'digest') throw new Error(`expected a digest choice, got ${JSON.stringify(choice)}`);
  return choice;
}

describe('chooseChallenge', () => {
  it('has nothing to choose without a challenge', () => {
    expect(chooseChallenge([])).toEqual({ kind: 'none' });
  });

  it('answers Hikvision\'s first challenge despite stale="TRUE", and never the Basic beside it', () => {
    const choice = digestChoice(choose(
      'Digest qop="auth", realm="IP Camera(C2183)", nonce="4e5449354d7a59334e444d364e6a4d354d6a67324f54493d", stale="TRUE"',
      'Basic realm="IP Camera(C2183)"',
    ));
    expect(choice.challenge.scheme).toBe('digest');
    expect(choice.challenge.stale).toBe(true);
    expect(choice.algorithm).toBe('MD5');
    expect(choice.qop).toBe('auth');
    // Basic listed first still loses to the Digest (the wrong scheme is a counted failure on Hikvision).
    expect(digestChoice(choose('Basic realm="x"', 'Digest realm="x", nonce="n"')).challenge.scheme).toBe('digest');
  });

  it('takes the first Digest challenge whose algorithm is supported (RFC 7616 §3.7)', () => {
    expect(digestChoice(choose('Digest realm="r", nonce="1", algorithm=SHA-256, qop="auth"', 'Digest realm="r", nonce="2", algorithm=MD5, qop="auth"')).algorithm).toBe('SHA-256');
    expect(digestChoice(choose('Digest realm="r", nonce="1", algorithm=MD5, qop="auth"', 'Digest realm="r", nonce="2", algorithm=SHA-256, qop="auth"')).algorithm).toBe('MD5');
    const skipped = digestChoice(choose('Digest realm="r", nonce="1", algorithm=SHA3-256, qop="auth"', 'Digest realm="r", nonce="2", algorithm=sha-512-256-sess, qop="auth"'));
    expect(skipped.algorithm).toBe('SHA-512-256-SESS');
    expect(skipped.challenge.nonce).toBe('2');
  });

  it('treats an absent algorithm as MD5 and an absent qop as RFC 2069', () => {
    const choice = digestChoice(choose('Digest realm="Login to D12A163300000656", nonce="1f75a67964d63e257edb6c66163f1261"'));
    expect(choice.algorithm).toBe('MD5');
    expect(choice.qop).toBeNull();
  });

  it('refuses a challenge that offers only auth-int, but takes a later one with auth', () => {
    const only = choose('Digest realm="r", nonce="n", qop="auth-int"');
    expect(only.kind).toBe('unsupported');
    expect(only.kind === 'unsupported' && only.reason).toMatch(/auth-int/);
    expect(digestChoice(choose('Digest realm="r", nonce="1", qop="auth-int"', 'Digest realm="r", nonce="2", qop="auth-int,auth"')).challenge.nonce).toBe('2');
  });

  it('refuses Digest challenges it could not answer: unknown algorithm, no nonce, control characters', () => {
    expect(choose('Digest realm="r", nonce="n", algorithm=SHA-1').kind).toBe('unsupported');
    expect(choose('Digest realm="TiVo DVR"').kind).toBe('unsupported');
    expect(choose('Digest realm="r", nonce="n", algorithm=MD5-sess').kind).toBe('unsupported');
    expect(choose('Digest realm="r", nonce=""').kind).toBe('unsupported');
    expect(choose('Digest nonce="n"').kind).toBe('unsupported');
    expect(choose('Digest realm="r\r\nX: y", nonce="n"').kind).toBe('unsupported');
  });

  it('reports Basic-only devices, and other schemes as unsupported', () => {
    expect(choose('Basic realm="DVR"')).toEqual({ kind: 'basic-only' });
    const bearer = choose('Bearer realm="api"', 'Negotiate');
    expect(bearer).toEqual({ kind: 'unsupported', reason: 'no Digest challenge; offered: bearer, negotiate' });
  });

  it('classifies every recog camera example', () => {
    const kinds = readCaptureText('http-auth/recog-camera-WWW-Authenticate-header-values.txt')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'))
      .map((line) => choose(line).kind);
    expect(kinds).toEqual([
      'basic-only', 'basic-only', 'basic-only', 'basic-only', 'basic-only', 'basic-only', 'basic-only', 'basic-only', 'basic-only',
      'digest', // D-Link DCS-932LB1
      'basic-only', // TP-LINK
      'unsupported', // TiVo: the example carries no nonce
      'digest', 'digest', 'digest', 'digest',
    ]);
  });

  it('chooses the captured challenges, and the choice can be answered', () => {
    const nvr = parseHttpResponseHead(readCapture('http-auth/hikvision-NVR-ERI-K104-P4-ISAPI-System-status-401-full-hikvision_next-issue50.txt'));
    const choice = digestChoice(chooseChallenge(parseWwwAuthenticate(headerValues(nvr.headers, 'www-authenticate'))));
    expect(choice.challenge.realm).toBe('fe12f37bdXXXXXbccbbd35f1');
    expect(() => computeDigestAuthorization({ challenge: choice.challenge, username: 'u', password: 'p', method: 'GET', uri: '/ISAPI/System/status', cnonce: 'c' })).not.toThrow();

    const axis = JSON.parse(readCaptureText('http-auth/axis-ACCC8E494578-onvif-cgi-jpg-401-headers-node-onvif-issue40.json')) as Record<string, string>;
    expect(digestChoice(choose(axis['www-authenticate']!)).challenge.realm).toBe('AXIS_WS_ACCC8E494578');

    const dahua = parseHttpResponseHead(readCapture('http-auth/dahua-IPC-HFW4300S-V2-fw2.420-magicBox-cgi-401-partial-rroller-issue583.txt'));
    expect(chooseChallenge(parseWwwAuthenticate(headerValues(dahua.headers, 'www-authenticate')))).toEqual({ kind: 'basic-only' });
  });
});
