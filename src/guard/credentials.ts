/**
 * Credential sources (docs/SAFETY.md): --user with --password-env or --password-stdin, or a per-device CSV
 * (`match,username,password`, match = IP, MAC or serial) that must not be group- or world-readable.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { normaliseMac, type Device } from '../model/device.js';
import { UsageError } from '../model/errors.js';
import { Secret } from './secret.js';
import { currentPlatform, isWindows, type Platform } from './platform.js';
import { checkOwnerOnly } from './windows-acl.js';

export interface CredentialSet {
  username: string;
  password: Secret;
  /** Where it came from, for the plan ("--user", "credentials.csv line 4"). Never the password. */
  origin: string;
}

export interface CredentialEntry extends CredentialSet {
  match: { kind: 'ip' | 'mac' | 'serial'; value: string };
}

export interface CredentialBook {
  defaultSet: CredentialSet | null;
  entries: CredentialEntry[];
}

/** The set for this device: a per-device entry (IP, then MAC, then serial), else the default set. */
export function credentialsFor(book: CredentialBook, device: Device): CredentialSet | null {
  const byIp = book.entries.find((e) => e.match.kind === 'ip' && device.addresses.includes(e.match.value));
  const byMac = book.entries.find((e) => e.match.kind === 'mac' && device.mac !== null && e.match.value === device.mac);
  const bySerial = book.entries.find((e) => e.match.kind === 'serial' && device.serial !== null && e.match.value.toLowerCase() === device.serial.toLowerCase());
  return byIp ?? byMac ?? bySerial ?? book.defaultSet;
}

/** RFC 4180 fields: quoted fields may contain commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += ch;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
}

export function parseCredentialsCsv(text: string, fileName: string): CredentialEntry[] {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const entries: CredentialEntry[] = [];
  rows.forEach((cells, index) => {
    const line = index + 1;
    if (index === 0 && cells[0]?.trim().toLowerCase() === 'match') return;
    if (cells[0]?.trim().startsWith('#')) return;
    if (cells.length !== 3) throw new UsageError(`${fileName} line ${line}: expected 3 fields match,username,password but found ${cells.length} (quote passwords that contain commas)`, 'E_CREDENTIALS');
    const [matchRaw, username, password] = cells.map((c, i) => (i === 2 ? c : c.trim())) as [string, string, string];
    if (!username) throw new UsageError(`${fileName} line ${line}: empty username`, 'E_CREDENTIALS');
    if (!password) throw new UsageError(`${fileName} line ${line}: empty password`, 'E_CREDENTIALS');
    const unbracketed = matchRaw.replace(/^\[(.*)\]$/, '$1');
    const mac = normaliseMac(matchRaw);
    const match: CredentialEntry['match'] = isIP(unbracketed)
      ? { kind: 'ip', value: unbracketed }
      : mac && /^[0-9a-f]{2}([:-]?[0-9a-f]{2}){5}$/i.test(matchRaw)
        ? { kind: 'mac', value: mac }
        : { kind: 'serial', value: matchRaw };
    if (!match.value) throw new UsageError(`${fileName} line ${line}: empty match (give an IP, MAC or serial)`, 'E_CREDENTIALS');
    entries.push({ match, username, password: new Secret(password), origin: `${fileName} line ${line}` });
  });
  return entries;
}

export interface LoadCredentialsOptions {
  platform?: Platform;
  /**
   * `--credentials-acl-unchecked`: accept the file when its access list cannot be READ (Windows without a working
   * icacls.exe, e.g. Wine). Never overrides a finding that others can read it, and means nothing on POSIX.
   */
  allowUncheckedAcl?: boolean;
}

/** A path pasted into a POSIX shell: single-quoted when it has anything but safe characters. */
const quoteForShell = (path: string): string => (/^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`);

/** On Windows the file's access list decides (there are no POSIX modes): refuse when others can read it. */
function checkWindowsAccess(path: string, platform: Platform, allowUncheckedAcl: boolean): void {
  const check = checkOwnerOnly(platform, path);
  if (check.kind === 'readable') {
    throw new UsageError(`credentials file ${path} can be read by ${check.readers.join(', ')}; make it owner-only with: ${check.fix}`, 'E_CREDENTIALS_ACL');
  }
  if (check.kind === 'unknown' && !allowUncheckedAcl) {
    throw new UsageError(`cannot tell who may read credentials file ${path}: ${check.reason}. Refusing it; if you are sure only you can read it, add --credentials-acl-unchecked`, 'E_CREDENTIALS_ACL_UNKNOWN');
  }
}

/**
 * Read the credentials file, refusing it when anyone but its owner can read it (docs/SAFETY.md S7): POSIX mode bits,
 * or on Windows its access list. Opened non-blocking and checked on the open descriptor: a FIFO (or a device) would
 * hang the run on read, and a check by name could be raced by a swap between the check and the read.
 */
export function loadCredentialsFile(path: string, options: LoadCredentialsOptions = {}): CredentialEntry[] {
  const platform = options.platform ?? currentPlatform();
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new UsageError(`cannot read credentials file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'E_CREDENTIALS');
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UsageError(`credentials file ${path} is not a regular file (a FIFO, device or directory is refused)`, 'E_CREDENTIALS_TYPE');
    if (isWindows(platform)) {
      checkWindowsAccess(path, platform, options.allowUncheckedAcl === true);
    } else if ((stat.mode & 0o044) !== 0) {
      throw new UsageError(`credentials file ${path} is readable by group or others (mode ${(stat.mode & 0o777).toString(8)}); run: chmod 600 ${quoteForShell(path)}`, 'E_CREDENTIALS_MODE');
    }
    let text: string;
    try {
      text = readFileSync(fd, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read credentials file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'E_CREDENTIALS');
    }
    return parseCredentialsCsv(text, path);
  } finally {
    closeSync(fd);
  }
}

export function passwordFromEnv(variable: string, env: NodeJS.ProcessEnv = process.env): Secret {
  const value = env[variable];
  if (value === undefined || value === '') throw new UsageError(`--password-env ${variable}: that environment variable is not set or empty`, 'E_PASSWORD_ENV');
  // Read once, then gone from our environment: no child process inherits it (S7).
  delete env[variable];
  return new Secret(value);
}

/** The first line of stdin, without its line ending. */
export async function passwordFromStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<Secret> {
  let buffered = '';
  for await (const chunk of stdin) {
    buffered += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    const newline = buffered.search(/\r?\n/);
    if (newline >= 0) {
      buffered = buffered.slice(0, newline);
      break;
    }
    if (buffered.length > 4096) throw new UsageError('--password-stdin: first line longer than 4096 characters', 'E_PASSWORD_STDIN');
  }
  if (buffered === '') throw new UsageError('--password-stdin: stdin gave no password on its first line', 'E_PASSWORD_STDIN');
  return new Secret(buffered);
}
