/**
 * The stream reads after one successful login (S2): ONVIF Media via GetServices → GetProfiles → GetStreamUri,
 * Media2 when that is what the device offers, vendor paths with the port the device reports; URIs naming another
 * host are rewritten to the responder; a refusal ends the reads; a failed login runs none.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VerifiedSession } from '../../../../src/auth/session.js';
import { runVerifiedReads } from '../../../../src/auth/reads/index.js';
import { onvifStreamsRead } from '../../../../src/auth/reads/onvif-streams.js';
import { hikvisionStreamsRead, dahuaStreamsRead } from '../../../../src/auth/reads/vendor-streams.js';
import { checkStreamUri } from '../../../../src/auth/reads/stream-uri.js';
import { attemptLogin } from '../../../../src/auth/attempt.js';
import { Ledger } from '../../../../src/guard/ledger.js';
import { Secret } from '../../../../src/guard/secret.js';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../../../src/transport/http.js';
import type { LoginPlanItem } from '../../../../src/guard/planner.js';
import { readCaptureText } from '../../../support/captures.js';

const response = (statusCode: number, body = '', headers: Record<string, string[]> = {}): HttpResponse => ({ statusCode, headers, body: Buffer.from(body), certificateSha256: null, elapsedMs: 1 });
const challenge = { 'www-authenticate': ['Digest realm="r", qop="auth", nonce="n1", opaque="", algorithm="MD5"'] };
const operation = (body: string | Uint8Array | undefined): string => /<(?:[\w-]+:)?Body[^>]*>\s*<(?:[\w-]+:)?(\w+)/.exec(String(body ?? ''))?.[1] ?? '';

function fake(answer: (request: HttpRequest) => HttpResponse): HttpTransport & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return { requests, async request(request) { requests.push(request); return answer(request); }, close: async () => undefined };
}

const onvifItem = (over: Partial<LoginPlanItem> = {}): LoginPlanItem => ({
  key: 1, id: 'mac:00:04:7d:0e:b8:05', action: 'attempt', reason: null, method: 'ws-username-token',
  service: { kind: 'onvif', url: 'http://192.0.2.40/onvif/device_service', method: 'POST', scheme: 'ws-username-token', challenges: [] },
  address: '192.0.2.40', credentials: { username: 'admin', password: new Secret('pw-123'), origin: 'test' }, clockOffsetMs: 0, certificateSha256: null,
  keys: ['mac:00:04:7d:0e:b8:05'], ...over,
});
const context = (http: HttpTransport) => ({ http, timeoutMs: 1000, now: () => 0, randomBytes: (n: number) => Buffer.alloc(n, 3) });

/** Pelco's captured GetServices lists Media at http://10.10.1.66/onvif/media_service: another host than the responder. */
function onvifDevice(streamHost = '192.0.2.40'): ReturnType<typeof fake> {
  return fake((request) => {
    switch (operation(request.body)) {
      case 'GetServices': return response(200, readCaptureText('onvif-device/pelco-D6230L-GetServicesResponse-onvif-nvt.xml'));
      case 'GetProfiles': return response(200, readCaptureText('synthetic-format-references/onvif-media-GetProfilesResponse-from-media-wsdl.xml'));
      case 'GetStreamUri': {
        const token = /ProfileToken>([^<]+)</.exec(String(request.body))![1];
        return response(200, `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><GetStreamUriResponse><MediaUri><Uri>rtsp://admin:leak@${streamHost}:554/${token}</Uri></MediaUri></GetStreamUriResponse></e:Body></e:Envelope>`);
      }
      default: return response(400);
    }
  });
}

