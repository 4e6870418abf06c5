/**
 * The one credentialed request per device (docs/SAFETY.md S2). One shape for every outcome; nothing here retries —
 * not on stale=TRUE, not on a timeout, not with another scheme or algorithm (docs/ARCHITECTURE.md §8).
 *
 * HTTP Digest: an anonymous request fetches a fresh challenge (no credential, cannot fail a login), then the
 * single credentialed request answers it on the same keep-alive connection (Hikvision nonces carry a timestamp).
 * WS-UsernameToken: Created comes from the device clock (our clock + the offset read anonymously), and no HTTP
 * credential rides along (S4: never both in one request).
 */
import type { AttemptOutcome, AttemptStatus, LoginMethod, LockState, VerifiedLockSettings } from '../model/device.js';
import type { HttpResponse } from '../transport/http.js';
import { HttpTransportError } from '../transport/http.js';
import type { LoginPlanItem } from '../guard/planner.js';
import type { Ledger } from '../guard/ledger.js';
import type { Evidence, StreamInfo } from '../model/device.js';
import { buildUsernameToken } from '../protocols/wsse/index.js';
import { buildSoapRequest, getDeviceInformationBody, parseDeviceInformation, parseOnvifAuthFault, parseSoapFault } from '../protocols/onvif/index.js';
import { isLockedStatus, parseUserCheck } from '../protocols/hikvision/index.js';
import { parseParamCgi } from '../protocols/axis/index.js';
import { answerDigestChallenge, sendExchange, type Exchange, type ExchangeContext } from './exchange.js';
import { VerifiedSession } from './session.js';
import { runVerifiedReads, type VerifiedRead } from './reads/index.js';

export type { AttemptStatus };

export interface AttemptResult {
  status: AttemptStatus;
  method: LoginMethod | null;
  at: string | null;
  reason: string | null;
  remainingAttempts: number | null;
  lockState: LockState | null;
  unlockInSeconds: number | null;
  /** Identity read with the accepted credentials (evidence marked verified). */
  verified: Evidence[];
  /** True when credentialed bytes were sent (the attempt is spent). */
  sent: boolean;
  /** What the bounded reads after a success could not read, in words (never a secret). */
  readNotes: string[];
  /** RTSP streams read after a success (responder address, no credentials). */
  streams: StreamInfo[];
  /** The lock setting read after a success (lockout.verified), when a lock-settings read applies. */
  lockSettings?: { settings: VerifiedLockSettings | null; reason: string | null };
  /** The ledger's id of this attempt, when one was recorded. */
  attemptId?: string;
}

export interface AttemptContext extends ExchangeContext {
  ledger: Ledger;
  /** The reads after a success (default: every read in auth/reads); tests pass their own. */
  reads?: VerifiedRead[];
  /**
   * Runs after the reads, on the same VerifiedSession (so within S2's bound): `oneknock lockout set` writes and
   * reads back the lock setting here. Never called after a failure.
   */
  afterSuccess?: (session: VerifiedSession, outcome: AttemptResult) => Promise<void>;
}

const SOAP_TYPE = 'application/soap+xml; charset=utf-8';

function result(partial: Partial<AttemptResult> & Pick<AttemptResult, 'status'>): AttemptResult {
  return { method: null, at: null, reason: null, remainingAttempts: null, lockState: null, unlockInSeconds: null, verified: [], sent: false, readNotes: [], streams: [], ...partial };
}

/**
 * The exchange that proves the credentials: ONVIF GetDeviceInformation, Hikvision's userCheck, Dahua's magicBox,
 * or for Axis the VAPIX URL that challenged anonymously (param.cgi Brand; never SOAP to a VAPIX URL).
 */
