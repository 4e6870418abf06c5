import { describe, it, expect } from 'vitest';
import { listCaptures, readCapture, readCaptureText } from '../../support/captures.js';
import { probeRtsp, rtspDescribePath, rtspUrl, MAX_RTSP_READ_BYTES } from '../../../src/fingerprint/rtsp-probe.js';
import type { ProbeContext } from '../../../src/fingerprint/onvif-probe.js';
import { RtspTransportError, type RtspRawResponse, type RtspRequest, type RtspTransport } from '../../../src/transport/rtsp.js';
import type { HttpTransport } from '../../../src/transport/http.js';

type Reply = Buffer | string | RtspTransportError;

/** Answers each request with the next scripted reply and keeps every request it was asked to send. */
function fakeRtsp(replies: Reply[]): RtspTransport & { sent: RtspRequest[]; closed: number } {
  const queue = [...replies];
  const fake = {
    sent: [] as RtspRequest[],
    closed: 0,
    async request(request: RtspRequest): Promise<RtspRawResponse> {
      fake.sent.push(request);
      const reply = queue.shift();
      if (reply === undefined) throw new Error(`unexpected request ${request.message.split('\r\n')[0]}`);
      if (reply instanceof RtspTransportError) throw reply;
      return { bytes: Buffer.isBuffer(reply) ? reply : Buffer.from(reply, 'utf8'), complete: true, elapsedMs: 1 };
    },
    async close() {
      fake.closed += 1;
    },
  };
  return fake;
}

const noHttp: HttpTransport = {
  request: () => Promise.reject(new Error('the RTSP probe must not use HTTP')),
  close: async () => undefined,
};

function contextWith(rtsp: RtspTransport): ProbeContext {
  return { http: noHttp, rtsp, timeoutMs: 1500, now: () => 0 };
}

const evidenceOf = (result: Awaited<ReturnType<typeof probeRtsp>>, field: string): string[] => result.evidence.filter((e) => e.field === field).map((e) => e.value);

const rtsp = (name: string): Buffer => readCapture(`rtsp/${name}`);

describe('rtspDescribePath / rtspUrl', () => {
  it('uses the vendor main-stream path when the vendor is known, else /', () => {
    expect(rtspDescribePath('Hikvision')).toBe('/Streaming/Channels/101');
    expect(rtspDescribePath('HIKVISION')).toBe('/Streaming/Channels/101');
    expect(rtspDescribePath('Dahua')).toBe('/cam/realmonitor?channel=1&subtype=0');
    expect(rtspDescribePath('Amcrest')).toBe('/cam/realmonitor?channel=1&subtype=0');
    expect(rtspDescribePath('Axis')).toBe('/axis-media/media.amp');
    expect(rtspDescribePath('Hanwha')).toBe('/profile2/media.smp');
    expect(rtspDescribePath('Pelco')).toBe('/');
    expect(rtspDescribePath(null)).toBe('/');
  });

  it('omits the default port, brackets IPv6', () => {
    expect(rtspUrl('192.0.2.40', 554)).toBe('rtsp://192.0.2.40/');
    expect(rtspUrl('192.0.2.40', 8554, '/x')).toBe('rtsp://192.0.2.40:8554/x');
    expect(rtspUrl('fe80::1', 554, '/')).toBe('rtsp://[fe80::1]/');
  });
});

