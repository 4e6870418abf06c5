/**
 * Issue 16: the anonymous Axis probe records the VAPIX login (`axis-vapix`) from param.cgi's anonymous Digest 401,
 * sends no credential doing so, and records nothing to log in to when the device lets anonymous viewers read it.
 */
import { describe, expect, it } from 'vitest';
import { probeAxis, AXIS_LOGIN_PATH } from '../../../src/fingerprint/vendor-probes.js';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../../src/transport/http.js';
import { readCaptureText } from '../../support/captures.js';

const BASE = 'http://192.0.2.60:8080/';
const response = (statusCode: number, headers: Record<string, string[]> = {}, body = ''): HttpResponse => ({ statusCode, headers, body: Buffer.from(body), certificateSha256: null, elapsedMs: 1 });
const deviceInfo = JSON.stringify({ apiVersion: '1.0', data: { propertyList: { Brand: 'AXIS', ProdNbr: 'M1034-W', Version: '9.80.3.8', SerialNumber: 'ACCC8E123406' } } });

function fakeHttp(paramCgi: HttpResponse): HttpTransport & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    async request(request) {
      requests.push(request);
      if (request.url.endsWith('/axis-cgi/basicdeviceinfo.cgi')) return response(200, {}, deviceInfo);
      if (request.url.includes('/axis-cgi/param.cgi')) return paramCgi;
      throw new Error(`unexpected ${request.url}`);
    },
    close: async () => undefined,
  };
}
const context = (http: HttpTransport) => ({ http, timeoutMs: 1000, now: () => 0 });

describe('probeAxis', () => {
  it('records the param.cgi Digest challenge as the axis-vapix login service, anonymously', async () => {
    const http = fakeHttp(response(401, { 'www-authenticate': ['Digest realm="AXIS_ACCC8E123406", nonce="abc", algorithm=MD5, qop="auth"'] }));
    const result = await probeAxis(context(http), BASE);
    expect(result.services).toEqual([
      {
        kind: 'axis-vapix',
        url: `http://192.0.2.60:8080${AXIS_LOGIN_PATH}`,
        method: 'GET',
        scheme: 'http-digest',
        challenges: [expect.objectContaining({ scheme: 'digest', realm: 'AXIS_ACCC8E123406', algorithm: 'MD5' })],
      },
    ]);
    expect(result.evidence).toEqual(expect.arrayContaining([{ source: 'axis', field: 'serial', value: 'ACCC8E123406' }, { source: 'axis', field: 'realm', value: 'AXIS_ACCC8E123406' }]));
    expect(http.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(['POST /axis-cgi/basicdeviceinfo.cgi', 'GET /axis-cgi/param.cgi']);
    for (const request of http.requests) expect(Object.keys(request.headers ?? {}).map((h) => h.toLowerCase())).not.toContain('authorization');
  });

  it('an anonymous 200 (anonymous viewers allowed) is identity evidence, not a login service', async () => {
    const result = await probeAxis(context(fakeHttp(response(200, {}, readCaptureText('axis/axis-M1065-LW-param-cgi-Brand.txt')))), BASE);
    expect(result.services).toEqual([]);
    expect(result.evidence).toEqual(expect.arrayContaining([{ source: 'axis', field: 'model', value: 'M1065-LW' }]));
  });

  it('no challenge (404, Basic only) is no usable Digest login', async () => {
    expect((await probeAxis(context(fakeHttp(response(404))), BASE)).services).toEqual([]);
    const basic = await probeAxis(context(fakeHttp(response(401, { 'www-authenticate': ['Basic realm="AXIS_ACCC8E123406"'] }))), BASE);
    expect(basic.services.map((s) => s.scheme)).toEqual(['basic-only']);
  });
});
