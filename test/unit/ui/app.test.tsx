import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { App } from '../../../src/ui/App.js';
import type { UiSession } from '../../../src/ui/session.js';
import type { Device } from '../../../src/model/device.js';
import type { PlannedLogin, ScanEvent } from '../../../src/model/events.js';
import type { CredentialBook } from '../../../src/guard/credentials.js';
import { unknownLockout } from '../../../src/guard/lockout/lookup.js';

const at = '2026-11-24T10:00:00.000Z';
const device = (id: string, address: string, model: string, over: Partial<Device> = {}): Device => ({
  id, addresses: [address], mac: null, serial: null, vendor: 'Hikvision', model, firmware: 'V5.7.14 build 230116', activated: true,
  discoveredBy: ['ws-discovery'], evidence: [{ source: 'ws-discovery', field: 'model', value: model }], onvif: null, lockout: unknownLockout(),
  login: { status: 'not-requested', method: null, at: null, reason: null }, ...over,
});

function fakeSession(devices: Device[], plan: PlannedLogin[]): UiSession & { calls: { plan: Array<{ book: CredentialBook; only: string[] }>; confirm: boolean[] } } {
  const calls = { plan: [] as Array<{ book: CredentialBook; only: string[] }>, confirm: [] as boolean[] };
  return {
    calls,
    loginFailed: false,
    async *scan(): AsyncGenerator<ScanEvent> {
      yield { type: 'phase', at, phase: 'discovery', state: 'started' };
      for (const d of devices) yield { type: 'device', at, device: d };
      yield { type: 'phase', at, phase: 'fingerprint', state: 'finished' };
      await new Promise(() => undefined); // the session waits for the person
    },
    plan: async (book, only) => {
      calls.plan.push({ book, only });
      return plan;
    },
    confirm: async (yes) => void calls.confirm.push(yes),
    finish: () => undefined,
    exportTo: (_kind, path) => ({ path, rows: 0, protection: 'test', leftOut: 0 }),
    drivers: null,
  };
}

const tick = (ms = 30): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Poll the last frame until it matches (renders are asynchronous; fixed sleeps flake under load). */
async function frameMatching(lastFrame: () => string | undefined, pattern: RegExp, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = lastFrame() ?? '';
    if (pattern.test(frame)) {
      // Input handlers subscribe in effects after the frame is drawn: give them a moment, as a person would.
      await tick(40);
      return frame;
    }
    if (Date.now() > deadline) throw new Error(`frame never matched ${pattern}:\n${frame}`);
    await tick(10);
  }
}
async function type(stdin: { write(s: string): void }, text: string): Promise<void> {
  for (const ch of text) {
    stdin.write(ch);
    await tick(5);
  }
}

