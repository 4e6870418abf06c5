/** Run the scan with its login phase in-process, as the CLI does with --yes, and fold the events into the document. */
import { formatNdjsonLine, runScan, ScanDocumentBuilder, Secret, type ScanDocument, type ScanEvent } from '../../src/index.js';
import { DEFAULT_FLEET_PASSWORD } from '../../src/simulator/fleet.js';
import { expectValidDocument, expectValidEvent } from './schema.js';

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
  const builder = new ScanDocumentBuilder();
  const events: ScanEvent[] = [];
  for await (const event of runScan({
    targets: options.targets,
    interfaces: [],
    waitMs: options.waitMs,
    timeoutMs: options.timeoutMs,
    concurrency: options.concurrency ?? 16,
    login: {
      book: { defaultSet: { username: 'admin', password: new Secret(options.password ?? DEFAULT_FLEET_PASSWORD), origin: 'test' }, entries: [] },
      ledgerPath: options.ledgerPath,
      dryRun: false,
      confirm: options.confirm ?? (async () => true),
    },
  })) {
    // What --ndjson would print for this event, and at the end what --json would, both checked against the schema.
    expectValidEvent(formatNdjsonLine(event));
    builder.add(event);
    events.push(event);
  }
  const document = builder.build();
  expectValidDocument(JSON.stringify(document));
  return { document, events };
}
