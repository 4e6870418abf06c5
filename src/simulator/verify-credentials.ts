/**
 * Server-side credential checks for the simulator, written independently of the client codecs in
 * src/protocols/ on purpose: a bug in our Digest or UsernameToken encoder must fail against these, not be
 * mirrored by them.
 */
import { createHash } from 'node:crypto';

export type CredentialCheck =
  | { ok: true; username: string }
  | { ok: false; username: string | null; reason: 'bad-password' | 'bad-user' | 'bad-nonce' | 'stale-token' | 'malformed' | 'wrong-scheme' };

function hashFor(algorithm: string): (text: string) => string {
  const base = algorithm.toUpperCase().replace(/-SESS$/, '');
  const name = base === 'SHA-256' ? 'sha256' : base === 'SHA-512-256' ? 'sha512-256' : 'md5';
  return (text) => createHash(name).update(text, 'utf8').digest('hex');
}

/** Parse `Digest k=v, k="v"` auth-params (RFC 7235 §2.1). */
export function parseAuthParams(value: string): Record<string, string> {
  const params: Record<string, string> = {};
  const re = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(value)) !== null) {
    params[match[1]!.toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
  }
  return params;
}

export function verifyDigest(options: {
  header: string;
  method: string;
  realm: string;
  username: string;
  password: string;
  issuedNonces: Set<string>;
}): CredentialCheck {
  const [scheme] = options.header.trim().split(/\s+/, 1);
  if (scheme?.toLowerCase() !== 'digest') return { ok: false, username: null, reason: 'wrong-scheme' };
  const p = parseAuthParams(options.header.slice(scheme.length));
  const username = p['username'] ?? null;
  if (!username || !p['nonce'] || !p['uri'] || !p['response']) return { ok: false, username, reason: 'malformed' };
  if (!options.issuedNonces.has(p['nonce'])) return { ok: false, username, reason: 'bad-nonce' };
  if (p['realm'] !== options.realm) return { ok: false, username, reason: 'malformed' };
  const algorithm = p['algorithm'] ?? 'MD5';
  const H = hashFor(algorithm);
  let ha1 = H(`${username}:${options.realm}:${options.password}`);
  if (/-sess$/i.test(algorithm)) ha1 = H(`${ha1}:${p['nonce']}:${p['cnonce'] ?? ''}`);
  const ha2 = H(`${options.method}:${p['uri']}`);
  const expected = p['qop'] ? H(`${ha1}:${p['nonce']}:${p['nc']}:${p['cnonce']}:${p['qop']}:${ha2}`) : H(`${ha1}:${p['nonce']}:${ha2}`);
  if (username !== options.username) return { ok: false, username, reason: 'bad-user' };
  return expected === p['response'] ? { ok: true, username } : { ok: false, username, reason: 'bad-password' };
}

/** ONVIF / WS-Security UsernameToken PasswordDigest check against the device's own clock. */
export function verifyUsernameToken(options: {
  envelope: string;
  username: string;
  password: string;
  deviceNowMs: number;
  windowMs: number;
}): CredentialCheck | null {
  const token = /<(?:[\w-]+:)?UsernameToken[\s>][\s\S]*?<\/(?:[\w-]+:)?UsernameToken>/.exec(options.envelope)?.[0];
  if (!token) return null;
  const field = (name: string): string | undefined => new RegExp(`<(?:[\\w-]+:)?${name}(?:\\s[^>]*)?>([^<]*)<`).exec(token)?.[1]?.trim();
  const username = field('Username') ?? null;
  const digest = field('Password');
  const nonce = field('Nonce');
  const created = field('Created');
  if (!username || !digest || !nonce || !created) return { ok: false, username, reason: 'malformed' };
  const createdMs = Date.parse(created);
  if (Number.isNaN(createdMs)) return { ok: false, username, reason: 'malformed' };
  const expected = createHash('sha1')
    .update(Buffer.concat([Buffer.from(nonce, 'base64'), Buffer.from(created, 'utf8'), Buffer.from(options.password, 'utf8')]))
    .digest('base64');
  if (username !== options.username) return { ok: false, username, reason: 'bad-user' };
  if (expected !== digest) return { ok: false, username, reason: 'bad-password' };
  // Replay protection checks Created against the device clock (docs/FIELD-NOTES.md §2, Axis; §5 windows of 5 s to ±300 s).
  if (Math.abs(createdMs - options.deviceNowMs) > options.windowMs) return { ok: false, username, reason: 'stale-token' };
  return { ok: true, username };
}
