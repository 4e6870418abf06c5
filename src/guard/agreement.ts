/**
 * The agreement rule (issue 16): before credentials go to an address, that address's OWN anonymous TCP answers
 * (HTTP challenge realm and Server, ONVIF answers and faults, the vendor's API, RTSP) must identify the device the
 * plan is for — its vendor and, where both sides know them, its model, serial and MAC. UDP answers (WS-Discovery,
 * SADP, DHIP, SSDP, mDNS) can be forged from any address on the LAN (CONTRACT S3 keys on a datagram's source
 * address, which anyone can spoof), so UDP-only evidence never earns a knock. Pure.
 */
import type { Device, Evidence, EvidenceSource } from '../model/device.js';
import { resolveIdentity, type IdentityField, type ResolvedIdentity } from '../fingerprint/matchers/index.js';

/** Evidence sources that are answers over a TCP connection the scanner opened to the address itself. */
export const TCP_SOURCES: ReadonlySet<EvidenceSource> = new Set<EvidenceSource>(['http', 'onvif', 'isapi', 'axis', 'rtsp', 'probe']);

const LABEL: Partial<Record<EvidenceSource, string>> = { http: 'HTTP', onvif: 'ONVIF', isapi: 'Hikvision ISAPI', axis: 'Axis VAPIX', rtsp: 'RTSP', probe: 'TCP probe' };

// FIELD-NOTES §2: Amcrest and Lorex are Dahua OEMs.
const OEM_PARENT: Record<string, string> = { Amcrest: 'Dahua', Lorex: 'Dahua' };

export interface Agreement {
  address: string;
  confirmed: boolean;
  /** What confirmed it, e.g. ["HTTP realm", "ONVIF serial"] (empty when not confirmed). */
  by: string[];
  /** Why not, in words a person can act on (null when confirmed). */
  reason: string | null;
}

/** This address's own anonymous TCP answers (never what a login read, never a datagram). */
export function tcpEvidenceAt(device: Device, address: string): Evidence[] {
  return device.evidence.filter((e) => e.address === address && TCP_SOURCES.has(e.source) && e.verified !== true);
}

/** The identity this address's own TCP answers give, resolved alone. */
export function tcpIdentityAt(device: Device, address: string): ResolvedIdentity {
  return resolveIdentity(tcpEvidenceAt(device, address));
}

function sameVendor(a: string, b: string): boolean {
  const x = OEM_PARENT[a] ?? a;
  const y = OEM_PARENT[b] ?? b;
  return x.toLowerCase() === y.toLowerCase();
}

function sameModel(a: string, b: string): boolean {
  const strip = (m: string): string => m.toLowerCase().replace(/^(axis|hikvision|dahua|pelco)\s+/, '').replace(/\s+/g, '');
  return strip(a) === strip(b);
}

function sameSerial(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a.toLowerCase(), b.toLowerCase()] : [b.toLowerCase(), a.toLowerCase()];
  // Hikvision reports both the long serial and its tail (subSerialNumber).
  return short === long || (short.length >= 8 && long.endsWith(short));
}

/** Fields on which two identities, both known, name different devices. */
export function disagreements(a: Pick<ResolvedIdentity, IdentityField>, b: Pick<ResolvedIdentity, IdentityField>): IdentityField[] {
  const out: IdentityField[] = [];
  if (a.vendor && b.vendor && !sameVendor(a.vendor, b.vendor)) out.push('vendor');
  if (a.model && b.model && !sameModel(a.model, b.model)) out.push('model');
  if (a.serial && b.serial && !sameSerial(a.serial, b.serial)) out.push('serial');
  if (a.mac && b.mac && a.mac !== b.mac) out.push('mac');
  return out;
}

function describe(identity: ResolvedIdentity, field: IdentityField): string | null {
  const basis = identity.sources[field];
  if (!basis) return null;
  const what = basis.via === 'stated' ? field : basis.via === 'server' ? 'Server header' : basis.via === 'service' ? 'service namespace' : basis.via;
  return `${LABEL[basis.source] ?? basis.source} ${what}`;
}

function quoted(evidence: Evidence[]): string {
  const shown = evidence.filter((e) => e.field === 'realm' || e.field === 'server').slice(0, 3).map((e) => `${e.field} "${e.value.slice(0, 60)}"`);
  return shown.length > 0 ? ` (${shown.join(', ')})` : '';
}

/** Does this address's own TCP answer identify `device` (its resolved identity from all evidence)? */
export function agreementAt(device: Device, address: string): Agreement {
  const evidence = tcpEvidenceAt(device, address);
  const own = resolveIdentity(evidence);
  const no = (reason: string): Agreement => ({ address, confirmed: false, by: [], reason: `identity not confirmed at ${address}: ${reason}` });
  if (evidence.length === 0) return no('it gave no anonymous TCP answer (HTTP, ONVIF, vendor API or RTSP); discovery datagrams alone can be forged');
  const claimed = { vendor: device.vendor, model: device.model, serial: device.serial, mac: device.mac, firmware: null, activated: null };
  const differ = disagreements(own, claimed);
  if (differ.length > 0) {
    const detail = differ.map((f) => `${f} ${String(own[f])} here, ${String(claimed[f])} claimed`).join('; ');
    return no(`its own answers name another device (${detail})`);
  }
  const by: string[] = [];
  if (device.vendor) {
    if (!own.vendor) return no(`its own answers${quoted(evidence)} do not identify a ${device.vendor} device`);
    by.push(describe(own, 'vendor')!);
  } else {
    // A device of unknown vendor: at least a well-formed ONVIF answer from the address itself.
    const onvif = evidence.find((e) => e.source === 'onvif' && e.field === 'onvif-answer');
    if (!onvif) return no(`the vendor is unknown and the address gave no ONVIF answer of its own${quoted(evidence)}`);
    by.push(`ONVIF ${onvif.value}`);
  }
  for (const field of ['model', 'serial', 'mac'] as const) {
    if (own[field] && claimed[field]) {
      const text = describe(own, field);
      if (text && !by.includes(text)) by.push(text);
    }
  }
  return { address, confirmed: true, by, reason: null };
}

/** "identity confirmed at 198.18.0.5 by HTTP realm + ONVIF serial" */
export function describeAgreement(agreement: Agreement): string {
  return agreement.confirmed ? `identity confirmed at ${agreement.address} by ${agreement.by.join(' + ')}` : (agreement.reason ?? 'identity not confirmed');
}
