import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listCaptures, readCaptureText } from '../../../support/captures.js';
import {
  DEFAULT_RTSP_DESCRIBE_TEMPLATE,
  DEFAULT_RTSP_OPTIONS_TEMPLATE,
  fillRtspTemplate,
  startRtspResponder,
  type RtspRequestNotice,
  type RtspResponder,
} from '../../../../src/simulator/responders/rtsp-responder.js';
import { buildRtspRequest, parseRtspResponse } from '../../../../src/protocols/rtsp/index.js';
import { parseWwwAuthenticate } from '../../../../src/protocols/http-auth/index.js';
import { createRtspTransport } from '../../../../src/transport/rtsp.js';
import { loadProfile } from '../../../../src/simulator/profile.js';

const DATE = new Date('2026-11-24T10:00:00Z');

describe('fillRtspTemplate on the captured answers', () => {
  const templates = listCaptures('rtsp').filter((f) => /-(OPTIONS-200|DESCRIBE-401)-/.test(f));

  it('there are captured OPTIONS and DESCRIBE answers to use', () => {
    expect(templates.length).toBeGreaterThanOrEqual(10);
    expect(templates).toContain(DEFAULT_RTSP_OPTIONS_TEMPLATE.slice('rtsp/'.length));
    expect(templates).toContain(DEFAULT_RTSP_DESCRIBE_TEMPLATE.slice('rtsp/'.length));
  });

  for (const name of templates) {
    it(`${name}: echoes CSeq, sets Date, Server, realm and nonce, keeps the rest, ends the head`, () => {
      const capture = readCaptureText(`rtsp/${name}`);
      const text = fillRtspTemplate(capture, { cseq: '7', server: 'Rtsp Server/3.0', realm: 'Login to 6G0A1B2PAZ12345', nonce: 'feedface', date: DATE });
      expect(text.endsWith('\r\n\r\n')).toBe(true);
      const response = parseRtspResponse(text);
      const original = parseRtspResponse(capture);
      expect(response.complete).toBe(true);
      expect(response.statusCode).toBe(original.statusCode);
      expect(response.cseq).toBe(7);
      expect(response.server).toBe('Rtsp Server/3.0');
      expect(response.public).toEqual(original.public);
      const challenges = parseWwwAuthenticate(response.wwwAuthenticate);
      expect(challenges.map((c) => c.scheme)).toEqual(parseWwwAuthenticate(original.wwwAuthenticate).map((c) => c.scheme));
      for (const challenge of challenges) expect(challenge.realm).toBe('Login to 6G0A1B2PAZ12345');
      for (const challenge of challenges.filter((c) => c.scheme === 'digest')) expect(challenge.nonce).toBe('feedface');
      if (original.headers.some(([n]) => n.toLowerCase() === 'date')) {
        expect(response.headers.find(([n]) => n.toLowerCase() === 'date')?.[1]).toBe('Tue, 24 Nov 2026 10:00:00 GMT');
      }
    });
  }

  it('Hikvision: the truncated capture keeps its Digest + Basic pair and stale="FALSE", and gets a closed head', () => {
    const text = fillRtspTemplate(readCaptureText('rtsp/hikvision-IPC-C1214-DESCRIBE-401-exoplayer-issue9800-truncated.txt'), { cseq: '2', server: null, realm: 'a1b2c3d4e5f60718293a4b5c', nonce: 'n1', date: DATE });
    expect(text).toBe(
      'RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\n' +
        'WWW-Authenticate: Digest realm="a1b2c3d4e5f60718293a4b5c", nonce="n1", stale="FALSE"\r\n' +
        'WWW-Authenticate: Basic realm="a1b2c3d4e5f60718293a4b5c"\r\n' +
        'Date:  Tue, 24 Nov 2026 10:00:00 GMT\r\n\r\n',
    );
  });

  it('Axis: the stray space that folds Date into Server is dropped, so Server reads as the device sends it', () => {
    const text = fillRtspTemplate(readCaptureText('rtsp/axis-AXISOS-GStreamer-DESCRIBE-401-Kane610-axis.txt'), { cseq: '2', server: 'GStreamer RTSP server', realm: 'AXIS_ACCC8E123404', nonce: 'n2', date: DATE });
    expect(parseRtspResponse(text).server).toBe('GStreamer RTSP server');
    expect(text).toContain('stale=FALSE');
  });

  it('server null removes the header; a template without one gains it', () => {
    const axis = readCaptureText('rtsp/axis-AXISOS-GStreamer-OPTIONS-200-Kane610-axis.txt');
    expect(parseRtspResponse(fillRtspTemplate(axis, { cseq: '1', server: null, date: DATE })).server).toBeUndefined();
    const hisilicon = readCaptureText('rtsp/generic-hisilicon-tcp-av0_0-OPTIONS-200-cameradar-issue142.txt');
    expect(parseRtspResponse(fillRtspTemplate(hisilicon, { cseq: '1', server: 'X/1', date: DATE })).server).toBe('X/1');
  });
});

