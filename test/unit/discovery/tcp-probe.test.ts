import { describe, expect, it } from 'vitest';
import { createTcpProbeChannel, PROBE_PORTS } from '../../../src/discovery/tcp-probe.js';
import type { DiscoveryContext } from '../../../src/discovery/types.js';
import { testSweep } from '../../support/sweep.js';
import type { Observation } from '../../../src/model/record.js';
import type { TcpConnectOutcome, TcpConnectRequest } from '../../../src/transport/tcp-connect.js';

function context(targets: string[], known: Set<string> = new Set()): { ctx: DiscoveryContext; found: Observation[] } {
  const found: Observation[] = [];
  const ctx: DiscoveryContext = {
    udp: () => Promise.reject(new Error('no UDP in this test')),
    sweep: testSweep(targets, 200),
    interfaces: [],
    waitMs: 200,
    signal: new AbortController().signal,
    found: (o) => found.push(o),
    warn: () => undefined,
    newUuid: () => '00000000-0000-0000-0000-000000000000',
    known: (a) => known.has(a),
  };
  return { ctx, found };
}

describe('the TCP probe channel', () => {
  it('reports a host that accepts TCP on a camera port, with the ports it can use, and nothing for silent hosts', async () => {
    const attempts: TcpConnectRequest[] = [];
    const connect = async (r: TcpConnectRequest): Promise<TcpConnectOutcome> => {
      attempts.push(r);
      return r.host === '10.0.0.2' && (r.port === 80 || r.port === 37777) ? 'open' : r.host === '10.0.0.3' ? 'timeout' : 'refused';
    };
    const { ctx, found } = context(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    await createTcpProbeChannel({ connect, graceMs: 0 }).run(ctx);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ channel: 'probe', address: '10.0.0.2', ports: { http: 80 } });
    expect(found[0]!.evidence!.map((e) => e.value)).toEqual(['80/http', '37777/dahua-tcp']);
    expect(attempts).toHaveLength(3 * PROBE_PORTS.length);
    for (const a of attempts) expect(a.timeoutMs).toBeLessThanOrEqual(500);
  });

  it('skips hosts another channel already heard, and caps the connects in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: string[] = [];
    const connect = async (r: TcpConnectRequest): Promise<TcpConnectOutcome> => {
      seen.push(r.host);
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight -= 1;
      return 'refused';
    };
    const targets = Array.from({ length: 40 }, (_, i) => `10.0.1.${i + 1}`);
    const { ctx, found } = context(targets, new Set(['10.0.1.1']));
    await createTcpProbeChannel({ connect, graceMs: 0, inFlight: 8 }).run(ctx);
    expect(found).toHaveLength(0);
    expect(seen).not.toContain('10.0.1.1');
    expect(most).toBeLessThanOrEqual(8);
  });

  it('lets every connect in flight listen on its signal without a MaxListenersExceededWarning on stderr', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    try {
      let most = 0;
      let listening = 0;
      // As tcpConnect does: one abort listener per connect, removed when it settles.
      const connect = (r: TcpConnectRequest): Promise<TcpConnectOutcome> =>
        new Promise((resolve) => {
          const settle = (): void => {
            r.signal?.removeEventListener('abort', settle);
            listening -= 1;
            resolve('timeout');
          };
          r.signal?.addEventListener('abort', settle, { once: true });
          listening += 1;
          most = Math.max(most, listening);
          setTimeout(settle, 20);
        });
      const targets = Array.from({ length: 64 }, (_, i) => `10.0.2.${i + 1}`);
      const { ctx } = context(targets);
      await createTcpProbeChannel({ connect, graceMs: 0, inFlight: 32 }).run(ctx);
      await new Promise((resolve) => setImmediate(resolve));
      expect(most).toBe(32);
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('stops when discovery ends', async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    const { ctx } = context(['10.0.0.9']);
    await createTcpProbeChannel({ connect: async () => (calls++, 'open'), graceMs: 0 }).run({ ...ctx, signal: controller.signal });
    expect(calls).toBe(0);
  });
});
