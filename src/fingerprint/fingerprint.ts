/**
 * Anonymous fingerprint of one device at one of its addresses, and the identity/lockout view derived from all
 * evidence gathered so far. Every probe here is credential-free (docs/SAFETY.md S1).
 */
import type { DeviceRecord } from '../model/record.js';
import type { Evidence } from '../model/device.js';
import { addEvidence } from '../model/record.js';
import { resolveIdentity } from './matchers/index.js';
import { vendorFamilyOf, type VendorFamily } from '../model/vendor.js';
import { probeOnvif, responderServiceUrl, type ProbeContext } from './onvif-probe.js';
import { probeAxis, probeDahua, probeHikvision, probeHttpRoot } from './vendor-probes.js';
import { probeRtsp, RTSP_DEFAULT_PORT } from './rtsp-probe.js';
import { httpsBaseUrl, probeHttpsCertificate } from './https-probe.js';
import type { DeviceAccess, ProbeResult, ServiceAccess } from './types.js';
import { urlHost } from '../model/address.js';

/** A probe that waited out the timeout: the address is a tarpit or overloaded, and gets no further probe. */
const TIMEOUT_CODES = new Set(['http-timeout', 'rtsp-timeout']);
/** Requests cut by the fingerprint deadline: reported once per address instead of once per request. */
const ABANDONED_CODES = new Set(['http-aborted', 'rtsp-aborted']);

export interface FingerprintState {
  probedAddresses: Set<string>;
  /** Probes already run (by kind and URL): a later pass, after new evidence arrives, runs only the rest. */
  probesDone: Set<string>;
  services: ServiceAccess[];
  clockOffsetMs: number | null;
  clockBasis: string | null;
  certificateSha256: string | null;
  lock?: ProbeResult['lock'];
  activated?: boolean | null;
}

export async function fingerprintDevice(context: ProbeContext, record: DeviceRecord, address: string, state: FingerprintState): Promise<ProbeResult> {
  const merged: ProbeResult = { evidence: [], services: [], warnings: [] };
  const apply = (result: ProbeResult): void => {
    // Stamped with the address that answered: the agreement rule weighs each address's own answers.
    for (const item of result.evidence) addEvidence(record.device, { ...item, address });
    state.services.push(...result.services);
    merged.warnings.push(...result.warnings);
    if (result.clockOffsetMs !== undefined && result.clockOffsetMs !== null) {
      state.clockOffsetMs = result.clockOffsetMs;
      state.clockBasis = result.clockBasis ?? null;
    }
    if (result.certificateSha256) state.certificateSha256 = result.certificateSha256;
    if (result.lock) state.lock = result.lock;
    if (result.activated !== undefined && result.activated !== null) state.activated = result.activated;
  };
  let abandoned = false;
  const once = async (key: string, probe: () => Promise<ProbeResult>): Promise<void> => {
    if (state.probesDone.has(key)) return;
    // After the first timeout at this address every further probe would wait out the same timeout (a tarpit).
    if (context.stalled?.has(address)) return;
    if (context.signal?.aborted) {
      abandoned = true;
      return;
    }
    state.probesDone.add(key);
    const result = await probe();
    if (result.warnings.some((w) => ABANDONED_CODES.has(w.code))) abandoned = true;
    result.warnings = result.warnings.filter((w) => !ABANDONED_CODES.has(w.code));
    apply(result);
    if (result.warnings.some((w) => TIMEOUT_CODES.has(w.code))) context.stalled?.add(address);
  };
  const onvifUrl = responderServiceUrl(address, record.device.onvif?.xaddrs ?? []) ?? probedOnvifUrl(record, address);
  if (onvifUrl) await once(`onvif ${onvifUrl}`, () => probeOnvif(context, onvifUrl));
  const baseUrl = httpBaseUrl(address, onvifUrl, record.ports['http']);
  await once(`http ${baseUrl}`, () => probeHttpRoot(context, baseUrl));
  // The certificate the login will be pinned to, when the device has HTTPS and the probes above did not use it.
  const httpsUrl = httpsBaseUrl(address, record.device.onvif?.xaddrs ?? [], record.ports['https']);
  if (httpsUrl && httpsUrl !== baseUrl) await once(`https ${httpsUrl}`, () => probeHttpsCertificate(context, httpsUrl));
  // Only mDNS (`_rtsp._tcp`) announces an RTSP port; otherwise the RFC 2326 default, 554.
  const rtspPort = record.ports['rtsp'] ?? RTSP_DEFAULT_PORT;
  await once(`rtsp ${address} ${rtspPort}`, () => probeRtsp(context, { address, port: rtspPort, vendor: resolveIdentity(record.device.evidence).vendor }));
  // Vendor-specific probes only once the anonymous evidence names the vendor: no guessing at other vendors' APIs.
  const family = vendorFamily(record.device.evidence);
  if (family === 'hikvision') await once(`hikvision ${baseUrl}`, () => probeHikvision(context, baseUrl));
  if (family === 'axis') await once(`axis ${baseUrl}`, () => probeAxis(context, baseUrl));
  if (family === 'dahua') await once(`dahua ${baseUrl}`, () => probeDahua(context, baseUrl));
  if (abandoned) merged.warnings.push({ message: 'fingerprint abandoned at the fingerprint deadline: what this address answered until then is kept', code: 'fingerprint-deadline' });
  return merged;
}

