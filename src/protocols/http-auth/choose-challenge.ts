/**
 * Which challenge gets the one credentialed request (docs/SAFETY.md S2, S4; docs/FIELD-NOTES.md §5).
 */
import { SESS_WITHOUT_QOP, hasControlCharacter, toDigestAlgorithm } from './digest.js';
import type { DigestAlgorithm } from './digest.js';
import type { Challenge } from './www-authenticate.js';

export type ChallengeChoice =
  | { kind: 'digest'; challenge: Challenge; algorithm: DigestAlgorithm; qop: 'auth' | null }
  /** Only Basic was offered: never answered over plain HTTP (S4), so the device is skipped with this reason. */
  | { kind: 'basic-only' }
  /** No challenge at all (no WWW-Authenticate, or nothing parseable in it). */
  | { kind: 'none' }
  | { kind: 'unsupported'; reason: string };

/**
 * RFC 7616 §3.7: a device lists challenges in its order of preference and the client uses the first one it
 * supports. A Digest challenge counts when its algorithm is ours (absent = MD5), it offers qop `auth` or no qop
 * at all (RFC 2069; not with a -sess algorithm), and it carries a realm and a nonce we can echo safely. A challenge offering only
 * `auth-int` is not answered.
 *
 * `stale` is ignored on purpose: Hikvision sends `stale="TRUE"` on a FIRST challenge, and stale only matters
 * for a retry, which never happens (S2). A Basic challenge beside a Digest one (Hikvision sends both) is never
 * chosen — answering the wrong scheme is itself a counted failure on Hikvision (docs/FIELD-NOTES.md §2).
 */
export function chooseChallenge(challenges: readonly Challenge[]): ChallengeChoice {
  if (challenges.length === 0) return { kind: 'none' };
  const reasons: string[] = [];
  for (const challenge of challenges) {
    if (challenge.scheme !== 'digest') continue;
    const algorithm = toDigestAlgorithm(challenge.algorithm);
    if (!algorithm) {
      reasons.push(`Digest algorithm ${challenge.algorithm ?? ''} is not supported`);
      continue;
    }
    let qop: 'auth' | null;
    if (challenge.qop.length === 0) qop = null;
    else if (challenge.qop.includes('auth')) qop = 'auth';
    else {
      reasons.push(`Digest ${algorithm} offers only qop=${challenge.qop.join(',')}`);
      continue;
    }
    if (qop === null && algorithm.endsWith('-SESS')) {
      reasons.push(`Digest ${algorithm}: ${SESS_WITHOUT_QOP}`);
      continue;
    }
    if (challenge.realm === undefined || challenge.nonce === undefined || challenge.nonce === '') {
      reasons.push(`Digest ${algorithm} challenge lacks a realm or nonce`);
      continue;
    }
    if ([challenge.realm, challenge.nonce, challenge.opaque ?? ''].some(hasControlCharacter)) {
      reasons.push(`Digest ${algorithm} challenge carries control characters`);
      continue;
    }
    return { kind: 'digest', challenge, algorithm, qop };
  }
  if (reasons.length > 0) return { kind: 'unsupported', reason: reasons.join('; ') };
  if (challenges.some((c) => c.scheme === 'basic')) return { kind: 'basic-only' };
  const schemes = [...new Set(challenges.map((c) => c.scheme))].join(', ');
  return { kind: 'unsupported', reason: `no Digest challenge; offered: ${schemes}` };
}
