import { describe, it, expect } from 'vitest';
import { childElement, findElement, parseXml } from '../../../../src/protocols/xml/parse-xml.js';
import {
  BASE64_BINARY_ENCODING,
  PASSWORD_DIGEST_TYPE,
  WSSE_NAMESPACE,
  WSU_NAMESPACE,
  WsseError,
  buildUsernameToken,
  computePasswordDigest,
  parseUsernameToken,
  verifyUsernameToken,
} from '../../../../src/protocols/wsse/username-token.js';
import type { UsernameTokenInput } from '../../../../src/protocols/wsse/username-token.js';
// Written separately from this codec on purpose (see its header): an independent server-side check.
import { verifyUsernameToken as simulatorVerify } from '../../../../src/simulator/verify-credentials.js';

// ONVIF Application Programmer's Guide §6.1.1.3, the worked PasswordDigest example.
const GUIDE_NONCE = 'LKqI6G/AikKCQrN0zqZFlg==';
const GUIDE_CREATED = '2010-09-16T07:50:45Z';
const GUIDE_PASSWORD = 'userpassword';
const GUIDE_DIGEST = 'tuOSpGlFlIXsozq4HFNeeGeFLEI=';

const NONCE = Uint8Array.from([0x9a, 0x01, 0x7f, 0x44, 0xc2, 0x10, 0x00, 0xff, 0x3e, 0x5d, 0x61, 0x8b, 0x02, 0xe7, 0x90, 0x11]);
const CREATED = new Date('2026-11-24T10:00:02.950Z');
const INPUT: UsernameTokenInput = { username: 'admin', password: 'Secret, or not?', nonce: NONCE, created: CREATED };

function wsseErrorOf(input: UsernameTokenInput): WsseError {
  try {
    buildUsernameToken(input);
  } catch (error) {
    if (error instanceof WsseError) return error;
    throw error;
  }
  throw new Error('expected a WsseError');
}

function envelope(header: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header>' +
    header +
    '</s:Header><s:Body><GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>'
  );
}

describe('computePasswordDigest', () => {
  it('reproduces the ONVIF Application Programmer\'s Guide example', () => {
    expect(computePasswordDigest(Buffer.from(GUIDE_NONCE, 'base64'), GUIDE_CREATED, GUIDE_PASSWORD)).toBe(GUIDE_DIGEST);
  });

  it('hashes the nonce BYTES, not their base64 text', () => {
    expect(computePasswordDigest(Buffer.from(GUIDE_NONCE, 'utf8'), GUIDE_CREATED, GUIDE_PASSWORD)).not.toBe(GUIDE_DIGEST);
  });
});

