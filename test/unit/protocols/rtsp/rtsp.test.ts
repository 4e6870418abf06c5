import { describe, it, expect } from 'vitest';
import { listCaptures, readCapture, readCaptureText } from '../../../support/captures.js';
import {
  MAX_RTSP_RESPONSE_BYTES,
  RtspError,
  buildRtspRequest,
  parseRtspResponse,
  vendorFromRtspServer,
} from '../../../../src/protocols/rtsp/rtsp.js';
import type { RtspRequestInput, RtspResponse } from '../../../../src/protocols/rtsp/rtsp.js';
import { parseWwwAuthenticate } from '../../../../src/protocols/http-auth/www-authenticate.js';

function rtspErrorOf(run: () => unknown): RtspError {
  try {
    run();
  } catch (error) {
    if (error instanceof RtspError) return error;
    throw error;
  }
  throw new Error('expected an RtspError');
}

describe('buildRtspRequest', () => {
  it('writes an anonymous OPTIONS', () => {
    expect(buildRtspRequest({ method: 'OPTIONS', url: 'rtsp://192.0.2.40:554/', cseq: 1 })).toBe('OPTIONS rtsp://192.0.2.40:554/ RTSP/1.0\r\nCSeq: 1\r\n\r\n');
  });

  it('writes an anonymous DESCRIBE asking for SDP, with a User-Agent when given', () => {
    expect(buildRtspRequest({ method: 'DESCRIBE', url: 'rtsp://192.0.2.40/Streaming/Channels/101', cseq: 2, userAgent: 'oneknock/0.1' })).toBe(
      'DESCRIBE rtsp://192.0.2.40/Streaming/Channels/101 RTSP/1.0\r\nCSeq: 2\r\nUser-Agent: oneknock/0.1\r\nAccept: application/sdp\r\n\r\n',
    );
  });

  it('has no way to carry credentials: extra fields are ignored and userinfo URLs refused', () => {
    const sneaky = { method: 'OPTIONS', url: 'rtsp://h/', cseq: 1, headers: { Authorization: 'Basic YWRtaW46MTIzNDU=' }, authorization: 'Digest x' } as unknown as RtspRequestInput;
    expect(buildRtspRequest(sneaky)).not.toMatch(/authorization|YWRtaW4/i);
    for (const url of ['rtsp://admin:12345@192.0.2.40/', 'rtsp://admin@192.0.2.40/', 'rtsp://@192.0.2.40/', 'rtsp://a:b@[2001:db8::1]:554/']) {
      expect(rtspErrorOf(() => buildRtspRequest({ method: 'DESCRIBE', url, cseq: 1 })).code, url).toBe('rtsp-invalid-request');
    }
  });

  it('refuses input that would break the request line or smuggle headers', () => {
    const bad: RtspRequestInput[] = [
      { method: 'OPTIONS', url: 'rtsp://h/ RTSP/1.0\r\nAuthorization: Basic x\r\n', cseq: 1 },
      { method: 'OPTIONS', url: 'rtsp://h/a b', cseq: 1 },
      { method: 'OPTIONS', url: 'http://h/', cseq: 1 },
      { method: 'OPTIONS', url: 'not a url', cseq: 1 },
      { method: 'OPTIONS', url: 'rtsp:///path', cseq: 1 },
      { method: 'OPTIONS', url: `rtsp://h/${'a'.repeat(3000)}`, cseq: 1 },
      { method: 'OPTIONS', url: 'rtsp://h/', cseq: -1 },
      { method: 'OPTIONS', url: 'rtsp://h/', cseq: 1.5 },
      { method: 'OPTIONS', url: 'rtsp://h/', cseq: 1, userAgent: 'x\r\nAuthorization: Basic y' },
      { method: 'SETUP' as 'OPTIONS', url: 'rtsp://h/', cseq: 1 },
    ];
    for (const input of bad) expect(rtspErrorOf(() => buildRtspRequest(input)).code, JSON.stringify(input)).toBe('rtsp-invalid-request');
  });
});

