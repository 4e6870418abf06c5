import { describe, expect, it } from 'vitest';
import { origin, urlHost } from '../../../src/model/address.js';

describe('addresses in URLs', () => {
  it('brackets IPv6 literals (with a zone too) and leaves IPv4 and bracketed hosts alone', () => {
    expect(urlHost('192.0.2.1')).toBe('192.0.2.1');
    expect(urlHost('fd00::a')).toBe('[fd00::a]');
    expect(urlHost('fe80::1%eth0')).toBe('[fe80::1%eth0]');
    expect(urlHost('[fd00::a]')).toBe('[fd00::a]');
  });

  it('leaves out the default port of the scheme', () => {
    expect(origin('http', '192.0.2.1', 80)).toBe('http://192.0.2.1');
    expect(origin('http', '192.0.2.1', 8000)).toBe('http://192.0.2.1:8000');
    expect(origin('https', 'fd00::a', 443)).toBe('https://[fd00::a]');
    expect(origin('rtsp', 'fd00::a', 8554)).toBe('rtsp://[fd00::a]:8554');
    expect(origin('rtsp', '192.0.2.1', null)).toBe('rtsp://192.0.2.1');
  });
});
