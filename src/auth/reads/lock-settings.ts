/**
 * The lock setting as the device reports it (lockout.verified), read after the one successful login: Hikvision
 * `GET /ISAPI/Security/illegalLoginLock` (then `/ISAPI/Security/capabilities` only when that is not there), Dahua
 * `configManager.cgi?action=getConfig&name=General`. Sources in auth/lock-settings.ts and the codecs.
 */
import { lockAdapterFor, readLockSettings } from '../lock-settings.js';
import type { VerifiedRead } from './types.js';

export const lockSettingsRead: VerifiedRead = {
  name: 'lock-settings',
  applies: (session) => lockAdapterFor(session) !== null,
  async run(session, into) {
    const read = await readLockSettings(session);
    if (!read) return;
    into.lock = read;
    if (read.reason) into.notes.push(`lock setting not read: ${read.reason}`);
  },
};
