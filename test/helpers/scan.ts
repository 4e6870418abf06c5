/** Run the scan with its login phase in-process, as the CLI does with --yes, and fold the events into the document. */
import { runScan } from '../../src/core/scan.js';
import { createLoginPhase } from '../../src/core/login-phase.js';
import type { ScanEvent } from '../../src/core/events.js';
import { ScanDocumentBuilder, type ScanDocument } from '../../src/output/json.js';
import { Secret } from '../../src/guard/secret.js';
import { DEFAULT_FLEET_PASSWORD } from '../../src/simulator/fleet.js';

export interface ScanWithLoginOptions {
  targets: string[];
  ledgerPath: string;
  waitMs: number;
  timeoutMs: number;
  concurrency?: number;
  password?: string;
  confirm?: () => Promise<boolean>;
}

export async function scanWithLogin(options: ScanWithLoginOptions): Promise<{ document: ScanDocument; events: ScanEvent[] }> {
  const phase = createLoginPhase({
    book: { defaultSet: { username: 'admin', password: new Secret(options.password ?? DEFAULT_FLEET_PASSWORD), origin: 'test' }, entries: [] },
    ledgerPath: options.ledgerPath,
    dryRun: false,
    confirm: options.confirm ?? (async () => true),
  });
  const builder = new ScanDocumentBuilder();
  const events: ScanEvent[] = [];
  for await (const event of runScan({
    targets: options.targets,
    interfaces: [],
    waitMs: options.waitMs,
    timeoutMs: options.timeoutMs,
    concurrency: options.concurrency ?? 16,
    afterFingerprint: async (context) => void (await phase.run(context)),
  })) {
    builder.add(event);
    events.push(event);
  }
  return { document: builder.build(), events };
}
