import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOwnerOnly, parseIcaclsOutput, parseWhoami } from '../../../src/guard/windows-acl.js';
import { writeSecretFile, SecretFileError } from '../../../src/guard/secret-file.js';
import { loadCredentialsFile } from '../../../src/guard/credentials.js';
import { UsageError } from '../../../src/model/errors.js';
import { thrownBy } from '../../support/errors.js';
import { INHERITED_SHARE, USER, USER_SID, fakeWindows, printIcacls } from '../../support/fake-windows.js';

const PATH = 'C:\\Users\\Jane Doe\\Documents\\site creds.csv';

describe('parseIcaclsOutput (icacls output shapes)', () => {
  it('reads a path with spaces, inherited entries, a rights list and a deny entry', () => {
    const text = printIcacls(PATH, [
      { principal: 'NT AUTHORITY\\SYSTEM', perms: '(I)(F)' },
      { principal: 'BUILTIN\\Users', perms: '(RD,X)' },
      { principal: 'Everyone', perms: '(DENY)(W)' },
      { principal: USER, perms: '(I)(F)' },
    ]);
    expect(parseIcaclsOutput(text, PATH)).toEqual([
      { principal: 'NT AUTHORITY\\SYSTEM', inherited: true, deny: false, inheritOnly: false, rights: ['F'] },
      { principal: 'BUILTIN\\Users', inherited: false, deny: false, inheritOnly: false, rights: ['RD', 'X'] },
      { principal: 'Everyone', inherited: false, deny: true, inheritOnly: false, rights: ['W'] },
      { principal: USER, inherited: true, deny: false, inheritOnly: false, rights: ['F'] },
    ]);
  });

  it('matches the echoed path case-insensitively and stops at the summary; nothing from empty (Wine) output', () => {
    const text = printIcacls(PATH.toUpperCase(), [{ principal: `${USER_SID}`, perms: '(F)' }]);
    expect(parseIcaclsOutput(text, PATH).map((e) => e.principal)).toEqual([USER_SID]);
    expect(parseIcaclsOutput('', PATH)).toEqual([]);
    expect(parseIcaclsOutput('Successfully processed 0 files; Failed processing 1 files\r\n', PATH)).toEqual([]);
  });

  it('parses whoami /user /fo csv /nh, and the bare name Wine prints', () => {
    expect(parseWhoami(`"${USER}","${USER_SID}"\r\n`)).toEqual({ name: USER, sid: USER_SID });
    expect(parseWhoami('VM\\root\r\n')).toEqual({ name: 'VM\\root', sid: null });
    expect(parseWhoami('')).toEqual({ name: null, sid: null });
  });
});

describe('checkOwnerOnly', () => {
  it('refuses Users and Authenticated Users inherited from the folder, with the icacls command that fixes it', () => {
    const win = fakeWindows();
    const check = checkOwnerOnly(win.platform, PATH);
    expect(check.kind).toBe('readable');
    if (check.kind !== 'readable') return;
    expect(check.readers).toEqual(['BUILTIN\\Users', 'NT AUTHORITY\\Authenticated Users']);
    expect(check.fix).toBe(`C:\\Windows\\System32\\icacls.exe "${PATH}" /inheritance:r /grant:r *${USER_SID}:F /remove:g *S-1-5-32-545 *S-1-5-11`);
  });

  it('refuses an explicit Everyone:(R); accepts the user alone, or with SYSTEM and Administrators', () => {
    const win = fakeWindows();
    win.acl.set(PATH, [{ principal: USER, perms: '(F)' }, { principal: 'Everyone', perms: '(R)' }]);
    expect(checkOwnerOnly(win.platform, PATH)).toMatchObject({ kind: 'readable', readers: ['Everyone'] });
    win.acl.set(PATH, [{ principal: USER, perms: '(F)' }]);
    expect(checkOwnerOnly(win.platform, PATH)).toEqual({ kind: 'owner-only', user: USER });
    win.acl.set(PATH, [{ principal: 'NT AUTHORITY\\SYSTEM', perms: '(I)(F)' }, { principal: 'BUILTIN\\Administrators', perms: '(I)(F)' }, { principal: USER, perms: '(I)(F)' }, { principal: 'Everyone', perms: '(DENY)(R)' }]);
    expect(checkOwnerOnly(win.platform, PATH).kind).toBe('owner-only');
  });

  it('says unknown, never fine, when icacls prints nothing (Wine) or cannot run', () => {
    expect(checkOwnerOnly(fakeWindows({ dummyIcacls: true }).platform, PATH)).toMatchObject({ kind: 'unknown', reason: expect.stringMatching(/listed no access entries/) });
    const missing = fakeWindows();
    missing.platform.env['SystemRoot'] = 'D:\\NoWindows';
    expect(checkOwnerOnly(missing.platform, PATH)).toMatchObject({ kind: 'unknown', reason: expect.stringMatching(/could not be run/) });
  });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'win-acl-'));
  chmodSync(dir, 0o700);
  return dir;
}

