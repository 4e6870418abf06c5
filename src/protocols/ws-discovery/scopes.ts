/**
 * ONVIF scopes (ONVIF Core, "Scopes"): URIs of the form onvif://www.onvif.org/<key>/<value>, with the standard
 * keys type, location, hardware, name and Profile, %-encoded (RFC 3986). Real devices capitalise keys freely
 * ("Name", "Model", "MAC"), wrap the list over lines, and add their own keys: `MAC/…` (Hikvision), `acc/mac/…`
 * and `acc/mfr/…` (FLIR, Avigilon ACC), `avigilon/mac/…`, `type/manufacturer/…` (Foscam), `mfr/…`, `firmware/…`
 * (Tiandy). Non-ONVIF scopes (dvtel://…, urn:schemas-pelco-com:…) are kept in `other`.
 */
import { normaliseMac } from '../../model/device.js';
import { findKnownVendor, normaliseVendor } from '../../model/vendor.js';

export interface ScopeInfo {
  /** hardware/<model> (or Model/<model> from devices that use that key instead). */
  hardware: string | null;
  /** name/<…>: the vendor, "<VENDOR> <model>", or a name the installer typed. */
  name: string | null;
  /** Lowercase colon form, from MAC/…, acc/mac/…, avigilon/mac/… scopes. */
  mac: string | null;
  /** Every location/<…> value, joined with ", " ("country/china, city/Shenzhen"). */
  location: string | null;
  /** Profile/<…> values: "Streaming", "G", "Q/Operational". */
  profiles: string[];
  /** type/<…> values: "video_encoder", "Network_Video_Transmitter", "ptz". */
  types: string[];
  /** Every scope not under one of the keys above, exactly as received. */
  other: string[];
  /** manufacturer/…, mfr/…, acc/mfr/…, type/manufacturer/… — a maker stated outright. */
  manufacturer: string | null;
  /** firmware/…, acc/firmware/version/…, avigilon/firmware/version/… */
  firmware: string | null;
}

const ONVIF_SCOPE = /^onvif:\/\/www\.onvif\.org\/(.*)$/i;
/** The Hikvision capture has 8 scopes, FLIR 16; a device sending hundreds is not describing itself. */
const MAX_SCOPES = 128;
const MAX_SCOPE_CHARS = 1024;

export function parseScopes(scopes: string[]): ScopeInfo {
  const info: ScopeInfo = { hardware: null, name: null, mac: null, location: null, profiles: [], types: [], other: [], manufacturer: null, firmware: null };
  let model: string | null = null;
  const locations: string[] = [];
  const items = scopes.flatMap((s) => (typeof s === 'string' ? s.split(/\s+/) : [])).filter((s) => s !== '' && s.length <= MAX_SCOPE_CHARS);
  for (const scope of items.slice(0, MAX_SCOPES)) {
    const path = ONVIF_SCOPE.exec(scope)?.[1];
    if (path === undefined) {
      info.other.push(scope);
      continue;
    }
    const segments = path.split('/');
    const key = (segments[0] ?? '').toLowerCase();
    const rest = segments.slice(1);
    const value = decodeScopeValue(rest.join('/'));
    switch (key) {
      case 'hardware':
        info.hardware ??= value;
        break;
      case 'model':
        model ??= value;
        break;
      case 'name':
        info.name ??= value;
        break;
      case 'location':
        if (value !== null && !locations.includes(value)) locations.push(value);
        break;
      case 'profile':
        if (value !== null && !info.profiles.includes(value)) info.profiles.push(value);
        break;
      case 'type':
        if ((rest[0] ?? '').toLowerCase() === 'manufacturer') info.manufacturer ??= decodeScopeValue(rest.slice(1).join('/'));
        else if (value !== null && !info.types.includes(value)) info.types.push(value);
        break;
      case 'mac':
        info.mac ??= normaliseMac(value);
        break;
      case 'manufacturer':
      case 'mfr':
        info.manufacturer ??= value;
        break;
      case 'firmware':
        info.firmware ??= value;
        break;
      default:
        info.other.push(scope);
        readVendorKeys(info, segments);
    }
  }
  info.hardware ??= model;
  info.location = locations.length > 0 ? locations.join(', ') : null;
  return info;
}

