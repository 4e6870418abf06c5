/**
 * Vendor, model, firmware, serial, MAC and activation from every piece of evidence gathered about one device.
 * Precedence: what a verified login read > the vendor's own API (SADP, DHIP, ISAPI, Axis VAPIX) > ONVIF > WS-Discovery
 * scopes > mDNS/SSDP > anonymous hints (challenge realm, Server header, model numbering, device name). Disagreeing
 * values are all kept and reported as conflicts, never silently overwritten; each conclusion keeps its source.
 */
import { normaliseMac, type Evidence, type EvidenceSource } from '../../model/device.js';
import { normaliseFirmware } from './firmware.js';
import { matchModel } from './model.js';
import { matchRealm } from './realm.js';
import { matchServerHeader } from './server-header.js';
import { MAX_HINT_TEXT, type HintConfidence } from './types.js';
import { findKnownVendor, normaliseVendor } from '../../model/vendor.js';
import { isFixedSerial } from '../../model/fixed-identities.js';

export type IdentityField = 'vendor' | 'model' | 'firmware' | 'serial' | 'mac' | 'activated';

/** How a value was obtained: stated by the device in that field, or inferred from another string. */
export type IdentityVia = 'stated' | 'realm' | 'server' | 'model' | 'name' | 'axis-serial' | 'service';

export interface IdentityBasis {
  source: EvidenceSource;
  verified: boolean;
  via: IdentityVia;
}

export interface IdentityConflict {
  field: IdentityField;
  values: Array<{ source: EvidenceSource; value: string; via: IdentityVia; verified: boolean }>;
}

export interface IdentityHint {
  field: IdentityField;
  value: string;
  source: EvidenceSource;
  via: IdentityVia;
  confidence: HintConfidence;
  reason: string;
}

export interface ResolvedIdentity {
  vendor: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  mac: string | null;
  activated: boolean | null;
  conflicts: IdentityConflict[];
  /** Where each conclusion came from (null when the field is unknown). */
  sources: Record<IdentityField, IdentityBasis | null>;
  /** Every inference drawn from realms, Server headers, model numbering and names, used or not. */
  hints: IdentityHint[];
}

const SOURCE_RANK: Record<EvidenceSource, number> = {
  login: 6,
  sadp: 5,
  dhip: 5,
  isapi: 5,
  axis: 5,
  onvif: 4,
  'ws-discovery': 3,
  mdns: 2,
  ssdp: 2,
  http: 1,
  rtsp: 1,
  probe: 1,
  'knowledge-base': 1,
};
const VERIFIED_RANK = 6;
/** Inferences rank below anything a device stated in the field itself. */
const HINT_RANK = 0;

const FIELDS: IdentityField[] = ['vendor', 'model', 'firmware', 'serial', 'mac', 'activated'];

// docs/FIELD-NOTES.md §2: Amcrest and Lorex are Dahua OEMs; a Dahua realm on a device that says "Lorex" is no conflict.
const OEM_PARENT: Record<string, string> = { Amcrest: 'Dahua', Lorex: 'Dahua' };

interface Candidate {
  field: IdentityField;
  value: string;
  source: EvidenceSource;
  verified: boolean;
  via: IdentityVia;
  rank: number;
  confidence: HintConfidence | null;
  /** Index of the evidence item it came from: hints from one item never corroborate each other. */
  origin: number;
}

function cleanModel(raw: string): string | null {
  const model = raw.replace(/\s+/g, ' ').trim();
  return model === '' || model.length > MAX_HINT_TEXT ? null : model;
}

function cleanSerial(raw: string): string | null {
  const serial = raw.trim();
  if (serial === '' || serial.length > 64 || !/^[\x21-\x7e]+$/.test(serial)) return null;
  // Redacted ("**************") and blank-filled ("000000000000") serials identify nothing.
  if (/^[*0]+$/.test(serial)) return null;
  // A serial many boxes ship (FIXED_IDENTITIES, with sources) identifies none of them.
  if (isFixedSerial(serial)) return null;
  return serial;
}

function parseActivated(raw: string): string | null {
  // SADP spells false "flase" on real devices (docs/FIELD-NOTES.md §3).
  if (/^(?:true|1|yes|activated)$/i.test(raw.trim())) return 'true';
  if (/^(?:false|flase|0|no|not-?activated|inactive)$/i.test(raw.trim())) return 'false';
  return null;
}