describe('writeSecretFile on Windows (injected icacls)', () => {
  it('sets the owner-only ACL on the empty temporary file before writing, verifies it, and says so', () => {
    const win = fakeWindows();
    const dir = scratch();
    const written = writeSecretFile(join(dir, 'xprotect.csv'), 'secret-row\r\n', win.platform);
    const set = win.calls.find((c) => c.args.includes('/inheritance:r'))!;
    expect(set.tool).toBe('C:\\Windows\\System32\\icacls.exe');
    expect(set.args.slice(1)).toEqual(['/inheritance:r', '/grant:r', `*${USER_SID}:F`]);
    expect(set.args[0]).toMatch(/\.xprotect\.csv\.[0-9a-f]{12}\.tmp$/);
    // Read back after the change, and the ACL the fake now holds is the user's alone.
    expect(win.calls.filter((c) => c.tool.endsWith('icacls.exe') && c.args.length === 1 && c.args[0] === set.args[0])).toHaveLength(1);
    expect(win.acl.get(set.args[0]!)).toEqual([{ principal: USER, perms: '(F)' }]);
    expect(written.protection).toBe(`owner-only ACL: inheritance removed, Full control for ${USER} only (icacls)`);
    expect(readFileSync(written.path, 'utf8')).toBe('secret-row\r\n');
  });

  it('with a dummy icacls (exit 0, no change, as in Wine) refuses and leaves neither the file nor the temporary', () => {
    const dir = scratch();
    const error = thrownBy(() => writeSecretFile(join(dir, 'xprotect.csv'), 'secret-row', fakeWindows({ dummyIcacls: true }).platform), SecretFileError);
    expect(error.code).toBe('E_SECRET_FILE_ACL');
    expect(error.message).toMatch(/could not be made owner-only: the access list could not be verified/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('grants by name when whoami gives no SID, and refuses when icacls leaves other entries', () => {
    const byName = fakeWindows({ whoamiSid: false });
    writeSecretFile(join(scratch(), 'a.csv'), 'x', byName.platform);
    expect(byName.calls.find((c) => c.args.includes('/grant:r'))!.args).toContain(`${USER}:F`);
    const stubborn = fakeWindows({ newFileAcl: [{ principal: 'Everyone', perms: '(R)' }] });
    const dir = scratch();
    expect(thrownBy(() => writeSecretFile(join(dir, 'b.csv'), 'x', stubborn.platform), SecretFileError).message).toMatch(/still grants Everyone/);
    expect(existsSync(join(dir, 'b.csv'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('loadCredentialsFile on Windows (injected icacls)', () => {
  const csv = '\uFEFFmatch,username,password\r\n127.0.0.5,admin,"pa,ss"\r\n';
  it('refuses a file readable by Users, naming the fix; accepts it once owner-only; CRLF and BOM are fine', () => {
    const win = fakeWindows();
    const file = join(scratch(), 'site creds.csv');
    writeFileSync(file, csv);
    const refused = thrownBy(() => loadCredentialsFile(file, { platform: win.platform }), UsageError);
    expect(refused.code).toBe('E_CREDENTIALS_ACL');
    expect(refused.message).toContain(`make it owner-only with: C:\\Windows\\System32\\icacls.exe "${file}" /inheritance:r`);
    win.acl.set(file, [{ principal: USER, perms: '(F)' }]);
    const entries = loadCredentialsFile(file, { platform: win.platform });
    expect(entries.map((e) => [e.match.value, e.username, e.password.reveal()])).toEqual([['127.0.0.5', 'admin', 'pa,ss']]);
  });

  it('refuses an unreadable ACL unless --credentials-acl-unchecked; the override never beats a finding', () => {
    const file = join(scratch(), 'c.csv');
    writeFileSync(file, csv);
    const dummy = fakeWindows({ dummyIcacls: true });
    const refused = thrownBy(() => loadCredentialsFile(file, { platform: dummy.platform }), UsageError);
    expect(refused.code).toBe('E_CREDENTIALS_ACL_UNKNOWN');
    expect(refused.message).toMatch(/--credentials-acl-unchecked/);
    expect(loadCredentialsFile(file, { platform: dummy.platform, allowUncheckedAcl: true })).toHaveLength(1);
    const shared = fakeWindows({ newFileAcl: INHERITED_SHARE });
    expect(thrownBy(() => loadCredentialsFile(file, { platform: shared.platform, allowUncheckedAcl: true }), UsageError).code).toBe('E_CREDENTIALS_ACL');
  });
});

describe('parseIcaclsOutput with a non-ASCII path', () => {
  it('reads the entries when icacls echoes the path in a single-byte OEM code page (read as latin1)', () => {
    const path = 'C:\\Users\\José\\creds.csv';
    // cp850 prints é as 0x82; read byte for byte that is "\x82".
    const echoed = path.replace('é', '\x82');
    const entries = parseIcaclsOutput(printIcacls(echoed, [{ principal: 'PC\\Jos\x82', perms: '(F)' }]), path);
    expect(entries).toEqual([{ principal: 'PC\\Jos\x82', inherited: false, deny: false, inheritOnly: false, rights: ['F'] }]);
    expect(parseIcaclsOutput(printIcacls('C:\\Users\\Other\\creds.csv', [{ principal: 'PC\\x', perms: '(F)' }]), path)).toEqual([]);
  });
});
