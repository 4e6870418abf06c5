import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attemptLogin } from '../../../src/auth/attempt.js';
import { Ledger } from '../../../src/guard/ledger.js';
import { Secret } from '../../../src/guard/secret.js';
import { HttpTransportError, type HttpRequest, type HttpResponse, type HttpTransport } from '../../../src/transport/http.js';
import type { LoginPlanItem } from '../../../src/guard/planner.js';
import { httpResponse, scriptedHttp } from '../../support/scripted-http.js';

type Reply = (request: HttpRequest, ledgerText: string) => HttpResponse | Error;

/** The script sees the ledger's text at each request, so a test can prove the intent was on disk before the knock. */
function fakeHttp(ledger: Ledger, replies: Reply[]): ReturnType<typeof scriptedHttp> {
  return scriptedHttp(replies.map((reply) => (request) => reply(request, existsSync(ledger.path) ? readFileSync(ledger.path, 'utf8') : '')));
}

const response = httpResponse;
const challenge = { 'www-authenticate': ['Digest realm="r", qop="auth", nonce="n1:1685000000000", opaque="", algorithm="MD5", stale="TRUE"', 'Basic realm="r"'] };

const item = (over: Partial<LoginPlanItem> = {}): LoginPlanItem => ({
  key: 1, id: 'mac:58:50:ed:1f:e3:85', action: 'attempt', reason: null, method: 'http-digest',
  service: { kind: 'onvif', url: 'http://192.0.2.40/onvif/device_service', method: 'POST', scheme: 'http-digest', challenges: [] },
  address: '192.0.2.40', credentials: { username: 'admin', password: new Secret('pw-123'), origin: 'test' }, clockOffsetMs: 0, certificateSha256: null,
  keys: ['mac:58:50:ed:1f:e3:85'], ...over,
});

const setup = () => {
  const ledger = new Ledger(join(mkdtempSync(join(tmpdir(), 'attempt-')), 'ledger.jsonl'));
  return ledger;
};
// The reads after a success (streams, device info) have their own tests (test/unit/auth/reads); here: the one attempt.
const context = (ledger: Ledger, http: HttpTransport, nowMs = Date.parse('2026-11-24T10:00:00.000Z')) => ({ http, ledger, timeoutMs: 1000, now: () => nowMs, randomBytes: (n: number) => Buffer.alloc(n, 7), reads: [] });

describe('the one attempt', () => {
  it('fetches a fresh challenge anonymously, writes the intent, then sends exactly one Digest request', async () => {
    const ledger = setup();
    const http = fakeHttp(ledger, [
      (req, text) => {
        expect(req.headers?.['Authorization']).toBeUndefined();
        expect(text).toBe('');
        return response(401, challenge);
      },
      (req, text) => {
        // S5: the intent is on disk before the credentialed bytes leave.
        expect(text).toMatch(/"type":"intent"/);
        expect(text).not.toMatch(/"type":"outcome"/);
        expect(req.headers?.['Authorization']).toMatch(/^Digest username="admin", realm="r", uri="\/onvif\/device_service", algorithm=MD5|^Digest /);
        expect(req.headers?.['Authorization']).toMatch(/nc=00000001/);
        expect(req.headers?.['Authorization']).not.toMatch(/^Basic/);
        return response(200, {}, '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><tds:GetDeviceInformationResponse xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><tds:Manufacturer>HIKVISION</tds:Manufacturer><tds:Model>DS-2CD2385G1-I</tds:Model></tds:GetDeviceInformationResponse></s:Body></s:Envelope>');
      },
    ]);
    const outcome = await attemptLogin(context(ledger, http), item());
    expect(outcome.status).toBe('succeeded');
    expect(outcome.verified.map((e) => `${e.field}=${e.value}`)).toEqual(['vendor=HIKVISION', 'model=DS-2CD2385G1-I']);
    expect(http.requests).toHaveLength(2);
    expect(readFileSync(ledger.path, 'utf8')).toMatch(/"type":"outcome","attempt":"[^"]+","status":"succeeded"/);
    expect(readFileSync(ledger.path, 'utf8')).not.toContain('pw-123');
  });

  it('S2: a rejection ends it — no retry on stale=TRUE, no second scheme — and reads the attempts left', async () => {
    const ledger = setup();
    const fault = '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error"><env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>ter:NotAuthorized</env:Value></env:Subcode></env:Code><env:Reason><env:Text>Sender not Authorized. You still have 3 attempt(s)</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>';
    const http = fakeHttp(ledger, [() => response(401, challenge), () => response(400, challenge, fault)]);
    const outcome = await attemptLogin(context(ledger, http), item());
    expect(outcome.status).toBe('rejected');
    expect(outcome.remainingAttempts).toBe(3);
    expect(http.requests).toHaveLength(2);
  });

  it('S2: a timeout is an error that counts as spent, never retried', async () => {
    const ledger = setup();
    const http = fakeHttp(ledger, [() => response(401, challenge), () => new HttpTransportError('timeout', 'no complete answer within 1000 ms')]);
    const outcome = await attemptLogin(context(ledger, http), item());
    expect(outcome.status).toBe('error');
    expect(outcome.sent).toBe(true);
    expect(http.requests).toHaveLength(2);
    expect(readFileSync(ledger.path, 'utf8')).toMatch(/"status":"error"/);
  });

  it('sends nothing credentialed when the fresh challenge is not a Digest we support (Basic only now)', async () => {
    const ledger = setup();
    const http = fakeHttp(ledger, [() => response(401, { 'www-authenticate': ['Basic realm="r"'] })]);
    const outcome = await attemptLogin(context(ledger, http), item());
    expect(outcome.status).toBe('skipped');
    expect(outcome.sent).toBe(false);
    expect(existsSync(ledger.path)).toBe(false);
  });

  it('S4: WS-UsernameToken is dated by the device clock and rides without any HTTP credential', async () => {
    const ledger = setup();
    const http = fakeHttp(ledger, [
      (req) => {
        expect(req.headers?.['Authorization']).toBeUndefined();
        expect(String(req.body)).toContain('<wsu:Created>2026-11-24T09:13:00.000Z</wsu:Created>');
        return response(200, {}, '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><tds:GetDeviceInformationResponse xmlns:tds="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>');
      },
    ]);
    const outcome = await attemptLogin(context(ledger, http), item({ method: 'ws-username-token', clockOffsetMs: -2_820_000 }));
    expect(outcome.status).toBe('succeeded');
    expect(http.requests).toHaveLength(1);
  });

  it('reads a Hikvision lock from the userCheck 401 body (lockStatus=lock, unlockTime)', async () => {
    const ledger = setup();
    const body = '<?xml version="1.0" encoding="UTF-8" ?>\n<userCheck>\n<statusValue>401</statusValue>\n<statusString>Unauthorized</statusString>\n<lockStatus>lock</lockStatus>\n<unlockTime>1795</unlockTime>\n<retryLoginTime>0</retryLoginTime>\n</userCheck>\n';
    const http = fakeHttp(ledger, [() => response(401, challenge), () => response(401, challenge, body)]);
    const outcome = await attemptLogin(context(ledger, http), item({ service: { kind: 'hikvision-isapi', url: 'http://192.0.2.40/ISAPI/Security/userCheck', method: 'GET', scheme: 'http-digest', challenges: [] } }));
    expect(outcome.status).toBe('locked');
    expect(outcome.unlockInSeconds).toBe(1795);
    expect(http.requests).toHaveLength(2);
  });
});
