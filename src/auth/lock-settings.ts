/**
 * Reading and writing a device's lock setting through the VerifiedSession of its one successful login (S2: the
 * same credentials, the same origin, bounded, stopped by a refusal). One adapter per vendor API; the codecs are
 * in protocols/hikvision/illegal-login-lock.ts and protocols/dahua/config-manager.ts, with their sources.
 * Axis is left out on purpose: its "Prevent brute-force attacks" blocks on a rate of failures per second (AXIS OS
 * manuals, e.g. manualslib Axis M4218-V p.33) and the VAPIX parameter names for it were not found (UNCONFIRMED).
 */
import type { VerifiedLockSettings } from '../model/device.js';
import type { VerifiedSession } from './session.js';
import {
  ILLEGAL_LOGIN_LOCK_PATH,
  SECURITY_CAPABILITIES_PATH,
  buildIllegalLoginLock,
  parseIllegalLoginLock,
  parseSecurityCapabilities,
} from '../protocols/hikvision/index.js';
import { getGeneralConfigPath, isSetConfigOk, parseGeneralLockConfig, setGeneralLockConfigPath } from '../protocols/dahua/index.js';

/** `--disable`, or new thresholds (which also switch the lock on). */
export type DesiredLockSetting = { enabled: false } | { enabled: true; maxAttempts: number; lockSeconds: number };

export interface LockRead {
  settings: VerifiedLockSettings | null;
  /** Why settings is null (never a secret). */
  reason: string | null;
}

export interface LockSettingAdapter {
  readonly name: string;
  applies(session: VerifiedSession): boolean;
  read(session: VerifiedSession): Promise<LockRead>;
  /** One write; resolves with null on success, else the reason. */
  write(session: VerifiedSession, desired: DesiredLockSetting): Promise<string | null>;
}

const failed = (reason: string): LockRead => ({ settings: null, reason });

export const hikvisionLockSettings: LockSettingAdapter = {
  name: 'hikvision-illegal-login-lock',
  applies: (session) => session.item.service?.kind === 'hikvision-isapi',
  async read(session) {
    const response = await session.http('GET', ILLEGAL_LOGIN_LOCK_PATH);
    if (response.statusCode === 200) {
      const lock = parseIllegalLoginLock(response.body.toString('utf8'));
      return {
        settings: { enabled: lock.enabled ?? null, maxAttempts: lock.maxIllegalLoginTimes ?? null, lockSeconds: lock.maxIllegalLoginLockTime ?? null, canDisable: true, source: `GET ${ILLEGAL_LOGIN_LOCK_PATH}` },
        reason: null,
      };
    }
    const why = `illegalLoginLock answered HTTP ${response.statusCode}`;
    // A refusal closes the session: nothing more is asked.
    if (session.closedReason) return failed(why);
    // Not there: ask the capabilities whether the device has the option at all (issupIllegalLoginLock).
    const caps = await session.http('GET', SECURITY_CAPABILITIES_PATH);
    if (caps.statusCode === 200) {
      const parsed = parseSecurityCapabilities(caps.body.toString('utf8'));
      if (parsed.issupIllegalLoginLock === false) {
        return { settings: { enabled: null, maxAttempts: null, lockSeconds: null, canDisable: false, source: `GET ${SECURITY_CAPABILITIES_PATH}` }, reason: null };
      }
    }
    return failed(`${why}; capabilities answered HTTP ${caps.statusCode}`);
  },
  async write(session, desired) {
    const body = buildIllegalLoginLock(desired.enabled ? desired : { enabled: false });
    const response = await session.http('PUT', ILLEGAL_LOGIN_LOCK_PATH, { body, headers: { 'Content-Type': 'application/xml; charset="UTF-8"' } });
    return response.statusCode === 200 ? null : `PUT ${ILLEGAL_LOGIN_LOCK_PATH} answered HTTP ${response.statusCode}`;
  },
};

export const dahuaLockSettings: LockSettingAdapter = {
  name: 'dahua-general-lock-login',
  applies: (session) => session.item.service?.kind === 'dahua-cgi',
  async read(session) {
    const response = await session.http('GET', getGeneralConfigPath());
    if (response.statusCode !== 200) return failed(`getConfig&name=General answered HTTP ${response.statusCode}`);
    const config = parseGeneralLockConfig(response.body.toString('utf8'));
    const source = 'GET /cgi-bin/configManager.cgi?action=getConfig&name=General';
    // A General table without LockLoginEnable: this firmware has no such switch.
    if (config.lockLoginEnable === undefined) return { settings: { enabled: null, maxAttempts: null, lockSeconds: null, canDisable: false, source }, reason: null };
    return { settings: { enabled: config.lockLoginEnable, maxAttempts: config.lockLoginTimes ?? null, lockSeconds: config.loginFailLockTime ?? null, canDisable: true, source }, reason: null };
  },
  async write(session, desired) {
    const response = await session.http('GET', setGeneralLockConfigPath(desired.enabled ? desired : { enabled: false }));
    if (response.statusCode !== 200) return `setConfig answered HTTP ${response.statusCode}`;
    return isSetConfigOk(response.body) ? null : `setConfig did not answer OK (${response.body.toString('utf8').trim().slice(0, 60)})`;
  },
};

export const LOCK_SETTING_ADAPTERS: LockSettingAdapter[] = [hikvisionLockSettings, dahuaLockSettings];

export function lockAdapterFor(session: VerifiedSession): LockSettingAdapter | null {
  return LOCK_SETTING_ADAPTERS.find((adapter) => adapter.applies(session)) ?? null;
}

/** Read the setting, turning a codec or transport fault into a reason. */
export async function readLockSettings(session: VerifiedSession): Promise<LockRead | null> {
  const adapter = lockAdapterFor(session);
  if (!adapter) return null;
  try {
    return await adapter.read(session);
  } catch (error) {
    return failed(`${adapter.name}: ${(error as Error).message}`);
  }
}

/** True when the device's setting is what was asked for. */
export function lockMatches(settings: VerifiedLockSettings | null, desired: DesiredLockSetting): boolean {
  if (!settings || settings.enabled !== desired.enabled) return false;
  if (!desired.enabled) return true;
  return settings.maxAttempts === desired.maxAttempts && settings.lockSeconds === desired.lockSeconds;
}