describe('parseRtspResponse on every RTSP capture', () => {
  type Expected = Pick<RtspResponse, 'statusCode' | 'reason' | 'complete'> & Partial<Pick<RtspResponse, 'cseq' | 'server' | 'public'>> & { challenges: number };
  const OPTIONS_PUBLIC = ['OPTIONS', 'DESCRIBE', 'SETUP', 'TEARDOWN', 'PLAY', 'PAUSE', 'GET_PARAMETER', 'SET_PARAMETER'];
  const expected: Record<string, Expected> = {
    'aiphone-ZePRO-DESCRIBE-401-cameradar-issue199.txt': { statusCode: 401, reason: 'Unauthorized', complete: true, cseq: 1, server: 'Linux/2.6.32.17-davinci1 Ze-PRO', challenges: 1 },
    'axis-AXISOS-GStreamer-DESCRIBE-401-Kane610-axis.txt': {
      statusCode: 401, reason: 'Unauthorized', complete: true, cseq: 1, server: 'GStreamer RTSP server Date: Sat, 12 Dec 2020 10:44:25 GMT', challenges: 1,
    },
    'axis-AXISOS-GStreamer-OPTIONS-200-Kane610-axis.txt': {
      statusCode: 200, reason: 'OK', complete: true, cseq: 0, server: 'GStreamer RTSP server', challenges: 0,
      public: ['OPTIONS', 'DESCRIBE', 'ANNOUNCE', 'GET_PARAMETER', 'PAUSE', 'PLAY', 'RECORD', 'SETUP', 'SET_PARAMETER', 'TEARDOWN'],
    },
    'dahua-DVR-D12A163300000656-DESCRIBE-401-hydra-issue695.txt': { statusCode: 401, reason: 'Unauthorized', complete: true, cseq: 2, challenges: 1 },
    'dahua-IPC-4K01FD2PAJ6E3FF-DESCRIBE-401-retina-issue62.txt': { statusCode: 401, reason: 'Unauthorized', complete: true, cseq: 1, challenges: 1 },
    'generic-hisilicon-tcp-av0_0-DESCRIBE-401-cameradar-issue142-nonce-redacted.txt': { statusCode: 401, reason: 'Unauthorized', complete: true, cseq: 3, challenges: 1 },
    'generic-hisilicon-tcp-av0_0-OPTIONS-200-cameradar-issue142.txt': { statusCode: 200, reason: 'OK', complete: true, cseq: 2, public: OPTIONS_PUBLIC, challenges: 0 },
    'hanwha-wisenet-iPOLiS-profile2-media.smp-DESCRIBE-401-cameradar-issue199.txt': { statusCode: 401, reason: 'Unauthorized', complete: true, cseq: 1, challenges: 1 },
    'hikvision-IPC-C1214-DESCRIBE-401-exoplayer-issue9800-truncated.txt': { statusCode: 401, reason: 'Unauthorized', complete: false, cseq: 1, challenges: 2 },
    'hikvision-IPC-C1214-OPTIONS-200-exoplayer-issue9800.txt': {
      statusCode: 200, reason: 'OK', complete: true, cseq: 0, challenges: 0,
      public: ['OPTIONS', 'DESCRIBE', 'PLAY', 'PAUSE', 'SETUP', 'TEARDOWN', 'SET_PARAMETER', 'GET_PARAMETER'],
    },
    'reolink-h264Preview-DESCRIBE-401-cameradar-issue213-nonce-redacted.txt': { statusCode: 401, reason: 'Unauthorized', complete: true, cseq: 3, challenges: 1 },
    'reolink-h264Preview-OPTIONS-200-cameradar-issue213.txt': { statusCode: 200, reason: 'OK', complete: true, cseq: 2, public: OPTIONS_PUBLIC, challenges: 0 },
  };

  it('has an expectation for every response capture', () => {
    expect(listCaptures('rtsp').filter((f) => !f.startsWith('recog-')).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [file, want] of Object.entries(expected)) {
    it(`decodes ${file}`, () => {
      const response = parseRtspResponse(readCapture(`rtsp/${file}`));
      expect(response.protocol).toBe('RTSP/1.0');
      expect(response.statusCode).toBe(want.statusCode);
      expect(response.reason).toBe(want.reason);
      expect(response.complete).toBe(want.complete);
      expect(response.cseq).toBe(want.cseq);
      expect(response.server).toBe(want.server);
      expect(response.public).toEqual(want.public);
      expect(response.wwwAuthenticate).toHaveLength(want.challenges);
      expect(parseWwwAuthenticate(response.wwwAuthenticate)).toHaveLength(want.challenges);
      expect(response.bodyLength).toBe(want.complete ? 0 : undefined);
    });
  }

  it('reads the two OPTIONS captures of 152 bytes (the size their logs report)', () => {
    for (const file of ['reolink-h264Preview-OPTIONS-200-cameradar-issue213.txt', 'generic-hisilicon-tcp-av0_0-OPTIONS-200-cameradar-issue142.txt']) {
      const bytes = readCapture(`rtsp/${file}`);
      expect(bytes.byteLength).toBe(152);
      expect(parseRtspResponse(bytes).bodyLength).toBe(0);
    }
  });

  it('accepts text as well as bytes', () => {
    const file = 'rtsp/dahua-DVR-D12A163300000656-DESCRIBE-401-hydra-issue695.txt';
    expect(parseRtspResponse(readCaptureText(file))).toEqual(parseRtspResponse(readCapture(file)));
  });
});

describe('parseRtspResponse edge cases', () => {
  it('reports Content-Length and the body bytes present', () => {
    const sdp = 'v=0\r\no=- 0 0 IN IP4 192.0.2.40\r\ns=Media Presentation\r\n';
    const response = parseRtspResponse(`RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: application/sdp\r\nContent-Length: ${Buffer.byteLength(sdp)}\r\n\r\n${sdp}`);
    expect(response.contentLength).toBe(Buffer.byteLength(sdp));
    expect(response.bodyLength).toBe(Buffer.byteLength(sdp));
  });

  it('ignores non-numeric CSeq and Content-Length instead of guessing', () => {
    const response = parseRtspResponse('RTSP/1.0 200 OK\r\nCSeq: two\r\nContent-Length: -5\r\n\r\n');
    expect(response.cseq).toBeUndefined();
    expect(response.contentLength).toBeUndefined();
  });

  it('names its failures', () => {
    expect(rtspErrorOf(() => parseRtspResponse('')).code).toBe('rtsp-empty');
    expect(rtspErrorOf(() => parseRtspResponse(new Uint8Array(0))).code).toBe('rtsp-empty');
    expect(rtspErrorOf(() => parseRtspResponse('HTTP/1.1 401 Unauthorized\r\n\r\n')).code).toBe('rtsp-not-rtsp');
    expect(rtspErrorOf(() => parseRtspResponse('\u0000\u0001garbage\r\n\r\n')).code).toBe('rtsp-malformed');
    expect(rtspErrorOf(() => parseRtspResponse(Buffer.alloc(MAX_RTSP_RESPONSE_BYTES + 1, 0x41))).code).toBe('rtsp-too-large');
  });
});

describe('vendorFromRtspServer', () => {
  it('gives a hint only for vendor-specific strings among the recog RTSP Server examples', () => {
    const values = readCaptureText('rtsp/recog-camera-RTSP-Server-header-values.txt')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(values.map((v) => [v, vendorFromRtspServer(v)?.vendor ?? null])).toEqual([
      ['Hipcam RealServer/V1.0', null],
      ['Dahua Rtsp Server', 'Dahua'],
      ['HiIpcam/V100R003 VodServer/1.0.0', null],
      ['Indigo-Security/1.0', null],
      ['AvigilonOnvifNvt/2.6.0.130', 'Avigilon'],
      // recog calls this Sony, the cameradar capture an Aiphone: shared platform, no hint.
      ['Linux/2.6.35.14_nl-xarina+ Ze-PRO', null],
    ]);
  });

  it('knows Dahua\'s "Rtsp Server/3.0" (docs/FIELD-NOTES.md §4)', () => {
    expect(vendorFromRtspServer('Rtsp Server/3.0')).toMatchObject({ vendor: 'Dahua', confidence: 'likely' });
    expect(vendorFromRtspServer('Rtsp Server/2.0')).toBeNull();
  });

  it('calls GStreamer Axis only with an AXIS_<serial> realm, as in the Axis DESCRIBE capture', () => {
    const describe = parseRtspResponse(readCapture('rtsp/axis-AXISOS-GStreamer-DESCRIBE-401-Kane610-axis.txt'));
    const realm = parseWwwAuthenticate(describe.wwwAuthenticate)[0]!.realm;
    expect(vendorFromRtspServer(describe.server, realm)).toMatchObject({ vendor: 'Axis', confidence: 'likely' });
    expect(vendorFromRtspServer('GStreamer RTSP server')).toBeNull();
    expect(vendorFromRtspServer('GStreamer RTSP server', 'RTSPD')).toBeNull();
    expect(vendorFromRtspServer('GStreamer RTSP server', 'AXIS_WS_ACCC8E494578')?.vendor).toBe('Axis');
  });

  it('says nothing about absent or generic servers', () => {
    expect(vendorFromRtspServer(undefined)).toBeNull();
    expect(vendorFromRtspServer('')).toBeNull();
    expect(vendorFromRtspServer('LIVE555 Streaming Media v2019.01.01')).toBeNull();
  });
});
