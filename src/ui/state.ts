/**
 * The terminal UI's state: a pure reducer over ScanEvent plus the user's own actions (docs/ARCHITECTURE.md §14).
 * Components only render this; the scan runs in the core.
 */
import type { Device } from '../model/device.js';
import { terminalSafe, terminalSafeDeep } from '../util/terminal-safe.js';
import type { PlannedLogin, ScanEvent, ScanPhase } from '../model/events.js';
import { compareDevices } from '../output/order.js';

export { compareDevices };

export type Screen = 'scan' | 'detail' | 'credentials' | 'plan' | 'export' | 'help';

export interface UiState {
  devices: Device[];
  warnings: Array<{ address: string | null; message: string }>;
  /** 'ready': fingerprinting finished and the scan waits for the person (log in, export, rescan, quit). */
  phase: ScanPhase | 'idle' | 'ready' | 'done';
  startedAtMs: number | null;
  finishedAtMs: number | null;
  /** Discovery channel → devices found by it. */
  channelCounts: Record<string, number>;
  cursor: number;
  selected: string[];
  screen: Screen;
  plan: PlannedLogin[] | null;
  remaining: Record<string, number | null>;
  message: string | null;
  /** `--wait-unlock`: devices whose one knock waits for their lock to lift, with the countdown (extension). */
  unlockWaits?: Record<string, { unlockAt: string; secondsLeft: number; state: 'waiting' | 'checking' }>;
  /** The sweep's own announcement (how many addresses, how fast, about how long), while discovery runs. */
  sweep?: string | null;
}

export type UiAction =
  | { type: 'event'; event: ScanEvent; nowMs: number }
  | { type: 'move'; delta: number }
  | { type: 'toggle-select' }
  | { type: 'select-all' }
  | { type: 'open'; screen: Screen }
  | { type: 'close' }
  | { type: 'message'; text: string | null }
  | { type: 'plan'; plan: PlannedLogin[] }
  | { type: 'rescan'; nowMs: number };

export function initialState(): UiState {
  return { devices: [], warnings: [], phase: 'idle', startedAtMs: null, finishedAtMs: null, channelCounts: {}, cursor: 0, selected: [], screen: 'scan', plan: null, remaining: {}, message: null };
}

function countChannels(devices: Device[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const device of devices) for (const channel of device.discoveredBy) counts[channel] = (counts[channel] ?? 0) + 1;
  return counts;
}

function reduceEvent(state: UiState, event: ScanEvent, nowMs: number): UiState {
  switch (event.type) {
    case 'device': {
      const drop = new Set([...(event.mergedIds ?? []), ...(event.previousId ? [event.previousId] : [])]);
      const devices = state.devices.filter((d) => d.id !== event.device.id && !drop.has(d.id));
      devices.push(event.device);
      devices.sort(compareDevices);
      const selected = state.selected.map((id) => (drop.has(id) ? event.device.id : id)).filter((id, i, all) => all.indexOf(id) === i);
      return { ...state, devices, selected, channelCounts: countChannels(devices) };
    }
    case 'login': {
      const { [event.id]: _finished, ...waits } = state.unlockWaits ?? {};
      void _finished;
      return { ...state, remaining: { ...state.remaining, [event.id]: event.remainingAttempts ?? null }, ...(state.unlockWaits ? { unlockWaits: waits } : {}) };
    }
    case 'unlock-wait':
      return { ...state, unlockWaits: { ...state.unlockWaits, [event.id]: { unlockAt: event.unlockAt, secondsLeft: event.secondsLeft, state: event.state } } };
    case 'warning':
      return { ...state, warnings: [...state.warnings, { address: event.address, message: event.message }].slice(-200) };
    case 'phase':
      if (event.state === 'started') return { ...state, phase: event.phase, startedAtMs: state.startedAtMs ?? nowMs, ...(event.sweep ? { sweep: event.detail ?? null } : {}) };
      return event.phase === 'fingerprint' || event.phase === 'login' ? { ...state, phase: 'ready', finishedAtMs: event.phase === 'fingerprint' ? nowMs : state.finishedAtMs } : state;
    case 'plan':
      return { ...state, plan: event.logins };
    case 'done':
      return { ...state, phase: 'done', finishedAtMs: nowMs };
  }
}

export function reduce(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'event':
      // The UI's one entry for device-supplied text: every string is made terminal-safe here, once.
      return reduceEvent(state, terminalSafeDeep(action.event), action.nowMs);
    case 'move': {
      const max = Math.max(0, state.devices.length - 1);
      return { ...state, cursor: Math.min(max, Math.max(0, state.cursor + action.delta)) };
    }
    case 'toggle-select': {
      const device = state.devices[state.cursor];
      if (!device) return state;
      const selected = state.selected.includes(device.id) ? state.selected.filter((id) => id !== device.id) : [...state.selected, device.id];
      return { ...state, selected };
    }
    case 'select-all': {
      const all = state.devices.map((d) => d.id);
      const everything = all.length > 0 && all.every((id) => state.selected.includes(id));
      return { ...state, selected: everything ? [] : all };
    }
    case 'open':
      return { ...state, screen: action.screen };
    case 'close':
      return { ...state, screen: 'scan' };
    case 'message':
      return { ...state, message: action.text === null ? null : terminalSafe(action.text) };
    case 'plan':
      return { ...state, plan: action.plan === null ? null : terminalSafeDeep(action.plan) };
    case 'rescan':
      return { ...initialState(), selected: state.selected, startedAtMs: action.nowMs };
  }
}
