import { describe, expect, it } from 'vitest';
import { parseAdminAccessRtspPort } from '../../../../src/protocols/hikvision/index.js';

const list = (entries: string): string => `<?xml version="1.0" encoding="UTF-8"?><AdminAccessProtocolList version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">${entries}</AdminAccessProtocolList>`;
const entry = (protocol: string, port: string, enabled = 'true'): string => `<AdminAccessProtocol><id>1</id><enabled>${enabled}</enabled><protocol>${protocol}</protocol><portNo>${port}</portNo></AdminAccessProtocol>`;

describe('Hikvision adminAccesses', () => {
  it('finds the enabled RTSP port among the access protocols', () => {
    expect(parseAdminAccessRtspPort(list(entry('HTTP', '80') + entry('HTTPS', '443') + entry('RTSP', '8554')))).toBe(8554);
  });
  it('gives null without an RTSP entry, for a disabled one and for a port out of range', () => {
    expect(parseAdminAccessRtspPort(list(entry('HTTP', '80')))).toBeNull();
    expect(parseAdminAccessRtspPort(list(entry('RTSP', '554', 'false')))).toBeNull();
    expect(parseAdminAccessRtspPort(list(entry('RTSP', '70000')))).toBeNull();
  });
});