describe('ONVIF stream reads', () => {
  it('GetServices → GetProfiles → one GetStreamUri per profile (main, sub), all on the responder, credentials stripped', async () => {
    const http = onvifDevice();
    const session = new VerifiedSession(context(http), onvifItem());
    const result = await runVerifiedReads(session, [onvifStreamsRead]);
    expect(http.requests.map((r) => [r.url, operation(r.body)])).toEqual([
      ['http://192.0.2.40/onvif/device_service', 'GetServices'],
      ['http://192.0.2.40/onvif/media_service', 'GetProfiles'],
      ['http://192.0.2.40/onvif/media_service', 'GetStreamUri'],
      ['http://192.0.2.40/onvif/media_service', 'GetStreamUri'],
    ]);
    expect(http.requests.every((r) => String(r.body).includes('UsernameToken'))).toBe(true);
    expect(result.streams).toEqual([
      { profile: 'Profile_1', uri: 'rtsp://192.0.2.40:554/Profile_1', source: 'onvif-media' },
      { profile: 'Profile_2', uri: 'rtsp://192.0.2.40:554/Profile_2', source: 'onvif-media' },
    ]);
    expect(result.notes.join('\n')).toMatch(/media service address http:\/\/10\.10\.1\.66 is not the login's/);
    expect(result.notes.join('\n')).toMatch(/credentials in its stream URI; removed/);
    expect(session.readsUsed).toBe(4);
  });

  it('rewrites a stream URI naming another host to the responder, and says so', async () => {
    const result = await runVerifiedReads(new VerifiedSession(context(onvifDevice('10.99.0.5')), onvifItem()), [onvifStreamsRead]);
    expect(result.streams.map((s) => s.uri)).toEqual(['rtsp://192.0.2.40:554/Profile_1', 'rtsp://192.0.2.40:554/Profile_2']);
    expect(result.notes.join('\n')).toMatch(/named host 10\.99\.0\.5, not the responder 192\.0\.2\.40; rewritten/);
  });

  it('uses Media2 when GetServices lists only ver20 media', async () => {
    const services = readCaptureText('onvif-device/pelco-D6230L-GetServicesResponse-onvif-nvt.xml').replace(/http:\/\/www\.onvif\.org\/ver10\/media\/wsdl/g, 'http://www.onvif.org/ver20/media/wsdl');
    const http = fake((request) => {
      const op = operation(request.body);
      if (op === 'GetServices') return response(200, services);
      if (op === 'GetProfiles') return response(200, readCaptureText('synthetic-format-references/onvif-media2-GetProfilesResponse-from-media2-wsdl.xml'));
      if (op === 'GetStreamUri') return response(200, readCaptureText('synthetic-format-references/onvif-media2-GetStreamUriResponse-from-media2-wsdl.xml'));
      return response(400);
    });
    const result = await runVerifiedReads(new VerifiedSession(context(http), onvifItem()), [onvifStreamsRead]);
    expect(http.requests.slice(1).every((r) => String(r.body).includes('http://www.onvif.org/ver20/media/wsdl'))).toBe(true);
    expect(result.streams[0]).toEqual({ profile: 'PROFILE_000', uri: 'rtsp://192.0.2.40:554/Streaming/Channels/101?transportmode=unicast&profile=Profile_1', source: 'onvif-media2' });
  });

  it('falls back to GetCapabilities when GetServices is not implemented (Axis 5.55 capture)', async () => {
    const http = fake((request) => {
      const op = operation(request.body);
      if (op === 'GetServices') return response(400, readCaptureText('onvif-device/axis-Q6045-E-fw5.55-GetServices-fault-Receiver-ter-Action-onvif-nvt.xml'));
      if (op === 'GetCapabilities') return response(200, readCaptureText('onvif-device/axis-Q6045-E-fw5.55-GetCapabilitiesResponse-onvif-nvt.xml'));
      if (op === 'GetProfiles') return response(200, readCaptureText('synthetic-format-references/onvif-media-GetProfilesResponse-from-media-wsdl.xml'));
      return response(200, readCaptureText('onvif-device/tplink-tapo-C200-GetStreamUriResponse-edgex.xml'));
    });
    const result = await runVerifiedReads(new VerifiedSession(context(http), onvifItem()), [onvifStreamsRead]);
    expect(http.requests.map((r) => operation(r.body))).toEqual(['GetServices', 'GetCapabilities', 'GetProfiles', 'GetStreamUri', 'GetStreamUri']);
    expect(http.requests[2]!.url).toBe('http://192.0.2.40/onvif/services');
    expect(result.streams).toHaveLength(2);
  });

  it('stops at the first refusal: a 401 on GetProfiles sends no GetStreamUri', async () => {
    const http = fake((request) => (operation(request.body) === 'GetServices' ? response(200, readCaptureText('onvif-device/pelco-D6230L-GetServicesResponse-onvif-nvt.xml')) : response(401)));
    const session = new VerifiedSession(context(http), onvifItem());
    const result = await runVerifiedReads(session, [onvifStreamsRead]);
    expect(http.requests.map((r) => operation(r.body))).toEqual(['GetServices', 'GetProfiles']);
    expect(session.closedReason).toMatch(/refused/);
    expect(result.streams).toEqual([]);
  });

  it('never reads after a failed login: a rejected attempt sends the one request and nothing else', async () => {
    const ledger = new Ledger(join(mkdtempSync(join(tmpdir(), 'streams-')), 'ledger.jsonl'));
    const http = fake(() => response(400, readCaptureText('onvif-device/trendnet-TV-IP320PI-hikOEM-GetDeviceInformation-fault-NotAuthorized-onvif-nvt.xml')));
    const outcome = await attemptLogin({ ...context(http), ledger }, onvifItem());
    expect(outcome.status).toBe('rejected');
    expect(http.requests).toHaveLength(1);
    expect(outcome.streams).toEqual([]);
  });
});

describe('vendor stream paths', () => {
  const digestDevice = (body: string) => fake((request) => (request.headers?.['Authorization'] ? response(200, body) : response(401, '', challenge)));
  const vendorItem = (kind: 'hikvision-isapi' | 'dahua-cgi', url: string): LoginPlanItem => onvifItem({ method: 'http-digest', service: { kind, url, method: 'GET', scheme: 'http-digest', challenges: [] } });

  it('Hikvision: /Streaming/Channels/101 and 102 on the RTSP port from /ISAPI/Security/adminAccesses', async () => {
    const http = digestDevice('<AdminAccessProtocolList><AdminAccessProtocol><protocol>RTSP</protocol><portNo>8554</portNo></AdminAccessProtocol></AdminAccessProtocolList>');
    const result = await runVerifiedReads(new VerifiedSession(context(http), vendorItem('hikvision-isapi', 'http://192.0.2.40/ISAPI/Security/userCheck')), [hikvisionStreamsRead]);
    expect(http.requests.map((r) => r.url)).toEqual(['http://192.0.2.40/ISAPI/Security/adminAccesses', 'http://192.0.2.40/ISAPI/Security/adminAccesses']);
    expect(result.streams).toEqual([
      { profile: 'main', uri: 'rtsp://192.0.2.40:8554/Streaming/Channels/101', source: 'vendor-path' },
      { profile: 'sub', uri: 'rtsp://192.0.2.40:8554/Streaming/Channels/102', source: 'vendor-path' },
    ]);
  });

  it('Dahua: /cam/realmonitor subtype 0 and 1; 554 (left out of the URL) and a note when the port is not readable', async () => {
    const http = digestDevice('Error\r\n');
    const result = await runVerifiedReads(new VerifiedSession(context(http), vendorItem('dahua-cgi', 'http://192.0.2.40/cgi-bin/magicBox.cgi?action=getSystemInfo')), [dahuaStreamsRead]);
    expect(result.streams.map((s) => s.uri)).toEqual(['rtsp://192.0.2.40/cam/realmonitor?channel=1&subtype=0', 'rtsp://192.0.2.40/cam/realmonitor?channel=1&subtype=1']);
    expect(result.notes.join('\n')).toMatch(/554 assumed/);
  });
});

describe('checkStreamUri', () => {
  it('drops what is not rtsp:// and keeps IPv6 responders bracketed', () => {
    expect(checkStreamUri('http://192.0.2.40/x', '192.0.2.40').kind).toBe('dropped');
    expect(checkStreamUri('not a url', '192.0.2.40').kind).toBe('dropped');
    expect(checkStreamUri('rtsp://[fe80::1]/a', '2001:db8::7')).toEqual({ kind: 'ok', uri: 'rtsp://[2001:db8::7]/a', note: 'stream URI named host fe80::1, not the responder 2001:db8::7; rewritten to 2001:db8::7' });
  });
});