describe('buildUsernameToken', () => {
  it('writes Created in UTC with milliseconds and Z, and the digest over exactly that text', () => {
    const token = buildUsernameToken(INPUT);
    expect(token.createdText).toBe('2026-11-24T10:00:02.950Z');
    expect(buildUsernameToken({ ...INPUT, created: new Date(Date.UTC(2026, 10, 24, 10, 0, 2)) }).createdText).toBe('2026-11-24T10:00:02.000Z');
    expect(token.nonceBase64).toBe(Buffer.from(NONCE).toString('base64'));
    expect(token.digest).toBe(computePasswordDigest(NONCE, '2026-11-24T10:00:02.950Z', INPUT.password));
  });

  it('encodes the guide\'s nonce as the guide does, and always adds milliseconds to Created', () => {
    const token = buildUsernameToken({ username: 'user', password: GUIDE_PASSWORD, nonce: Buffer.from(GUIDE_NONCE, 'base64'), created: new Date(GUIDE_CREATED) });
    // The guide's Created has no milliseconds; ours always does, so the digest differs by design.
    expect(token.createdText).toBe('2010-09-16T07:50:45.000Z');
    expect(token.nonceBase64).toBe(GUIDE_NONCE);
    expect(token.digest).not.toBe(GUIDE_DIGEST);
  });

  it('builds a well-formed Security header with the profile\'s namespaces, types and mustUnderstand', () => {
    const { headerXml, digest, nonceBase64, createdText } = buildUsernameToken(INPUT);
    expect(headerXml).toContain(`xmlns:wsse="${WSSE_NAMESPACE}"`);
    expect(headerXml).toContain(`xmlns:wsu="${WSU_NAMESPACE}"`);
    expect(headerXml).toContain('s:mustUnderstand="1"');
    expect(headerXml).toContain(`<wsse:Password Type="${PASSWORD_DIGEST_TYPE}">${digest}</wsse:Password>`);
    expect(headerXml).toContain(`<wsse:Nonce EncodingType="${BASE64_BINARY_ENCODING}">${nonceBase64}</wsse:Nonce>`);
    expect(headerXml).toContain(`<wsu:Created>${createdText}</wsu:Created>`);
    const security = parseXml(headerXml);
    expect(security.name).toBe('Security');
    expect(security.attributes['mustUnderstand']).toBe('1');
    const token = childElement(security, 'UsernameToken')!;
    expect(token.children.map((c) => c.name)).toEqual(['Username', 'Password', 'Nonce', 'Created']);
    // Well-formed inside an envelope too.
    expect(findElement(parseXml(envelope(headerXml)), 'UsernameToken')).toBeDefined();
  });

  it('never carries the password itself', () => {
    expect(buildUsernameToken({ ...INPUT, password: 'hunter2-very-secret' }).headerXml).not.toContain('hunter2');
  });

  it('escapes the username for XML', () => {
    const { headerXml } = buildUsernameToken({ ...INPUT, username: 'a<b&c"d' });
    expect(headerXml).toContain('<wsse:Username>a&lt;b&amp;c&quot;d</wsse:Username>');
    expect(parseUsernameToken(headerXml)?.username).toBe('a<b&c"d');
  });

  it('is deterministic, and every input changes the digest', () => {
    const base = buildUsernameToken(INPUT).digest;
    expect(buildUsernameToken(INPUT).digest).toBe(base);
    const nonce = Uint8Array.from(NONCE);
    nonce[0] = nonce[0]! ^ 1;
    expect(buildUsernameToken({ ...INPUT, nonce }).digest).not.toBe(base);
    expect(buildUsernameToken({ ...INPUT, created: new Date(CREATED.getTime() + 1) }).digest).not.toBe(base);
    expect(buildUsernameToken({ ...INPUT, password: `${INPUT.password}!` }).digest).not.toBe(base);
    // The username is not part of the digest (UsernameToken Profile §3.1).
    expect(buildUsernameToken({ ...INPUT, username: 'other' }).digest).toBe(base);
  });

  it('refuses input that cannot make a valid token', () => {
    expect(wsseErrorOf({ ...INPUT, nonce: new Uint8Array(0) }).code).toBe('wsse-invalid-nonce');
    expect(wsseErrorOf({ ...INPUT, nonce: new Uint8Array(65) }).code).toBe('wsse-invalid-nonce');
    expect(wsseErrorOf({ ...INPUT, created: new Date('not a date') }).code).toBe('wsse-invalid-created');
    expect(wsseErrorOf({ ...INPUT, created: new Date(Date.UTC(10000, 0, 1)) }).code).toBe('wsse-invalid-created');
    expect(wsseErrorOf({ ...INPUT, username: '' }).code).toBe('wsse-invalid-username');
    expect(wsseErrorOf({ ...INPUT, username: 'ad\u0001min' }).code).toBe('wsse-invalid-username');
  });
});

