/**
 * Issue 16 from the outside, with the built CLI: device-supplied escape payloads never reach the terminal raw
 * (table, warnings, plan) while --json keeps the data; an export path that is a symlink leaves its target untouched;
 * exit 5 when credentials and --yes logged nothing in; the demo takes no --target; a FIFO as credentials file is
 * refused at once.
 */
import { chmodSync, lstatSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startLyingPeer, type LyingPeer } from '../support/identity-peers.js';
import { testSubnet } from '../support/subnet.js';
import { isTerminalSafe } from '../../src/util/terminal-safe.js';

const SUBNET = testSubnet(102);
// ESC CSI, OSC ... BEL, C1 CSI and OSC, right-to-left override, an isolate, DEL.
const PAYLOAD = 'EVIL\u001b[2J\u001b]0;pwned\u0007\u009b2J\u009d0;x\u0007\u202egnp.exe\u2066\u007f';
/** Header bytes: HTTP clients refuse C0 in a header (a parse error, reported as a warning), not C1 or bidi. */
const HEADER_PAYLOAD = 'EVIL\u009b2J\u009d0;x\u202egnp.exe\u2066';
const PW = { ONEKNOCK_PW: 'fleet-Pass-2026' };

describe('terminal-safe output of device-supplied text', () => {
  let peer: LyingPeer;
  beforeAll(async () => {
    peer = await startLyingPeer({ address: `${SUBNET}.10`, realm: `Realm${HEADER_PAYLOAD}`, server: `Srv${HEADER_PAYLOAD}`, claim: { model: `M${PAYLOAD}`, name: `Hik${PAYLOAD}` } });
  });
  afterAll(async () => {
    await peer?.stop();
  });

  it('no raw ESC/BEL/C1/bidi byte reaches stdout or stderr from the model, name, Server header, realm or a reason', async () => {
    const ledger = join(mkdtempSync(join(tmpdir(), 'harden-tty-')), 'ledger.jsonl');
    const result = await runCli(['scan', '--no-multicast', '--target', peer.address, '--wait', '700', '--timeout', '1000', '--user', 'admin', '--password-env', 'ONEKNOCK_PW', '--dry-run', '--ledger', ledger], { env: PW });
    // The payload reached the output, neutralised (the codecs already strip C0 in some fields; C1 and bidi came through).
    expect(result.stdout).toContain('\\u009B2J');
    expect(result.stdout).toContain('\\u202E');
    expect(isTerminalSafe(result.stdout), result.stdout).toBe(true);
    expect(isTerminalSafe(result.stderr), result.stderr).toBe(true);
    // With --yes the skip reason (quoting the device's realm) is in the LOGIN column; nothing logged in: exit 5.
    const planned = await runCli(['scan', '--no-multicast', '--target', peer.address, '--wait', '700', '--timeout', '1000', '--user', 'admin', '--password-env', 'ONEKNOCK_PW', '--yes', '--ledger', ledger], { env: PW });
    expect(planned.code).toBe(5);
    // The dry-run plan quotes the device's realm in its skip reason, neutralised.
    expect(result.stdout).toMatch(/skip .*realm "Realm.*\\u00[89][0-9A-F]/);
    expect(isTerminalSafe(planned.stderr), planned.stderr).toBe(true);
    expect(isTerminalSafe(planned.stdout), planned.stdout).toBe(true);
    expect(peer.counters.credentialedRequests).toBe(0);
  });

  it('--json keeps the data (JSON escapes it) and stays terminal-safe', async () => {
    const result = await runCli(['scan', '--no-multicast', '--target', peer.address, '--wait', '700', '--timeout', '1000', '--json']);
    expect(isTerminalSafe(result.stdout)).toBe(true);
    const document = JSON.parse(result.stdout) as { devices: Array<{ model: string | null; evidence: Array<{ field: string; value: string }> }> };
    const device = document.devices[0]!;
    // The data is kept: C1 and bidi characters survive in the JSON strings (escaped as \\u… in the text).
    expect(device.model).toContain('\u009b2J');
    expect(device.model).toContain('\u202egnp.exe');
    // Header bytes are read as Latin-1: the UTF-8 of U+202E arrives as C1 characters, kept as data.
    expect(device.evidence.some((e) => e.field === 'server' && e.value.startsWith('Srv') && /[\u0080-\u009f]/.test(e.value))).toBe(true);
  });
});

describe('exits, refusals and exports', () => {
  it('exit 5: credentials and --yes given, nothing logged in', async () => {
    const ledger = join(mkdtempSync(join(tmpdir(), 'harden-exit5-')), 'ledger.jsonl');
    const result = await runCli(['scan', '--no-multicast', '--target', `${SUBNET}.99`, '--wait', '300', '--timeout', '500', '--user', 'admin', '--password-env', 'ONEKNOCK_PW', '--yes', '--ledger', ledger], { env: PW });
    expect(result.code).toBe(5);
  });

  it('the demo scans its own fleet only: --target is a usage error', async () => {
    const result = await runCli(['demo', '--target', '10.0.0.1', '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/demo scans only its own simulated fleet/);
    expect(result.stdout).toBe('');
  });

  it('a FIFO as --credentials is refused at once (no hang)', async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'harden-fifo-')), 'creds.csv');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    const result = await runCli(['scan', '--no-multicast', '--target', '127.0.0.1', '--credentials', fifo, '--yes'], { timeoutMs: 10_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not a regular file/);
  });

  it('--csv dir/link.csv through a symlink fails clearly and leaves the target untouched (content and mode)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'harden-link-'));
    const target = join(dir, 'target.txt');
    writeFileSync(target, 'original content\n');
    chmodSync(target, 0o644);
    const link = join(dir, 'link.csv');
    symlinkSync(target, link);
    const result = await runCli(['demo', '--user', 'admin', '--password-env', 'ONEKNOCK_PW', '--yes', '--wait', '500', '--ledger', join(dir, 'ledger.jsonl'), '--csv', link], { env: PW, timeoutMs: 30_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('original content\n');
    expect(statSync(target).mode & 0o777).toBe(0o644);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });
});
