/**
 * WS-Security UsernameToken with PasswordDigest (OASIS UsernameToken Profile 1.0 §3.1; ONVIF Core §5.9.4):
 * `PasswordDigest = Base64(SHA-1(nonce bytes + Created UTF-8 + password UTF-8))`. Pure: the nonce and the
 * Created time are parameters — Created must be the DEVICE's clock (ours + the offset read anonymously from
 * GetSystemDateAndTime), or the device rejects the token with the same fault as a wrong password (docs/FIELD-NOTES.md §1, §5).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { XmlDecodeError, childElement, decodeXmlText, escapeXml, findElement, parseXml } from '../xml/parse-xml.js';
import type { XmlElement } from '../xml/parse-xml.js';

export const WSSE_NAMESPACE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const WSU_NAMESPACE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
export const PASSWORD_DIGEST_TYPE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';
export const BASE64_BINARY_ENCODING = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';
const SOAP12_NAMESPACE = 'http://www.w3.org/2003/05/soap-envelope';

export type WsseErrorCode = 'wsse-invalid-nonce' | 'wsse-invalid-created' | 'wsse-invalid-username';

/** A caller fault: input that cannot make a valid token. */
export class WsseError extends Error {
  readonly code: WsseErrorCode;
  constructor(code: WsseErrorCode, message: string) {
    super(message);
    this.name = 'WsseError';
    this.code = code;
  }
}

export interface UsernameTokenInput {
  username: string;
  password: string;
  /** Fresh random bytes from the caller; docs/FIELD-NOTES.md §5: 16–20 bytes. */
  nonce: Uint8Array;
  /** The device's "now". */
  created: Date;
}

export interface UsernameToken {
  /** The `<wsse:Security>` element, ready to place inside the SOAP 1.2 `<s:Header>`. */
  headerXml: string;
  createdText: string;
  nonceBase64: string;
  digest: string;
}

const MAX_NONCE_BYTES = 64;
const MAX_USERNAME_CHARS = 256;
/** XML 1.0 §2.2: these code points cannot appear in a document at all, escaped or not. */
function hasXmlForbiddenCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0xfffe || code === 0xffff) return true;
  }
  return false;
}

/** Base64(SHA-1(nonce + createdText + password)), the exact text that goes in `<wsse:Password>`. */
export function computePasswordDigest(nonce: Uint8Array, createdText: string, password: string): string {
  return createHash('sha1')
    .update(nonce)
    .update(Buffer.from(createdText, 'utf8'))
    .update(Buffer.from(password, 'utf8'))
    .digest('base64');
}

/**
 * Build the Security header. Created is UTC with millisecond precision and a `Z` (`2026-11-24T10:00:02.950Z`,
 * xsd:dateTime). The element declares the `s` prefix itself so that `s:mustUnderstand` (SOAP 1.2 §5.2.3:
 * the device must process the header or fault) is well-formed wherever the envelope builder puts it.
 */
export function buildUsernameToken(input: UsernameTokenInput): UsernameToken {
  if (!(input.nonce instanceof Uint8Array) || input.nonce.byteLength === 0 || input.nonce.byteLength > MAX_NONCE_BYTES) {
    throw new WsseError('wsse-invalid-nonce', `nonce must be 1-${MAX_NONCE_BYTES} bytes`);
  }
  if (!(input.created instanceof Date) || Number.isNaN(input.created.getTime())) {
    throw new WsseError('wsse-invalid-created', 'created is not a valid date');
  }
  if (input.username === '' || input.username.length > MAX_USERNAME_CHARS || hasXmlForbiddenCharacter(input.username)) {
    throw new WsseError('wsse-invalid-username', 'username is empty, too long, or has characters XML cannot carry');
  }
  const createdText = input.created.toISOString();
  if (!/^\d{4}-/.test(createdText)) throw new WsseError('wsse-invalid-created', `created ${createdText} is outside years 0000-9999`);
  const nonceBase64 = Buffer.from(input.nonce).toString('base64');
  const digest = computePasswordDigest(input.nonce, createdText, input.password);
  const headerXml =
    `<wsse:Security s:mustUnderstand="1" xmlns:s="${SOAP12_NAMESPACE}" xmlns:wsse="${WSSE_NAMESPACE}" xmlns:wsu="${WSU_NAMESPACE}">` +
    '<wsse:UsernameToken>' +
    `<wsse:Username>${escapeXml(input.username)}</wsse:Username>` +
    `<wsse:Password Type="${PASSWORD_DIGEST_TYPE}">${digest}</wsse:Password>` +
    `<wsse:Nonce EncodingType="${BASE64_BINARY_ENCODING}">${nonceBase64}</wsse:Nonce>` +
    `<wsu:Created>${createdText}</wsu:Created>` +
    '</wsse:UsernameToken>' +
    '</wsse:Security>';
  return { headerXml, createdText, nonceBase64, digest };
}

