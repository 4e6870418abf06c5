import { describe, expect, it } from 'vitest';
import { MAX_VERIFIED_READS, VerifiedSession } from '../../../src/auth/session.js';
import { Secret } from '../../../src/guard/secret.js';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../../src/transport/http.js';
import type { LoginPlanItem } from '../../../src/guard/planner.js';

const response = (statusCode: number, headers: Record<string, string[]> = {}, body = ''): HttpResponse => ({ statusCode, headers, body: Buffer.from(body), certificateSha256: null, elapsedMs: 1 });
const challenge = { 'www-authenticate': ['Digest realm="r", qop="auth", nonce="n1", opaque="", algorithm="MD5"'] };

/** A device that challenges every anonymous request and answers every credentialed one with `credentialed`. */
function device(credentialed: () => HttpResponse): HttpTransport & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    async request(request) {
      requests.push(request);
      return request.headers?.['Authorization'] ? credentialed() : response(401, challenge);
    },
    close: async () => undefined,
  };
}

const item = (over: Partial<LoginPlanItem> = {}): LoginPlanItem => ({
  key: 1, id: 'mac:58:50:ed:1f:e3:85', action: 'attempt', reason: null, method: 'http-digest',
  service: { kind: 'hikvision-isapi', url: 'http://192.0.2.40/ISAPI/Security/userCheck', method: 'GET', scheme: 'http-digest', challenges: [] },
  address: '192.0.2.40', credentials: { username: 'admin', password: new Secret('pw'), origin: 'test' }, clockOffsetMs: 0, certificateSha256: 'aa:bb',
  keys: ['mac:58:50:ed:1f:e3:85'], ...over,
});

const context = (http: HttpTransport) => ({ http, timeoutMs: 1000, now: () => 0, randomBytes: (n: number) => Buffer.alloc(n, 1) });

describe('the reads after one successful login (S2)', () => {
  it('answers a fresh challenge per read, on the same origin, pinned to the anonymous certificate', async () => {
    const http = device(() => response(200, {}, 'ok'));
    const session = new VerifiedSession(context(http), item());
    const answer = await session.http('GET', '/ISAPI/System/deviceInfo');
    expect(answer.statusCode).toBe(200);
    expect(http.requests.map((r) => [r.url, !!r.headers?.['Authorization']])).toEqual([
      ['http://192.0.2.40/ISAPI/System/deviceInfo', false],
      ['http://192.0.2.40/ISAPI/System/deviceInfo', true],
    ]);
    expect(http.requests.every((r) => r.pinnedCertificateSha256 === 'aa:bb')).toBe(true);
    expect(session.readsUsed).toBe(1);
  });

  it('refuses a read on another origin before anything is sent (S3)', async () => {
    const http = device(() => response(200));
    const session = new VerifiedSession(context(http), item());
    await expect(session.http('GET', 'http://198.51.100.7/ISAPI/System/deviceInfo')).rejects.toThrow(/outside http:\/\/192\.0\.2\.40/);
    await expect(session.soap('http://198.51.100.7/onvif/media', '<x/>')).rejects.toThrow(/outside/);
    expect(http.requests).toHaveLength(0);
  });

  it('stops after the first refusal: no credentialed read follows a 401', async () => {
    const http = device(() => response(401, challenge));
    const session = new VerifiedSession(context(http), item());
    await session.http('GET', '/a');
    expect(session.closedReason).toMatch(/refused/);
    await expect(session.http('GET', '/b')).rejects.toThrow(/no further credentialed read/);
    expect(http.requests.filter((r) => r.headers?.['Authorization'])).toHaveLength(1);
  });

  it(`holds the bound of ${MAX_VERIFIED_READS} credentialed reads`, async () => {
    const http = device(() => response(200));
    const session = new VerifiedSession(context(http), item());
    for (let i = 0; i < MAX_VERIFIED_READS; i++) await session.http('GET', `/r${i}`);
    await expect(session.http('GET', '/one-too-many')).rejects.toThrow(/bound/);
    expect(http.requests.filter((r) => r.headers?.['Authorization'])).toHaveLength(MAX_VERIFIED_READS);
  });

  it('dates a WS-UsernameToken read by the device clock and sends no HTTP credential with it (S4)', async () => {
    const http = device(() => response(200));
    const requests: HttpRequest[] = [];
    const wsse: HttpTransport = { request: async (r) => (requests.push(r), response(200)), close: async () => undefined };
    const session = new VerifiedSession({ http: wsse, timeoutMs: 1000, now: () => Date.parse('2026-01-01T00:00:00Z'), randomBytes: (n) => Buffer.alloc(n, 2) }, item({ method: 'ws-username-token', clockOffsetMs: 3_600_000, service: { kind: 'onvif', url: 'http://192.0.2.40/onvif/device_service', method: 'POST', scheme: 'ws-username-token', challenges: [] } }));
    await session.soap('http://192.0.2.40/onvif/Media', '<trt:GetProfiles/>');
    expect(requests).toHaveLength(1);
    expect(requests[0]!.headers?.['Authorization']).toBeUndefined();
    expect(String(requests[0]!.body)).toContain('2026-01-01T01:00:00');
    expect(http.requests).toHaveLength(0);
  });
});
