import { describe, expect, it } from 'vitest';
import { sharedSignal } from '../../../src/util/signals.js';

describe('sharedSignal', () => {
  it('aborts when any of its sources aborts, with that reason', () => {
    const a = new AbortController();
    const b = new AbortController();
    const shared = sharedSignal(a.signal, b.signal);
    expect(shared.aborted).toBe(false);
    b.abort(new Error('deadline'));
    expect(shared.aborted).toBe(true);
    expect((shared.reason as Error).message).toBe('deadline');
    expect(a.signal.aborted).toBe(false);
  });

  it('takes dozens of listeners without a leak warning, where a plain AbortSignal.any warns', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      const listen = (signal: AbortSignal): void => {
        for (let i = 0; i < 50; i++) signal.addEventListener('abort', () => undefined);
      };
      listen(sharedSignal(new AbortController().signal));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
      // The control: the same listeners on a plain combined signal are reported.
      listen(AbortSignal.any([new AbortController().signal]));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toHaveLength(1);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
