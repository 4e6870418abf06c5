/**
 * Anonymous ONVIF probes on the responder's own address: the PRE_AUTH operations (ONVIF Core §5.9.4.3:
 * GetSystemDateAndTime, GetCapabilities, GetServices) and one GetDeviceInformation WITHOUT credentials, whose
 * refusal tells which scheme the device wants: HTTP 401 + Digest challenge, or HTTP 400 + ter:NotAuthorized for
 * WS-UsernameToken-only devices (docs/FIELD-NOTES.md §4). No request here carries any credential (docs/SAFETY.md S1).
 */
import {
  buildSoapRequest,
  getCapabilitiesBody,
  getDeviceInformationBody,
  getServicesBody,
  getSystemDateAndTimeBody,
  parseCapabilities,
  parseDeviceInformation,
  parseServices,
  parseSoapFault,
  parseSystemDateAndTime,
  computeClockOffsetMs,
} from '../protocols/onvif/index.js';
import { parseWwwAuthenticate } from '../protocols/http-auth/index.js';
import { HttpTransportError, type HttpResponse, type HttpTransport } from '../transport/http.js';
import type { RtspTransport } from '../transport/rtsp.js';
import { emptyProbeResult, type OfferedChallenge, type OfferedScheme, type ProbeResult } from './types.js';
import { urlHost } from '../model/address.js';

export interface ProbeContext {
  http: HttpTransport;
  /** When absent, the RTSP probe opens and closes its own transport. */
  rtsp?: RtspTransport;
  timeoutMs: number;
  now(): number;
  /**
   * The scan's fingerprint deadline: once aborted, running requests fail with code `aborted` and no further probe
   * starts (a tarpit that accepts and never answers must not stretch the scan, issue 16).
   */
  signal?: AbortSignal;
  /** Addresses that let a probe time out: they get no further probe in this scan (shared by every record). */
  stalled?: Set<string>;
}

const MAX_SOAP_BYTES = 256 * 1024;

/** The device-service URL on the responder's address: an XAddr naming it, or the first XAddr's port and path. */
export function responderServiceUrl(address: string, xaddrs: string[]): string | null {
  const host = urlHost(address);
  const parsed = xaddrs.map((x) => {
    try {
      return new URL(x);
    } catch {
      return null;
    }
  }).filter((u): u is URL => u !== null && (u.protocol === 'http:' || u.protocol === 'https:'));
  const own = parsed.find((u) => u.hostname === host || u.hostname === address);
  if (own) return own.toString();
  const first = parsed[0];
  if (!first) return null;
  const rebuilt = new URL(first.toString());
  rebuilt.hostname = host;
  return rebuilt.toString();
}

export function toOfferedChallenges(values: string[]): OfferedChallenge[] {
  return parseWwwAuthenticate(values).map((c) => ({
    scheme: c.scheme,
    realm: c.realm ?? null,
    algorithm: c.algorithm ?? null,
    qop: c.qop,
    stale: c.stale,
  }));
}

export function schemeFromChallenges(challenges: OfferedChallenge[]): OfferedScheme {
  if (challenges.some((c) => c.scheme === 'digest')) return 'http-digest';
  if (challenges.some((c) => c.scheme === 'basic')) return 'basic-only';
  return 'unknown';
}

async function postSoap(context: ProbeContext, url: string, body: string): Promise<HttpResponse> {
  return context.http.request({
    url,
    method: 'POST',
    headers: { 'Content-Type': 'application/soap+xml; charset=utf-8' },
    body: buildSoapRequest(body),
    timeoutMs: context.timeoutMs,
    maxBodyBytes: MAX_SOAP_BYTES,
  });
}

function describeError(error: unknown): { message: string; code: string } {
  if (error instanceof HttpTransportError) return { message: error.message, code: `http-${error.code}` };
  const e = error as { message?: string; code?: string };
  return { message: e.message ?? String(error), code: e.code ?? 'decode-failed' };
}