/**
 * A host found only by the TCP sweep announced no XAddrs: try ONVIF's fixed device-service entry point on its open
 * HTTP port ("http://onvif_host/onvif/device_service", ONVIF Core Specification §5.1.1).
 */
function probedOnvifUrl(record: DeviceRecord, address: string): string | null {
  if (!record.device.discoveredBy.includes('probe')) return null;
  const port = record.ports['http'];
  if (port === undefined) return null;
  return `http://${urlHost(address)}${port === 80 ? '' : `:${port}`}/onvif/device_service`;
}

/** The device's web server on the responder address: the ONVIF service's origin, else the advertised HTTP port. */
export function httpBaseUrl(address: string, onvifUrl: string | null, httpPort: number | undefined): string {
  if (onvifUrl) return new URL('/', onvifUrl).toString();
  const host = urlHost(address);
  return `http://${host}${httpPort && httpPort !== 80 ? `:${httpPort}` : ''}/`;
}

/** Which vendor API family the evidence points to (the resolved vendor first, then every vendor field seen). */
export function vendorFamily(evidence: Evidence[]): Exclude<VendorFamily, 'hanwha'> | null {
  const resolved = resolveIdentity(evidence).vendor;
  const values = [...(resolved ? [resolved] : []), ...evidence.filter((e) => e.field === 'vendor').map((e) => e.value)];
  for (const value of values) {
    const family = vendorFamilyOf(value);
    // Hanwha has no anonymous vendor probe here: its API is reached through ONVIF.
    if (family && family !== 'hanwha') return family;
  }
  return null;
}


/** The schemes the anonymous challenges offered (Digest per algorithm, RFC 7616 §3.3: absent means MD5). */
export function deviceAccess(state: Pick<FingerprintState, 'services' | 'certificateSha256'>): DeviceAccess {
  const schemes: string[] = [];
  const add = (scheme: string): void => {
    if (!schemes.includes(scheme)) schemes.push(scheme);
  };
  for (const service of state.services) {
    if (service.scheme === 'http-digest') {
      for (const challenge of service.challenges) {
        if (challenge.scheme === 'digest') add(`http-digest:${(challenge.algorithm ?? 'MD5').toUpperCase()}`);
      }
    } else if (service.scheme !== 'unknown') {
      add(service.scheme);
    }
  }
  // A fixed order, not the order the probes happened to finish in (that varies with which answer came first).
  const rank = (scheme: string): number => {
    const known = SCHEME_ORDER.indexOf(scheme);
    return known < 0 ? SCHEME_ORDER.length : known;
  };
  schemes.sort((a, b) => rank(a) - rank(b));
  return { schemes, httpsCertificateSha256: state.certificateSha256 };
}

const SCHEME_ORDER = ['ws-username-token', 'http-digest:SHA-512-256', 'http-digest:SHA-256', 'http-digest:MD5', 'basic-only'];
