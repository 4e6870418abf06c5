/**
 * Credential sources (CONTRACT): --user with --password-env or --password-stdin, or a per-device CSV
 * (`match,username,password`, match = IP, MAC or serial) that must not be group- or world-readable.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { normaliseMac, type Device } from '../model/device.js';
import { UsageError } from '../model/errors.js';
import { Secret } from './secret.js';

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

/** Read the credentials file, refusing it when group or world can read it (CONTRACT S7). */
export function loadCredentialsFile(path: string): CredentialEntry[] {
  // Opened non-blocking and checked on the open descriptor: a FIFO (or a device) would hang the run on read, and a
  // check by name could be raced by a swap between the check and the read.
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new UsageError(`cannot read credentials file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'E_CREDENTIALS');
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UsageError(`credentials file ${path} is not a regular file (a FIFO, device or directory is refused)`, 'E_CREDENTIALS_TYPE');
    if ((stat.mode & 0o044) !== 0) {
      throw new UsageError(`credentials file ${path} is readable by group or others (mode ${(stat.mode & 0o777).toString(8)}); run: chmod 600 ${path}`, 'E_CREDENTIALS_MODE');
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
