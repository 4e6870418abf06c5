import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { credentialsFor, loadCredentialsFile, parseCredentialsCsv, passwordFromEnv, passwordFromStdin } from '../../../src/guard/credentials.js';
import { Secret } from '../../../src/guard/secret.js';
import type { Device } from '../../../src/model/device.js';
import { unknownLockout } from '../../../src/guard/lockout/lookup.js';

const device = (over: Partial<Device>): Device => ({
  id: 'ip:192.0.2.1', addresses: ['192.0.2.1'], mac: null, serial: null, vendor: null, model: null, firmware: null, activated: null,
  discoveredBy: ['probe'], evidence: [], onvif: null, lockout: unknownLockout(), login: { status: 'not-requested', method: null, at: null, reason: null }, ...over,
});

describe('credentials', () => {
  it('parses match,username,password with a header, quotes, commas in passwords, MAC and serial matches', () => {
    const entries = parseCredentialsCsv('match,username,password\n192.0.2.1,admin,"p,a""ss"\n58-50-ED-1F-E3-85,op,x\nDS-2CD2385G1-I2020,root,y\n', 'c.csv');
    expect(entries.map((e) => e.match)).toEqual([
      { kind: 'ip', value: '192.0.2.1' },
      { kind: 'mac', value: '58:50:ed:1f:e3:85' },
      { kind: 'serial', value: 'DS-2CD2385G1-I2020' },
    ]);
    expect(entries[0]!.password.reveal()).toBe('p,a"ss');
  });

  it('names the line of a malformed row', () => {
    expect(() => parseCredentialsCsv('192.0.2.1,admin\n', 'c.csv')).toThrow(/c\.csv line 1: expected 3 fields/);
    expect(() => parseCredentialsCsv('192.0.2.1,admin,\n', 'c.csv')).toThrow(/empty password/);
  });

  it('picks the per-device entry by IP, then MAC, then serial, else the default set', () => {
    const book = { defaultSet: { username: 'default', password: new Secret('d'), origin: '--user' }, entries: parseCredentialsCsv('192.0.2.9,byip,1\naa:bb:cc:dd:ee:ff,bymac,2\nSER1,byserial,3\n', 'f') };
    expect(credentialsFor(book, device({ addresses: ['192.0.2.9'], mac: 'aa:bb:cc:dd:ee:ff' }))?.username).toBe('byip');
    expect(credentialsFor(book, device({ mac: 'aa:bb:cc:dd:ee:ff', serial: 'SER1' }))?.username).toBe('bymac');
    expect(credentialsFor(book, device({ serial: 'ser1' }))?.username).toBe('byserial');
    expect(credentialsFor(book, device({}))?.username).toBe('default');
    expect(credentialsFor({ defaultSet: null, entries: [] }, device({}))).toBeNull();
  });

  it('refuses a credentials file that group or others can read (S7), and accepts 0600', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cred-')), 'c.csv');
    writeFileSync(file, '192.0.2.1,admin,secret\n');
    chmodSync(file, 0o644);
    expect(() => loadCredentialsFile(file)).toThrow(/readable by group or others.*chmod 600/);
    chmodSync(file, 0o640);
    expect(() => loadCredentialsFile(file)).toThrow(/readable by group or others/);
    chmodSync(file, 0o600);
    expect(loadCredentialsFile(file)).toHaveLength(1);
    expect(() => loadCredentialsFile(`${file}.missing`)).toThrow(/cannot read credentials file/);
  });

  it('reads the password from an environment variable or the first line of stdin', async () => {
    expect(passwordFromEnv('PW', { PW: 'x y' }).reveal()).toBe('x y');
    expect(() => passwordFromEnv('PW', {})).toThrow(/not set/);
    expect((await passwordFromStdin(Readable.from(['sec', 'ret\r\nsecond line\n']))).reveal()).toBe('secret');
    await expect(passwordFromStdin(Readable.from(['']))).rejects.toThrow(/no password/);
  });

  it('a Secret never shows its value in JSON, strings or inspect', () => {
    const secret = new Secret('hunter2');
    expect(JSON.stringify({ secret })).not.toContain('hunter2');
    expect(`${secret}`).not.toContain('hunter2');
    expect(inspect({ secret })).not.toContain('hunter2');
    expect(secret.reveal()).toBe('hunter2');
  });
});

describe('loadCredentialsFile (POSIX) with spaces in the path', () => {
  it.runIf(process.platform !== 'win32')('prints a chmod command that can be pasted as is', async () => {
    const { mkdtempSync, writeFileSync, chmodSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadCredentialsFile } = await import('../../../src/guard/credentials.js');
    const file = join(mkdtempSync(join(tmpdir(), 'creds space-')), "site o'creds.csv");
    writeFileSync(file, '127.0.0.5,admin,pw\r\n');
    chmodSync(file, 0o644);
    expect(() => loadCredentialsFile(file)).toThrow(`run: chmod 600 '${file.replace(/'/g, `'\\''`)}'`);
    chmodSync(file, 0o600);
    expect(loadCredentialsFile(file)).toHaveLength(1);
  });
});
