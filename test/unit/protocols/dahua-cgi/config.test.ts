import { describe, expect, it } from 'vitest';
import { parseDahuaConfig, parseDahuaRtspPort } from '../../../../src/protocols/dahua-cgi/index.js';

describe('Dahua getConfig answers', () => {
  it('reads table.RTSP.Port from key=value lines (CRLF)', () => {
    expect(parseDahuaRtspPort('table.RTSP.Enable=true\r\ntable.RTSP.Port=10554\r\ntable.RTSP.RTP.StartPort=20000\r\n')).toBe(10554);
    expect(parseDahuaConfig('a=1\nb=x=y\n').get('b')).toBe('x=y');
  });
  it('gives null for a missing or malformed port', () => {
    expect(parseDahuaRtspPort('Error\r\nBad Request!\r\n')).toBeNull();
    expect(parseDahuaRtspPort('table.RTSP.Port=abc\r\n')).toBeNull();
    expect(parseDahuaRtspPort('table.RTSP.Port=0\r\n')).toBeNull();
  });
});
