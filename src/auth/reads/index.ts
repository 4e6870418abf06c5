/**
 * The reads that follow one successful login, in order, all through one VerifiedSession (so the bound of
 * MAX_VERIFIED_READS holds across them). A read that fails is noted and the next one still runs, unless the
 * session was closed by a refusal.
 */
import type { VerifiedSession } from '../session.js';
import { emptyReadResult, type VerifiedRead, type VerifiedReadResult } from './types.js';
import { hikvisionDeviceInfoRead } from './hikvision-device-info.js';
import { onvifStreamsRead } from './onvif-streams.js';
import { axisStreamsRead, dahuaStreamsRead, hikvisionStreamsRead } from './vendor-streams.js';
import { lockSettingsRead } from './lock-settings.js';

export const VERIFIED_READS: VerifiedRead[] = [hikvisionDeviceInfoRead, lockSettingsRead, hikvisionStreamsRead, dahuaStreamsRead, axisStreamsRead, onvifStreamsRead];

export async function runVerifiedReads(session: VerifiedSession, reads: VerifiedRead[] = VERIFIED_READS): Promise<VerifiedReadResult> {
  const result = emptyReadResult();
  for (const read of reads) {
    if (session.closedReason) {
      result.notes.push(`${read.name} not read: ${session.closedReason}`);
      continue;
    }
    if (!read.applies(session)) continue;
    try {
      await read.run(session, result);
    } catch (error) {
      result.notes.push(`${read.name} failed: ${(error as Error).message}`);
    }
  }
  return result;
}

export type { VerifiedRead, VerifiedReadResult } from './types.js';
