/**
 * Hikvision SADP (Search Active Devices Protocol): XML over UDP 37020, group 239.255.255.250 (docs/FIELD-NOTES.md §3).
 * We only ever send the `inquiry` Probe. SADP also has commands that carry `<Password>` (activate, modify
 * network parameters, reset); sending one is a login attempt that counts towards the lock (docs/SAFETY.md S1), so no
 * builder for them exists here.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { normaliseMac } from '../../model/device.js';
import { XmlDecodeError, decodeXmlText, parseXml } from '../xml/parse-xml.js';
import type { XmlElement } from '../xml/parse-xml.js';
import { CodecError } from '../codec-error.js';

export type SadpErrorCode = 'sadp-too-large' | 'sadp-malformed' | 'sadp-unsupported' | 'sadp-empty';

export class SadpDecodeError extends CodecError<SadpErrorCode> {}

/** A ProbeMatch is ~1.5 KB on every capture; anything near a UDP datagram's maximum is not SADP. */
export const MAX_SADP_BYTES = 16 * 1024;
/** Bounds the raw field map; real ProbeMatches carry about 40 elements. */
const MAX_RAW_FIELDS = 256;
const MAX_FIELD_CHARS = 1024;

export interface SadpProbeMatch {
  kind: 'probe-match';
  /** Echo of the inquirer's UUID (not a device identity): matches a reply to our own inquiry. */
  uuid?: string;
  /** Hikvision's numeric device class code, e.g. "141945". */
  deviceType?: string;
  /** DeviceDescription: the model, e.g. "DS-2CD2385G1-I". */
  model?: string;
  /** DeviceSN: model + date + serial, e.g. "DS-2CD2385G1-I20200414AAWRE33842150". */
  serial?: string;
  /** Lowercase colon form; the wire uses dashes ("58-50-ed-1f-e3-85"). */
  mac?: string;
  ipv4?: string;
  ipv4Mask?: string;
  ipv4Gateway?: string;
  /** Omitted when the device reports the unspecified address "::". */
  ipv6?: string;
  httpPort?: number;
  /** The SDK ("server") port, 8000 by default. */
  commandPort?: number;
  httpsPort?: number;
  /** SoftwareVersion exactly as sent ("V5.6.2build 190701"); normalising it is the fingerprinter's job. */
  firmware?: string;
  dspVersion?: string;
  activated?: boolean;
  dhcp?: boolean;
  /** DeviceLock as reported; its exact semantics are not documented publicly. */
  deviceLocked?: boolean;
  /** DetailOEMCode. */
  oemCode?: string;
  /**
   * True when the datagram was cut short (it opened `<ProbeMatch>` but never closed it): the fields are the
   * complete elements that arrived before the cut. Callers should surface a warning.
   */
  truncated?: boolean;
  /** Every leaf element directly under ProbeMatch, trimmed, first occurrence wins. */
  raw: Record<string, string>;
}

export interface SadpInquiry {
  kind: 'inquiry';
  uuid?: string;
}

export type SadpMessage = SadpProbeMatch | SadpInquiry;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The inquiry Probe, byte for byte in the form Hikvision's SADPTool sends (captured: LF line ends, uppercase
 * UUID). The UUID is a parameter: the caller owns randomness. Throws RangeError for a malformed UUID (a caller
 * bug, not network input).
 */
export function buildSadpInquiry(uuid: string): string {
  if (!UUID_PATTERN.test(uuid)) throw new RangeError(`SADP inquiry needs an RFC 4122 UUID, got ${JSON.stringify(uuid)}`);
  return `<?xml version="1.0" encoding="utf-8"?>\n<Probe>\n<Uuid>${uuid.toUpperCase()}</Uuid>\n<Types>inquiry</Types>\n</Probe>\n`;
}

/**
 * Decode one SADP datagram. Returns a ProbeMatch (a device answering) or an inquiry (ours echoed by the group,
 * or another tool's, to ignore). A datagram truncated inside `<ProbeMatch>` is decoded partially and flagged
 * `truncated` rather than refused: the identity fields come first and are each complete. Anything else that is
 * not well-formed throws SadpDecodeError.
 */
export function parseSadpMessage(bytes: Uint8Array | string): SadpMessage {
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
  if (size > MAX_SADP_BYTES) throw new SadpDecodeError('sadp-too-large', `SADP datagram of ${size} bytes exceeds ${MAX_SADP_BYTES}`);
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.trim() === '') throw new SadpDecodeError('sadp-empty', 'empty SADP datagram');

  let root: XmlElement;
  try {
    root = parseXml(text, MAX_SADP_BYTES);
  } catch (error) {
    if (error instanceof XmlDecodeError && error.code === 'xml-malformed') {
      const partial = salvageTruncatedProbeMatch(text);
      if (partial) return partial;
    }
    const detail = error instanceof Error ? error.message : String(error);
    throw new SadpDecodeError('sadp-malformed', `malformed SADP datagram: ${detail}`, { cause: error });
  }

  if (root.name === 'ProbeMatch') return probeMatchFromRaw(leafFields(root), false);
  if (root.name === 'Probe') {
    const raw = leafFields(root);
    if (raw['Types']?.toLowerCase() === 'inquiry') return withOptional<SadpInquiry>({ kind: 'inquiry' }, { uuid: raw['Uuid'] || undefined });
    throw new SadpDecodeError('sadp-unsupported', `SADP Probe of type ${JSON.stringify(raw['Types'] ?? '')} is not an inquiry`);
  }
  throw new SadpDecodeError('sadp-unsupported', `unexpected SADP root element <${root.name}>`);
}

