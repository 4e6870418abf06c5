/**
 * A Windows platform for unit tests on any OS: whoami.exe and icacls.exe answered from an in-memory DACL per path,
 * printed in icacls's real output shape (path, space, one PRINCIPAL:(flags)(rights) per line indented to the
 * principal's column, blank line, summary). `dummyIcacls` behaves like Wine 8's icacls: exit 0, no output, no change.
 */
import type { Platform, ToolResult } from '../../src/guard/platform.js';

export interface FakeAce {
  principal: string;
  perms: string; // e.g. "(I)(F)", "(R)", "(RD,X)"
}

export interface FakeWindows {
  platform: Platform;
  acl: Map<string, FakeAce[]>;
  calls: Array<{ tool: string; args: string[] }>;
}

export const USER = 'DESKTOP-7J3KQ2L\\Jane Doe';
export const USER_SID = 'S-1-5-21-3623811015-3361044348-30300820-1001';

/** A new file's DACL as inherited from a typical folder outside the profile (C:\share). */
export const INHERITED_SHARE: FakeAce[] = [
  { principal: 'BUILTIN\\Administrators', perms: '(I)(F)' },
  { principal: 'NT AUTHORITY\\SYSTEM', perms: '(I)(F)' },
  { principal: 'BUILTIN\\Users', perms: '(I)(RX)' },
  { principal: 'NT AUTHORITY\\Authenticated Users', perms: '(I)(M)' },
];

export function printIcacls(path: string, aces: FakeAce[]): string {
  const pad = ' '.repeat(path.length + 1);
  const lines = aces.map((ace, i) => `${i === 0 ? `${path} ` : pad}${ace.principal}:${ace.perms}`);
  return `${lines.join('\r\n')}\r\n\r\nSuccessfully processed 1 files; Failed processing 0 files\r\n`;
}

export function fakeWindows(options: { dummyIcacls?: boolean; whoamiSid?: boolean; newFileAcl?: FakeAce[] } = {}): FakeWindows {
  const acl = new Map<string, FakeAce[]>();
  const calls: FakeWindows['calls'] = [];
  const ok = (stdout: string): ToolResult => ({ status: 0, stdout, stderr: '' });
  const run = (tool: string, args: string[]): ToolResult => {
    calls.push({ tool, args });
    if (tool === 'C:\\Windows\\System32\\whoami.exe') return ok(options.whoamiSid === false ? `${USER}\r\n` : `"${USER}","${USER_SID}"\r\n`);
    if (tool !== 'C:\\Windows\\System32\\icacls.exe') return { status: null, stdout: '', stderr: '', error: new Error(`spawn ${tool} ENOENT`) };
    if (options.dummyIcacls) return ok('');
    const [path, ...ops] = args as [string, ...string[]];
    let aces = acl.get(path) ?? options.newFileAcl ?? INHERITED_SHARE;
    if (ops.length === 0) return ok(printIcacls(path, aces));
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      if (op === '/inheritance:r') aces = aces.filter((a) => !a.perms.includes('(I)'));
      else if (op === '/grant:r') {
        const [who, perm] = ops[++i]!.split(/:(?=[^:]+$)/) as [string, string];
        const name = who === `*${USER_SID}` ? USER : who;
        aces = [...aces.filter((a) => a.principal !== name), { principal: name, perms: `(${perm})` }];
      } else return { status: 87, stdout: '', stderr: `Invalid parameter "${op}"\r\n` };
    }
    acl.set(path, aces);
    return ok('processed file: ' + path + '\r\nSuccessfully processed 1 files; Failed processing 0 files\r\n');
  };
  const platform: Platform = {
    os: 'win32',
    env: { SystemRoot: 'C:\\Windows', LOCALAPPDATA: 'C:\\Users\\Jane Doe\\AppData\\Local', USERNAME: 'Jane Doe', USERDOMAIN: 'DESKTOP-7J3KQ2L' },
    home: 'C:\\Users\\Jane Doe',
    run,
  };
  return { platform, acl, calls };
}