describe('verifyUsernameToken (the simulator side)', () => {
  const now = CREATED.getTime();

  it('accepts the ONVIF guide\'s example token, written by hand, at its own time', () => {
    const xml =
      '<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" ' +
      'xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">' +
      '<wsse:UsernameToken><wsse:Username>user</wsse:Username>' +
      '<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">tuOSpGlFlIXsozq4HFNeeGeFLEI=</wsse:Password>' +
      '<wsse:Nonce>LKqI6G/AikKCQrN0zqZFlg==</wsse:Nonce><wsu:Created>2010-09-16T07:50:45Z</wsu:Created></wsse:UsernameToken></wsse:Security>';
    expect(verifyUsernameToken(envelope(xml), GUIDE_PASSWORD, Date.parse(GUIDE_CREATED), 5000)).toEqual({ ok: true, username: 'user' });
    expect(verifyUsernameToken(envelope(xml), 'wrong', Date.parse(GUIDE_CREATED), 5000)).toEqual({ ok: false, reason: 'bad-digest', username: 'user' });
  });

  it('accepts our own token within the window, in an envelope, bare, or pre-parsed', () => {
    const { headerXml } = buildUsernameToken(INPUT);
    expect(verifyUsernameToken(envelope(headerXml), INPUT.password, now + 4000, 5000)).toEqual({ ok: true, username: 'admin' });
    expect(verifyUsernameToken(headerXml, INPUT.password, now - 4000, 5000)).toEqual({ ok: true, username: 'admin' });
    expect(verifyUsernameToken(parseXml(envelope(headerXml)), INPUT.password, now, 5000).ok).toBe(true);
    expect(verifyUsernameToken(parseUsernameToken(headerXml)!, INPUT.password, now, 5000).ok).toBe(true);
  });

  it('and so does the simulator\'s independent check', () => {
    const { headerXml } = buildUsernameToken(INPUT);
    expect(simulatorVerify({ envelope: envelope(headerXml), username: 'admin', password: INPUT.password, deviceNowMs: now, windowMs: 5000 })).toEqual({ ok: true, username: 'admin' });
  });

  it('tells a wrong password from a late token', () => {
    const { headerXml } = buildUsernameToken(INPUT);
    expect(verifyUsernameToken(headerXml, 'wrong', now, 5000)).toEqual({ ok: false, reason: 'bad-digest', username: 'admin' });
    expect(verifyUsernameToken(headerXml, INPUT.password, now + 5001, 5000)).toEqual({ ok: false, reason: 'stale', username: 'admin' });
    expect(verifyUsernameToken(headerXml, INPUT.password, now - 3_600_000, 5000)).toEqual({ ok: false, reason: 'stale', username: 'admin' });
  });

  it('reports a request without a token as missing', () => {
    expect(verifyUsernameToken(envelope(''), 'x', now, 5000)).toEqual({ ok: false, reason: 'missing', username: null });
    expect(parseUsernameToken(envelope(''))).toBeNull();
  });

  it('reports malformed tokens as bad-format', () => {
    const { headerXml, digest } = buildUsernameToken(INPUT);
    const variants = [
      '<not xml',
      headerXml.replace(`Type="${PASSWORD_DIGEST_TYPE}"`, 'Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"'),
      headerXml.replace(` Type="${PASSWORD_DIGEST_TYPE}"`, ''),
      headerXml.replace(/<wsu:Created>[^<]*<\/wsu:Created>/, ''),
      headerXml.replace(/<wsu:Created>[^<]*</, '<wsu:Created>yesterday<'),
      headerXml.replace(/<wsu:Created>[^<]*</, '<wsu:Created>2026-11-24T10:00:02<'),
      headerXml.replace(/<wsse:Nonce [^>]*>[^<]*</, '<wsse:Nonce>not base64!<'),
      headerXml.replace(`EncodingType="${BASE64_BINARY_ENCODING}"`, 'EncodingType="hex"'),
      headerXml.replace(digest, ''),
      headerXml.replace(/<wsse:Username>[^<]*</, '<wsse:Username><'),
    ];
    for (const variant of variants) {
      expect(verifyUsernameToken(variant, INPUT.password, now, 5000).ok, variant).toBe(false);
      expect(verifyUsernameToken(variant, INPUT.password, now, 5000), variant).toMatchObject({ reason: 'bad-format' });
    }
  });
});
