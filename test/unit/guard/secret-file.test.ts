import { describe, expect, it } from 'vitest';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSecretFile } from '../../../src/guard/secret-file.js';
import { thrownBy } from '../../support/errors.js';
import { SecretFileError } from '../../../src/guard/secret-file.js';

const expectThrownCode = (fn: () => unknown, code: string): void => {
  expect(thrownBy(fn, SecretFileError).code).toBe(code);
};

const posix = process.platform !== 'win32';

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'secret-file-'));
  chmodSync(dir, 0o700);
  return dir;
}

describe.runIf(posix)('writeSecretFile (POSIX)', () => {
  it('creates a new file owner-only and leaves no temporary file behind', () => {
    const dir = scratch();
    const written = writeSecretFile(join(dir, 'out.csv'), 'a,b\r\n');
    expect(statSync(written.path).mode & 0o777).toBe(0o600);
    expect(readFileSync(written.path, 'utf8')).toBe('a,b\r\n');
    expect(readdirSync(dir)).toEqual(['out.csv']);
    expect(written.protection).toMatch(/0600/);
  });

  it('replaces an existing world-readable file with a new owner-only one', () => {
    const dir = scratch();
    const file = join(dir, 'out.csv');
    writeFileSync(file, 'old');
    chmodSync(file, 0o644);
    writeSecretFile(file, 'new');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('new');
  });

  it('refuses a symbolic link and leaves its target untouched (content and mode)', () => {
    const dir = scratch();
    const target = join(dir, 'target.txt');
    writeFileSync(target, 'precious');
    chmodSync(target, 0o644);
    const link = join(dir, 'link.csv');
    symlinkSync(target, link);
    expectThrownCode(() => writeSecretFile(link, 'password'), 'E_SECRET_FILE_LINK');
    expect(readFileSync(target, 'utf8')).toBe('precious');
    expect(statSync(target).mode & 0o777).toBe(0o644);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('refuses a path that is not a regular file (a FIFO)', () => {
    const dir = scratch();
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    expectThrownCode(() => writeSecretFile(fifo, 'password'), 'E_SECRET_FILE_KIND');
  });

  it('refuses a directory other users can write (without the sticky bit)', () => {
    const dir = scratch();
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    expectThrownCode(() => writeSecretFile(join(shared, 'out.csv'), 'password'), 'E_SECRET_FILE_DIRECTORY');
    expect(readdirSync(shared)).toEqual([]);
  });

  it('accepts a sticky world-writable directory such as /tmp', () => {
    const dir = scratch();
    const sticky = join(dir, 'sticky');
    mkdirSync(sticky);
    chmodSync(sticky, 0o1777);
    const written = writeSecretFile(join(sticky, 'out.csv'), 'x');
    expect(statSync(written.path).mode & 0o777).toBe(0o600);
  });
});
