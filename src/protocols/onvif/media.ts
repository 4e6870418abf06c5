/**
 * ONVIF Media (ver10, media.wsdl) and Media2 (ver20, media2.wsdl): GetProfiles and GetStreamUri, the calls that
 * turn a logged-in device into RTSP URLs. Requests name their own namespace; responses are read by local name.
 *
 * - Media ver10 GetStreamUri takes StreamSetup{Stream=RTP-Unicast, Transport{Protocol=RTSP}} ("RTP over RTSP over
 *   TCP: StreamType = RTP_unicast, TransportProtocol = RTSP", ONVIF Media Service Specification) and answers
 *   MediaUri/Uri.
 * - Media2 GetStreamUri takes Protocol=RTSP and a ProfileToken and answers Uri directly (media2.wsdl).
 * Both GetProfiles answer Profiles elements with a `token` attribute and a Name child.
 */
import { childElement, decodeXmlText, escapeXml, findElements } from '../xml/parse-xml.js';
import { readSoapResponse } from './soap.js';

export const ONVIF_MEDIA_NAMESPACE = 'http://www.onvif.org/ver10/media/wsdl';
export const ONVIF_MEDIA2_NAMESPACE = 'http://www.onvif.org/ver20/media/wsdl';
const ONVIF_SCHEMA_NAMESPACE = 'http://www.onvif.org/ver10/schema';

export type MediaVersion = 'media' | 'media2';

export interface MediaProfile {
  token: string;
  name: string | null;
}

/** A device lists a handful of profiles; more than this is not describing cameras. */
const MAX_PROFILES = 32;
const MAX_TOKEN_CHARS = 64;
const MAX_URI_CHARS = 2048;

function namespaceOf(version: MediaVersion): string {
  return version === 'media' ? ONVIF_MEDIA_NAMESPACE : ONVIF_MEDIA2_NAMESPACE;
}

export function getProfilesBody(version: MediaVersion): string {
  return version === 'media' ? `<trt:GetProfiles xmlns:trt="${ONVIF_MEDIA_NAMESPACE}"/>` : `<tr2:GetProfiles xmlns:tr2="${ONVIF_MEDIA2_NAMESPACE}"/>`;
}

export function getStreamUriBody(version: MediaVersion, profileToken: string): string {
  const token = escapeXml(profileToken);
  if (version === 'media') {
    return `<trt:GetStreamUri xmlns:trt="${ONVIF_MEDIA_NAMESPACE}" xmlns:tt="${ONVIF_SCHEMA_NAMESPACE}"><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup><trt:ProfileToken>${token}</trt:ProfileToken></trt:GetStreamUri>`;
  }
  return `<tr2:GetStreamUri xmlns:tr2="${ONVIF_MEDIA2_NAMESPACE}"><tr2:Protocol>RTSP</tr2:Protocol><tr2:ProfileToken>${token}</tr2:ProfileToken></tr2:GetStreamUri>`;
}

/** Profiles in document order (the first is conventionally the main stream); entries without a usable token are skipped. */
export function parseGetProfiles(xml: string | Uint8Array): MediaProfile[] {
  const response = readSoapResponse(xml, 'GetProfilesResponse');
  const profiles: MediaProfile[] = [];
  for (const element of response.children.filter((c) => c.name === 'Profiles')) {
    if (profiles.length >= MAX_PROFILES) break;
    const token = (element.attributes['token'] ?? '').trim();
    if (token === '' || token.length > MAX_TOKEN_CHARS || /[\s<>&]/.test(token)) continue;
    const name = childElement(element, 'Name');
    const text = name ? decodeXmlText(name.text).trim() : '';
    profiles.push({ token, name: text === '' ? null : text.slice(0, 128) });
  }
  return profiles;
}

/** The stream URI from either version's GetStreamUriResponse (ver10 MediaUri/Uri, ver20 Uri), or null. */
export function parseGetStreamUri(xml: string | Uint8Array): string | null {
  const response = readSoapResponse(xml, 'GetStreamUriResponse');
  const media = childElement(response, 'MediaUri');
  const uri = childElement(media ?? response, 'Uri') ?? findElements(response, 'Uri')[0];
  if (!uri) return null;
  const text = decodeXmlText(uri.text).trim();
  if (text === '' || text.length > MAX_URI_CHARS || /\s/.test(text)) return null;
  return text;
}

/**
 * Which media service a GetServices answer offers: Media (ver10, which every Profile S device serves) when listed,
 * else Media2 (a Profile T device may offer only that), else null.
 */
export function pickMediaService(services: Array<{ namespace: string; xaddr: string }>): { version: MediaVersion; xaddr: string } | null {
  for (const version of ['media', 'media2'] as const) {
    const found = services.find((s) => s.namespace === namespaceOf(version));
    if (found) return { version, xaddr: found.xaddr };
  }
  return null;
}