function exchangeFor(item: LoginPlanItem): Exchange {
  const service = item.service!;
  if (service.kind === 'hikvision-isapi') {
    return { method: 'GET', url: new URL('/ISAPI/Security/userCheck', service.url).toString(), headers: {} };
  }
  if (service.kind === 'dahua-cgi') {
    return { method: 'GET', url: new URL('/cgi-bin/magicBox.cgi?action=getSystemInfo', service.url).toString(), headers: {} };
  }
  if (service.kind === 'axis-vapix') {
    return { method: 'GET', url: service.url, headers: {} };
  }
  return { method: 'POST', url: service.url, body: buildSoapRequest(getDeviceInformationBody()), headers: { 'Content-Type': SOAP_TYPE } };
}

export async function attemptLogin(context: AttemptContext, item: LoginPlanItem): Promise<AttemptResult> {
  if (item.action !== 'attempt' || !item.service || !item.credentials || !item.method) {
    return result({ status: 'skipped', reason: item.reason ?? 'not planned' });
  }
  const exchange = exchangeFor(item);
  const credentials = item.credentials;
  let credentialedBody = exchange.body;
  let headers: Record<string, string> = {};

  if (item.method === 'http-digest') {
    let challengeResponse: HttpResponse;
    try {
      challengeResponse = await sendExchange(context, item, exchange);
    } catch (error) {
      return result({ status: 'skipped', method: item.method, reason: `could not fetch a fresh challenge, so no credential was sent: ${(error as Error).message}` });
    }
    if (challengeResponse.statusCode !== 401) {
      return result({ status: 'skipped', method: item.method, reason: `expected a 401 challenge but got HTTP ${challengeResponse.statusCode}; no credential sent` });
    }
    const answer = answerDigestChallenge(context, challengeResponse, exchange, credentials);
    if (answer.kind !== 'authorization') {
      return result({ status: 'skipped', method: item.method, reason: `the device no longer offers a Digest challenge we support (${answer.reason}); no credential sent` });
    }
    headers = { Authorization: answer.header };
  } else {
    const token = buildUsernameToken({
      username: credentials.username,
      password: credentials.password.reveal(),
      nonce: context.randomBytes(16),
      created: new Date(context.now() + (item.clockOffsetMs ?? 0)),
    });
    credentialedBody = buildSoapRequest(getDeviceInformationBody(), { header: token.headerXml });
  }

  // S5: the intent is on disk before the credentialed bytes leave.
  const attemptId = context.ledger.recordIntent({
    keys: item.keys,
    address: item.address ?? '',
    method: item.method,
    url: exchange.url,
    username: credentials.username,
    at: new Date(context.now()).toISOString(),
  });
  const at = new Date(context.now()).toISOString();
  let outcome: AttemptResult;
  try {
    const response = await sendExchange(context, item, exchange, headers, credentialedBody);
    outcome = classify(item, response, at);
  } catch (error) {
    const why = error instanceof HttpTransportError ? `${error.code}: ${error.message}` : (error as Error).message;
    outcome = result({ status: 'error', method: item.method, at, sent: true, reason: `no answer to the login (${why}); it counts as spent — check the device, then "oneknock ledger forget ${item.id}"` });
  }
  const unlockAt = outcome.status === 'locked' && outcome.unlockInSeconds ? new Date(context.now() + outcome.unlockInSeconds * 1000).toISOString() : null;
  context.ledger.recordOutcome(attemptId, outcome.status as AttemptOutcome, outcome.reason, outcome.remainingAttempts, new Date(context.now()).toISOString(), unlockAt);
  outcome.attemptId = attemptId;

  if (outcome.status === 'succeeded') {
    // S2: after a success (and only then), the bounded reads with the same credentials.
    const session = new VerifiedSession(context, item);
    const reads = await runVerifiedReads(session, context.reads);
    outcome.verified.push(...reads.evidence);
    outcome.readNotes.push(...reads.notes);
    outcome.streams.push(...reads.streams);
    if (reads.lock) outcome.lockSettings = reads.lock;
    if (context.afterSuccess) {
      try {
        await context.afterSuccess(session, outcome);
      } catch (error) {
        outcome.readNotes.push(`after the login: ${(error as Error).message}`);
      }
    }
  }
  return outcome;
}

