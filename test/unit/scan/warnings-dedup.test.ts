import { describe, expect, it } from 'vitest';
import { runScan } from '../../../src/scan/run-scan.js';
import type { ScanEvent } from '../../../src/model/events.js';

describe('warnings', () => {
  it('the same address + code + message is reported once (a repeated Bye gave four identical lines)', async () => {
    const events: ScanEvent[] = [];
    for await (const event of runScan({
      targets: [],
      interfaces: [],
      waitMs: 10,
      timeoutMs: 100,
      concurrency: 1,
      channels: [
        {
          name: 'ws-discovery',
          async run(context) {
            for (let i = 0; i < 4; i++) context.warn('192.0.2.9', 'Bye from a device that was never listed', 'bye-unknown');
            context.warn('192.0.2.10', 'Bye from a device that was never listed', 'bye-unknown');
            context.warn('192.0.2.9', 'another message', 'bye-unknown');
          },
        },
      ],
    })) events.push(event);
    const warnings = events.filter((e) => e.type === 'warning');
    expect(warnings).toHaveLength(3);
  });
});