/** Vendor sub-trees that still say something: acc/mac/…, acc/mfr/…, avigilon/firmware/version/… */
function readVendorKeys(info: ScopeInfo, segments: string[]): void {
  const lower = segments.map((s) => s.toLowerCase());
  const after = (index: number): string | null => (index >= 0 ? decodeScopeValue(segments.slice(index + 1).join('/')) : null);
  const macIndex = lower.indexOf('mac');
  if (macIndex >= 0) info.mac ??= normaliseMac(decodeScopeValue(segments[macIndex + 1] ?? ''));
  const makerIndex = lower.findIndex((s) => s === 'mfr' || s === 'manufacturer');
  if (makerIndex >= 0) info.manufacturer ??= after(makerIndex);
  const firmwareIndex = lower.indexOf('firmware');
  if (firmwareIndex >= 0) info.firmware ??= after(lower[firmwareIndex + 1] === 'version' ? firmwareIndex + 1 : firmwareIndex);
}

/**
 * RFC 3986 percent-decoding that tolerates what devices send: a stray "%", "%zz", or bytes that are not UTF-8
 * stay as written instead of throwing (decodeURIComponent throws URIError on all three). Control characters
 * become spaces. Empty → null.
 */
export function decodeScopeValue(raw: string): string | null {
  const decoded = raw.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(run.replace(/%/g, ''), 'hex'));
    } catch {
      return run;
    }
  });
  // eslint-disable-next-line no-control-regex -- control characters never belong in a name shown in a table
  const cleaned = decoded.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return cleaned === '' ? null : cleaned;
}

// ---- vendor and model --------------------------------------------------------------------------------------

/** Words devices put where a maker belongs when the firmware is white-label (Tiandy OEM: mfr/ipcamera). */
const PLACEHOLDER_MAKERS = new Set(['ipcamera', 'ipcam', 'ipc', 'camera', 'onvif', 'manufacturer', 'generic', 'unknown', 'default', 'none', 'null', 'vendor', 'oem']);
/** Tapo C200 sends hardware/MODEL (edgex capture): a template value, not a model. */
const PLACEHOLDER_MODELS = new Set(['model', 'unknown', 'none', 'null', 'default', 'hardware']);

/** Default device names that identify the maker though no vendor word appears. */
const NAME_ALIASES: Record<string, string> = {
  // TP-Link Tapo C200 (edgex capture): name/TP-IPC.
  'tp-ipc': 'TP-Link',
};

/** Scopes in a maker's own namespace. */
const VENDOR_SCOPES: Array<{ pattern: RegExp; vendor: string }> = [
  { pattern: /^onvif:\/\/www\.onvif\.org\/avigilon\//i, vendor: 'Avigilon' },
  { pattern: /^urn:schemas-pelco-com:/i, vendor: 'Pelco' },
  { pattern: /^flir:\/\//i, vendor: 'FLIR' },
  // FLIR bought DVTEL in 2015; the Ariel and Quasar lines carry dvtel:// scopes next to acc/mfr/FLIR Systems.
  { pattern: /^dvtel:\/\//i, vendor: 'FLIR' },
];

/**
 * The maker and model the scopes state. Vendor, in order: a manufacturer scope (unless a placeholder), a name
 * scope that starts with a known maker ("HIKVISION DS-2CD3955FWD-IWS", "AXIS M1034-W", "Dahua") or is a known
 * default name, a scope in a maker's own namespace. A name that is not a known maker ("IPCAM", "STD", "Xuất cảnh 4")
 * gives no vendor: installers rename cameras, and inferring makers from model numbers is the fingerprinter's job
 * (fingerprint/matchers/model.ts). Model: the hardware scope, else the single word after a vendor in the name.
 */
export function vendorFromScopes(info: ScopeInfo): { vendor: string | null; model: string | null } {
  let vendor: string | null = null;
  if (info.manufacturer && !isPlaceholder(info.manufacturer, PLACEHOLDER_MAKERS)) vendor = normaliseVendor(info.manufacturer);
  const nameVendor = info.name ? (findKnownVendor(info.name) ?? NAME_ALIASES[info.name.toLowerCase()] ?? null) : null;
  vendor ??= nameVendor;
  vendor ??= VENDOR_SCOPES.find((v) => info.other.some((scope) => v.pattern.test(scope)))?.vendor ?? null;

  let model = info.hardware && !isPlaceholder(info.hardware, PLACEHOLDER_MODELS) ? info.hardware : null;
  if (model === null && nameVendor && info.name) {
    const words = info.name.split(' ');
    const rest = words[1];
    if (words.length === 2 && rest !== undefined && !isPlaceholder(rest, PLACEHOLDER_MODELS)) model = rest;
  }
  return { vendor, model };
}

function isPlaceholder(value: string, placeholders: Set<string>): boolean {
  return placeholders.has(value.toLowerCase().replace(/[^a-z0-9]+/g, ''));
}
