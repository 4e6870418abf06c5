/**
 * Owner-only files on Windows, through the system's own icacls.exe (by absolute path, never PATH) — Windows has no
 * POSIX mode bits, so "mode 0600" says nothing there. A file is owner-only when its DACL has no inherited entries
 * and grants only the current user (SYSTEM and Administrators can read any file anyway, so entries for them are
 * tolerated on a file we check, never added on a file we write).
 *
 * Trust nothing an exit status alone says: Wine's icacls.exe is a dummy that changes nothing and exits 0 with no
 * output. So every change is read back, and a DACL that cannot be read is "unknown", never "fine".
 *
 * icacls output (learn.microsoft.com, "icacls"): the path, a space, then one `PRINCIPAL:(flags)(rights)` per line,
 * the following lines indented to the principal's column, then a blank line and a localised summary. Flags: (I)
 * inherited, (OI)(CI)(IO)(NP) inheritance, (DENY); rights: F, M, RX, R, W, D, N or a list such as (RD,WD,X).
 */
import { isWindows, windowsSystemTool, type Platform } from './platform.js';

export interface AclEntry {
  principal: string;
  inherited: boolean;
  deny: boolean;
  /** Inherit-only entries (IO) apply to children, not to the file itself. */
  inheritOnly: boolean;
  rights: string[];
}

export interface WindowsUser {
  /** S-1-5-21-… when whoami /user printed it (Windows does; Wine 8 prints the name only). */
  sid: string | null;
  name: string | null;
}

export type OwnerOnlyCheck =
  | { kind: 'owner-only'; user: string }
  | { kind: 'readable'; readers: string[]; fix: string }
  | { kind: 'unknown'; reason: string };

/** Rights that let a principal read the file's contents. */
const READ_RIGHTS = new Set(['F', 'M', 'RX', 'R', 'GR', 'GA', 'RD', 'MA']);
const SYSTEM_PRINCIPALS = ['nt authority\\system', 'system', '*s-1-5-18', 's-1-5-18', 'builtin\\administrators', '*s-1-5-32-544', 's-1-5-32-544'];
/** The groups an inherited DACL usually names, by their SIDs (locale-proof for the fix command). */
const WELL_KNOWN_SIDS: Record<string, string> = {
  everyone: 'S-1-1-0',
  'builtin\\users': 'S-1-5-32-545',
  'nt authority\\authenticated users': 'S-1-5-11',
};

const PERMS_AT_END = /:((?:\([A-Za-z,]+\))+)\s*$/;

/**
 * Does this output line start with the path we passed, then a space? icacls prints in the console's OEM code page,
 * which we read byte for byte (latin1): a non-ASCII character of the path (C:\Users\José) is then one other
 * character in a single-byte code page, so compare the ASCII positions and the length. (A multi-byte code page,
 * e.g. 932, misses here: the ACL reads as unknown and the file is refused, never accepted.)
 */
function echoesPath(line: string, lowerPath: string): boolean {
  if (line.length <= lowerPath.length || line[lowerPath.length] !== ' ') return false;
  const echoed = line.slice(0, lowerPath.length).toLowerCase();
  for (let i = 0; i < lowerPath.length; i++) {
    const ours = lowerPath.charCodeAt(i);
    if (ours < 0x80 && echoed.charCodeAt(i) !== ours) return false;
  }
  return true;
}

/** Parse `icacls <path>` output into entries; [] when it names none (a dummy icacls, or an unexpected shape). */
export function parseIcaclsOutput(output: string, path: string): AclEntry[] {
  const lines = output.split(/\r?\n/);
  const entries: AclEntry[] = [];
  const lowerPath = path.toLowerCase();
  // The principal column: after "<path> " on the first line, the indentation of the lines that follow.
  let column: number | null = null;
  let started = false;
  for (const raw of lines) {
    const line = raw.replace(/\s+$/, '');
    if (!started) {
      if (!echoesPath(line, lowerPath)) continue;
      started = true;
      column = path.length + 1;
    } else if (line === '') {
      break;
    }
    const perms = PERMS_AT_END.exec(line);
    if (!perms || column === null) continue;
    const principal = line.slice(started && entries.length === 0 ? column : 0, perms.index).trim();
    if (principal === '') continue;
    const groups = perms[1]!.slice(1, -1).split(')(').map((g) => g.toUpperCase());
    const flags = new Set(groups.filter((g) => ['I', 'OI', 'CI', 'IO', 'NP', 'DENY'].includes(g)));
    const rights = groups.filter((g) => !flags.has(g)).flatMap((g) => g.split(','));
    entries.push({ principal, inherited: flags.has('I'), deny: flags.has('DENY'), inheritOnly: flags.has('IO'), rights });
  }
  return entries;
}

/** `whoami /user /fo csv /nh` → `"domain\user","S-1-5-21-…"`; Wine prints `domain\user` only. */
export function parseWhoami(output: string): WindowsUser {
  const line = output.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? '';
  const csv = /^"([^"]+)","(S-1-[0-9-]+)"$/i.exec(line);
  if (csv) return { name: csv[1]!, sid: csv[2]!.toUpperCase() };
  if (/^[^\s"]+(\\[^\s"]+)?$/.test(line)) return { name: line, sid: null };
  return { name: null, sid: null };
}

