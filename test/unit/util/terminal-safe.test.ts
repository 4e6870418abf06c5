import { describe, expect, it } from 'vitest';
import { isTerminalSafe, terminalSafe, terminalSafeDeep } from '../../../src/util/terminal-safe.js';
import { formatDeviceTable, formatPlan } from '../../../src/output/table.js';
import { initialState, reduce } from '../../../src/ui/state.js';
import { unknownLockout } from '../../../src/guard/lockout/lookup.js';
import type { Device } from '../../../src/model/device.js';

export const PAYLOADS = ['\u001b[2J', '\u001b]0;pwned\u0007', '\u009b2J', '\u009d0;pwned\u0007', 'EVIL\u202egnp.exe', '\u2066x\u2069', '\u007f', '\u0008\u0000'];

describe('the one terminal-safe formatter', () => {
  it('escapes C0 (but \\n and \\t in multiline text), DEL, C1 and bidi controls as \\uXXXX', () => {
    expect(terminalSafe('EVIL\u009b2J\u202egnp.exe')).toBe('EVIL\\u009B2J\\u202Egnp.exe');
    expect(terminalSafe('a\u001b]0;x\u0007b')).toBe('a\\u001B]0;x\\u0007b');
    expect(terminalSafe('a\nb\tc', { multiline: true })).toBe('a\nb\tc');
    expect(terminalSafe('a\nb')).toBe('a\\u000Ab');
    for (const p of PAYLOADS) expect(isTerminalSafe(terminalSafe(p)), JSON.stringify(p)).toBe(true);
    expect(terminalSafe('Ärger über Kameras 日本')).toBe('Ärger über Kameras 日本');
  });

  it('keeps JSON valid with the same data', () => {
    const data = { model: PAYLOADS.join('|'), nested: [PAYLOADS[2]] };
    const safe = terminalSafe(JSON.stringify(data, null, 2), { multiline: true });
    expect(isTerminalSafe(safe)).toBe(true);
    expect(JSON.parse(safe)).toEqual(data);
  });

  it('the table, the plan (through the CLI sink) and the UI state carry no raw control from any device field', () => {
    const hostile = PAYLOADS.join('');
    const device: Device = {
      id: 'ip:192.0.2.1', addresses: ['192.0.2.1'], mac: null, serial: null, vendor: `Hik${hostile}`, model: hostile, firmware: hostile, activated: null,
      discoveredBy: ['ws-discovery'], evidence: [{ source: 'http', field: 'server', value: hostile }], onvif: null, lockout: unknownLockout(),
      login: { status: 'skipped', method: null, at: null, reason: `realm "${hostile}"` },
    };
    expect(isTerminalSafe(terminalSafe(formatDeviceTable([device]), { multiline: true }))).toBe(true);
    expect(isTerminalSafe(terminalSafe(formatPlan([{ id: device.id, address: null, action: 'skip', method: null, url: null, username: null, reason: hostile }]), { multiline: true }))).toBe(true);
    const state = reduce(initialState(), { type: 'event', nowMs: 0, event: { type: 'device', at: 't', device } });
    expect(isTerminalSafe(JSON.stringify(state.devices[0]!).replace(/\\u00[01][0-9a-f]/gi, ''))).toBe(true);
    expect(state.devices[0]!.model).toBe(terminalSafe(hostile));
    const warned = reduce(state, { type: 'event', nowMs: 0, event: { type: 'warning', at: 't', address: '192.0.2.1', message: hostile } });
    expect(isTerminalSafe(warned.warnings[0]!.message)).toBe(true);
    expect(terminalSafeDeep({ a: [hostile] }).a[0]).toBe(terminalSafe(hostile));
  });
});
