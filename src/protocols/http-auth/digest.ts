/**
 * HTTP Digest (RFC 7616, and RFC 2069 for devices that send no qop). Pure: the cnonce is a parameter, so the
 * Authorization value is deterministic under test. There is deliberately no Basic counterpart here: Basic over
 * plain HTTP hands the password to anyone on the path (docs/SAFETY.md S4).
 */
import { createHash } from 'node:crypto';
import type { Challenge } from './www-authenticate.js';
import { CodecError } from '../codec-error.js';

export type DigestAlgorithm = 'MD5' | 'MD5-SESS' | 'SHA-256' | 'SHA-256-SESS' | 'SHA-512-256' | 'SHA-512-256-SESS';

export const SUPPORTED_DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['MD5', 'MD5-SESS', 'SHA-256', 'SHA-256-SESS', 'SHA-512-256', 'SHA-512-256-SESS'];

export type DigestErrorCode = 'digest-unsupported-algorithm' | 'digest-unsupported-qop' | 'digest-missing-field' | 'digest-invalid-input';

/** A caller fault (a challenge that chooseChallenge would not have chosen, or input that would break the header). */
export class DigestError extends CodecError<DigestErrorCode> {}

/** Uppercased algorithm name → a supported algorithm, or null. RFC 7616 §3.3: absent means MD5. */
export function toDigestAlgorithm(name: string | undefined): DigestAlgorithm | null {
  const upper = (name ?? 'MD5').trim().toUpperCase();
  return (SUPPORTED_DIGEST_ALGORITHMS as readonly string[]).includes(upper) ? (upper as DigestAlgorithm) : null;
}

/** RFC 7616 §3.2: SHA-512-256 is SHA-512/256 (FIPS 180-4), not SHA-512 cut in half. */
function hashFor(algorithm: DigestAlgorithm): (text: string) => string {
  const base = algorithm.replace(/-SESS$/, '');
  const name = base === 'SHA-256' ? 'sha256' : base === 'SHA-512-256' ? 'sha512-256' : 'md5';
  // UTF-8 for every string: what RFC 7616 §4 prescribes with charset=UTF-8 and what cameras use in practice.
  return (text) => createHash(name).update(text, 'utf8').digest('hex');
}

/**
 * A -sess HA1 needs the cnonce, but without qop no cnonce is sent (RFC 2617 §3.2.2): the device's expectation is
 * unknowable, and a guess costs the one attempt.
 */
export const SESS_WITHOUT_QOP = '-sess algorithm without qop (no cnonce to send)';

/** The qop we answer with: `auth` when offered (RFC 7616 §3.7 prefers it); none for an RFC 2069 challenge. */
export function chooseQop(challenge: Pick<Challenge, 'qop'>): 'auth' | null {
  if (challenge.qop.length === 0) return null;
  if (challenge.qop.includes('auth')) return 'auth';
  throw new DigestError('digest-unsupported-qop', `qop ${challenge.qop.join(',')} offered without "auth"`);
}

export interface DigestInput {
  challenge: Challenge;
  username: string;
  password: string;
  method: string;
  /** The request-target exactly as it goes on the request line (RFC 7616 §3.4: the device compares them). */
  uri: string;
  /** Client nonce, from the caller's randomness (hex or base64 text). */
  cnonce: string;
  /** Nonce count; a fresh challenge is always answered with 1. */
  nc?: number;
}

/** CR, LF and the other controls would end or split the header line they are echoed into. */
export function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * The full `Digest …` Authorization value for one challenge (RFC 7616 §3.4). With qop: `response =
 * H(HA1:nonce:nc:cnonce:qop:HA2)`; without (RFC 2069, old devices): `H(HA1:nonce:HA2)` and no nc/cnonce/qop.
 * `-sess` variants use `HA1 = H(H(user:realm:pass):nonce:cnonce)`. `opaque` is echoed whenever the challenge
 * had one, even empty (Hikvision and Bosch send `opaque=""`; RFC 7616 §3.4: return it unchanged); `algorithm` is echoed as the device spelled
 * it whenever it sent one. With `userhash=true` the username is `H(user:realm)` (RFC 7616 §3.4.4). A non-ASCII
 * username goes as UTF-8 inside the quoted string, as browsers and curl send it, not as RFC 7616 `username*`.
 */
