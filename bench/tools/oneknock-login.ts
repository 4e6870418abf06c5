/**
 * Safety scenario (a) and (d): oneknock's own scan + login phase (runScan + createLoginPhase, as the CLI wires
 * them), run inside the scanner namespace, multicast on one interface.
 *
 *   node --import tsx bench/tools/oneknock-login.ts --interface <veth> --address <ip> [--local-clock]
 *
 * The password comes from $BENCH_PASSWORD. With --local-clock the run is oneknock with one thing changed: every
 * device's measured clock offset is replaced by 0 before the plan is made, so WS-UsernameToken is dated by this
 * machine's clock — what a scanner that ignores the device clock does (docs/FIELD-NOTES.md §1). Prints `RESULT {json}`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScan, ScanDocumentBuilder, Secret } from '../../src/index.js';

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const interfaceName = flag('--interface');
  const address = flag('--address');
  const waitMs = Number(flag('--wait') ?? 3000);
  const localClock = process.argv.includes('--local-clock');
  const password = process.env['BENCH_PASSWORD'];
  if (!interfaceName || !address || !password) throw new Error('usage: --interface <name> --address <ipv4> [--local-clock], password in $BENCH_PASSWORD');
  const stateDir = mkdtempSync(join(tmpdir(), 'oneknock-bench-'));
  try {
    const builder = new ScanDocumentBuilder();
    const begin = performance.now();
    for await (const event of runScan({
      targets: [],
      interfaces: [{ name: interfaceName, address, family: 'IPv4' }],
      waitMs,
      timeoutMs: 3000,
      concurrency: 64,
      // Runs before the login phase plans: the local-clock variant forgets every measured device clock.
      afterFingerprint: async (context) => {
        if (localClock) for (const state of context.fingerprints.values()) if (state.clockOffsetMs !== null) state.clockOffsetMs = 0;
      },
      login: {
        book: { defaultSet: { username: 'admin', password: new Secret(password), origin: 'bench' }, entries: [] },
        ledgerPath: join(stateDir, 'ledger.jsonl'),
        dryRun: false,
        confirm: async () => true,
      },
    })) {
      builder.add(event);
    }
    const document = builder.build();
    const logins: Record<string, number> = {};
    for (const device of document.devices) logins[device.login.status] = (logins[device.login.status] ?? 0) + 1;
    process.stdout.write(`RESULT ${JSON.stringify({
      wallMs: performance.now() - begin,
      found: document.devices.length,
      logins,
      devices: document.devices.map((d) => ({ id: d.id, addresses: d.addresses, model: d.model, login: d.login })),
    })}\n`);
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`oneknock-login: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
