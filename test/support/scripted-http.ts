/**
 * An HttpTransport that answers from a script: each request takes the next reply (a response, or an error to throw)
 * and an unexpected extra request fails the test. Every request is kept, so tests can read exactly what was sent.
 */
import type { HttpRequest, HttpResponse, HttpTransport } from '../../src/transport/http.js';

export type ScriptedReply = (request: HttpRequest) => HttpResponse | Error;

export function scriptedHttp(replies: ScriptedReply[]): HttpTransport & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    async request(request) {
      requests.push(request);
      const reply = replies.shift();
      if (!reply) throw new Error(`unexpected request ${requests.length}: ${request.method} ${request.url}`);
      const result = reply(request);
      if (result instanceof Error) throw result;
      return result;
    },
    close: async () => undefined,
  };
}

export const httpResponse = (statusCode: number, headers: Record<string, string[]> = {}, body = ''): HttpResponse => ({ statusCode, headers, body: Buffer.from(body), certificateSha256: null, elapsedMs: 1 });
