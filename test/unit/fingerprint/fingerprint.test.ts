/** Where fingerprintDevice sends its RTSP and HTTPS probes, with fake transports (nothing leaves the process). */
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../support/captures.js';
import { DeviceRegistry, type Observation } from '../../../src/scan/registry.js';
import { fingerprintDevice, type FingerprintState } from '../../../src/fingerprint/fingerprint.js';
import { refreshIdentity } from '../../../src/scan/identity.js';
import { HttpTransportError, type HttpRequest, type HttpResponse, type HttpTransport } from '../../../src/transport/http.js';
import { RtspTransportError, type RtspRequest, type RtspTransport } from '../../../src/transport/rtsp.js';

function freshState(): FingerprintState {
  return { probedAddresses: new Set(), probesDone: new Set(), services: [], clockOffsetMs: null, clockBasis: null, certificateSha256: null };
}

/** HTTP that refuses every connection, except the https origin, which answers 401 with a certificate. */
function fakeHttp(httpsOrigin: string | null, fingerprint: string): HttpTransport & { urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    async request(request: HttpRequest): Promise<HttpResponse> {
      urls.push(request.url);
      if (request.headers && Object.keys(request.headers).some((h) => /authorization/i.test(h))) throw new Error('S1: credential in a probe');
      if (httpsOrigin && request.url.startsWith(httpsOrigin)) {
        return { statusCode: 401, headers: { server: ['App-webs/'] }, body: Buffer.alloc(0), certificateSha256: fingerprint, elapsedMs: 1 };
      }
      throw new HttpTransportError('connect', 'connect ECONNREFUSED', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    },
    close: async () => undefined,
  };
}

function fakeRtsp(): RtspTransport & { requests: RtspRequest[] } {
  const requests: RtspRequest[] = [];
  return {
    requests,
    async request(request) {
      requests.push(request);
      if (request.message.startsWith('OPTIONS')) return { bytes: readCapture('rtsp/hikvision-IPC-C1214-OPTIONS-200-exoplayer-issue9800.txt'), complete: true, elapsedMs: 1 };
      if (request.message.startsWith('DESCRIBE')) return { bytes: readCapture('rtsp/hikvision-IPC-C1214-DESCRIBE-401-exoplayer-issue9800-truncated.txt'), complete: false, elapsedMs: 1 };
      throw new RtspTransportError('refused', 'refused');
    },
    close: async () => undefined,
  };
}

function recordFor(observation: Observation) {
  return new DeviceRegistry().observe(observation).record;
}

describe('fingerprintDevice: RTSP and HTTPS steps', () => {
  it('knocks on RTSP 554 by default, once per address, with the vendor path when the evidence names the vendor', async () => {
    const record = recordFor({ channel: 'sadp', address: '192.0.2.40', evidence: [{ source: 'sadp', field: 'vendor', value: 'Hikvision' }] });
    const rtsp = fakeRtsp();
    const state = freshState();
    const context = { http: fakeHttp(null, ''), rtsp, timeoutMs: 1000, now: () => 0 };
    await fingerprintDevice(context, record, '192.0.2.40', state);
    await fingerprintDevice(context, record, '192.0.2.40', state);
    expect(rtsp.requests.map((r) => [r.port, r.message.split('\r\n')[0]])).toEqual([
      [554, 'OPTIONS rtsp://192.0.2.40/ RTSP/1.0'],
      [554, 'DESCRIBE rtsp://192.0.2.40/Streaming/Channels/101 RTSP/1.0'],
    ]);
    expect(record.device.evidence).toContainEqual({ source: 'rtsp', field: 'realm', value: 'IP Camera(C1214)', address: '192.0.2.40' });
  });

  it('uses the RTSP port mDNS announced', async () => {
    const record = recordFor({ channel: 'mdns', address: '192.0.2.41', ports: { rtsp: 8554 } });
    const rtsp = fakeRtsp();
    await fingerprintDevice({ http: fakeHttp(null, ''), rtsp, timeoutMs: 1000, now: () => 0 }, record, '192.0.2.41', freshState());
    expect(rtsp.requests.map((r) => r.port)).toEqual([8554, 8554]);
    expect(rtsp.requests[0]!.message).toMatch(/^OPTIONS rtsp:\/\/192\.0\.2\.41:8554\/ RTSP\/1\.0/);
  });

  it('probes the HTTPS port an XAddr names and records its certificate into the state and device.access', async () => {
    const record = recordFor({
      channel: 'ws-discovery',
      address: '192.0.2.42',
      onvif: { xaddrs: ['http://192.0.2.42/onvif/device_service', 'https://192.0.2.42:8443/onvif/device_service'], scopes: [] },
    });
    const http = fakeHttp('https://192.0.2.42:8443/', 'AB:CD');
    const state = freshState();
    const result = await fingerprintDevice({ http, rtsp: fakeRtsp(), timeoutMs: 1000, now: () => 0 }, record, '192.0.2.42', state);
    expect(http.urls).toContain('https://192.0.2.42:8443/');
    expect(state.certificateSha256).toBe('AB:CD');
    refreshIdentity(record, state);
    expect(record.device.access).toEqual({ schemes: [], httpsCertificateSha256: 'AB:CD' });
    // The plain-HTTP ONVIF service refused: those warnings are the HTTP probes', none is about HTTPS or RTSP.
    expect(result.warnings.filter((w) => /https|rtsp/i.test(w.message))).toEqual([]);
  });

  it('no HTTPS known: no HTTPS request at all', async () => {
    const record = recordFor({ channel: 'ws-discovery', address: '192.0.2.43', onvif: { xaddrs: ['http://192.0.2.43/onvif/device_service'], scopes: [] } });
    const http = fakeHttp(null, '');
    await fingerprintDevice({ http, rtsp: fakeRtsp(), timeoutMs: 1000, now: () => 0 }, record, '192.0.2.43', freshState());
    expect(http.urls.filter((u) => u.startsWith('https:'))).toEqual([]);
  });
});
