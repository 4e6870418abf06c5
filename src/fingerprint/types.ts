import type { Evidence, LockState } from '../model/device.js';

export type OfferedScheme = 'http-digest' | 'ws-username-token' | 'basic-only' | 'none' | 'unknown';

/** A Digest challenge as offered anonymously (only what the login needs to reproduce it). */
export interface OfferedChallenge {
  scheme: string;
  realm: string | null;
  algorithm: string | null;
  qop: string[];
  stale: boolean | null;
}

/** What one login on this service would need, learned anonymously. */
export interface ServiceAccess {
  kind: 'onvif' | 'hikvision-isapi' | 'dahua-cgi' | 'axis-vapix';
  /** URL on the responder's own address (docs/SAFETY.md S3). */
  url: string;
  method: 'GET' | 'POST';
  scheme: OfferedScheme;
  challenges: OfferedChallenge[];
}

export interface ProbeResult {
  evidence: Evidence[];
  services: ServiceAccess[];
  clockOffsetMs?: number | null;
  clockBasis?: string | null;
  activated?: boolean | null;
  lock?: { state: LockState; remainingAttempts: number | null; unlockInSeconds: number | null } | null;
  certificateSha256?: string | null;
  warnings: Array<{ message: string; code: string }>;
}

export function emptyProbeResult(): ProbeResult {
  return { evidence: [], services: [], warnings: [] };
}

export type { DeviceAccess } from '../model/device.js';