function classify(item: LoginPlanItem, response: HttpResponse, at: string): AttemptResult {
  const method = item.method;
  const text = response.body.toString('utf8');
  const base = { method, at, sent: true } as const;
  if (response.statusCode >= 200 && response.statusCode < 300) {
    const verified: Evidence[] = [];
    if (item.service?.kind === 'onvif') {
      try {
        const info = parseDeviceInformation(text);
        if (info.manufacturer) verified.push({ source: 'login', field: 'vendor', value: info.manufacturer, verified: true });
        if (info.model) verified.push({ source: 'login', field: 'model', value: info.model, verified: true });
        if (info.firmwareVersion) verified.push({ source: 'login', field: 'firmware', value: info.firmwareVersion, verified: true });
        if (info.serialNumber) verified.push({ source: 'login', field: 'serial', value: info.serialNumber, verified: true });
      } catch {
        // The login succeeded; an unreadable body only means nothing to verify.
      }
    }
    if (item.service?.kind === 'axis-vapix') verified.push(...axisBrandEvidence(text));
    return result({ ...base, status: 'succeeded', verified, lockState: 'unlocked' });
  }
  if (item.service?.kind === 'hikvision-isapi' && response.statusCode === 401) {
    const check = safe(() => parseUserCheck(text));
    const locked = isLockedStatus(check?.lockStatus);
    const remaining = check?.retryLoginTime ?? null;
    if (locked) {
      return result({ ...base, status: 'locked', lockState: 'locked', remainingAttempts: 0, unlockInSeconds: check?.unlockTimeSeconds ?? null, reason: `the device is locked${check?.unlockTimeSeconds ? ` for ${check.unlockTimeSeconds} s` : ''}` });
    }
    return result({ ...base, status: 'rejected', remainingAttempts: remaining, lockState: 'unlocked', reason: rejectedReason(item, remaining) });
  }
  if (response.statusCode === 400 || response.statusCode === 401 || response.statusCode === 403 || response.statusCode === 500) {
    const fault = safe(() => parseSoapFault(text));
    if (fault) {
      const auth = parseOnvifAuthFault(fault);
      if (auth.kind === 'locked') return result({ ...base, status: 'locked', lockState: 'locked', remainingAttempts: 0, reason: 'the device says it is locked after too many wrong passwords' });
      if (auth.kind === 'not-authorized' || response.statusCode === 401) {
        return result({ ...base, status: 'rejected', remainingAttempts: auth.remainingAttempts, reason: rejectedReason(item, auth.remainingAttempts) });
      }
      return result({ ...base, status: 'error', reason: `the device answered with a fault: ${fault.reason ?? fault.subcodes.join(', ')}` });
    }
    if (response.statusCode === 401 || response.statusCode === 403) {
      return result({ ...base, status: 'rejected', reason: rejectedReason(item, null) });
    }
  }
  return result({ ...base, status: 'error', reason: `unexpected HTTP ${response.statusCode} to the login; it counts as spent` });
}

/** The Brand group of the Axis login's 200 (`root.Brand.Brand=AXIS`, `root.Brand.ProdNbr=M1065-LW`), verified. */
function axisBrandEvidence(text: string): Evidence[] {
  const brand = safe(() => parseParamCgi(text));
  const out: Evidence[] = [];
  const vendor = brand?.['root.Brand.Brand']?.trim();
  const model = brand?.['root.Brand.ProdNbr']?.trim();
  if (vendor) out.push({ source: 'login', field: 'vendor', value: vendor, verified: true });
  if (model) out.push({ source: 'login', field: 'model', value: model, verified: true });
  return out;
}

function rejectedReason(item: LoginPlanItem, remaining: number | null): string {
  const left = remaining === null ? '' : ` (the device says ${remaining} attempt(s) remain)`;
  return `credentials refused for user "${item.credentials?.username ?? ''}"${left}; fix them, then "oneknock ledger forget ${item.id}" to allow one more attempt`;
}

function safe<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}
