/**
 * ONVIF: the RTSP URLs of a device logged in through its ONVIF device service. GetServices (GetCapabilities when
 * the device has no GetServices, ONVIF 1.x) says where Media or Media2 lives; GetProfiles lists the profiles; one
 * GetStreamUri per profile for the first two (main, sub). Every call goes through the session: same origin, same
 * scheme, the bound, and the end at the first refusal (S2).
 */
import {
  getCapabilitiesBody,
  getProfilesBody,
  getServicesBody,
  getStreamUriBody,
  parseCapabilities,
  parseGetProfiles,
  parseGetStreamUri,
  parseServices,
  pickMediaService,
  type MediaVersion,
} from '../../protocols/onvif/index.js';
import type { VerifiedSession } from '../session.js';
import type { VerifiedRead, VerifiedReadResult } from './types.js';
import { checkStreamUri } from './stream-uri.js';

/** Main and sub stream: what go2rtc/Frigate and the inventory use; more profiles would spend reads for nothing. */
const MAX_STREAM_PROFILES = 2;

export function responderOf(session: VerifiedSession): string {
  return new URL(session.origin).hostname.replace(/^\[|\]$/g, '');
}

/** The media service address on the session's origin: one that names another origin is reported and rewritten. */
function onOrigin(session: VerifiedSession, xaddr: string, into: VerifiedReadResult): string | null {
  let url: URL;
  try {
    url = new URL(xaddr);
  } catch {
    into.notes.push(`media service address "${xaddr.slice(0, 80)}" is not a URL`);
    return null;
  }
  if (url.origin === session.origin) return url.toString();
  into.notes.push(`media service address ${url.origin} is not the login's ${session.origin}; its path was used on ${session.origin}`);
  return new URL(url.pathname + url.search, session.origin).toString();
}

async function findMedia(session: VerifiedSession, deviceUrl: string, into: VerifiedReadResult): Promise<{ version: MediaVersion; xaddr: string } | null> {
  const services = await session.soap(deviceUrl, getServicesBody(false));
  if (services.statusCode === 200) {
    try {
      const found = pickMediaService(parseServices(services.body));
      if (found) return found;
    } catch {
      // a body that is not a GetServicesResponse: ask the ONVIF 1.x way below
    }
  }
  if (session.closedReason) return null;
  const capabilities = await session.soap(deviceUrl, getCapabilitiesBody());
  if (capabilities.statusCode !== 200) {
    into.notes.push(`neither GetServices nor GetCapabilities answered (HTTP ${services.statusCode}, ${capabilities.statusCode}); no stream URI`);
    return null;
  }
  const media = parseCapabilities(capabilities.body).mediaXAddr;
  return media ? { version: 'media', xaddr: media } : null;
}

export const onvifStreamsRead: VerifiedRead = {
  name: 'onvif-streams',
  applies: (session) => session.item.service?.kind === 'onvif',
  async run(session, into) {
    const media = await findMedia(session, session.item.service!.url, into);
    if (!media) {
      if (!session.closedReason) into.notes.push('the device lists no ONVIF Media service; no stream URI');
      return;
    }
    const xaddr = onOrigin(session, media.xaddr, into);
    if (!xaddr) return;
    const profilesAnswer = await session.soap(xaddr, getProfilesBody(media.version));
    if (profilesAnswer.statusCode !== 200) {
      into.notes.push(`GetProfiles answered HTTP ${profilesAnswer.statusCode}; no stream URI`);
      return;
    }
    const profiles = parseGetProfiles(profilesAnswer.body).slice(0, MAX_STREAM_PROFILES);
    const responder = responderOf(session);
    for (const profile of profiles) {
      if (session.closedReason) break;
      const answer = await session.soap(xaddr, getStreamUriBody(media.version, profile.token));
      if (answer.statusCode !== 200) {
        into.notes.push(`GetStreamUri for profile ${profile.token} answered HTTP ${answer.statusCode}`);
        continue;
      }
      const raw = parseGetStreamUri(answer.body);
      if (!raw) {
        into.notes.push(`GetStreamUri for profile ${profile.token} gave no URI`);
        continue;
      }
      const checked = checkStreamUri(raw, responder);
      if (checked.note) into.notes.push(`profile ${profile.token}: ${checked.note}`);
      if (checked.kind === 'ok') into.streams.push({ profile: profile.token, uri: checked.uri, source: media.version === 'media' ? 'onvif-media' : 'onvif-media2' });
    }
  },
};
