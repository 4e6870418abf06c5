/**
 * Dahua HTTP API `configManager.cgi` (the CGI family of /cgi-bin/magicBox.cgi): `action=getConfig&name=<Name>`
 * answers plain text, one `table.<Name>.<Key>=<value>` per line; `action=setConfig&<Name>.<Key>=<value>…` answers
 * `OK`. This is the Dahua HTTP API's getConfig/setConfig pattern as public clients use it (a PHP client parses
 * exactly these lines; public code, repository not identified); the official PDF was not found, so the exact
 * wording there is UNCONFIRMED.
 *
 * The lock setting lives in `General` (not in `LoginFailureAlarm`, which is the alarm for failed logins):
 * `LockLoginEnable` (bool), `LockLoginTimes` (failures), `LoginFailLockTime` (seconds: 1800 on the devices a public
 * note lists, matching the "30 min" reports). Sources: ItsNotGoodName/ipcmanview
 * pkg/dahuarpc/modules/configmanager/config/general.go (the General struct over RPC), the PHP client above
 * ("confirmed live" on 3 DVR/NVRs), an integration note (public note, repository not identified). UNCONFIRMED: the official
 * manual's wording for these three keys and whether every IPC firmware honours setConfig on them; the fixture is
 * synthetic (fixtures/captures/SOURCES.md). Pure: no sockets.
 */
import { CodecError } from '../codec-error.js';

export type DahuaConfigErrorCode = 'dahua-too-large' | 'dahua-error' | 'dahua-no-table';

export class DahuaConfigError extends CodecError<DahuaConfigErrorCode> {}

export const CONFIG_MANAGER_PATH = '/cgi-bin/configManager.cgi';
export const MAX_CONFIG_BYTES = 64 * 1024;
const MAX_LINES = 2000;

/** `table.General.LockLoginEnable=true` → Map { 'LockLoginEnable' → 'true' } for name `General`. */
export function parseConfigTable(text: string | Uint8Array, name: string): Map<string, string> {
  const body = typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
  if (Buffer.byteLength(body) > MAX_CONFIG_BYTES) throw new DahuaConfigError('dahua-too-large', `config body exceeds ${MAX_CONFIG_BYTES} bytes`);
  // A refused or unknown name answers "Error" plus a reason line (e.g. "Bad Request!", "Authority:check failure.").
  if (/^\s*Error\b/i.test(body)) throw new DahuaConfigError('dahua-error', `the device answered: ${body.trim().split(/\r?\n/).join(' ').slice(0, 120)}`);
  const prefix = `table.${name}.`;
  const out = new Map<string, string>();
  for (const line of body.split(/\r?\n/, MAX_LINES)) {
    if (!line.startsWith(prefix)) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(prefix.length, eq);
    if (!out.has(key)) out.set(key, line.slice(eq + 1).trim().slice(0, 256));
  }
  if (out.size === 0) throw new DahuaConfigError('dahua-no-table', `no table.${name}.* line in the answer`);
  return out;
}

/** Wire type of the lock keys in `General`; absent when not sent. */
export interface DahuaLockConfig {
  lockLoginEnable?: boolean;
  lockLoginTimes?: number;
  /** Seconds. */
  loginFailLockTime?: number;
}

export function parseGeneralLockConfig(text: string | Uint8Array): DahuaLockConfig {
  const table = parseConfigTable(text, 'General');
  const out: DahuaLockConfig = {};
  const enable = table.get('LockLoginEnable')?.toLowerCase();
  if (enable === 'true' || enable === 'false') out.lockLoginEnable = enable === 'true';
  const times = table.get('LockLoginTimes');
  if (times !== undefined && /^\d{1,9}$/.test(times)) out.lockLoginTimes = Number(times);
  const seconds = table.get('LoginFailLockTime');
  if (seconds !== undefined && /^\d{1,9}$/.test(seconds)) out.loginFailLockTime = Number(seconds);
  return out;
}

/** Request target of the read. */
export function getGeneralConfigPath(): string {
  return `${CONFIG_MANAGER_PATH}?action=getConfig&name=General`;
}

/** Request target of the write: turning the lock off sends only LockLoginEnable (the thresholds stay). */
export function setGeneralLockConfigPath(setting: { enabled: boolean; maxAttempts?: number; lockSeconds?: number }): string {
  const params = [`General.LockLoginEnable=${setting.enabled ? 'true' : 'false'}`];
  if (setting.maxAttempts !== undefined) params.push(`General.LockLoginTimes=${Math.trunc(setting.maxAttempts)}`);
  if (setting.lockSeconds !== undefined) params.push(`General.LoginFailLockTime=${Math.trunc(setting.lockSeconds)}`);
  return `${CONFIG_MANAGER_PATH}?action=setConfig&${params.join('&')}`;
}

/** setConfig answers `OK` on success. */
export function isSetConfigOk(text: string | Uint8Array): boolean {
  const body = typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
  return /^\s*OK\s*$/i.test(body.slice(0, 64));
}
