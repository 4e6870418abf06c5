import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe('oneknock command line: usage errors exit 2 with a message that says what to do', () => {
  it('refuses --password (S7: passwords in argv are visible to every user)', async () => {
    const result = await runCli(['scan', '--no-multicast', '--target', '127.0.0.1', '--user', 'admin', '--password', 'hunter2']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--password-env|--password-stdin/);
    expect(result.stderr + result.stdout).not.toContain('hunter2');
    const equals = await runCli(['--password=hunter2']);
    expect(equals.code).toBe(2);
  });

  it('refuses an unknown flag and a bad or too-large target', async () => {
    expect((await runCli(['--frobnicate'])).code).toBe(2);
    const bad = await runCli(['--no-multicast', '--target', 'not-an-address']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad --target/);
    // Larger than a /8: refused before anything is sent.
    const big = await runCli(['--no-multicast', '--target', '10.0.0.0/7']);
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/largest block accepted is \/8/);
  });

  it('refuses a group/world-readable credentials file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cli-cred-')), 'creds.csv');
    writeFileSync(file, '127.0.0.1,admin,secret-in-file\n');
    chmodSync(file, 0o644);
    const result = await runCli(['--no-multicast', '--target', '127.0.0.1', '--credentials', file, '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/chmod 600/);
    expect(result.stderr + result.stdout).not.toContain('secret-in-file');
  });

  it('--no-multicast without --target says there is nothing to probe', async () => {
    const result = await runCli(['--no-multicast', '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--target/);
  });

  it('--help exits 0 and lists the stable options', async () => {
    const result = await runCli(['scan', '--help']);
    expect(result.code).toBe(0);
    for (const flag of ['--json', '--ndjson', '--wait', '--target', '--no-multicast', '--interface', '--user', '--password-env', '--password-stdin', '--credentials', '--yes', '--dry-run', '--ledger', '--csv', '--export', '--milestone-drivers', '--allow-driver-detection', '--recording-server', '--timeout', '--concurrency']) {
      expect(result.stdout).toContain(flag);
    }
    expect(result.stdout).not.toMatch(/--password <|--password\s{2}/);
  });
});