export function currentWindowsUser(platform: Platform): WindowsUser {
  const result = platform.run(windowsSystemTool(platform, 'whoami.exe'), ['/user', '/fo', 'csv', '/nh']);
  const parsed = result.status === 0 && !result.error ? parseWhoami(result.stdout) : { name: null, sid: null };
  if (parsed.name || parsed.sid) return parsed;
  const { USERDOMAIN: domain, USERNAME: user } = platform.env;
  return { sid: null, name: user ? (domain ? `${domain}\\${user}` : user) : null };
}

/** What icacls takes as the grantee: `*SID` when known (locale- and rename-proof), else the account name. */
export function granteeOf(user: WindowsUser): string | null {
  return user.sid ? `*${user.sid}` : user.name;
}

const isUser = (principal: string, user: WindowsUser): boolean => {
  const p = principal.toLowerCase().replace(/^\*/, '');
  return (user.sid !== null && p === user.sid.toLowerCase()) || (user.name !== null && p === user.name.toLowerCase());
};

/** Quote an argument for cmd.exe / PowerShell when it has spaces (paths like C:\Users\Jane Doe\creds.csv). */
const quote = (value: string): string => (/[\s&()^%!;,]/.test(value) ? `"${value}"` : value);

export function fixCommand(platform: Platform, path: string, user: WindowsUser, readers: string[]): string {
  const remove = readers.map((r) => quote(WELL_KNOWN_SIDS[r.toLowerCase()] ? `*${WELL_KNOWN_SIDS[r.toLowerCase()]}` : r));
  const grantee = granteeOf(user) ?? '%USERDOMAIN%\\%USERNAME%';
  const parts = [quote(windowsSystemTool(platform, 'icacls.exe')), quote(path), '/inheritance:r', '/grant:r', quote(`${grantee}:F`)];
  if (remove.length > 0) parts.push('/remove:g', ...remove);
  return parts.join(' ');
}

/** Who other than the user (and SYSTEM/Administrators) can read, per these entries. */
export function otherReaders(entries: AclEntry[], user: WindowsUser): string[] {
  const readers = entries.filter(
    (e) => !e.deny && !e.inheritOnly && e.rights.some((r) => READ_RIGHTS.has(r)) && !isUser(e.principal, user) && !SYSTEM_PRINCIPALS.includes(e.principal.toLowerCase()),
  );
  return [...new Set(readers.map((e) => e.principal))];
}

function readAcl(platform: Platform, path: string): { entries: AclEntry[] } | { reason: string } {
  const icacls = windowsSystemTool(platform, 'icacls.exe');
  const result = platform.run(icacls, [path]);
  if (result.error) return { reason: `${icacls} could not be run (${result.error.message})` };
  if (result.status !== 0) return { reason: `${icacls} ${path} failed (exit ${result.status}): ${(result.stderr || result.stdout).trim().split(/\r?\n/)[0] ?? ''}` };
  const entries = parseIcaclsOutput(result.stdout, path);
  if (entries.length === 0) return { reason: `${icacls} ${path} listed no access entries (a stub icacls, such as Wine's, prints nothing)` };
  return { entries };
}

/** Is this file readable by the current user only (and SYSTEM/Administrators)? */
export function checkOwnerOnly(platform: Platform, path: string): OwnerOnlyCheck {
  const user = currentWindowsUser(platform);
  if (!user.sid && !user.name) return { kind: 'unknown', reason: 'the current Windows user could not be determined (whoami.exe, %USERNAME%)' };
  const read = readAcl(platform, path);
  if ('reason' in read) return { kind: 'unknown', reason: read.reason };
  const readers = otherReaders(read.entries, user);
  if (readers.length > 0) return { kind: 'readable', readers, fix: fixCommand(platform, path, user, readers) };
  if (!read.entries.some((e) => !e.deny && isUser(e.principal, user))) return { kind: 'unknown', reason: `no access entry of ${path} names the current user ${user.name ?? user.sid}` };
  return { kind: 'owner-only', user: user.name ?? user.sid! };
}

/**
 * Make `path` owner-only (inheritance removed, Full control for the current user alone) and prove it by reading
 * the DACL back. Returns the words for the CLI; throws a plain Error saying why when that cannot be done.
 */
export function restrictToOwner(platform: Platform, path: string): string {
  if (!isWindows(platform)) throw new Error('restrictToOwner is for Windows');
  const user = currentWindowsUser(platform);
  const grantee = granteeOf(user);
  if (!grantee) throw new Error('the current Windows user could not be determined (whoami.exe, %USERNAME%)');
  const icacls = windowsSystemTool(platform, 'icacls.exe');
  const set = platform.run(icacls, [path, '/inheritance:r', '/grant:r', `${grantee}:F`]);
  if (set.error) throw new Error(`${icacls} could not be run (${set.error.message})`);
  if (set.status !== 0) throw new Error(`${icacls} could not set the access list (exit ${set.status}): ${(set.stderr || set.stdout).trim().split(/\r?\n/)[0] ?? ''}`);
  const read = readAcl(platform, path);
  if ('reason' in read) throw new Error(`the access list could not be verified: ${read.reason}`);
  const strangers = read.entries.filter((e) => !e.deny && !isUser(e.principal, user));
  if (strangers.length > 0 || read.entries.some((e) => e.inherited) || !read.entries.some((e) => isUser(e.principal, user))) {
    throw new Error(`after icacls the file still grants ${strangers.map((e) => e.principal).join(', ') || 'inherited access'}`);
  }
  return `owner-only ACL: inheritance removed, Full control for ${user.name ?? user.sid} only (icacls)`;
}