/** A UsernameToken as found in a request: every field optional (wire type). */
export interface UsernameTokenFields {
  username?: string;
  password?: string;
  /** The Password element's Type attribute (absent means PasswordText per the profile). */
  passwordType?: string;
  nonce?: string;
  nonceEncodingType?: string;
  created?: string;
}

export type UsernameTokenCheck =
  | { ok: true; username: string }
  | { ok: false; reason: 'missing' | 'bad-format' | 'bad-digest' | 'stale'; username: string | null };

/**
 * Find the UsernameToken in a request envelope or a bare Security header. Returns null when there is none.
 * Throws XmlDecodeError for XML that does not parse.
 */
export function parseUsernameToken(input: string | XmlElement): UsernameTokenFields | null {
  const root = typeof input === 'string' ? parseXml(input) : input;
  const security = findElement(root, 'Security');
  const token = security ? childElement(security, 'UsernameToken') : undefined;
  if (!token) return null;
  const fields: UsernameTokenFields = {};
  const text = (name: string): string | undefined => {
    const element = childElement(token, name);
    return element ? decodeXmlText(element.text).trim() : undefined;
  };
  const username = text('Username');
  if (username !== undefined) fields.username = username;
  const password = childElement(token, 'Password');
  if (password) {
    fields.password = decodeXmlText(password.text).trim();
    if (password.attributes['Type'] !== undefined) fields.passwordType = password.attributes['Type'].trim();
  }
  const nonce = childElement(token, 'Nonce');
  if (nonce) {
    fields.nonce = decodeXmlText(nonce.text).trim();
    if (nonce.attributes['EncodingType'] !== undefined) fields.nonceEncodingType = nonce.attributes['EncodingType'].trim();
  }
  const created = text('Created');
  if (created !== undefined) fields.created = created;
  return fields;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// xsd:dateTime in UTC or with an offset; a timezone is required, since a device cannot guess one.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The simulator's side: check a PasswordDigest token against one password and the device clock. The digest is
 * checked before freshness, so a correct-but-late token reads `stale` (real devices answer both with the same
 * NotAuthorized fault; the simulator wants to tell them apart). Nonce replay is the caller's business: it
 * needs state. Only PasswordDigest is accepted — a PasswordText token is `bad-format` (our client never sends one).
 */
export function verifyUsernameToken(
  input: string | XmlElement | UsernameTokenFields,
  password: string,
  nowMs: number,
  windowMs: number,
): UsernameTokenCheck {
  let fields: UsernameTokenFields | null;
  if (typeof input === 'string' || isXmlElement(input)) {
    try {
      fields = parseUsernameToken(input);
    } catch (error) {
      if (error instanceof XmlDecodeError) return { ok: false, reason: 'bad-format', username: null };
      throw error;
    }
  } else {
    fields = input;
  }
  if (!fields) return { ok: false, reason: 'missing', username: null };
  const username = fields.username ?? null;
  const { password: digest, nonce, created } = fields;
  if (!username || !digest || !nonce || !created) return { ok: false, reason: 'bad-format', username };
  if (fields.passwordType !== PASSWORD_DIGEST_TYPE) return { ok: false, reason: 'bad-format', username };
  if (fields.nonceEncodingType !== undefined && fields.nonceEncodingType !== BASE64_BINARY_ENCODING) return { ok: false, reason: 'bad-format', username };
  if (!BASE64.test(nonce) || !BASE64.test(digest) || !DATE_TIME.test(created)) return { ok: false, reason: 'bad-format', username };
  const createdMs = Date.parse(created);
  if (Number.isNaN(createdMs)) return { ok: false, reason: 'bad-format', username };

  const expected = Buffer.from(computePasswordDigest(Buffer.from(nonce, 'base64'), created, password), 'base64');
  const received = Buffer.from(digest, 'base64');
  if (received.byteLength !== expected.byteLength || !timingSafeEqual(received, expected)) {
    return { ok: false, reason: 'bad-digest', username };
  }
  if (Math.abs(createdMs - nowMs) > windowMs) return { ok: false, reason: 'stale', username };
  return { ok: true, username };
}

function isXmlElement(value: unknown): value is XmlElement {
  return typeof value === 'object' && value !== null && 'children' in value && 'name' in value && 'attributes' in value;
}
