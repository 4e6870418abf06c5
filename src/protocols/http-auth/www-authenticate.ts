/**
 * WWW-Authenticate (RFC 7235 §4.1): one header may carry several challenges and a response may carry several
 * headers. Cameras stretch the grammar — unquoted `stale=FALSE` and `algorithm=MD5` (Axis, Bosch), no space after
 * commas (D-Link, Bosch), quoted `algorithm="MD5"` and `stale="TRUE"` (Hikvision) — so this parser is lenient
 * about form and strict about bounds. It never throws: garbage yields the challenges that parsed before it.
 */

export interface Challenge {
  /** Lowercased auth-scheme: 'digest', 'basic', 'bearer', or whatever else was offered. */
  scheme: string;
  /** Every auth-param, keys lowercased, values unquoted and unescaped; first occurrence wins. */
  params: Record<string, string>;
  /** RFC 7235 §2.1 token68 form (e.g. `Negotiate YIIG…`), when the challenge used it instead of params. */
  token68?: string;
  realm?: string;
  nonce?: string;
  /** Present (possibly empty) exactly when the challenge carried it: RFC 7616 §3.4 says echo it unchanged. */
  opaque?: string;
  /** Uppercased ("MD5", "SHA-256", "MD5-SESS"); absent when the challenge named none (RFC 7616: means MD5). */
  algorithm?: string;
  /** The qop options, lowercased, in the device's order; empty for RFC 2069 challenges without qop. */
  qop: string[];
  /** null when absent or not a boolean. */
  stale: boolean | null;
  domain?: string;
  charset?: string;
  userhash?: boolean;
}

/** A longer header is not a camera's challenge; dropped whole (a cut-off nonce would cost the one attempt). */
export const MAX_HEADER_CHARS = 8 * 1024;
const MAX_HEADERS = 16;
const MAX_CHALLENGES = 16;
const MAX_PARAMS = 32;

const TOKEN_CHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
const WHITESPACE = /[ \t]/;

/** Parse every challenge from every WWW-Authenticate value, in order. */
export function parseWwwAuthenticate(headerValues: readonly string[] | string): Challenge[] {
  const values = typeof headerValues === 'string' ? [headerValues] : headerValues;
  const challenges: Challenge[] = [];
  for (const value of values.slice(0, MAX_HEADERS)) {
    if (typeof value !== 'string' || value.length > MAX_HEADER_CHARS) continue;
    for (const challenge of parseOneHeader(value)) {
      if (challenges.length >= MAX_CHALLENGES) return challenges;
      challenges.push(challenge);
    }
  }
  return challenges;
}

interface RawChallenge {
  scheme: string;
  params: Record<string, string>;
  token68?: string;
}

class Cursor {
  position = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string {
    return this.text.charAt(this.position);
  }

  skipWhitespace(): void {
    while (!this.done && WHITESPACE.test(this.peek())) this.position++;
  }

  readToken(): string {
    const start = this.position;
    while (!this.done && TOKEN_CHAR.test(this.peek())) this.position++;
    return this.text.slice(start, this.position);
  }

  /** RFC 7230 §3.2.6 quoted-string; an unterminated one runs to the end (lenient, and bounded by the header). */
  readQuoted(): string {
    this.position++;
    let value = '';
    while (!this.done) {
      const char = this.peek();
      this.position++;
      if (char === '"') return value;
      if (char === '\\' && !this.done) {
        value += this.peek();
        this.position++;
      } else {
        value += char;
      }
    }
    return value;
  }

  /** An unquoted value: everything up to the next comma, trimmed (devices put `/`, `:` and `=` in them). */
  readBareValue(): string {
    const start = this.position;
    while (!this.done && this.peek() !== ',') this.position++;
    return this.text.slice(start, this.position).trim();
  }

  skipPastComma(): void {
    while (!this.done && this.peek() !== ',') this.position++;
    if (!this.done) this.position++;
  }
}

