/**
 * Issue 16, the mDNS-only Axis: the one login for kind `axis-vapix` is a Digest GET to the VAPIX URL that
 * challenged anonymously (param.cgi Brand) — never ONVIF SOAP — and nothing is retried.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attemptLogin } from '../../../src/auth/attempt.js';
import { Ledger } from '../../../src/guard/ledger.js';
import { Secret } from '../../../src/guard/secret.js';
import type { HttpTransport } from '../../../src/transport/http.js';
import type { LoginPlanItem } from '../../../src/guard/planner.js';
import { readCaptureText } from '../../support/captures.js';
import { httpResponse, scriptedHttp } from '../../support/scripted-http.js';

const URL_ = 'http://192.0.2.60/axis-cgi/param.cgi?action=list&group=Brand';
const challenge = { 'www-authenticate': ['Digest realm="AXIS_ACCC8E123406", nonce="n1", algorithm=MD5, qop="auth"'] };
const response = httpResponse;

const fakeHttp = scriptedHttp;

const item = (): LoginPlanItem => ({
  key: 1, id: 'mac:ac:cc:8e:12:34:06', action: 'attempt', reason: null, method: 'http-digest',
  service: { kind: 'axis-vapix', url: URL_, method: 'GET', scheme: 'http-digest', challenges: [] },
  address: '192.0.2.60', credentials: { username: 'root', password: new Secret('pw-axis'), origin: 'test' }, clockOffsetMs: null, certificateSha256: null,
  keys: ['mac:ac:cc:8e:12:34:06'],
});
const context = (ledger: Ledger, http: HttpTransport) => ({ http, ledger, timeoutMs: 1000, now: () => Date.parse('2026-12-03T10:00:00.000Z'), randomBytes: (n: number) => Buffer.alloc(n, 7), reads: [] });
const newLedger = () => new Ledger(join(mkdtempSync(join(tmpdir(), 'attempt-axis-')), 'ledger.jsonl'));

describe('the one attempt on an Axis VAPIX service', () => {
  it('answers the param.cgi challenge with one Digest GET to the same URL, and verifies vendor and model from the Brand group', async () => {
    const ledger = newLedger();
    const http = fakeHttp([
      (req) => {
        expect(req.headers?.['Authorization']).toBeUndefined();
        return response(401, challenge);
      },
      (req) => {
        expect(req.method).toBe('GET');
        expect(req.url).toBe(URL_);
        expect(req.body).toBeUndefined();
        expect(req.headers?.['Content-Type']).toBeUndefined();
        expect(req.headers?.['Authorization']).toMatch(/^Digest username="root", realm="AXIS_ACCC8E123406", .*uri="\/axis-cgi\/param\.cgi\?action=list&group=Brand"/);
        return response(200, { 'content-type': ['text/plain'] }, readCaptureText('axis/axis-M1065-LW-param-cgi-Brand.txt'));
      },
    ]);
    const outcome = await attemptLogin(context(ledger, http), item());
    expect(outcome.status).toBe('succeeded');
    expect(outcome.verified.map((e) => `${e.source}:${e.field}=${e.value}:${String(e.verified)}`)).toEqual(['login:vendor=AXIS:true', 'login:model=M1065-LW:true']);
    expect(http.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`GET ${URL_}`, `GET ${URL_}`]);
    expect(http.requests.some((r) => /Envelope/.test(String(r.body ?? '')))).toBe(false);
    expect(readFileSync(ledger.path, 'utf8')).toMatch(/"status":"succeeded"/);
    expect(readFileSync(ledger.path, 'utf8')).not.toContain('pw-axis');
  });

  it('a 401 to the credentialed GET is rejected, recorded once, and not retried', async () => {
    const ledger = newLedger();
    const http = fakeHttp([() => response(401, challenge), () => response(401, challenge, '<HTML><HEAD><TITLE>401 Unauthorized</TITLE></HEAD></HTML>')]);
    const outcome = await attemptLogin(context(ledger, http), item());
    expect(outcome.status).toBe('rejected');
    expect(outcome.sent).toBe(true);
    expect(outcome.verified).toEqual([]);
    expect(outcome.reason).toMatch(/credentials refused for user "root"/);
    expect(http.requests).toHaveLength(2);
    expect(http.requests.map((r) => `${r.method} ${r.url} ${String(r.body ?? '')}`)).toEqual([`GET ${URL_} `, `GET ${URL_} `]);
    const lines = readFileSync(ledger.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; status?: string; url?: string });
    expect(lines.map((l) => l.type)).toEqual(['intent', 'outcome']);
    expect(lines[0]!.url).toBe(URL_);
    expect(lines[1]!.status).toBe('rejected');
  });

  it('a 200 to the anonymous challenge request sends no credential at all', async () => {
    const ledger = newLedger();
    const http = fakeHttp([() => response(200, {}, 'root.Brand.Brand=AXIS\n')]);
    const outcome = await attemptLogin(context(ledger, http), item());
    expect(outcome.status).toBe('skipped');
    expect(outcome.sent).toBe(false);
    expect(http.requests).toHaveLength(1);
    expect(existsSync(ledger.path)).toBe(false);
  });
});
