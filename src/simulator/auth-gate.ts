/**
 * The simulated device's credential checks and lockout model: every credentialed request passes through here, so
 * the counters tests read (failed logins, lockouts, who sent credentials) are kept in one place.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { SimulatorProfile } from './profile.js';
import type { DeviceCounters } from './counters.js';
import { verifyDigest, verifyUsernameToken, type CredentialCheck } from './verify-credentials.js';
import { SOAP_CONTENT_TYPE, send, soapFault } from './http-reply.js';

interface LockEntry {
  failures: number;
  lockedUntilMs: number;
  recent: number[];
}

/** 'ok' | 'anonymous' (no credential presented) | 'locked' | a failure with the attempts left (null: never locks). */
export type CredentialOutcome = 'ok' | 'anonymous' | 'locked' | { remaining: number | null };

/** The lock setting the device's own API shows and changes (Hikvision illegalLoginLock, Dahua General.LockLogin*). */
export interface SimulatedLockSetting {
  enabled: boolean;
  /** Failures before the lock. */
  threshold: number;
  lockSeconds: number;
}

export class AuthGate {
  private readonly locks = new Map<string, LockEntry>();
  private readonly issuedNonces = new Set<string>();
  /** Starts from the profile's lockout; `lockout set` changes it through the vendor API (applyLockSetting). */
  readonly lockSetting: SimulatedLockSetting;

  constructor(
    private readonly profile: SimulatorProfile,
    private readonly password: string,
    private readonly counters: DeviceCounters,
    private readonly deviceNowMs: () => number,
  ) {
    this.lockSetting = { enabled: profile.lockout.threshold !== null, threshold: profile.lockout.threshold ?? 5, lockSeconds: profile.lockout.lockSeconds };
  }

  /** A write through the vendor API: a disabled lock never locks; new thresholds apply to the next failures. */
  applyLockSetting(change: Partial<SimulatedLockSetting>): void {
    if (change.enabled !== undefined) this.lockSetting.enabled = change.enabled;
    if (change.threshold !== undefined) this.lockSetting.threshold = change.threshold;
    if (change.lockSeconds !== undefined) this.lockSetting.lockSeconds = change.lockSeconds;
    this.counters.lockSettingWrites += 1;
  }

  noteCredentialed(source: string): void {
    this.counters.credentialedRequests += 1;
    if (!this.counters.credentialedSources.includes(source)) this.counters.credentialedSources.push(source);
  }

  private lockKey(source: string, username: string | null): string {
    return this.profile.lockout.scope === 'account' ? `account:${username ?? ''}` : `ip:${source}`;
  }

  lockAll(): void {
    this.locks.set('*', { failures: 0, lockedUntilMs: Date.now() + this.lockSetting.lockSeconds * 1000, recent: [] });
  }

  /** Locked for this source (or account) right now; exposed for tests. */
  isLockedFor(source: string, username: string | null): boolean {
    const entry = this.locks.get(this.lockKey(source, username));
    return !!entry && entry.lockedUntilMs > Date.now();
  }

  lockedNow(source: string, username: string | null): boolean {
    const all = this.locks.get('*');
    if (all && all.lockedUntilMs > Date.now()) return true;
    return this.isLockedFor(source, username);
  }

  unlockInSeconds(source: string, username: string | null): number {
    const entry = this.locks.get('*')?.lockedUntilMs ?? this.locks.get(this.lockKey(source, username))?.lockedUntilMs ?? 0;
    return Math.max(0, Math.ceil((entry - Date.now()) / 1000));
  }

  /** Count one failed login; returns attempts left before the lock (null when the device never locks). */
  private recordFailure(source: string, username: string | null): number | null {
    this.counters.failedLogins += 1;
    const policy = this.profile.lockout;
    if (policy.threshold === null || !this.lockSetting.enabled) return null;
    const { threshold, lockSeconds } = this.lockSetting;
    const key = this.lockKey(source, username);
    const entry = this.locks.get(key) ?? { failures: 0, lockedUntilMs: 0, recent: [] };
    const now = Date.now();
    if (policy.scope === 'rate') {
      entry.recent = entry.recent.filter((t) => now - t < 1000).concat(now);
      if (entry.recent.length > (policy.perSecond ?? threshold)) {
        entry.lockedUntilMs = now + lockSeconds * 1000;
        this.counters.lockouts += 1;
      }
      this.locks.set(key, entry);
      return null;
    }
    entry.failures += 1;
    if (entry.failures >= threshold) {
      entry.lockedUntilMs = now + lockSeconds * 1000;
      entry.failures = 0;
      this.counters.lockouts += 1;
      this.locks.set(key, entry);
      return 0;
    }
    this.locks.set(key, entry);
    return threshold - entry.failures;
  }

  private recordSuccess(source: string, username: string): void {
    this.counters.successfulLogins += 1;
    const entry = this.locks.get(this.lockKey(source, username));
    if (entry && this.profile.lockout.scope !== 'rate') entry.failures = 0;
  }

  private async delayIfCredentialed(): Promise<void> {
    const delay = this.profile.credentialedDelayMs ?? 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  }

