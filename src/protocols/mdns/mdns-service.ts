/**
 * Pure helpers over an already-resolved DNS-SD service (bonjour-service owns the socket and the DNS codec).
 * Turns one service into identity hints for the device record (docs/FIELD-NOTES.md §3):
 *
 * - `_axis-video._tcp`: instance "<ProdShortName> - <serial>", e.g. "AXIS M1065-LW - 00408C123456"; TXT
 *   `macaddress=`. An Axis serial number is its MAC. DoorBird door stations advertise the same service type,
 *   so the vendor comes from the MAC's OUI (or the name), not from the service type.
 * - `_CGI._tcp` (Hikvision): instance "HIKVISION <model> - <serial tail>". Only the tail of the serial.
 * - `_onvif._tcp`, `_http._tcp`, `_rtsp._tcp`: names, ports and addresses; the same name rules apply.
 */
import { isIP } from 'node:net';
import { normaliseMac } from '../../model/device.js';

/** The subset of bonjour-service's Service (or Home Assistant's ZeroconfServiceInfo) that we read. */
export interface MdnsServiceInput {
  /** Instance name; bonjour-service gives the first DNS label, HA the full service instance name. */
  name?: string;
  /** "axis-video" (bonjour-service, with `protocol` apart) or "_axis-video._tcp.local." (HA). */
  type?: string;
  protocol?: string;
  host?: string;
  port?: number;
  addresses?: string[];
  txt?: Record<string, unknown>;
  fqdn?: string;
}

export interface MdnsDeviceHint {
  vendor: string | null;
  /** As the device spells it in its instance name ("AXIS M1065-LW", "DS-2CD2385G1-I"). */
  model: string | null;
  mac: string | null;
  serial: string | null;
  /** Hikvision announces only the end of its serial; kept apart so it never passes for a full serial. */
  serialTail: string | null;
  /** The service instance name, without the service type and domain. */
  name: string | null;
  port: number | null;
  addresses: string[];
  /** Lowercase "_service._proto", e.g. "_axis-video._tcp", "_cgi._tcp". */
  serviceType: string | null;
}

const MAX_ADDRESSES = 32;
const MAX_TXT_ENTRIES = 64;
const MAX_NAME_CHARS = 255;

/**
 * OUIs from Home Assistant's zeroconf matchers for `_axis-video._tcp` (axis: 00408C, ACCC8E, B8A44F, E82725;
 * doorbird: 1CCAE3), which is how HA tells the two apart on the same service type.
 */
const VENDOR_BY_OUI: ReadonlyMap<string, string> = new Map([
  ['00:40:8c', 'Axis'],
  ['ac:cc:8e', 'Axis'],
  ['b8:a4:4f', 'Axis'],
  ['e8:27:25', 'Axis'],
  ['1c:ca:e3', 'DoorBird'],
]);

const AXIS_NAME = /^(AXIS\s+\S.*?)\s+-\s+([0-9A-Fa-f]{12})(?:\s|$)/;
const HIKVISION_NAME = /^HIKVISION\s+(\S+)\s+-\s+([0-9A-Za-z]{1,64})$/i;
const SERVICE_TYPE = /^_[a-z0-9-]{1,63}\._(?:tcp|udp)$/;

export function parseMdnsService(service: MdnsServiceInput): MdnsDeviceHint {
  const serviceType = serviceTypeOf(service);
  const name = instanceNameOf(service);
  const txt = txtOf(service.txt);
  let mac = normaliseMac(txt.get('macaddress') ?? txt.get('mac'));

  let vendor: string | null = null;
  let model: string | null = null;
  let serial: string | null = null;
  let serialTail: string | null = null;

  const axis = name === null ? null : AXIS_NAME.exec(name);
  const hikvision = name === null ? null : HIKVISION_NAME.exec(name);
  if (axis) {
    model = axis[1] ?? null;
    mac ??= normaliseMac(axis[2]);
  } else if (hikvision) {
    vendor = 'Hikvision';
    model = hikvision[1] ?? null;
    serialTail = hikvision[2] ?? null;
  }

  const ouiVendor = mac === null ? undefined : VENDOR_BY_OUI.get(mac.slice(0, 8));
  if (ouiVendor !== undefined) vendor = ouiVendor;
  else if (axis) vendor = 'Axis';
  else if (vendor === null && name !== null && /doorbird/i.test(name)) vendor = 'DoorBird';

  // Axis prints the MAC as the serial number (UPnP serialNumber and the label agree on every capture).
  if (vendor === 'Axis' && mac !== null) serial = mac.replace(/:/g, '').toUpperCase();

  return {
    vendor,
    model,
    mac,
    serial,
    serialTail,
    name,
    port: portOf(service.port),
    addresses: addressesOf(service),
    serviceType,
  };
}

