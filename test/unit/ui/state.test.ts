import { describe, expect, it } from 'vitest';
import { initialState, reduce, type UiState } from '../../../src/ui/state.js';
import type { Device } from '../../../src/model/device.js';
import type { ScanEvent } from '../../../src/model/events.js';
import { unknownLockout } from '../../../src/guard/lockout/lookup.js';
import { columnsFor, cellText, lockoutRisk } from '../../../src/ui/format.js';

const device = (id: string, address: string, over: Partial<Device> = {}): Device => ({
  id, addresses: [address], mac: null, serial: null, vendor: 'Hikvision', model: 'DS-2CD2386G2-IU', firmware: 'V5.7.14 build 230116', activated: true,
  discoveredBy: ['ws-discovery'], evidence: [], onvif: null, lockout: unknownLockout(), login: { status: 'not-requested', method: null, at: null, reason: null }, ...over,
});
const at = '2026-11-24T10:00:00.000Z';
const ev = (event: ScanEvent, state: UiState, nowMs = 0): UiState => reduce(state, { type: 'event', event, nowMs });

describe('terminal UI reducer', () => {
  it('keeps the sweep announcement of discovery (how many, how fast, about how long) for the header', () => {
    const detail = 'sweeping 1,048,574 addresses at ≤ 4,000/s: about 4 min 25 s';
    const state = ev({ type: 'phase', at, phase: 'discovery', state: 'started', detail, sweep: { addresses: 1_048_574, onLink: 0, ratePerSecond: 4000, onLinkRatePerSecond: null, estimateMs: 265_000, onLinkNetworks: [] } }, initialState());
    expect(state.sweep).toBe(detail);
    expect(ev({ type: 'phase', at, phase: 'discovery', state: 'started' }, initialState()).sweep).toBeUndefined();
  });

  it('keeps rows sorted by address numerically, whatever order devices arrive in', () => {
    let state = initialState();
    for (const [id, address] of [['a', '192.0.2.10'], ['b', '192.0.2.9'], ['c', '192.0.2.100']] as const) state = ev({ type: 'device', at, device: device(id, address) }, state);
    expect(state.devices.map((d) => d.addresses[0])).toEqual(['192.0.2.9', '192.0.2.10', '192.0.2.100']);
  });

  it('replaces a record whose id improved or that was merged, and moves the selection with it', () => {
    let state = ev({ type: 'device', at, device: device('uuid:1', '192.0.2.1') }, initialState());
    state = reduce(state, { type: 'toggle-select' });
    expect(state.selected).toEqual(['uuid:1']);
    state = ev({ type: 'device', at, device: device('mac:00:11:22:33:44:55', '192.0.2.1'), previousId: 'uuid:1' }, state);
    expect(state.devices.map((d) => d.id)).toEqual(['mac:00:11:22:33:44:55']);
    expect(state.selected).toEqual(['mac:00:11:22:33:44:55']);
    state = ev({ type: 'device', at, device: device('serial:X', '192.0.2.7') }, state);
    state = ev({ type: 'device', at, device: device('mac:00:11:22:33:44:55', '192.0.2.1'), mergedIds: ['serial:X'] }, state);
    expect(state.devices).toHaveLength(1);
  });

  it('moves the cursor within bounds, selects all and none', () => {
    let state = initialState();
    for (let i = 1; i <= 3; i++) state = ev({ type: 'device', at, device: device(`d${i}`, `192.0.2.${i}`) }, state);
    state = reduce(state, { type: 'move', delta: 10 });
    expect(state.cursor).toBe(2);
    state = reduce(state, { type: 'move', delta: -10 });
    expect(state.cursor).toBe(0);
    state = reduce(state, { type: 'select-all' });
    expect(state.selected).toHaveLength(3);
    state = reduce(state, { type: 'select-all' });
    expect(state.selected).toHaveLength(0);
  });

  it('tracks phases: ready after fingerprinting, done at the end; remembers remaining attempts', () => {
    let state = ev({ type: 'phase', at, phase: 'discovery', state: 'started' }, initialState(), 1000);
    expect(state.phase).toBe('discovery');
    expect(state.startedAtMs).toBe(1000);
    state = ev({ type: 'phase', at, phase: 'fingerprint', state: 'finished' }, state, 4000);
    expect(state.phase).toBe('ready');
    state = ev({ type: 'login', at, id: 'd1', status: 'rejected', method: 'http-digest', reason: 'x', remainingAttempts: 4 }, state);
    expect(state.remaining['d1']).toBe(4);
    state = ev({ type: 'done', at, startedAt: at, finishedAt: at, devices: 0, loginsAttempted: 1, loginsSucceeded: 0 }, state, 5000);
    expect(state.phase).toBe('done');
  });
});

describe('UI formatting', () => {
  it('collapses columns on narrow terminals, keeping address, model, lockout and login', () => {
    const wide = columnsFor(200).map((c) => c.key);
    const narrow = columnsFor(80).map((c) => c.key);
    expect(wide).toContain('mac');
    expect(narrow).not.toContain('mac');
    for (const key of ['address', 'model', 'lockout', 'login'] as const) expect(narrow).toContain(key);
    expect(narrow.length).toBeLessThan(wide.length);
  });

  it('colours the lockout by risk and shows remaining attempts after a rejection', () => {
    const d = device('x', '192.0.2.1');
    expect(lockoutRisk(d)).toBe('high');
    expect(lockoutRisk({ ...d, lockout: { ...d.lockout, scope: 'rate' } })).toBe('low');
    const rejected = { ...d, login: { status: 'rejected' as const, method: 'http-digest' as const, at, reason: 'no' } };
    expect(cellText(rejected, 'login', 4, false)).toBe('rejected (4 left)');
    expect(cellText(d, 'lockout', null, false)).toBe('3 tries/30 min per IP');
  });
});

describe('line input', () => {
  it('treats a pasted chunk character by character: CR submits, control characters never enter the value', async () => {
    const { applyInput } = await import('../../../src/ui/components/LineInput.js');
    expect(applyInput('', 'admin\r', {})).toEqual({ value: 'admin', submitted: true });
    expect(applyInput('adm', 'in', {})).toEqual({ value: 'admin', submitted: false });
    expect(applyInput('ab', '\x7f', {})).toEqual({ value: 'a', submitted: false });
    expect(applyInput('ab', '', { backspace: true })).toEqual({ value: 'a', submitted: false });
    expect(applyInput('x', '\x1b\x00y', {})).toEqual({ value: 'xy', submitted: false });
    expect(applyInput('pw', '', { return: true })).toEqual({ value: 'pw', submitted: true });
  });
});