function leafFields(root: XmlElement): Record<string, string> {
  const raw: Record<string, string> = {};
  let count = 0;
  for (const child of root.children) {
    if (child.children.length > 0 || !isUsableName(child.name) || Object.hasOwn(raw, child.name)) continue;
    if (++count > MAX_RAW_FIELDS) break;
    raw[child.name] = decodeXmlText(child.text).trim().slice(0, MAX_FIELD_CHARS);
  }
  return raw;
}

/**
 * Truncated datagrams (seen in the wild: a DVR's ProbeMatch cut mid-tag) fail the XML validator. If the text
 * opens a ProbeMatch that never closes, keep the complete `<Name>value</Name>` leaves before the cut. The regex
 * is linear (no nested quantifiers) and both name and value lengths are bounded.
 */
function salvageTruncatedProbeMatch(text: string): SadpProbeMatch | null {
  const body = text.replace(/^\uFEFF/, '').replace(/<\?xml[^>]{0,200}\?>/, '').replace(/<!--[\s\S]*?-->/g, '');
  const open = /^\s*<ProbeMatch>/.exec(body);
  if (!open || body.includes('</ProbeMatch>')) return null;
  const raw: Record<string, string> = {};
  let count = 0;
  const leaf = /<([A-Za-z][\w.-]{0,63})>([^<]{0,1024})<\/\1>/g;
  for (let match = leaf.exec(body); match; match = leaf.exec(body)) {
    const [, name, value] = match;
    if (name === undefined || value === undefined || !isUsableName(name) || Object.hasOwn(raw, name)) continue;
    if (++count > MAX_RAW_FIELDS) break;
    raw[name] = decodeXmlText(value).trim();
  }
  if (count === 0) return null;
  return probeMatchFromRaw(raw, true);
}

/** `__proto__` as a key would set the record's prototype instead of a field: never a real SADP element. */
function isUsableName(name: string): boolean {
  return name !== '__proto__';
}

function probeMatchFromRaw(raw: Record<string, string>, truncated: boolean): SadpProbeMatch {
  const field = (name: string): string | undefined => {
    const value = raw[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const ipv4 = (name: string): string | undefined => {
    const value = field(name);
    return value !== undefined && isIPv4(value) ? value : undefined;
  };
  const ipv6Value = field('IPv6Address');
  return withOptional<SadpProbeMatch>(
    { kind: 'probe-match', raw },
    {
      uuid: field('Uuid'),
      deviceType: field('DeviceType'),
      model: field('DeviceDescription'),
      serial: field('DeviceSN'),
      mac: normaliseMac(field('MAC')) ?? undefined,
      ipv4: ipv4('IPv4Address'),
      ipv4Mask: ipv4('IPv4SubnetMask'),
      ipv4Gateway: ipv4('IPv4Gateway'),
      ipv6: ipv6Value !== undefined && ipv6Value !== '::' && isIPv6(ipv6Value) ? ipv6Value : undefined,
      httpPort: parsePort(field('HttpPort')),
      commandPort: parsePort(field('CommandPort')),
      httpsPort: parsePort(field('HttpsPort')),
      firmware: field('SoftwareVersion'),
      dspVersion: field('DSPVersion'),
      activated: parseSadpBoolean(field('Activated')),
      dhcp: parseSadpBoolean(field('DHCP')),
      deviceLocked: parseSadpBoolean(field('DeviceLock')),
      oemCode: field('DetailOEMCode'),
      truncated: truncated ? true : undefined,
    },
  );
}

/** Copy only the defined values, so absent wire fields stay absent (wire types are all-optional). */
function withOptional<T extends object>(base: T, values: Partial<T>): T {
  const out = { ...base };
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

/**
 * Hikvision firmware spells false as "flase" in several fields (HCPlatformEnable, DeviceLock) on every
 * capture we have; accept it and the other spellings seen across vendors' XML.
 */
export function parseSadpBoolean(value: string | undefined): boolean | undefined {
  switch (value?.trim().toLowerCase()) {
    case 'true':
    case '1':
      return true;
    case 'false':
    case 'flase':
    case '0':
      return false;
    default:
      return undefined;
  }
}

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,5}$/.test(value)) return undefined;
  const port = Number(value);
  return port >= 1 && port <= 65535 ? port : undefined;
}