function parseOneHeader(value: string): Challenge[] {
  const cursor = new Cursor(value);
  const out: Challenge[] = [];
  while (!cursor.done && out.length < MAX_CHALLENGES) {
    cursor.skipWhitespace();
    if (cursor.peek() === ',') {
      cursor.position++;
      continue;
    }
    if (cursor.done) break;
    const scheme = cursor.readToken();
    const afterScheme = cursor.position;
    cursor.skipWhitespace();
    // No token at all, or a param with no scheme before it (`realm="x"` alone): not a challenge.
    if (scheme === '' || cursor.peek() === '=') {
      cursor.skipPastComma();
      continue;
    }
    cursor.position = afterScheme;
    const raw: RawChallenge = { scheme: scheme.toLowerCase(), params: Object.create(null) as Record<string, string> };
    readChallengeBody(cursor, raw);
    out.push(toChallenge(raw));
  }
  return out;
}

/**
 * After the scheme: either a token68 or a comma-separated auth-param list. A bare token followed by whitespace
 * and another token (or by nothing) starts the next challenge — that is how `Digest …, Basic realm="y"` splits.
 */
function readChallengeBody(cursor: Cursor, raw: RawChallenge): void {
  cursor.skipWhitespace();
  const token68 = tryToken68(cursor);
  if (token68 !== null) {
    raw.token68 = token68;
    return;
  }
  let count = 0;
  while (!cursor.done) {
    const before = cursor.position;
    cursor.skipWhitespace();
    if (cursor.peek() === ',') {
      cursor.position++;
      continue;
    }
    if (cursor.done) return;
    const name = cursor.readToken();
    if (name === '') {
      // A character that cannot start a param (a stray quote, a control character): skip to the next element.
      cursor.skipPastComma();
      continue;
    }
    cursor.skipWhitespace();
    if (cursor.peek() !== '=') {
      cursor.position = before;
      return;
    }
    cursor.position++;
    cursor.skipWhitespace();
    const paramValue = cursor.peek() === '"' ? cursor.readQuoted() : cursor.readBareValue();
    const key = name.toLowerCase();
    if (count < MAX_PARAMS && !Object.hasOwn(raw.params, key)) {
      raw.params[key] = paramValue;
      count++;
    }
  }
}

/**
 * token68 only directly after the scheme, and only when it is the whole element (up to a comma or the end).
 * `realm=x` never matches: token68 allows `=` only as trailing padding.
 */
function tryToken68(cursor: Cursor): string | null {
  const rest = cursor.text.slice(cursor.position);
  const element = /^[^\s,]+/.exec(rest)?.[0];
  if (!element || !TOKEN68.test(element)) return null;
  if (!/^\s*(,|$)/.test(rest.slice(element.length))) return null;
  cursor.position += element.length;
  return element;
}

function toChallenge(raw: RawChallenge): Challenge {
  const p = raw.params;
  const challenge: Challenge = { scheme: raw.scheme, params: p, qop: [], stale: null };
  if (raw.token68 !== undefined) challenge.token68 = raw.token68;
  if (Object.hasOwn(p, 'realm')) challenge.realm = p['realm'];
  if (Object.hasOwn(p, 'nonce')) challenge.nonce = p['nonce'];
  if (Object.hasOwn(p, 'opaque')) challenge.opaque = p['opaque'];
  if (Object.hasOwn(p, 'domain')) challenge.domain = p['domain'];
  if (Object.hasOwn(p, 'charset')) challenge.charset = p['charset'];
  const algorithm = p['algorithm']?.trim();
  if (algorithm) challenge.algorithm = algorithm.toUpperCase();
  if (p['qop'] !== undefined) {
    challenge.qop = p['qop']
      .split(',')
      .map((q) => q.trim().toLowerCase())
      .filter((q) => q !== '');
  }
  challenge.stale = parseBoolean(p['stale']);
  const userhash = parseBoolean(p['userhash']);
  if (userhash !== null) challenge.userhash = userhash;
  return challenge;
}

function parseBoolean(value: string | undefined): boolean | null {
  const normalised = value?.trim().toLowerCase();
  if (normalised === 'true') return true;
  if (normalised === 'false') return false;
  return null;
}
