/**
 * The one place that turns an anonymous Digest challenge into an Authorization header (RFC 7616 §3.4), and the
 * request helper every credentialed exchange uses (same pinned certificate, timeout and size cap).
 */
import type { HttpResponse, HttpTransport } from '../transport/http.js';
import type { CredentialSet } from '../guard/credentials.js';
import { chooseChallenge, computeDigestAuthorization, parseWwwAuthenticate } from '../protocols/http-auth/index.js';

export const MAX_BODY = 256 * 1024;

export interface Exchange {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  body?: string;
  headers: Record<string, string>;
}

export interface ExchangeContext {
  http: HttpTransport;
  timeoutMs: number;
  now(): number;
  randomBytes(size: number): Buffer;
}

/** HTTPS logins are pinned to the certificate seen anonymously (safety contract S3). */
export interface ExchangeTarget {
  certificateSha256: string | null;
}

export function requestTarget(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

export async function sendExchange(context: ExchangeContext, target: ExchangeTarget, exchange: Exchange, extraHeaders: Record<string, string> = {}, body = exchange.body): Promise<HttpResponse> {
  return context.http.request({
    url: exchange.url,
    method: exchange.method,
    headers: { ...exchange.headers, ...extraHeaders },
    ...(body !== undefined ? { body } : {}),
    timeoutMs: context.timeoutMs,
    maxBodyBytes: MAX_BODY,
    ...(target.certificateSha256 ? { pinnedCertificateSha256: target.certificateSha256 } : {}),
  });
}

export type DigestAnswer = { kind: 'authorization'; header: string } | { kind: 'no-digest'; reason: string };

/**
 * From a 401 response's challenges to the Authorization header for `exchange`: first supported Digest challenge
 * (RFC 7616 §3.7), qop=auth, nc=00000001, a fresh cnonce, opaque echoed. Never Basic (safety contract S4).
 */
export function answerDigestChallenge(context: Pick<ExchangeContext, 'randomBytes'>, challengeResponse: HttpResponse, exchange: Exchange, credentials: CredentialSet): DigestAnswer {
  const choice = chooseChallenge(parseWwwAuthenticate(challengeResponse.headers['www-authenticate'] ?? []));
  if (choice.kind !== 'digest') return { kind: 'no-digest', reason: choice.kind };
  return {
    kind: 'authorization',
    header: computeDigestAuthorization({
      challenge: choice.challenge,
      username: credentials.username,
      password: credentials.password.reveal(),
      method: exchange.method,
      uri: requestTarget(exchange.url),
      cnonce: context.randomBytes(16).toString('hex'),
      nc: 1,
    }),
  };
}
