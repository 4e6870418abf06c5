/**
 * Stream URLs of a device logged in through its vendor API: the vendor's documented RTSP paths on the responder's
 * address, with the RTSP port the device reports where it has an API for it (one bounded read), else 554.
 *
 * - Hikvision: /Streaming/Channels/101 (main) and 102 (sub), channel N as N01/N02; port from
 *   /ISAPI/Security/adminAccesses.
 * - Dahua: /cam/realmonitor?channel=1&subtype=0 (main) and subtype=1 (sub); port from
 *   configManager.cgi?action=getConfig&name=RTSP.
 * - Axis: /axis-media/media.amp (one stream; VAPIX RTSP), port 554 (RFC 2326 default).
 */
import { parseAdminAccessRtspPort } from '../../protocols/hikvision/index.js';
import { parseDahuaRtspPort } from '../../protocols/dahua-cgi/index.js';
import type { VerifiedSession } from '../session.js';
import type { VerifiedRead, VerifiedReadResult } from './types.js';
import { vendorStreamUri } from './stream-uri.js';
import { responderOf } from './onvif-streams.js';

async function portFrom(session: VerifiedSession, path: string, parse: (text: string) => number | null, into: VerifiedReadResult): Promise<number | null> {
  const response = await session.http('GET', path);
  const port = response.statusCode === 200 ? safe(() => parse(response.body.toString('utf8'))) : null;
  if (port === null) into.notes.push(`the RTSP port was not read (${path} answered HTTP ${response.statusCode}); 554 assumed`);
  return port;
}

function push(session: VerifiedSession, into: VerifiedReadResult, port: number | null, paths: Array<[string, string]>): void {
  for (const [profile, path] of paths) into.streams.push({ profile, uri: vendorStreamUri(responderOf(session), port, path), source: 'vendor-path' });
}

export const hikvisionStreamsRead: VerifiedRead = {
  name: 'hikvision-streams',
  applies: (session) => session.item.service?.kind === 'hikvision-isapi',
  async run(session, into) {
    const port = await portFrom(session, '/ISAPI/Security/adminAccesses', parseAdminAccessRtspPort, into);
    if (session.closedReason) return;
    push(session, into, port, [['main', '/Streaming/Channels/101'], ['sub', '/Streaming/Channels/102']]);
  },
};

export const dahuaStreamsRead: VerifiedRead = {
  name: 'dahua-streams',
  applies: (session) => session.item.service?.kind === 'dahua-cgi',
  async run(session, into) {
    const port = await portFrom(session, '/cgi-bin/configManager.cgi?action=getConfig&name=RTSP', parseDahuaRtspPort, into);
    if (session.closedReason) return;
    push(session, into, port, [['main', '/cam/realmonitor?channel=1&subtype=0'], ['sub', '/cam/realmonitor?channel=1&subtype=1']]);
  },
};

export const axisStreamsRead: VerifiedRead = {
  name: 'axis-streams',
  applies: (session) => session.item.service?.kind === 'axis-vapix',
  async run(session, into) {
    push(session, into, null, [['main', '/axis-media/media.amp']]);
  },
};

function safe<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}