describe('probeRtsp on captured answers', () => {
  // Every captured DESCRIBE 401, with the OPTIONS answer captured from the same device where there is one.
  const cases: Array<{ describe: string; options: string; vendor: string | null; path: string; realm: string; server: string | null; vendorHint: string | null }> = [
    {
      describe: 'dahua-IPC-4K01FD2PAJ6E3FF-DESCRIBE-401-retina-issue62.txt',
      options: 'generic-hisilicon-tcp-av0_0-OPTIONS-200-cameradar-issue142.txt',
      vendor: 'Dahua',
      path: '/cam/realmonitor?channel=1&subtype=0',
      realm: 'Login to 4K01FD2PAJ6E3FF',
      server: null,
      vendorHint: null,
    },
    {
      describe: 'dahua-DVR-D12A163300000656-DESCRIBE-401-hydra-issue695.txt',
      options: 'generic-hisilicon-tcp-av0_0-OPTIONS-200-cameradar-issue142.txt',
      vendor: null,
      path: '/',
      realm: 'Login to D12A163300000656',
      server: null,
      vendorHint: null,
    },
    {
      describe: 'hikvision-IPC-C1214-DESCRIBE-401-exoplayer-issue9800-truncated.txt',
      options: 'hikvision-IPC-C1214-OPTIONS-200-exoplayer-issue9800.txt',
      vendor: 'Hikvision',
      path: '/Streaming/Channels/101',
      realm: 'IP Camera(C1214)',
      server: null,
      vendorHint: null,
    },
    {
      describe: 'axis-AXISOS-GStreamer-DESCRIBE-401-Kane610-axis.txt',
      options: 'axis-AXISOS-GStreamer-OPTIONS-200-Kane610-axis.txt',
      vendor: 'Axis',
      path: '/axis-media/media.amp',
      realm: 'AXIS_ACCC8E012345',
      server: 'GStreamer RTSP server',
      vendorHint: 'Axis',
    },
    {
      describe: 'hanwha-wisenet-iPOLiS-profile2-media.smp-DESCRIBE-401-cameradar-issue199.txt',
      options: 'generic-hisilicon-tcp-av0_0-OPTIONS-200-cameradar-issue142.txt',
      vendor: 'Hanwha',
      path: '/profile2/media.smp',
      realm: 'iPOLiS',
      server: null,
      vendorHint: null,
    },
    {
      describe: 'reolink-h264Preview-DESCRIBE-401-cameradar-issue213-nonce-redacted.txt',
      options: 'reolink-h264Preview-OPTIONS-200-cameradar-issue213.txt',
      vendor: null,
      path: '/',
      realm: 'LIVE555 Streaming Media',
      server: null,
      vendorHint: null,
    },
    {
      describe: 'generic-hisilicon-tcp-av0_0-DESCRIBE-401-cameradar-issue142-nonce-redacted.txt',
      options: 'generic-hisilicon-tcp-av0_0-OPTIONS-200-cameradar-issue142.txt',
      vendor: null,
      path: '/',
      realm: 'RTSPD',
      server: null,
      vendorHint: null,
    },
    {
      describe: 'aiphone-ZePRO-DESCRIBE-401-cameradar-issue199.txt',
      options: 'generic-hisilicon-tcp-av0_0-OPTIONS-200-cameradar-issue142.txt',
      vendor: null,
      path: '/',
      realm: 'Secret',
      server: 'Linux/2.6.32.17-davinci1 Ze-PRO',
      vendorHint: null,
    },
  ];

  it('covers every captured DESCRIBE answer', () => {
    expect(cases.map((c) => c.describe).sort()).toEqual(listCaptures('rtsp').filter((f) => f.includes('-DESCRIBE-')));
  });

  for (const c of cases) {
    it(`${c.describe}: realm, Server and vendor hint from source rtsp, on the vendor path`, async () => {
      const transport = fakeRtsp([rtsp(c.options), rtsp(c.describe)]);
      const result = await probeRtsp(contextWith(transport), { address: '192.0.2.40', port: 554, vendor: c.vendor });
      expect(result.warnings).toEqual([]);
      expect(evidenceOf(result, 'realm')).toEqual([c.realm]);
      if (c.server) expect(evidenceOf(result, 'rtsp-server')[0]).toBe(c.server);
      else expect(evidenceOf(result, 'rtsp-server')).toEqual([]);
      expect(evidenceOf(result, 'vendor')).toEqual(c.vendorHint ? [c.vendorHint] : []);
      expect(result.evidence.every((e) => e.source === 'rtsp')).toBe(true);
      expect(result.services).toEqual([]);

      expect(transport.sent.map((r) => r.message.split('\r\n')[0])).toEqual([
        'OPTIONS rtsp://192.0.2.40/ RTSP/1.0',
        `DESCRIBE rtsp://192.0.2.40${c.path} RTSP/1.0`,
      ]);
      for (const request of transport.sent) {
        expect(request.message).not.toMatch(/authorization/i);
        expect(request).toMatchObject({ host: '192.0.2.40', port: 554, timeoutMs: 1500, maxBytes: MAX_RTSP_READ_BYTES });
      }
      // The injected transport is the caller's to close.
      expect(transport.closed).toBe(0);
    });
  }

  it('Axis: the stray folded Date line in the capture does not hide the GStreamer server or the AXIS_ realm', async () => {
    // SOURCES.md: a space before "Date:" folds it into Server on the DESCRIBE capture.
    expect(readCaptureText('rtsp/axis-AXISOS-GStreamer-DESCRIBE-401-Kane610-axis.txt')).toMatch(/\r\n Date:/);
    const transport = fakeRtsp([rtsp('axis-AXISOS-GStreamer-DESCRIBE-401-Kane610-axis.txt'), rtsp('axis-AXISOS-GStreamer-DESCRIBE-401-Kane610-axis.txt')]);
    const result = await probeRtsp(contextWith(transport), { address: '192.0.2.41', port: 554, vendor: null });
    expect(evidenceOf(result, 'rtsp-server')).toEqual(['GStreamer RTSP server Date: Sat, 12 Dec 2020 10:44:25 GMT']);
    expect(evidenceOf(result, 'vendor')).toEqual(['Axis']);
  });

  it('GStreamer without an AXIS_ realm names no vendor (many devices use GStreamer)', async () => {
    const transport = fakeRtsp([rtsp('axis-AXISOS-GStreamer-OPTIONS-200-Kane610-axis.txt'), rtsp('reolink-h264Preview-DESCRIBE-401-cameradar-issue213-nonce-redacted.txt')]);
    const result = await probeRtsp(contextWith(transport), { address: '192.0.2.41', port: 554, vendor: null });
    expect(evidenceOf(result, 'rtsp-server')).toEqual(['GStreamer RTSP server']);
    expect(evidenceOf(result, 'vendor')).toEqual([]);
  });

  it('recog RTSP Server strings tied to one vendor become a vendor hint, generic ones do not', async () => {
    const values = readCaptureText('rtsp/recog-camera-RTSP-Server-header-values.txt').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const hints: Record<string, string[]> = {};
    for (const server of values) {
      const options = `RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: ${server}\r\nPublic: OPTIONS, DESCRIBE\r\n\r\n`;
      const transport = fakeRtsp([options, rtsp('generic-hisilicon-tcp-av0_0-DESCRIBE-401-cameradar-issue142-nonce-redacted.txt')]);
      const result = await probeRtsp(contextWith(transport), { address: '192.0.2.42', port: 554, vendor: null });
      expect(evidenceOf(result, 'rtsp-server'), server).toEqual([server]);
      hints[server] = evidenceOf(result, 'vendor');
    }
    expect(hints['Dahua Rtsp Server']).toEqual(['Dahua']);
    expect(hints['AvigilonOnvifNvt/2.6.0.130']).toEqual(['Avigilon']);
    expect(hints['Hipcam RealServer/V1.0']).toEqual([]);
    expect(hints['Linux/2.6.35.14_nl-xarina+ Ze-PRO']).toEqual([]);
  });

  it('docs/FIELD-NOTES.md §4 "Rtsp Server/3.0" is Dahua', async () => {
    const options = 'RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: Rtsp Server/3.0\r\nPublic: OPTIONS, DESCRIBE\r\n\r\n';
    const transport = fakeRtsp([options, rtsp('dahua-IPC-4K01FD2PAJ6E3FF-DESCRIBE-401-retina-issue62.txt')]);
    const result = await probeRtsp(contextWith(transport), { address: '192.0.2.43', port: 554, vendor: null });
    expect(evidenceOf(result, 'vendor')).toEqual(['Dahua']);
    expect(evidenceOf(result, 'realm')).toEqual(['Login to 4K01FD2PAJ6E3FF']);
  });
});

