/**
 * Is a WS-Discovery endpoint a video device? The multicast group is shared: Windows PCs announce themselves with
 * Types "wsdp:Device pub:Computer", Linux/Samba hosts running wsdd send Hellos with no Types at all and an XAddr
 * on port 5357, printers and scanners answer too (docs/FIELD-NOTES.md §3; negative-* captures). An ONVIF device says so
 * with the NetworkVideoTransmitter type, the tds:Device type, or onvif:// scopes, which ONVIF Core requires of
 * every conformant device — so a reply without Types but with ONVIF scopes (generic HiSilicon capture) is a camera.
 *
 * Type prefixes cannot be resolved to namespaces (the XML layer drops xmlns declarations), so "Device" is judged by
 * its conventional prefix: tds:Device (ONVIF device service) versus wsdp:Device (Devices Profile for Web Services).
 */
import type { ProbeMatch } from './parse-message.js';
import { parseScopes } from './scopes.js';

export type EndpointKind = 'camera' | 'nvr' | 'computer' | 'unknown';

/**
 * Scope types recorders use. Not standardised by ONVIF (Profile G devices still advertise NetworkVideoTransmitter),
 * so this is best effort: a recorder without such a scope is reported as a camera.
 */
const RECORDER_SCOPE_TYPES = new Set(['nvr', 'nvs', 'dvr', 'xvr', 'network_video_recorder', 'networkvideorecorder', 'network_video_storage', 'networkvideostorage', 'video_recorder', 'recorder']);
const RECORDER_TYPES = new Set(['networkvideostorage', 'networkvideorecorder']);
/** Windows and wsdd: pub:Computer; WSD print and scan services (Microsoft WSD Print/Scan Service schemas). */
const NON_VIDEO_TYPES = new Set(['computer', 'printdevicetype', 'printservicetype', 'scandevicetype', 'scanservicetype']);
/** IANA "wsdapi": the HTTP port of Windows Web Services on Devices, also used by wsdd. */
const WSDAPI_PORT = /^https?:\/\/[^/]+:5357(?:\/|$)/i;

export function classifyEndpoint(match: ProbeMatch): EndpointKind {
  const types = match.types.map((qname) => {
    const colon = qname.indexOf(':');
    return { prefix: colon >= 0 ? qname.slice(0, colon).toLowerCase() : '', local: qname.slice(colon + 1).toLowerCase() };
  });
  const scopes = parseScopes(match.scopes);
  const hasOnvifScope = match.scopes.some((s) => /^onvif:\/\/www\.onvif\.org\//i.test(s));
  const onvif = hasOnvifScope || types.some((t) => t.local === 'networkvideotransmitter' || (t.prefix === 'tds' && t.local === 'device'));
  if (onvif) {
    const recorder = types.some((t) => RECORDER_TYPES.has(t.local)) || scopes.types.some((t) => RECORDER_SCOPE_TYPES.has(t.toLowerCase()));
    return recorder ? 'nvr' : 'camera';
  }
  const devicesProfileHost =
    types.some((t) => NON_VIDEO_TYPES.has(t.local) || (t.prefix === 'wsdp' && t.local === 'device')) ||
    (match.xaddrs.length > 0 && match.xaddrs.every((x) => WSDAPI_PORT.test(x)));
  return devicesProfileHost ? 'computer' : 'unknown';
}