describe('startRtspResponder', () => {
  let responder: RtspResponder | null = null;
  const notices: RtspRequestNotice[] = [];

  afterEach(async () => {
    await responder?.close();
    responder = null;
    notices.length = 0;
  });

  async function start(): Promise<RtspResponder> {
    const profile = loadProfile('axis-m1034-w');
    responder = await startRtspResponder({ address: '127.0.0.1', port: 0, ...profile.rtsp!, onRequest: (n) => notices.push(n) });
    return responder;
  }

  /** Send raw bytes on one connection and collect what comes back until `answers` heads have arrived. */
  function raw(port: number, bytes: string, answers: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      let text = '';
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`only got: ${JSON.stringify(text)}`));
      }, 2000);
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (text.split('\r\n\r\n').length - 1 >= answers) {
          clearTimeout(timer);
          socket.destroy();
          resolve(text);
        }
      });
      socket.on('error', reject);
      socket.write(bytes);
    });
  }

  it('answers OPTIONS 200 and DESCRIBE 401 in the Axis profile\'s realm, counting both as anonymous', async () => {
    const { port } = await start();
    const transport = createRtspTransport();
    const url = `rtsp://127.0.0.1:${port}/axis-media/media.amp`;
    const options = parseRtspResponse((await transport.request({ host: '127.0.0.1', port, message: buildRtspRequest({ method: 'OPTIONS', url, cseq: 1 }), timeoutMs: 2000, maxBytes: 16_384 })).bytes);
    const describe = parseRtspResponse((await transport.request({ host: '127.0.0.1', port, message: buildRtspRequest({ method: 'DESCRIBE', url, cseq: 2 }), timeoutMs: 2000, maxBytes: 16_384 })).bytes);
    await transport.close();
    expect(options).toMatchObject({ statusCode: 200, cseq: 1, server: 'GStreamer RTSP server' });
    expect(options.public).toEqual(['OPTIONS', 'DESCRIBE', 'ANNOUNCE', 'GET_PARAMETER', 'PAUSE', 'PLAY', 'RECORD', 'SETUP', 'SET_PARAMETER', 'TEARDOWN']);
    expect(describe).toMatchObject({ statusCode: 401, cseq: 2, server: 'GStreamer RTSP server' });
    const [challenge] = parseWwwAuthenticate(describe.wwwAuthenticate);
    expect(challenge).toMatchObject({ scheme: 'digest', realm: 'AXIS_ACCC8E123404' });
    expect(challenge!.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(notices).toEqual([
      { source: '127.0.0.1', method: 'OPTIONS', credentialed: false, basic: false },
      { source: '127.0.0.1', method: 'DESCRIBE', credentialed: false, basic: false },
    ]);
  });

  it('reports a request with credentials (header or URL userinfo) as credentialed, Basic as basic; still 401', async () => {
    const { port } = await start();
    const text = await raw(
      port,
      `DESCRIBE rtsp://127.0.0.1:${port}/ RTSP/1.0\r\nCSeq: 3\r\nAuthorization: Basic YWRtaW46MTIzNDU=\r\n\r\n` +
        `DESCRIBE rtsp://127.0.0.1:${port}/ RTSP/1.0\r\nCSeq: 4\r\nAuthorization: Digest username="admin", realm="AXIS_ACCC8E123404"\r\n\r\n` +
        `DESCRIBE rtsp://admin:12345@127.0.0.1:${port}/ RTSP/1.0\r\nCSeq: 5\r\n\r\n`,
      3,
    );
    expect(text.match(/RTSP\/1\.0 401 Unauthorized/g)).toHaveLength(3);
    expect(text.match(/CSeq: \d/g)).toEqual(['CSeq: 3', 'CSeq: 4', 'CSeq: 5']);
    expect(notices.map((n) => [n.credentialed, n.basic])).toEqual([
      [true, true],
      [true, false],
      [true, false],
    ]);
  });

  it('501 for a method RTSP does not have, 400 and a closed connection for garbage', async () => {
    const { port } = await start();
    expect(await raw(port, `BREW rtsp://127.0.0.1:${port}/ RTSP/1.0\r\nCSeq: 9\r\n\r\n`, 1)).toMatch(/^RTSP\/1\.0 501 Not Implemented\r\nCSeq: 9\r\n/);
    expect(await raw(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 1)).toMatch(/^RTSP\/1\.0 400 Bad Request/);
  });
});
