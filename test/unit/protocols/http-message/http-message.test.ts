import { describe, it, expect } from 'vitest';
import { readCapture, readCaptureText } from '../../../support/captures.js';
import { HttpMessageDecodeError, MAX_HEAD_BYTES, headerValues, parseHttpResponseHead } from '../../../../src/protocols/http-message/http-message.js';

function decodeErrorOf(input: string | Uint8Array): HttpMessageDecodeError {
  try {
    parseHttpResponseHead(input);
  } catch (error) {
    if (error instanceof HttpMessageDecodeError) return error;
    throw error;
  }
  throw new Error('expected an HttpMessageDecodeError');
}

const HIKVISION_NVR = 'http-auth/hikvision-NVR-ERI-K104-P4-ISAPI-System-status-401-full-hikvision_next-issue50.txt';

describe('parseHttpResponseHead on captures', () => {
  it('reads the full Hikvision NVR 401 (CRLF head, LF body) with its body where Content-Length says', () => {
    const bytes = readCapture(HIKVISION_NVR);
    const head = parseHttpResponseHead(bytes);
    expect(head.protocol).toBe('HTTP/1.1');
    expect(head.statusCode).toBe(401);
    expect(head.reason).toBe('Unauthorized');
    expect(head.complete).toBe(true);
    expect(head.headers.map(([name]) => name)).toEqual([
      'Date', 'Server', 'Cache-Control', 'Content-Length', 'Content-Type', 'Connection', 'Keep-Alive', 'WWW-Authenticate',
    ]);
    expect(headerValues(head.headers, 'server')).toEqual(['DNVRS-Webs']);
    expect(headerValues(head.headers, 'content-type')).toEqual(['application/xml; charset="UTF-8"']);
    expect(headerValues(head.headers, 'www-authenticate')[0]).toMatch(/^Digest realm="fe12f37bdXXXXXbccbbd35f1", domain="::"/);
    const body = bytes.subarray(head.bodyOffset!);
    expect(body.byteLength).toBe(Number(headerValues(head.headers, 'Content-Length')[0]));
    expect(body.byteLength).toBe(138);
    expect(body.toString('utf8')).toMatch(/^<\?xml version="1.0" encoding="UTF-8" \?>\n<userCheck>/);
  });

  it('gives the same headers for text input, with a character body offset', () => {
    const text = readCaptureText(HIKVISION_NVR);
    const head = parseHttpResponseHead(text);
    expect(head.headers).toEqual(parseHttpResponseHead(readCapture(HIKVISION_NVR)).headers);
    expect(text.slice(head.bodyOffset!)).toMatch(/<\/userCheck>\n$/);
  });

  it('reads the partial Dahua capture (no blank line: incomplete) without losing its challenge', () => {
    const head = parseHttpResponseHead(readCapture('http-auth/dahua-IPC-HFW4300S-V2-fw2.420-magicBox-cgi-401-partial-rroller-issue583.txt'));
    expect(head.statusCode).toBe(401);
    expect(head.complete).toBe(false);
    expect(head.bodyOffset).toBeNull();
    expect(headerValues(head.headers, 'WWW-Authenticate')).toEqual(['Basic realm="Device_CGI"']);
  });

  it('folds the Axis DESCRIBE continuation line into Server (RFC 7230 §3.2.4 obs-fold), as SOURCES.md warns', () => {
    const head = parseHttpResponseHead(readCapture('rtsp/axis-AXISOS-GStreamer-DESCRIBE-401-Kane610-axis.txt'));
    expect(head.protocol).toBe('RTSP/1.0');
    expect(headerValues(head.headers, 'server')).toEqual(['GStreamer RTSP server Date: Sat, 12 Dec 2020 10:44:25 GMT']);
    expect(headerValues(head.headers, 'date')).toEqual([]);
    expect(head.headers).toHaveLength(3);
  });

  it('keeps a truncated last line as it arrived (Hikvision C1214 DESCRIBE excerpt)', () => {
    const head = parseHttpResponseHead(readCapture('rtsp/hikvision-IPC-C1214-DESCRIBE-401-exoplayer-issue9800-truncated.txt'));
    expect(head.complete).toBe(false);
    expect(headerValues(head.headers, 'date')).toEqual(['Tue, Dec 21 2021 12:08:36']);
    expect(headerValues(head.headers, 'www-authenticate')).toHaveLength(2);
  });
});