describe('probeRtsp failures', () => {
  it('a refused connection is quiet: no warning, no evidence, no DESCRIBE', async () => {
    const transport = fakeRtsp([new RtspTransportError('refused', 'connection refused by 192.0.2.40:554')]);
    const result = await probeRtsp(contextWith(transport), { address: '192.0.2.40', port: 554, vendor: 'Hikvision' });
    expect(result).toEqual({ evidence: [], services: [], warnings: [] });
    expect(transport.sent).toHaveLength(1);
  });

  it('a timeout warns once and does not wait out a second timeout on DESCRIBE', async () => {
    const transport = fakeRtsp([new RtspTransportError('timeout', 'no complete RTSP answer within 1500 ms')]);
    const result = await probeRtsp(contextWith(transport), { address: '192.0.2.40', port: 554, vendor: null });
    expect(result.warnings).toEqual([{ code: 'rtsp-timeout', message: expect.stringContaining('no complete RTSP answer within 1500 ms') }]);
    expect(transport.sent).toHaveLength(1);
  });

  it('an HTTP server on the RTSP port is garbage to us: warned as not RTSP', async () => {
    const http = readCaptureText('http-auth/hikvision-NVR-ERI-K104-P4-ISAPI-System-status-401-full-hikvision_next-issue50.txt');
    const transport = fakeRtsp([http]);
    const result = await probeRtsp(contextWith(transport), { address: '192.0.2.40', port: 554, vendor: null });
    expect(result.warnings.map((w) => w.code)).toEqual(['rtsp-not-rtsp']);
    expect(result.evidence).toEqual([]);
  });

  it('binary noise is warned as malformed', async () => {
    const transport = fakeRtsp([Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00])]);
    const result = await probeRtsp(contextWith(transport), { address: '192.0.2.40', port: 554, vendor: null });
    expect(result.warnings.map((w) => w.code)).toEqual(['rtsp-malformed']);
  });

  it('OPTIONS answered, DESCRIBE times out: the OPTIONS evidence is kept and one warning says why the realm is missing', async () => {
    const transport = fakeRtsp([rtsp('axis-AXISOS-GStreamer-OPTIONS-200-Kane610-axis.txt'), new RtspTransportError('timeout', 'no complete RTSP answer within 1500 ms')]);
    const result = await probeRtsp(contextWith(transport), { address: '192.0.2.40', port: 8554, vendor: 'Axis' });
    expect(evidenceOf(result, 'rtsp-server')).toEqual(['GStreamer RTSP server']);
    expect(evidenceOf(result, 'realm')).toEqual([]);
    expect(result.warnings.map((w) => w.code)).toEqual(['rtsp-timeout']);
    expect(transport.sent[1]!.message.split('\r\n')[0]).toBe('DESCRIBE rtsp://192.0.2.40:8554/axis-media/media.amp RTSP/1.0');
  });

  it('a DESCRIBE answered without a login is reported (anyone can watch the stream)', async () => {
    const sdp = 'v=0\r\no=- 0 0 IN IP4 192.0.2.40\r\ns=Stream\r\n';
    const ok = `RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\nContent-Length: ${sdp.length}\r\n\r\n${sdp}`;
    const transport = fakeRtsp([rtsp('reolink-h264Preview-OPTIONS-200-cameradar-issue213.txt'), ok]);
    const result = await probeRtsp(contextWith(transport), { address: '192.0.2.40', port: 554, vendor: null });
    expect(evidenceOf(result, 'rtsp-anonymous-describe')).toEqual(['rtsp://192.0.2.40/']);
    expect(result.warnings).toEqual([]);
  });

  it('without an injected transport it opens its own and closes it (nothing listens on port 9 of 127.0.0.1)', async () => {
    const started = Date.now();
    const result = await probeRtsp({ http: noHttp, timeoutMs: 1000, now: () => 0 }, { address: '127.0.0.1', port: 9, vendor: null });
    expect(result).toEqual({ evidence: [], services: [], warnings: [] });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