function sameValue(field: IdentityField, a: Candidate, b: Candidate): boolean {
  const x = a.value.toLowerCase();
  const y = b.value.toLowerCase();
  if (x === y) return true;
  switch (field) {
    case 'vendor':
      // Only an inference can be explained by OEM parentage; two stated vendors that differ do conflict.
      if (a.via === 'stated' && b.via === 'stated') return false;
      return OEM_PARENT[a.value] === b.value || OEM_PARENT[b.value] === a.value;
    case 'model': {
      // "AXIS Q6045-E" (ONVIF) and "Q6045-E" (scope) name one model.
      const strip = (m: string): string => m.replace(/^(\S+)\s+/, (word, name: string) => (findKnownVendor(name) ? '' : word));
      return strip(x) === strip(y);
    }
    case 'firmware':
      // "V5.7.14" (ISAPI without its release date) is the same firmware as "V5.7.14 build 230612".
      return x.startsWith(`${y} `) || y.startsWith(`${x} `);
    case 'serial': {
      // Hikvision reports both the long serial and its tail (subSerialNumber).
      const [short, long] = x.length <= y.length ? [x, y] : [y, x];
      return short.length >= 8 && long.endsWith(short);
    }
    default:
      return false;
  }
}

function collectCandidates(evidence: Evidence[], hints: IdentityHint[]): Candidate[] {
  const candidates: Candidate[] = [];
  evidence.forEach((item, origin) => {
    if (typeof item.value !== 'string' || item.value.length > MAX_HINT_TEXT) return;
    const verified = item.verified === true || item.source === 'login';
    const rank = verified ? VERIFIED_RANK : (SOURCE_RANK[item.source] ?? 1);
    const stated = (field: IdentityField, value: string | null): void => {
      if (value !== null) candidates.push({ field, value, source: item.source, verified, via: 'stated', rank, confidence: null, origin });
    };
    const inferred = (field: IdentityField, value: string | null, via: IdentityVia, confidence: HintConfidence | null, reason: string): void => {
      if (value === null || confidence === null) return;
      hints.push({ field, value, source: item.source, via, confidence, reason });
      candidates.push({ field, value, source: item.source, verified: false, via, rank: HINT_RANK, confidence, origin });
    };
    switch (item.field) {
      case 'vendor':
        stated('vendor', normaliseVendor(item.value));
        return;
      case 'model': {
        const model = cleanModel(item.value);
        stated('model', model);
        const hint = matchModel(model);
        inferred('vendor', hint.vendor, 'model', hint.confidence, hint.reason);
        return;
      }
      case 'firmware':
        stated('firmware', normaliseFirmware(item.value));
        return;
      case 'serial':
        stated('serial', cleanSerial(item.value));
        return;
      case 'mac':
        stated('mac', normaliseMac(item.value));
        return;
      case 'activated':
        stated('activated', parseActivated(item.value));
        return;
      case 'name': {
        // The ONVIF name scope is often "<VENDOR> <model>", but it is user-settable: a hint, not a statement.
        const vendor = findKnownVendor(item.value);
        inferred('vendor', vendor, 'name', vendor ? 'medium' : null, 'the device name starts with a vendor name');
        return;
      }
      case 'realm': {
        const realm = matchRealm(item.value);
        inferred('vendor', realm.vendor, 'realm', realm.confidence, realm.reason);
        inferred('model', realm.model, 'realm', realm.confidence, realm.reason);
        inferred('serial', realm.serial, 'realm', realm.confidence, realm.reason);
        inferred('mac', realm.mac, 'realm', realm.confidence, realm.reason);
        return;
      }
      case 'server': {
        const server = matchServerHeader(item.value);
        inferred('vendor', server.vendor, 'server', server.confidence, server.reason);
        return;
      }
      case 'service': {
        // ONVIF GetServices lists vendor extensions under the vendor's own namespace (urn:schemas-pelco-com:onvif:…).
        const owner = /^urn:schemas-([a-z0-9]+)-com:/i.exec(item.value)?.[1];
        const vendor = owner ? findKnownVendor(owner) : null;
        inferred('vendor', vendor, 'service', vendor ? 'medium' : null, 'an ONVIF service namespace names the vendor');
        return;
      }
      default:
        return;
    }
  });
  return candidates;
}