function serviceTypeOf(service: MdnsServiceInput): string | null {
  let type = typeof service.type === 'string' ? service.type.trim().replace(/\.$/, '').replace(/\.local$/i, '') : '';
  if (type !== '' && !type.startsWith('_')) {
    // bonjour-service splits "_axis-video._tcp" into type "axis-video" and protocol "tcp"; every camera
    // service we look for is TCP, which is also bonjour-service's default.
    const protocol = typeof service.protocol === 'string' && service.protocol !== '' ? service.protocol : 'tcp';
    type = `_${type}._${protocol.replace(/^_/, '')}`;
  }
  if (type === '' && typeof service.fqdn === 'string') {
    type = /(_[^.]+\._(?:tcp|udp))\.local\.?$/i.exec(service.fqdn)?.[1] ?? '';
  }
  type = type.toLowerCase();
  return SERVICE_TYPE.test(type) ? type : null;
}

/**
 * bonjour-service cuts the instance name at its first dot ("AXIS M5014 - ACCC8E3C0419 H.264" becomes
 * "... H"), so the full name is taken from the fqdn when it has one.
 */
function instanceNameOf(service: MdnsServiceInput): string | null {
  for (const candidate of [service.fqdn, service.name]) {
    if (typeof candidate !== 'string') continue;
    const instance = /^(.+?)\._[^.]+\._(?:tcp|udp)\.local\.?$/i.exec(candidate)?.[1];
    const cleaned = clean(instance ?? (candidate === service.name ? candidate : ''));
    if (cleaned !== null) return cleaned;
  }
  return null;
}

/** RFC 6763 §4.3 presentation escapes (`\.`, `\\`, `\032`), then control characters dropped. */
function clean(value: string): string | null {
  const unescaped = value.replace(/\\(\d{3}|.)/g, (_whole, escaped: string) =>
    escaped.length === 3 ? String.fromCharCode(Number(escaped) & 0xff) : escaped,
  );
  const printable = Array.from(unescaped)
    .filter((char) => {
      const code = char.codePointAt(0) ?? 0;
      return code >= 0x20 && code !== 0x7f;
    })
    .join('')
    .trim()
    .slice(0, MAX_NAME_CHARS);
  return printable === '' ? null : printable;
}

/** RFC 6763 §6.4: TXT keys are case-insensitive; the first occurrence wins. Values may arrive as bytes. */
function txtOf(txt: Record<string, unknown> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof txt !== 'object' || txt === null) return out;
  for (const [key, value] of Object.entries(txt).slice(0, MAX_TXT_ENTRIES)) {
    const lower = key.toLowerCase();
    if (out.has(lower)) continue;
    if (typeof value === 'string') out.set(lower, value);
    else if (value instanceof Uint8Array) out.set(lower, Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8'));
    else if (typeof value === 'number' && Number.isFinite(value)) out.set(lower, String(value));
  }
  return out;
}

function portOf(port: unknown): number | null {
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535 ? port : null;
}

function addressesOf(service: MdnsServiceInput): string[] {
  const candidates = [...(Array.isArray(service.addresses) ? service.addresses : []), service.host];
  const out: string[] = [];
  for (const candidate of candidates) {
    if (typeof candidate !== 'string' || candidate.length > 64) continue;
    const address = candidate.trim();
    if (isIP(address) !== 0 && !out.includes(address)) out.push(address);
    if (out.length >= MAX_ADDRESSES) break;
  }
  return out;
}
