import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { App } from '../../../src/ui/App.js';
import type { UiSession } from '../../../src/ui/session.js';
import type { Device } from '../../../src/model/device.js';
import type { PlannedLogin, ScanEvent } from '../../../src/model/events.js';
import type { DesiredLockSetting } from '../../../src/auth/lock-settings.js';
import { unknownLockout } from '../../../src/guard/lockout/lookup.js';

const at = '2026-12-03T10:00:00.000Z';
const verifiedDevice: Device = {
  id: 'mac:1', addresses: ['192.0.2.20'], mac: null, serial: null, vendor: 'Hikvision', model: 'DS-2CD2386G2-IU', firmware: 'V5.7.14 build 230116', activated: true,
  discoveredBy: ['sadp'], evidence: [], onvif: null,
  lockout: { ...unknownLockout(), scope: 'source-ip', verified: { enabled: true, maxAttempts: 5, lockSeconds: 1800, canDisable: true, source: 'GET /ISAPI/Security/illegalLoginLock' } },
  login: { status: 'succeeded', method: 'http-digest', at, reason: null },
};

const tick = (ms = 30): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function frameMatching(lastFrame: () => string | undefined, pattern: RegExp, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = lastFrame() ?? '';
    if (pattern.test(frame)) {
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

describe('the lock key (lockout set from the terminal UI)', () => {
  it('shows the verified figure marked, and D on the detail pane plans a lock-off login that waits for y', async () => {
    const calls: Array<DesiredLockSetting | undefined> = [];
    const confirms: boolean[] = [];
    const plan: PlannedLogin[] = [{ id: 'mac:1', address: '192.0.2.20', action: 'attempt', method: 'http-digest', url: 'http://192.0.2.20/ISAPI/Security/userCheck', username: 'admin', reason: null }];
    const session: UiSession = {
      loginFailed: false,
      async *scan(): AsyncGenerator<ScanEvent> {
        yield { type: 'phase', at, phase: 'discovery', state: 'started' };
        yield { type: 'device', at, device: verifiedDevice };
        yield { type: 'unlock-wait', at, id: 'mac:1', unlockAt: at, secondsLeft: 12, state: 'waiting', reason: 'it reports itself locked' };
        yield { type: 'phase', at, phase: 'fingerprint', state: 'finished' };
        await new Promise(() => undefined);
      },
      plan: async (_book, _only, lockChange) => {
        calls.push(lockChange);
        return plan;
      },
      confirm: async (yes) => void confirms.push(yes),
      finish: () => undefined,
      exportTo: (_kind, path) => ({ path, rows: 0, protection: 'test', leftOut: 0 }),
      drivers: null,
      lockResults: () => [],
    };
    const { lastFrame, stdin, unmount } = render(<App session={session} scope={{ interfaces: [], targets: 1 }} history={() => []} colour={false} />);
    const table = await frameMatching(lastFrame, /ready — select devices/);
    expect(table).toMatch(/✓5 tries\/30 min|✓5\/30 min/);
    expect(table).toMatch(/waits 12 s/);
    await type(stdin, '\r');
    const detail = await frameMatching(lastFrame, /Read from the device/);
    expect(detail).toMatch(/GET \/ISAPI\/Security\/illegalLoginLock/);
    await type(stdin, 'D');
    await frameMatching(lastFrame, /Username:/);
    await type(stdin, 'admin\r');
    await frameMatching(lastFrame, /Password for admin:/);
    await type(stdin, 'pw\r');
    const planned = await frameMatching(lastFrame, /turns the "Illegal Login Lock" OFF/);
    expect(planned).toMatch(/nothing limits password guessing/);
    expect(calls).toEqual([{ enabled: false }]);
    expect(confirms).toEqual([]);
    await type(stdin, 'y');
    await frameMatching(lastFrame, /Lock off and read back|Turning the lock off/);
    expect(confirms).toEqual([true]);
    unmount();
  });
});
