import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Sweep, resendTimes, type NeighbourPacing } from '../../../src/discovery/sweep.js';
import { TargetSet, ipv4ToInt } from '../../../src/model/target-set.js';
import { parseTargets } from '../../../src/scan/targets.js';

interface Sent {
  at: number;
  address: string;
}

/** Join one recording sender and run fake time until the sweep is done for it. */
async function drive(sweep: Sweep, options: { untilMs: number; onSend?: (batch: string[], at: number) => void; delayMs?: number } = { untilMs: 60_000 }): Promise<Sent[]> {
  const sent: Sent[] = [];
  let done = false;
  void sweep
    .join(
      {
        send: async (batch) => {
          for (const address of batch) sent.push({ at: Date.now(), address });
          options.onSend?.(batch, Date.now());
        },
      },
      new AbortController().signal,
      options.delayMs !== undefined ? { delayMs: options.delayMs } : {},
    )
    .then(() => {
      done = true;
    });
  const started = Date.now();
  while (!done && Date.now() - started < options.untilMs) await vi.advanceTimersByTimeAsync(10);
  expect(done).toBe(true);
  return sent;
}

const pacing = (overrides: Partial<NeighbourPacing> = {}): NeighbourPacing => ({
  networks: [{ name: 'lan0', network: ipv4ToInt('10.0.0.0'), prefix: 16 }],
  budget: 100,
  ceiling: 150,
  resolveMs: 1_000,
  ...overrides,
});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the shared sweep', () => {

  it('gives a sender every address once, at the rate, then resends only to addresses no channel heard', async () => {
    const targets = parseTargets(['192.0.2.1-192.0.2.200']);
    const sweep = new Sweep(targets, { waitMs: 3000, ratePerSecond: 1000, neighbours: null, now: () => Date.now() });
    const start = Date.now();
    const sent = await drive(sweep, {
      untilMs: 10_000,
      // Every address but the last ten answers at once.
      onSend: (batch) => batch.filter((a) => Number(a.split('.')[3]) <= 190).forEach((a) => sweep.heard(a)),
    });
    const first = new Map<string, number>();
    for (const s of sent) if (!first.has(s.address)) first.set(s.address, s.at);
    expect(first.size).toBe(200);
    // 200 addresses at 1000/s: released over ~200 ms, not at once and not slower.
    const lastFirst = Math.max(...first.values()) - start;
    expect(lastFirst).toBeGreaterThanOrEqual(100);
    expect(lastFirst).toBeLessThan(400);
    const resent = sent.filter((s, i) => sent.findIndex((t) => t.address === s.address) !== i);
    expect(new Set(resent.map((s) => s.address))).toEqual(new Set(targets.slice(190, 200)));
    expect(resent).toHaveLength(10 * resendTimes(3000).length);
    expect(sweep.releasedAll).toBe(true);
  });

  it('keeps on-link addresses within the neighbour budget: never more than `budget` released per resolve time', async () => {
    const targets = parseTargets(['10.0.0.0/22']);
    const sweep = new Sweep(targets, { waitMs: 1000, ratePerSecond: 100_000, neighbours: pacing(), now: () => Date.now() });
    const start = Date.now();
    const sent = await drive(sweep, { untilMs: 60_000 });
    const first = new Map<string, number>();
    for (const s of sent) if (!first.has(s.address)) first.set(s.address, s.at);
    const times = [...first.values()].sort((a, b) => a - b);
    expect(first.size).toBe(1022);
    // Sliding window of one resolve time: at most 100 first probes in it.
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(100);
    }
    // 1022 addresses at 100 per second take about ten seconds (the estimate says so too).
    expect(times.at(-1)! - start).toBeGreaterThanOrEqual(9_000);
    const estimate = sweep.estimate();
    expect(estimate.onLink).toBe(1022);
    expect(estimate.onLinkRatePerSecond).toBe(100);
    expect(estimate.estimateMs).toBeGreaterThan(10_000);
    expect(estimate.onLinkNetworks).toEqual(['lan0 10.0.0.0/16']);
  });

  it('counts recently heard on-link hosts against the ceiling (a camera being fingerprinted holds its entry)', async () => {
    const targets = parseTargets(['10.0.0.0/23']);
    const sweep = new Sweep(targets, { waitMs: 1000, ratePerSecond: 100_000, neighbours: pacing({ budget: 100, ceiling: 120 }), now: () => Date.now() });
    const start = Date.now();
    // Every address answers: after the first 120 the ceiling is full of heard hosts for 60 s.
    const sent = await drive(sweep, { untilMs: 400_000, onSend: (batch) => batch.forEach((a) => sweep.heard(a)) });
    const firsts = sent.map((s) => s.at - start);
    expect(firsts.filter((t) => t < 59_000).length).toBeLessThanOrEqual(120);
    expect(new Set(sent.map((s) => s.address)).size).toBe(510);
  });

  it('addresses off the attached networks are paced by the rate only', () => {
    const sweep = new Sweep(parseTargets(['10.0.0.1-10.0.0.10', '172.16.0.0/24']), { waitMs: 2000, ratePerSecond: 1000, neighbours: pacing(), now: () => Date.now() });
    const estimate = sweep.estimate();
    expect(estimate.onLink).toBe(10);
    expect(estimate.addresses).toBe(264);
  });

  it('holds new batches while the backlog is over its limit, and listens `waitMs` after the last release', async () => {
    let backlog = 10;
    const sweep = new Sweep(TargetSet.of(['192.0.2.1', '192.0.2.2', '192.0.2.3']), { waitMs: 500, ratePerSecond: 1000, neighbours: null, backlog: () => backlog, maxBacklog: 5, now: () => Date.now() });
    const sent: string[] = [];
    const joined = sweep.join({ send: async (batch) => void sent.push(...batch) }, new AbortController().signal, { resend: false });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(sent).toEqual([]);
    backlog = 0;
    await vi.advanceTimersByTimeAsync(30);
    await joined;
    expect(sent).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3']);
    let listened = false;
    void sweep.listen(new AbortController().signal).then(() => {
      listened = true;
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(listened).toBe(false);
    await vi.advanceTimersByTimeAsync(600);
    expect(listened).toBe(true);
  });

  it('a late joiner catches up on what was already released', async () => {
    const sweep = new Sweep(parseTargets(['192.0.2.1-192.0.2.100']), { waitMs: 1000, ratePerSecond: 10_000, neighbours: null, now: () => Date.now() });
    const early = drive(sweep, { untilMs: 5_000 });
    await vi.advanceTimersByTimeAsync(200);
    const late = await drive(sweep, { untilMs: 5_000 });
    expect(new Set(late.map((s) => s.address)).size).toBe(100);
    expect(new Set((await early).map((s) => s.address)).size).toBe(100);
  });
});

describe('when the kernel reports neighbour-table overflows', () => {

  it('pauses on-link releases for a resolve time, halves the budget, and counts the overflows', async () => {
    let overflows = 0;
    const sweep = new Sweep(parseTargets(['10.0.0.0/22']), { waitMs: 1000, ratePerSecond: 100_000, neighbours: pacing({ overflows: () => overflows }), now: () => Date.now() });
    const start = Date.now();
    const sent: Sent[] = [];
    let done = false;
    void sweep.join({ send: async (batch) => void batch.forEach((address) => sent.push({ at: Date.now() - start, address })) }, new AbortController().signal, { resend: false }).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(300);
    expect(sent).toHaveLength(100);
    overflows = 50;
    await vi.advanceTimersByTimeAsync(1_200);
    // Paused: nothing new in the resolve time after the overflow was seen.
    expect(sent.filter((s) => s.at > 300 && s.at < 1_300)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    // Then about half the budget per resolve time (50, and one +10 % step of recovery).
    expect(sent.filter((s) => s.at >= 1_300 && s.at < 2_300).length).toBeLessThanOrEqual(60);
    while (!done) await vi.advanceTimersByTimeAsync(100);
    expect(sweep.overflowsDuringSweep).toBe(50);
  });
});
