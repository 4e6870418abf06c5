/**
 * What the one successful login allows afterwards (safety contract S2): a bounded number of read calls with the
 * same credentials, to the same service origin, with the same scheme. A session exists only after a success, so
 * nothing here can run after a failure. Every read that meets a refusal ends the session: no retry, no second
 * scheme.
 */
import type { HttpResponse } from '../transport/http.js';
import type { LoginPlanItem } from '../guard/planner.js';
import { buildUsernameToken } from '../protocols/wsse/index.js';
import { buildSoapRequest } from '../protocols/onvif/index.js';
import { answerDigestChallenge, sendExchange, type Exchange, type ExchangeContext } from './exchange.js';

/** Reads allowed after one success (device info, stream URIs, lock settings…): a bound, not a budget to spend. */
export const MAX_VERIFIED_READS = 12;

const SOAP_TYPE = 'application/soap+xml; charset=utf-8';

export class VerifiedSession {
  #reads = 0;
  #closed: string | null = null;

  constructor(
    private readonly context: ExchangeContext,
    readonly item: LoginPlanItem,
  ) {}

  /** The origin of the service the login succeeded on; reads go only there (S3). */
  get origin(): string {
    return new URL(this.item.service!.url).origin;
  }

  get readsUsed(): number {
    return this.#reads;
  }

  /** Why no further read is allowed, or null while reads are allowed. */
  get closedReason(): string | null {
    return this.#closed;
  }

  private take(): void {
    if (this.#closed) throw new Error(`no further credentialed read: ${this.#closed}`);
    if (this.#reads >= MAX_VERIFIED_READS) throw new Error(`no further credentialed read: the bound of ${MAX_VERIFIED_READS} reads after the login is reached`);
    this.#reads += 1;
  }

  private finish(response: HttpResponse): HttpResponse {
    // A refusal after a success means the device changed its mind (or it was not the same device): stop.
    if (response.statusCode === 401 || response.statusCode === 403) this.#closed = `a read was refused (HTTP ${response.statusCode})`;
    return response;
  }

  /**
   * One HTTP read (or write, for `oneknock lockout set`) with the accepted credentials: Digest (a fresh anonymous
   * challenge, then the one credentialed request) on a path of the same origin.
   */
  async http(method: Exchange['method'], path: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<HttpResponse> {
    const url = new URL(path, this.origin).toString();
    if (new URL(url).origin !== this.origin) throw new Error(`refusing a credentialed read outside ${this.origin}`);
    const exchange: Exchange = { method, url, headers: options.headers ?? {}, ...(options.body !== undefined ? { body: options.body } : {}) };
    const challenge = await sendExchange(this.context, this.item, exchange);
    if (challenge.statusCode !== 401) return challenge;
    const answer = answerDigestChallenge(this.context, challenge, exchange, this.item.credentials!);
    if (answer.kind !== 'authorization') {
      this.#closed = `the device offered no Digest challenge (${answer.reason})`;
      return challenge;
    }
    this.take();
    return this.finish(await sendExchange(this.context, this.item, exchange, { Authorization: answer.header }));
  }

  /**
   * One ONVIF SOAP call with the accepted credentials, on `serviceUrl` (same origin): WS-UsernameToken dated by the
   * device clock when the login used it, else HTTP Digest.
   */
  async soap(serviceUrl: string, bodyXml: string): Promise<HttpResponse> {
    if (new URL(serviceUrl).origin !== this.origin) throw new Error(`refusing a credentialed read outside ${this.origin}`);
    if (this.item.method === 'ws-username-token') {
      this.take();
      const credentials = this.item.credentials!;
      const token = buildUsernameToken({
        username: credentials.username,
        password: credentials.password.reveal(),
        nonce: this.context.randomBytes(16),
        created: new Date(this.context.now() + (this.item.clockOffsetMs ?? 0)),
      });
      const exchange: Exchange = { method: 'POST', url: serviceUrl, headers: { 'Content-Type': SOAP_TYPE }, body: buildSoapRequest(bodyXml, { header: token.headerXml }) };
      return this.finish(await sendExchange(this.context, this.item, exchange));
    }
    return this.http('POST', new URL(serviceUrl).pathname + new URL(serviceUrl).search, { body: buildSoapRequest(bodyXml), headers: { 'Content-Type': SOAP_TYPE } });
  }
}
