/**
 * Anonymous vendor probes (docs/FIELD-NOTES.md §4), each bounded in time and size and each credential-free (S1):
 * - the HTTP root: `Server` and `WWW-Authenticate` (schemes, realm, algorithms, qop, stale);
 * - Hikvision: `GET /SDK/activateStatus` (activation) and an unauthenticated `GET /ISAPI/Security/userCheck`
 *   (its 401 carries the lock state and the Digest challenge of the login we would make);
 * - Axis: `POST /axis-cgi/basicdeviceinfo.cgi` getAllUnrestrictedProperties (anonymous on AXIS OS 8.40+), and an
 *   unauthenticated `GET /axis-cgi/param.cgi?action=list&group=Brand` whose Digest 401 is the login we would make;
 * - Dahua: the challenge of `GET /cgi-bin/magicBox.cgi?action=getSystemInfo` — never the RPC2 login step, which
 *   IS a login call even with an empty password.
 */
import { parseActivateStatus, parseUserCheck, isLockedStatus } from '../protocols/hikvision/index.js';
import { buildBasicDeviceInfoRequest, parseBasicDeviceInfo, parseParamCgi } from '../protocols/axis/index.js';
import { HttpTransportError, type HttpResponse } from '../transport/http.js';
import type { ProbeContext } from './onvif-probe.js';
import { schemeFromChallenges, toOfferedChallenges } from './onvif-probe.js';
import { emptyProbeResult, type ProbeResult } from './types.js';
import type { Evidence } from '../model/device.js';

const MAX_BODY = 64 * 1024;

async function get(context: ProbeContext, url: string, method: 'GET' | 'POST' = 'GET', body?: string, contentType?: string): Promise<HttpResponse> {
  return context.http.request({
    url,
    method,
    ...(body !== undefined ? { body, headers: { 'Content-Type': contentType ?? 'application/json' } } : {}),
    timeoutMs: context.timeoutMs,
    maxBodyBytes: MAX_BODY,
  });
}

function note(result: ProbeResult, error: unknown, what: string): void {
  const code = error instanceof HttpTransportError ? `http-${error.code}` : ((error as { code?: string }).code ?? 'probe-failed');
  result.warnings.push({ message: `${what} failed: ${(error as Error).message}`, code });
}

/** Evidence from a response's Server and WWW-Authenticate headers. */
export function headerEvidence(response: HttpResponse, source: Evidence['source']): Evidence[] {
  const out: Evidence[] = [];
  for (const server of response.headers['server'] ?? []) {
    out.push({ source, field: 'server', value: server });
  }
  for (const challenge of toOfferedChallenges(response.headers['www-authenticate'] ?? [])) {
    if (!challenge.realm) continue;
    // resolveIdentity weighs realm and Server hints itself (a hex realm alone is weak evidence).
    out.push({ source, field: 'realm', value: challenge.realm });
  }
  return out;
}

export async function probeHttpRoot(context: ProbeContext, baseUrl: string): Promise<ProbeResult> {
  const result = emptyProbeResult();
  try {
    const response = await get(context, new URL('/', baseUrl).toString());
    result.evidence.push(...headerEvidence(response, 'http'));
    if (response.certificateSha256) result.certificateSha256 = response.certificateSha256;
  } catch (error) {
    // No web server on that port is an answer, not a fault (the device may serve HTTP elsewhere or not at all).
    if (!(error instanceof HttpTransportError && error.code === 'connect')) note(result, error, 'HTTP root probe');
  }
  return result;
}

export async function probeHikvision(context: ProbeContext, baseUrl: string): Promise<ProbeResult> {
  const result = emptyProbeResult();
  try {
    const response = await get(context, new URL('/SDK/activateStatus', baseUrl).toString());
    if (response.statusCode === 200) {
      const status = parseActivateStatus(response.body.toString('utf8'));
      if (status.activated !== undefined && status.activated !== null) {
        result.activated = status.activated;
        result.evidence.push({ source: 'isapi', field: 'activated', value: String(status.activated) });
        // Only Hikvision's own API answers /SDK/activateStatus with this document: the address names its vendor.
        result.evidence.push({ source: 'isapi', field: 'vendor', value: 'Hikvision' });
      }
    }
  } catch (error) {
    note(result, error, 'Hikvision activateStatus');
  }
  const userCheckUrl = new URL('/ISAPI/Security/userCheck', baseUrl).toString();
  try {
    // No Authorization header: a 401 here is not a failed login, and its body says whether the device is locked.
    const response = await get(context, userCheckUrl);
    result.evidence.push(...headerEvidence(response, 'isapi'));
    if (response.statusCode === 401) {
      const challenges = toOfferedChallenges(response.headers['www-authenticate'] ?? []);
      result.services.push({ kind: 'hikvision-isapi', url: userCheckUrl, method: 'GET', scheme: schemeFromChallenges(challenges), challenges });
      const check = safe(() => parseUserCheck(response.body.toString('utf8')));
      // A userCheck document in the 401 body is Hikvision's ISAPI speaking (a generic Digest server sends none).
      if (check && Object.keys(check).length > 0) result.evidence.push({ source: 'isapi', field: 'vendor', value: 'Hikvision' });
      if (check?.lockStatus) {
        const locked = isLockedStatus(check.lockStatus);
        result.lock = { state: locked ? 'locked' : 'unlocked', remainingAttempts: check.retryLoginTime ?? null, unlockInSeconds: locked ? (check.unlockTimeSeconds ?? null) : null };
      }
    }
  } catch (error) {
    note(result, error, 'Hikvision userCheck (anonymous)');
  }
  return result;
}

