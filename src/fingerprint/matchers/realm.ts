/**
 * What the realm of an anonymous HTTP/RTSP 401 challenge says about the device (docs/FIELD-NOTES.md §4): Hikvision old =
 * the model ("DS-2CD2310FD-I"), middle = "IP Camera(C2183)", new = a hex id; Dahua "Login to <serial>" (newer
 * firmware: a hash); Axis "AXIS_<serial>" / "AXIS_WS_<serial>", where the Axis serial is the MAC.
 */
import { normaliseMac } from '../../model/device.js';
import { matchModel } from './model.js';
import { MAX_HINT_TEXT, type HintConfidence } from './types.js';
import { findKnownVendor } from '../../model/vendor.js';

export type RealmKind =
  | 'dahua-login-to'
  | 'axis'
  | 'hikvision-ip-camera'
  | 'hikvision-model'
  /** Another vendor's model number used as the realm (D-Link "DCS-2530L"). */
  | 'model'
  | 'hex-id'
  /** The realm names a vendor or its platform ("hikvision", "TP-LINK IP-Camera", "iPOLiS"). */
  | 'vendor-keyword'
  | 'unknown';

export interface RealmMatch {
  kind: RealmKind;
  vendor: string | null;
  serial: string | null;
  model: string | null;
  mac: string | null;
  confidence: HintConfidence | null;
  reason: string;
}

const DAHUA_LOGIN_TO = /^Login to (\S+)$/;
/** Newer Dahua firmware puts a 32-hex-digit hash where the serial was. */
const HASH_32 = /^[0-9a-f]{32}$/i;
/** Dahua/Lorex serials seen: "4K01FD2PAJ6E3FF", "D12A163300000656", "ND011811000000". */
const DAHUA_SERIAL = /^[A-Z0-9]{6,32}$/i;
const AXIS_REALM = /^AXIS_(?:WS_)?([0-9A-F]{12})$/i;
const HIKVISION_IP_CAMERA = /^IP Camera\(([A-Za-z0-9]{1,16})\)$/;
/** Hikvision's newer realm is 24 hex digits on the devices seen; accept a wider band, it proves nothing alone. */
const HEX_ID = /^[0-9a-f]{16,64}$/i;

/** Realms that name a platform rather than a vendor. */
const PLATFORM_KEYWORDS: Array<{ pattern: RegExp; vendor: string; confidence: HintConfidence; reason: string }> = [
  { pattern: /^iPOLiS$/i, vendor: 'Hanwha', confidence: 'medium', reason: 'iPOLiS is the Samsung Techwin / Hanwha device platform' },
  { pattern: /^Use 'live' as User Name/i, vendor: 'Bosch', confidence: 'medium', reason: "Bosch cameras tell the viewer to log in as 'live'" },
  { pattern: /^Device_CGI$/, vendor: 'Dahua', confidence: 'low', reason: 'old Dahua firmware (2.420) answers /cgi-bin/magicBox.cgi with realm Device_CGI' },
];

function result(kind: RealmKind, reason: string, fields: Partial<Omit<RealmMatch, 'kind' | 'reason'>> = {}): RealmMatch {
  return { kind, vendor: null, serial: null, model: null, mac: null, confidence: null, reason, ...fields };
}

/** Interpret a challenge realm (the unquoted value). */
export function matchRealm(realm: string | null | undefined): RealmMatch {
  const text = typeof realm === 'string' ? realm.trim() : '';
  if (text === '' || text.length > MAX_HINT_TEXT) return result('unknown', 'no realm');

  const dahua = DAHUA_LOGIN_TO.exec(text);
  if (dahua) {
    const tail = dahua[1] ?? '';
    if (HASH_32.test(tail)) return result('dahua-login-to', 'Dahua "Login to <hash>" (newer firmware hides the serial)', { vendor: 'Dahua', confidence: 'high' });
    const serial = DAHUA_SERIAL.test(tail) ? tail : null;
    return result('dahua-login-to', 'Dahua (or a Dahua OEM such as Lorex/Amcrest) "Login to <serial>"', { vendor: 'Dahua', serial, confidence: 'high' });
  }

  const axis = AXIS_REALM.exec(text);
  if (axis) {
    const serial = (axis[1] ?? '').toUpperCase();
    return result('axis', 'Axis "AXIS_<serial>"; the Axis serial is the MAC', { vendor: 'Axis', serial, mac: normaliseMac(serial), confidence: 'high' });
  }

  if (HIKVISION_IP_CAMERA.test(text)) return result('hikvision-ip-camera', 'Hikvision "IP Camera(<code>)" realm', { vendor: 'Hikvision', confidence: 'high' });

  const model = matchModel(text);
  if (model.vendor === 'Hikvision' && model.confidence === 'high') {
    return result('hikvision-model', 'older Hikvision firmware uses the model as realm', { vendor: 'Hikvision', model: text, confidence: 'high' });
  }
  if (model.vendor !== null && model.confidence === 'high') {
    return result('model', `the realm is a model number: ${model.reason}`, { vendor: model.vendor, model: text, confidence: 'medium' });
  }

  if (HEX_ID.test(text)) {
    return result('hex-id', 'newer Hikvision firmware uses a hex id as realm, but hex alone does not prove Hikvision', { vendor: 'Hikvision', confidence: 'low' });
  }

  const named = findKnownVendor(text);
  if (named) return result('vendor-keyword', `the realm names ${named}`, { vendor: named, confidence: 'medium' });
  for (const keyword of PLATFORM_KEYWORDS) {
    if (keyword.pattern.test(text)) return result('vendor-keyword', keyword.reason, { vendor: keyword.vendor, confidence: keyword.confidence });
  }
  return result('unknown', 'a generic realm');
}