describe('parseHttpResponseHead edge cases', () => {
  it('accepts bare LF line ends', () => {
    const crlf = readCaptureText('rtsp/reolink-h264Preview-OPTIONS-200-cameradar-issue213.txt');
    const lf = crlf.replace(/\r\n/g, '\n');
    const a = parseHttpResponseHead(crlf);
    const b = parseHttpResponseHead(lf);
    expect(b.headers).toEqual(a.headers);
    expect(b.complete).toBe(true);
    expect(b.bodyOffset).toBe(lf.length);
  });

  it('allows an empty reason phrase and keeps header names as sent', () => {
    const head = parseHttpResponseHead('HTTP/1.0 204\r\nX-Thing:  spaced value \t\r\n\r\n');
    expect(head.statusCode).toBe(204);
    expect(head.reason).toBe('');
    expect(head.headers).toEqual([['X-Thing', 'spaced value']]);
  });

  it('skips lines without a colon or with an invalid name instead of failing', () => {
    const head = parseHttpResponseHead('HTTP/1.1 401 Unauthorized\r\ngarbage line\r\nBad Name: x\r\n: empty\r\nWWW-Authenticate: Basic realm="x"\r\n\r\n');
    expect(head.headers).toEqual([['WWW-Authenticate', 'Basic realm="x"']]);
  });

  it('counts bodyOffset in bytes for byte input even with multi-byte characters in the head', () => {
    const text = 'HTTP/1.1 200 OK\r\nX-Realm: Kamera Süd\r\n\r\nbody';
    const bytes = Buffer.from(text, 'utf8');
    expect(bytes.subarray(parseHttpResponseHead(bytes).bodyOffset!).toString()).toBe('body');
    expect(text.slice(parseHttpResponseHead(text).bodyOffset!)).toBe('body');
    expect(headerValues(parseHttpResponseHead(bytes).headers, 'x-realm')).toEqual(['Kamera Süd']);
  });

  it('names its failures', () => {
    expect(decodeErrorOf('').code).toBe('http-head-empty');
    expect(decodeErrorOf(new Uint8Array(0)).code).toBe('http-head-empty');
    expect(decodeErrorOf('\r\n\r\n').code).toBe('http-head-empty');
    expect(decodeErrorOf('<html>hello</html>\r\n\r\n').code).toBe('http-head-malformed');
    expect(decodeErrorOf('HTTP/1.1 20 OK\r\n\r\n').code).toBe('http-head-malformed');
    expect(decodeErrorOf(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(MAX_HEAD_BYTES + 10)}`).code).toBe('http-head-too-large');
    expect(decodeErrorOf(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(MAX_HEAD_BYTES + 10)}\r\n\r\n`).code).toBe('http-head-too-large');
    const many = Array.from({ length: 200 }, (_, i) => `X-${i}: ${i}`).join('\r\n');
    expect(decodeErrorOf(`HTTP/1.1 200 OK\r\n${many}\r\n\r\n`).code).toBe('http-head-too-large');
  });
});

describe('headerValues', () => {
  it('matches names case-insensitively and keeps every value in order', () => {
    const headers: Array<[string, string]> = [['WWW-Authenticate', 'Digest a'], ['Server', 's'], ['www-authenticate', 'Basic b']];
    expect(headerValues(headers, 'Www-Authenticate')).toEqual(['Digest a', 'Basic b']);
    expect(headerValues(headers, 'absent')).toEqual([]);
  });
});