/**
 * The VAPIX URL the one Axis login answers: the parameter API's list action needs a viewer account (VAPIX
 * Parameter management, https://developer.axis.com/vapix/network-video/parameter-management — `param.cgi` is an
 * authenticated CGI), while its Brand group names the vendor and model, so the login's 200 verifies the identity.
 */
export const AXIS_LOGIN_PATH = '/axis-cgi/param.cgi?action=list&group=Brand';

export async function probeAxis(context: ProbeContext, baseUrl: string): Promise<ProbeResult> {
  const result = emptyProbeResult();
  await probeAxisDeviceInfo(context, baseUrl, result);
  const loginUrl = new URL(AXIS_LOGIN_PATH, baseUrl).toString();
  try {
    // No Authorization header: this 401 is the challenge, not a failed login. A device found only over mDNS has no
    // ONVIF service, and this is then its only login path.
    const response = await get(context, loginUrl);
    result.evidence.push(...headerEvidence(response, 'axis'));
    if (response.statusCode === 401) {
      const challenges = toOfferedChallenges(response.headers['www-authenticate'] ?? []);
      result.services.push({ kind: 'axis-vapix', url: loginUrl, method: 'GET', scheme: schemeFromChallenges(challenges), challenges });
    } else if (response.statusCode === 200) {
      // Anonymous viewer access is on: the Brand group answers without a login (and there is nothing to log in to here).
      const brand = safe(() => parseParamCgi(response.body.toString('utf8')));
      if (brand?.['root.Brand.Brand']) result.evidence.push({ source: 'axis', field: 'vendor', value: brand['root.Brand.Brand'] });
      if (brand?.['root.Brand.ProdNbr']) result.evidence.push({ source: 'axis', field: 'model', value: brand['root.Brand.ProdNbr'] });
    }
  } catch (error) {
    note(result, error, 'Axis param.cgi challenge');
  }
  return result;
}

async function probeAxisDeviceInfo(context: ProbeContext, baseUrl: string, result: ProbeResult): Promise<void> {
  try {
    const response = await get(context, new URL('/axis-cgi/basicdeviceinfo.cgi', baseUrl).toString(), 'POST', buildBasicDeviceInfoRequest());
    if (response.statusCode === 200) {
      const info = parseBasicDeviceInfo(response.body.toString('utf8'));
      if (info.brand) result.evidence.push({ source: 'axis', field: 'vendor', value: info.brand });
      if (info.prodNbr) result.evidence.push({ source: 'axis', field: 'model', value: info.prodNbr });
      if (info.version) result.evidence.push({ source: 'axis', field: 'firmware', value: info.version });
      if (info.serialNumber) {
        result.evidence.push({ source: 'axis', field: 'serial', value: info.serialNumber });
        // The Axis serial number is the MAC address.
        result.evidence.push({ source: 'axis', field: 'mac', value: info.serialNumber });
      }
    }
  } catch (error) {
    note(result, error, 'Axis basicdeviceinfo');
  }
}

export async function probeDahua(context: ProbeContext, baseUrl: string): Promise<ProbeResult> {
  const result = emptyProbeResult();
  const url = new URL('/cgi-bin/magicBox.cgi?action=getSystemInfo', baseUrl).toString();
  try {
    const response = await get(context, url);
    result.evidence.push(...headerEvidence(response, 'http'));
    if (response.statusCode === 401) {
      const challenges = toOfferedChallenges(response.headers['www-authenticate'] ?? []);
      result.services.push({ kind: 'dahua-cgi', url, method: 'GET', scheme: schemeFromChallenges(challenges), challenges });
    }
  } catch (error) {
    note(result, error, 'Dahua magicBox challenge');
  }
  return result;
}

function safe<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}
