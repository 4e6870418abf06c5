/**
 * The one event stream from the core to every output (docs/ARCHITECTURE.md §1). The Ink UI and the JSON/NDJSON writers are
 * consumers that switch on `type`. docs/SAFETY.md fixes device | login | warning | done; phase and plan are additions.
 */
import type { Device, LoginMethod, LoginStatus } from './device.js';

export interface DeviceEvent {
  type: 'device';
  at: string;
  device: Device;
  /** The id this record had before it improved (e.g. uuid:… → mac:…), so consumers can re-key (extension). */
  previousId?: string;
  /** Ids of records folded into this one because they proved to be the same device (extension). */
  mergedIds?: string[];
}

export interface LoginEvent {
  type: 'login';
  at: string;
  id: string;
  status: LoginStatus;
  method: LoginMethod | null;
  reason: string | null;
  /** What the device said about attempts left, when it said (extension). */
  remainingAttempts?: number | null;
}

export interface WarningEvent {
  type: 'warning';
  at: string;
  address: string | null;
  message: string;
  /** Stable machine-readable cause, e.g. 'xml-malformed' (extension). */
  code?: string;
}

export type ScanPhase = 'discovery' | 'fingerprint' | 'login';

/** Progress through the scan (extension): the UI shows it, JSON mode ignores it. */
export interface PhaseEvent {
  type: 'phase';
  at: string;
  phase: ScanPhase;
  state: 'started' | 'finished';
  detail?: string;
  /** On `discovery started` with unicast targets: what the sweep covers and how long it should take. */
  sweep?: SweepPlanInfo;
}

export interface SweepPlanInfo {
  addresses: number;
  /** Of them on a directly attached network (each one a neighbour the kernel must resolve). */
  onLink: number;
  /** New addresses a second at most. */
  ratePerSecond: number;
  /** The on-link pace the neighbour table allows, or null when no target is on-link. */
  onLinkRatePerSecond: number | null;
  /** Expected discovery time: sending at that pace, plus the wait for the last answers. */
  estimateMs: number;
  onLinkNetworks: string[];
}

export interface PlannedLogin {
  id: string;
  address: string | null;
  action: 'attempt' | 'skip';
  method: LoginMethod | null;
  url: string | null;
  username: string | null;
  reason: string | null;
  /**
   * The agreement rule's evidence for the knocked address (extension): e.g. `{ address: "198.18.0.5", confirmed:
   * true, by: ["HTTP realm", "ONVIF serial"], text: "identity confirmed at 198.18.0.5 by HTTP realm + ONVIF serial" }`.
   */
  identity?: { address: string; confirmed: boolean; by: string[]; text: string } | null;
}

/** The login plan (extension): emitted before any credential leaves; --dry-run stops after it. */
export interface PlanEvent {
  type: 'plan';
  at: string;
  logins: PlannedLogin[];
}

export interface DoneEvent {
  type: 'done';
  at: string;
  startedAt: string;
  finishedAt: string;
  devices: number;
  loginsAttempted: number;
  loginsSucceeded: number;
  /**
   * What became of the login phase, when one ran (extension): `confirmed` (attempts sent), `declined` (the
   * confirmation said no: exit 4), `dry-run` (plan only), `nothing-to-do` (every device skipped).
   */
  loginOutcome?: LoginOutcome;
}

export type LoginOutcome = 'confirmed' | 'declined' | 'dry-run' | 'nothing-to-do';

/**
 * `--wait-unlock` (extension): a device locked for this host is scheduled for its one knock instead of skipped.
 * Sent when the wait starts, as a countdown while it runs (secondsLeft falls to 0), and once more with `state`
 * `checking` when the anonymous check runs; the `login` event that follows says what became of it.
 */
export interface UnlockWaitEvent {
  type: 'unlock-wait';
  at: string;
  id: string;
  /** When the lock is expected to lift (ISO time): the device's unlockTime, or the ledger's locked outcome + lock time. */
  unlockAt: string;
  secondsLeft: number;
  state: 'waiting' | 'checking';
  /** Why it waits, in words (says when the lock is per source IP, so another machine need not wait). */
  reason: string;
}

export type ScanEvent = DeviceEvent | LoginEvent | WarningEvent | PhaseEvent | PlanEvent | DoneEvent | UnlockWaitEvent;