/** A low-confidence hint counts only when a hint from another evidence item names the same value. */
function isUsable(candidate: Candidate, all: Candidate[]): boolean {
  if (candidate.confidence !== 'low') return true;
  return all.some((other) => other !== candidate && other.field === candidate.field && other.via !== 'stated' && other.origin !== candidate.origin && other.value === candidate.value);
}

function resolveField(field: IdentityField, candidates: Candidate[]): { winner: Candidate | null; conflict: IdentityConflict | null } {
  const usable = candidates
    .filter((c) => c.field === field)
    .filter((c, _, all) => isUsable(c, all))
    // Stable: equal ranks keep evidence order (first seen wins).
    .sort((a, b) => b.rank - a.rank);
  const winner = usable[0] ?? null;
  const classes: Candidate[] = [];
  for (const candidate of usable) if (!classes.some((c) => sameValue(field, c, candidate))) classes.push(candidate);
  if (classes.length < 2) return { winner, conflict: null };
  const values: IdentityConflict['values'] = [];
  for (const c of usable) {
    // One line per source and value: a model-derived hint repeating what the same source stated adds nothing.
    if (!values.some((v) => v.source === c.source && v.value === c.value)) {
      values.push({ source: c.source, value: c.value, via: c.via, verified: c.verified });
    }
  }
  return { winner, conflict: { field, values } };
}

/** The Axis serial is the MAC (docs/FIELD-NOTES.md §3: SSDP serialNumber = MAC; realm AXIS_<serial>). */
function axisSerialMacs(evidence: Evidence[], hints: IdentityHint[]): Candidate[] {
  const out: Candidate[] = [];
  evidence.forEach((item, origin) => {
    if (item.field !== 'serial' || typeof item.value !== 'string' || !/^[0-9a-f]{12}$/i.test(item.value.trim())) return;
    const mac = normaliseMac(item.value);
    if (!mac) return;
    const reason = 'an Axis serial number is the MAC address';
    hints.push({ field: 'mac', value: mac, source: item.source, via: 'axis-serial', confidence: 'high', reason });
    out.push({ field: 'mac', value: mac, source: item.source, verified: false, via: 'axis-serial', rank: HINT_RANK, confidence: 'high', origin });
  });
  return out;
}

/**
 * Evidence arrays only grow (addEvidence appends frozen items; removing evidence builds a new array), so an array
 * and its length name its contents: the scan asks for the identity of the same evidence several times per device
 * (the fingerprint's vendor, the RTSP probe, every refresh), and resolving it was 7 % of a 10,000-device scan.
 */
const resolved = new WeakMap<readonly Evidence[], { length: number; identity: ResolvedIdentity }>();

/** The identity the evidence supports (frozen: it may be shared by every caller asking about the same evidence). */
export function resolveIdentity(evidence: Evidence[]): ResolvedIdentity {
  const known = resolved.get(evidence);
  if (known && known.length === evidence.length) return known.identity;
  const identity = computeIdentity(evidence);
  Object.freeze(identity.conflicts);
  Object.freeze(identity.hints);
  Object.freeze(identity.sources);
  Object.freeze(identity);
  resolved.set(evidence, { length: evidence.length, identity });
  return identity;
}

function computeIdentity(evidence: Evidence[]): ResolvedIdentity {
  const hints: IdentityHint[] = [];
  const candidates = collectCandidates(evidence, hints);
  const identity: ResolvedIdentity = {
    vendor: null,
    model: null,
    firmware: null,
    serial: null,
    mac: null,
    activated: null,
    conflicts: [],
    sources: { vendor: null, model: null, firmware: null, serial: null, mac: null, activated: null },
    hints,
  };
  const vendor = resolveField('vendor', candidates).winner;
  if (vendor?.value === 'Axis') candidates.push(...axisSerialMacs(evidence, hints));
  for (const field of FIELDS) {
    const { winner, conflict } = resolveField(field, candidates);
    if (conflict) identity.conflicts.push(conflict);
    if (!winner) continue;
    identity.sources[field] = { source: winner.source, verified: winner.verified, via: winner.via };
    if (field === 'activated') identity.activated = winner.value === 'true';
    else identity[field] = winner.value;
  }
  return identity;
}
