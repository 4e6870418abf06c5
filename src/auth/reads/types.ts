/** What the bounded reads after the one successful login bring back; each read adds what it learned. */
import type { Evidence, StreamInfo, VerifiedLockSettings } from '../../model/device.js';
import type { VerifiedSession } from '../session.js';

export interface VerifiedReadResult {
  /** Identity read with the accepted credentials (evidence marked verified). */
  evidence: Evidence[];
  /** Why a read gave nothing, in words for the device's warnings (never a secret). */
  notes: string[];
  /** RTSP streams on the responder's address, without credentials (main first). */
  streams: StreamInfo[];
  /**
   * The lock setting as the device reported it (lockout.verified), or null with the reason when the read failed;
   * undefined when no lock-settings read applies to this device.
   */
  lock?: { settings: VerifiedLockSettings | null; reason: string | null };
}

/** One kind of read: runs only when it applies to the device's service, and never throws for an expected failure. */
export interface VerifiedRead {
  readonly name: string;
  applies(session: VerifiedSession): boolean;
  run(session: VerifiedSession, into: VerifiedReadResult): Promise<void>;
}

export function emptyReadResult(): VerifiedReadResult {
  return { evidence: [], notes: [], streams: [] };
}