export function computeDigestAuthorization(input: DigestInput): string {
  const { challenge } = input;
  if (challenge.scheme !== 'digest') throw new DigestError('digest-invalid-input', `not a Digest challenge: ${challenge.scheme}`);
  const algorithm = toDigestAlgorithm(challenge.algorithm);
  if (!algorithm) throw new DigestError('digest-unsupported-algorithm', `unsupported Digest algorithm ${challenge.algorithm ?? ''}`);
  const realm = challenge.realm;
  const nonce = challenge.nonce;
  if (realm === undefined || nonce === undefined || nonce === '') throw new DigestError('digest-missing-field', 'challenge without realm or nonce');
  const qop = chooseQop(challenge);
  if (qop === null && algorithm.endsWith('-SESS')) throw new DigestError('digest-unsupported-qop', SESS_WITHOUT_QOP);
  const nc = input.nc ?? 1;
  if (!Number.isInteger(nc) || nc < 1 || nc > 0xffffffff) throw new DigestError('digest-invalid-input', `nonce count out of range: ${nc}`);
  if (qop !== null && !/^[\x21-\x7e]{1,256}$/.test(input.cnonce)) throw new DigestError('digest-invalid-input', 'cnonce must be 1-256 visible ASCII characters');
  if (input.cnonce.includes('"') || input.cnonce.includes('\\')) throw new DigestError('digest-invalid-input', 'cnonce must not need quoting');
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/.test(input.method)) throw new DigestError('digest-invalid-input', 'method is not a token');
  for (const [name, value] of [['username', input.username], ['uri', input.uri], ['realm', realm], ['nonce', nonce], ['opaque', challenge.opaque ?? '']] as const) {
    if (hasControlCharacter(value)) throw new DigestError('digest-invalid-input', `${name} contains a control character`);
  }
  if (input.uri === '') throw new DigestError('digest-invalid-input', 'empty uri');

  const H = hashFor(algorithm);
  const ncText = nc.toString(16).padStart(8, '0');
  let ha1 = H(`${input.username}:${realm}:${input.password}`);
  if (algorithm.endsWith('-SESS')) ha1 = H(`${ha1}:${nonce}:${input.cnonce}`);
  const ha2 = H(`${input.method}:${input.uri}`);
  const response = qop === null ? H(`${ha1}:${nonce}:${ha2}`) : H(`${ha1}:${nonce}:${ncText}:${input.cnonce}:${qop}:${ha2}`);

  const userhash = challenge.userhash === true;
  const parts = [
    `username=${quote(userhash ? H(`${input.username}:${realm}`) : input.username)}`,
    `realm=${quote(realm)}`,
    `uri=${quote(input.uri)}`,
  ];
  if (challenge.algorithm !== undefined) parts.push(`algorithm=${algorithmAsSent(challenge)}`);
  parts.push(`nonce=${quote(nonce)}`);
  if (qop !== null) parts.push(`nc=${ncText}`, `cnonce=${quote(input.cnonce)}`, `qop=${qop}`);
  parts.push(`response=${quote(response)}`);
  if (challenge.opaque !== undefined) parts.push(`opaque=${quote(challenge.opaque)}`);
  if (userhash) parts.push('userhash=true');
  return `Digest ${parts.join(', ')}`;
}

/** RFC 7230 §3.2.6 quoted-string: backslash-escape `"` and `\`. */
function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The device's own spelling (a token, never quoted: RFC 7616 §3.4), falling back to the canonical name. */
function algorithmAsSent(challenge: Challenge): string {
  const raw = challenge.params['algorithm']?.trim() ?? '';
  return /^[A-Za-z0-9-]{1,32}$/.test(raw) ? raw : (challenge.algorithm ?? 'MD5');
}
