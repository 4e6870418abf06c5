/**
 * What an HTTP or RTSP `Server:` header (or an SSDP `SERVER:` string) says about the device. docs/FIELD-NOTES.md §4:
 * `Webs`, `App-webs/`, `DNVRS-Webs` (Hikvision), `Rtsp Server/3.0` (Dahua RTSP). The rest comes from Rapid7 recog's
 * camera fingerprints, kept only where the string is specific; generic servers (lighttpd, Apache, GStreamer…)
 * say nothing about the vendor.
 */
import { MAX_HINT_TEXT, type HintConfidence } from './types.js';

export interface ServerMatch {
  vendor: string | null;
  /** The server software, when named ("DNVRS-Webs", "GStreamer RTSP server", "libupnp"). */
  product: string | null;
  confidence: HintConfidence | null;
  /** "<OS>/<ver>, UPnP/1.x, <product>/<ver>": an SSDP SERVER string, not an HTTP Server header. */
  upnp: boolean;
  reason: string;
}

interface ServerPattern {
  pattern: RegExp;
  vendor: string | null;
  confidence: HintConfidence | null;
  reason: string;
}

const SERVER_PATTERNS: ServerPattern[] = [
  { pattern: /^(?:Hikvision-Webs|DNVRS-Webs|DVRDVS-Webs)$/i, vendor: 'Hikvision', confidence: 'high', reason: 'Hikvision web server name' },
  { pattern: /^App-webs\//i, vendor: 'Hikvision', confidence: 'high', reason: 'Hikvision web server name (newer firmware)' },
  // Hikvision kept GoAhead's "Webs"; other GoAhead devices usually say "GoAhead-Webs".
  { pattern: /^Webs$/i, vendor: 'Hikvision', confidence: 'medium', reason: 'plain "Webs" is Hikvision\'s GoAhead-derived server' },
  { pattern: /^Dahua Rtsp Server/i, vendor: 'Dahua', confidence: 'high', reason: 'Dahua RTSP server name' },
  { pattern: /^Rtsp Server\/3\.0$/i, vendor: 'Dahua', confidence: 'medium', reason: 'Dahua RTSP server (docs/FIELD-NOTES.md §4)' },
  { pattern: /^AvigilonOnvifNvt\//i, vendor: 'Avigilon', confidence: 'high', reason: 'Avigilon ONVIF server name' },
  { pattern: /^ev-compat$/i, vendor: 'Pelco', confidence: 'medium', reason: 'Pelco camera web server (recog)' },
  { pattern: /^VCS-VIDOS-NVR$/i, vendor: 'Bosch', confidence: 'medium', reason: 'Bosch VIDOS NVR (recog)' },
  { pattern: /^alphapd\//i, vendor: 'D-Link', confidence: 'medium', reason: 'D-Link alphapd, DCS cameras (recog)' },
  { pattern: /^Indigo-Security\//i, vendor: 'Indigo Security', confidence: 'medium', reason: 'Indigo Security camera (recog)' },
  { pattern: /^ReeCam IP Camera$/i, vendor: 'ReeCam', confidence: 'medium', reason: 'Shenzhen ReeCam camera (recog)' },
  { pattern: /^FUHO-DVR$/i, vendor: 'FUHO', confidence: 'medium', reason: 'FUHO DVR (recog)' },
  { pattern: /^MWS \d/i, vendor: 'ANNKE', confidence: 'low', reason: 'recog attributes "MWS" to ANNKE cameras; a short generic name' },
  // recog says Sony for the "xarina" kernel; the same Ze-PRO RTSP server also ships on Aiphone intercoms.
  { pattern: /xarina.*\bZe-PRO\b/i, vendor: 'Sony', confidence: 'low', reason: 'Ze-PRO RTSP server on a Sony "xarina" kernel (recog)' },
  { pattern: /\bZe-PRO\b/i, vendor: null, confidence: null, reason: 'Ze-PRO RTSP server: shipped by several makers (Sony, Aiphone)' },
  // AXIS OS streams with the GStreamer RTSP server, but so does any GStreamer-based device.
  { pattern: /^GStreamer RTSP server/i, vendor: 'Axis', confidence: 'low', reason: 'GStreamer RTSP server, used by AXIS OS and many others' },
  { pattern: /^HiIpcam\//i, vendor: 'Foscam', confidence: 'low', reason: 'HiSilicon IP camera SDK; recog says Foscam, clones use it too' },
  { pattern: /^tivo-httpd/i, vendor: 'TiVo', confidence: 'medium', reason: 'TiVo DVR, not a camera' },
];

const GENERIC_SERVERS = /^(?:lighttpd|nginx|Apache|Boa|thttpd|mini_httpd|GoAhead|uc-httpd|Mongoose|Microsoft-IIS|Hipcam|Cross Web Server|Netwave|LIVE555|camera$|IPCamera|Mini Dome IP Camera)/i;

// Product string of an SSDP SERVER value: "Linux/4.9.94-axis5, UPnP/1.0, Portable SDK for UPnP devices/1.6.22".
const UPNP_SERVER = /^([^,]*),\s*UPnP\/\d(?:\.\d)?,\s*(.*)$/i;

/** The name before the first "/version" ("Apache/2.4.27 (Unix)" → "Apache"). */
function productOf(text: string): string | null {
  const product = (text.split('/')[0] ?? '').trim();
  return product === '' ? null : product;
}

function matchUpnpServer(os: string, product: string): ServerMatch {
  const base = { product: productOf(product), upnp: true };
  // Axis builds its own kernel: "Linux/4.9.94-axis5", "Linux/4.14.173-axis8".
  if (/-axis\d*\b/i.test(os)) return { ...base, vendor: 'Axis', confidence: 'high', reason: 'SSDP SERVER with an Axis kernel tag (-axisN)' };
  if (/\bDahua\b/i.test(product)) return { ...base, vendor: 'Dahua', confidence: 'high', reason: 'SSDP SERVER naming the Dahua UPnP SDK' };
  if (/\bHikvision\b/i.test(product)) return { ...base, vendor: 'Hikvision', confidence: 'high', reason: 'SSDP SERVER naming Hikvision' };
  return { ...base, vendor: null, confidence: null, reason: 'SSDP SERVER from a generic UPnP stack' };
}

/** Interpret a Server header value (HTTP or RTSP) or an SSDP SERVER string. */
export function matchServerHeader(server: string | null | undefined): ServerMatch {
  const text = typeof server === 'string' ? server.trim() : '';
  if (text === '' || text.length > MAX_HINT_TEXT) return { vendor: null, product: null, confidence: null, upnp: false, reason: 'no Server header' };
  const upnp = UPNP_SERVER.exec(text);
  if (upnp) return matchUpnpServer(upnp[1] ?? '', upnp[2] ?? '');
  for (const candidate of SERVER_PATTERNS) {
    if (candidate.pattern.test(text)) {
      return { vendor: candidate.vendor, product: productOf(text), confidence: candidate.confidence, upnp: false, reason: candidate.reason };
    }
  }
  const reason = GENERIC_SERVERS.test(text) ? 'a generic server, used by many vendors' : 'an unknown server';
  return { vendor: null, product: productOf(text), confidence: null, upnp: false, reason };
}