export async function probeOnvif(context: ProbeContext, url: string): Promise<ProbeResult> {
  const result = emptyProbeResult();
  let scheme: OfferedScheme = 'unknown';
  let challenges: OfferedChallenge[] = [];
  const learnRefusal = (response: HttpResponse, operation: string): void => {
    if (response.statusCode === 401) {
      challenges = toOfferedChallenges(response.headers['www-authenticate'] ?? []);
      scheme = schemeFromChallenges(challenges);
      // The realm and Server of this refusal are this address's own answer (the agreement rule weighs them).
      for (const server of response.headers['server'] ?? []) result.evidence.push({ source: 'onvif', field: 'server', value: server });
      for (const challenge of challenges) if (challenge.realm) result.evidence.push({ source: 'onvif', field: 'realm', value: challenge.realm });
      return;
    }
    const fault = safeFault(response.body);
    if (fault && fault.subcodes.some((s) => /NotAuthorized/i.test(s))) {
      scheme = 'ws-username-token';
      result.evidence.push({ source: 'onvif', field: 'onvif-answer', value: `${operation} fault ter:NotAuthorized` });
    }
  };

  try {
    const sentAt = context.now();
    const response = await postSoap(context, url, getSystemDateAndTimeBody());
    const receivedAt = context.now();
    // Over HTTPS this is the certificate the one login will be pinned to (docs/SAFETY.md S3).
    if (response.certificateSha256) result.certificateSha256 = response.certificateSha256;
    if (response.statusCode === 200) {
      const time = parseSystemDateAndTime(response.body.toString('utf8'));
      result.clockOffsetMs = computeClockOffsetMs(time, sentAt, receivedAt);
      result.clockBasis = time.basis ?? null;
      // A well-formed ONVIF answer from this address: what the agreement rule needs for a device of unknown vendor.
      if (result.clockOffsetMs !== null) result.evidence.push({ source: 'onvif', field: 'onvif-answer', value: 'GetSystemDateAndTime' });
      if (result.clockOffsetMs === null) result.warnings.push({ message: 'device clock unreadable', code: 'clock-unreadable' });
    } else {
      // Vivotek and others want a login even for the time (docs/FIELD-NOTES.md §4): the refusal still tells the scheme.
      learnRefusal(response, 'GetSystemDateAndTime');
      result.warnings.push({ message: `GetSystemDateAndTime refused anonymously (HTTP ${response.statusCode}); clock offset unknown`, code: 'clock-refused' });
    }
  } catch (error) {
    result.warnings.push({ ...describeError(error), message: `GetSystemDateAndTime failed: ${describeError(error).message}` });
    // No answer on the device service at all: the remaining probes would only wait out the same timeout.
    if (error instanceof HttpTransportError && (error.code === 'connect' || error.code === 'timeout' || error.code === 'aborted')) return result;
  }

  try {
    const response = await postSoap(context, url, getCapabilitiesBody());
    if (response.statusCode === 200) {
      const capabilities = parseCapabilities(response.body.toString('utf8'));
      for (const [service, xaddr] of Object.entries(capabilities)) {
        if (typeof xaddr === 'string') result.evidence.push({ source: 'onvif', field: `capability:${service}`, value: xaddr });
      }
    } else {
      const services = await postSoap(context, url, getServicesBody());
      if (services.statusCode === 200) {
        for (const service of parseServices(services.body.toString('utf8'))) {
          result.evidence.push({ source: 'onvif', field: 'service', value: `${service.namespace} ${service.xaddr}` });
        }
      }
    }
  } catch (error) {
    result.warnings.push({ ...describeError(error), message: `GetCapabilities failed: ${describeError(error).message}` });
  }

  try {
    // Carries no credential: a device that answers it anonymously gives its identity, one that refuses it
    // tells us the scheme the one login must use (docs/SAFETY.md S4).
    const response = await postSoap(context, url, getDeviceInformationBody());
    if (response.statusCode === 200) {
      const info = parseDeviceInformation(response.body.toString('utf8'));
      if (info.manufacturer) result.evidence.push({ source: 'onvif', field: 'vendor', value: info.manufacturer });
      if (info.model) result.evidence.push({ source: 'onvif', field: 'model', value: info.model });
      if (info.firmwareVersion) result.evidence.push({ source: 'onvif', field: 'firmware', value: info.firmwareVersion });
      if (info.serialNumber) result.evidence.push({ source: 'onvif', field: 'serial', value: info.serialNumber });
      scheme = 'none';
      result.evidence.push({ source: 'onvif', field: 'onvif-answer', value: 'GetDeviceInformation' });
    } else {
      learnRefusal(response, 'GetDeviceInformation');
    }
  } catch (error) {
    result.warnings.push({ ...describeError(error), message: `GetDeviceInformation (anonymous) failed: ${describeError(error).message}` });
  }

  result.services.push({ kind: 'onvif', url, method: 'POST', scheme, challenges });
  return result;
}

function safeFault(body: Buffer): ReturnType<typeof parseSoapFault> {
  try {
    return parseSoapFault(body.toString('utf8'));
  } catch {
    return null;
  }
}