  private checkHttpAuthorization(req: IncomingMessage, header: string): CredentialCheck {
    if (/^\s*basic/i.test(header)) {
      if (this.profile.onvif?.auth !== 'basic-only') return { ok: false, username: null, reason: 'wrong-scheme' };
      const [user, ...rest] = Buffer.from(header.trim().slice(6), 'base64').toString('utf8').split(':');
      const ok = user === this.profile.account.username && rest.join(':') === this.password;
      return ok ? { ok: true, username: user } : { ok: false, username: user ?? null, reason: 'bad-password' };
    }
    return verifyDigest({
      header,
      method: req.method ?? 'GET',
      realm: this.profile.http?.realm ?? 'device',
      username: this.profile.account.username,
      password: this.password,
      issuedNonces: this.issuedNonces,
    });
  }

  async checkHttpCredentials(req: IncomingMessage, source: string): Promise<CredentialOutcome> {
    const header = req.headers['authorization'];
    if (header === undefined) return 'anonymous';
    await this.delayIfCredentialed();
    const check = this.checkHttpAuthorization(req, header);
    if (this.lockedNow(source, check.username)) return 'locked';
    if (check.ok) {
      this.recordSuccess(source, check.username);
      return 'ok';
    }
    return { remaining: this.recordFailure(source, check.username) };
  }

  async checkOnvifCredentials(req: IncomingMessage, body: string, source: string): Promise<CredentialOutcome> {
    const header = req.headers['authorization'];
    const token = verifyUsernameToken({
      envelope: body,
      username: this.profile.account.username,
      password: this.password,
      deviceNowMs: this.deviceNowMs(),
      windowMs: this.profile.clock.tokenWindowMs,
    });
    if (header === undefined && token === null) return 'anonymous';
    await this.delayIfCredentialed();
    const checks: CredentialCheck[] = [];
    // A device checks both when both are present: two chances to fail (docs/FIELD-NOTES.md, ONVIF auth).
    if (header !== undefined) checks.push(this.profile.onvif?.auth === 'ws-username-token' ? { ok: false, username: null, reason: 'wrong-scheme' } : this.checkHttpAuthorization(req, header));
    if (token !== null) checks.push(this.profile.onvif?.auth === 'http-digest' || this.profile.onvif?.auth === 'basic-only' ? { ok: false, username: token.username, reason: 'wrong-scheme' } : token);
    const username = checks.find((c) => c.username)?.username ?? null;
    if (this.lockedNow(source, username)) return 'locked';
    let remaining: number | null = null;
    let failed = false;
    for (const check of checks) {
      if (!check.ok) {
        failed = true;
        remaining = this.recordFailure(source, check.username);
      }
    }
    if (!failed) {
      this.recordSuccess(source, username ?? '');
      return 'ok';
    }
    return { remaining };
  }

  sendChallenge(res: ServerResponse, status: number, type: string, body: string): void {
    const http = this.profile.http;
    const challenges: string[] = [];
    for (const algorithm of http?.digestAlgorithms ?? ['MD5']) {
      const nonce = randomBytes(16).toString('hex') + `:${Date.now()}`;
      this.issuedNonces.add(nonce);
      const stale = http?.staleOnFirstChallenge ? ', stale="TRUE"' : ', stale="FALSE"';
      challenges.push(`Digest realm="${http?.realm ?? 'device'}", domain="::", qop="${http?.qop ?? 'auth'}", nonce="${nonce}", opaque="", algorithm="${algorithm}"${stale}`);
    }
    if (http?.basicChallengeToo) challenges.push(`Basic realm="${http.realm}"`);
    if (this.profile.onvif?.auth === 'basic-only') challenges.splice(0, challenges.length, `Basic realm="${http?.realm ?? 'device'}"`);
    res.setHeader('WWW-Authenticate', challenges);
    send(res, status, type, body);
  }

  sendHikvision401(res: ServerResponse, source: string, outcome: Exclude<CredentialOutcome, 'ok'>): void {
    const locked = outcome === 'locked' || this.lockedNow(source, this.profile.account.username) || (typeof outcome === 'object' && outcome.remaining === 0);
    const remaining = typeof outcome === 'object' ? outcome.remaining : null;
    let body = '<?xml version="1.0" encoding="UTF-8" ?>\n<userCheck>\n<statusValue>401</statusValue>\n<statusString>Unauthorized</statusString>\n';
    if (locked) body += `<lockStatus>lock</lockStatus>\n<unlockTime>${this.unlockInSeconds(source, this.profile.account.username)}</unlockTime>\n<retryLoginTime>0</retryLoginTime>\n`;
    else if (remaining !== null && this.profile.lockout.reportRemaining) body += `<lockStatus>unlock</lockStatus>\n<unlockTime>0</unlockTime>\n<retryLoginTime>${remaining}</retryLoginTime>\n`;
    body += '</userCheck>\n';
    this.sendChallenge(res, 401, 'application/xml; charset="UTF-8"', body);
  }

  sendOnvifAuthFault(res: ServerResponse, outcome: Exclude<CredentialOutcome, 'ok'>): void {
    const locked = outcome === 'locked' || (typeof outcome === 'object' && outcome.remaining === 0);
    let reason = 'Sender not Authorized';
    if (locked) {
      reason = 'The device is locked because of entering wrong username/password many times. Please try it after 30 minutes!';
    } else if (typeof outcome === 'object' && outcome.remaining !== null && this.profile.lockout.reportRemaining) {
      reason = `Sender not Authorized. You still have ${outcome.remaining} attempt(s)`;
    }
    send(res, 400, SOAP_CONTENT_TYPE, soapFault('env:Sender', 'ter:NotAuthorized', reason));
  }
}