describe('App (ink-testing-library)', () => {
  const devices = [device('mac:1', '192.0.2.20', 'DS-2CD2386G2-IU'), device('mac:2', '192.0.2.3', 'DS-2CD2032-I', { lockout: { ...unknownLockout(), state: 'locked' } })];

  it('shows the devices as they arrive, sorted by address, with state and lockout', async () => {
    const { lastFrame, unmount } = render(<App session={fakeSession(devices, [])} scope={{ interfaces: [], targets: 2 }} history={() => []} colour={false} />);
    const frame = await frameMatching(lastFrame, /192\.0\.2\.20/);
    expect(frame).toMatch(/ready — select devices/);
    expect(frame.indexOf('192.0.2.3')).toBeLessThan(frame.indexOf('192.0.2.20'));
    expect(frame).toContain('locked');
    expect(frame).toMatch(/3 tries\/30 min per IP|3\/30 min per IP/);
    unmount();
  });

  it('asks for a credential set, masks the password, shows the plan, and sends only after y', async () => {
    const plan: PlannedLogin[] = [
      { id: 'mac:1', address: '192.0.2.20', action: 'attempt', method: 'http-digest', url: 'http://192.0.2.20/ISAPI/Security/userCheck', username: 'admin', reason: null },
      { id: 'mac:2', address: '192.0.2.3', action: 'skip', method: null, url: null, username: 'admin', reason: 'the device reports it is locked' },
    ];
    const session = fakeSession(devices, plan);
    const { lastFrame, stdin, unmount } = render(<App session={session} scope={{ interfaces: [], targets: 2 }} history={() => []} colour={false} />);
    await frameMatching(lastFrame, /ready — select devices/);
    await type(stdin, 'a');
    await frameMatching(lastFrame, /●/);
    await type(stdin, 'l');
    await frameMatching(lastFrame, /Username:/);
    await type(stdin, 'admin\r');
    await frameMatching(lastFrame, /Password for admin:/);
    await type(stdin, 's3cret!');
    const masked = await frameMatching(lastFrame, /\*{7}/);
    expect(masked).not.toContain('s3cret!');
    await type(stdin, '\r');
    await frameMatching(lastFrame, /Press y to send/);
    expect(session.calls.plan).toHaveLength(1);
    expect(session.calls.plan[0]!.only.sort()).toEqual(['mac:1', 'mac:2']);
    expect(session.calls.plan[0]!.book.defaultSet?.password.reveal()).toBe('s3cret!');
    expect(lastFrame()).toMatch(/1 device\(s\) get exactly one attempt each; 1 skipped/);
    expect(session.calls.confirm).toEqual([]);
    await type(stdin, 'y');
    await frameMatching(lastFrame, /Logging in|Logins done/);
    expect(session.calls.confirm).toEqual([true]);
    unmount();
  });

  it('keys that arrive in one chunk ("al": typed fast, or pasted) each count on the device list', async () => {
    const session = fakeSession(devices, []);
    const { lastFrame, stdin, unmount } = render(<App session={session} scope={{ interfaces: [], targets: 2 }} history={() => []} colour={false} />);
    await frameMatching(lastFrame, /ready — select devices/);
    stdin.write('al');
    await frameMatching(lastFrame, /Username:/);
    await type(stdin, 'admin\r');
    await frameMatching(lastFrame, /Password for admin:/);
    await type(stdin, 'pw\r');
    for (let waited = 0; session.calls.plan.length === 0 && waited < 3000; waited += 10) await tick(10);
    // `a` selected both devices before `l` asked for the credential set.
    expect(session.calls.plan[0]!.only.sort()).toEqual(['mac:1', 'mac:2']);
    unmount();
  });

  it('cancelling the plan sends nothing', async () => {
    const session = fakeSession(devices, [{ id: 'mac:1', address: '192.0.2.20', action: 'attempt', method: 'http-digest', url: 'u', username: 'admin', reason: null }]);
    const { lastFrame, stdin, unmount } = render(<App session={session} scope={{ interfaces: [], targets: 2 }} history={() => []} colour={false} />);
    await frameMatching(lastFrame, /ready — select devices/);
    await type(stdin, 'l');
    await frameMatching(lastFrame, /Username:/);
    await type(stdin, 'admin\r');
    await frameMatching(lastFrame, /Password for admin:/);
    await type(stdin, 'pw\r');
    await frameMatching(lastFrame, /Press y to send/);
    await type(stdin, 'n');
    await frameMatching(lastFrame, /Cancelled: no credential was sent/);
    expect(session.calls.confirm).toEqual([false]);
    unmount();
  });

  it('opens the detail pane with evidence and the lockout policy', async () => {
    const { lastFrame, stdin, unmount } = render(<App session={fakeSession(devices, [])} scope={{ interfaces: [], targets: 2 }} history={() => []} colour={false} />);
    await frameMatching(lastFrame, /ready — select devices/);
    await type(stdin, '\r');
    await frameMatching(lastFrame, /Evidence \(1\)/);
    expect(lastFrame()).toMatch(/Lockout/);
    expect(lastFrame()).toMatch(/Ledger history \(0\)/);
    unmount();
  });
});
