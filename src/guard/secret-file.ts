/**
 * The only way oneknock writes a file that holds a password (an export the user asked for; safety contract S7):
 * owner-only from the first byte, never through a symlink, never into a directory others can write, and never by
 * changing the mode of a file that was already there.
 *
 * How: refuse a target that is a link or not a regular file, refuse a parent directory writable by group/others
 * without the sticky bit, create a new temporary file beside the target with O_CREAT|O_EXCL|O_NOFOLLOW and mode
 * 0600, write and fsync it, then rename it over the target (rename replaces the directory entry; it never writes
 * through whatever the old entry pointed at).
 */
import { closeSync, constants, fsyncSync, lstatSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { OneknockError } from '../model/errors.js';

export interface SecretFileWritten {
  path: string;
  /** How the file is protected, in words for the message the CLI prints ("mode 0600"). */
  protection: string;
}

export class SecretFileError extends OneknockError {
  constructor(message: string, code = 'E_SECRET_FILE') {
    super(code, message);
    this.name = 'SecretFileError';
  }
}

function checkTarget(path: string): void {
  let stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new SecretFileError(`cannot check ${path}: ${(error as Error).message}`);
  }
  if (stats.isSymbolicLink()) throw new SecretFileError(`refusing to write a password file through the symbolic link ${path}: name a regular file`, 'E_SECRET_FILE_LINK');
  if (!stats.isFile()) throw new SecretFileError(`refusing to write a password file to ${path}: it is not a regular file`, 'E_SECRET_FILE_KIND');
}

function checkDirectory(directory: string): void {
  let stats;
  try {
    stats = statSync(directory);
  } catch (error) {
    throw new SecretFileError(`cannot write into ${directory}: ${(error as Error).message}`);
  }
  if (!stats.isDirectory()) throw new SecretFileError(`cannot write into ${directory}: not a directory`);
  // Another user who can write the directory could swap the entry between our checks and the rename (unless the
  // sticky bit limits renames to the owner, as in /tmp).
  if (process.platform !== 'win32' && (stats.mode & 0o022) !== 0 && (stats.mode & 0o1000) === 0) {
    throw new SecretFileError(`refusing to write a password file into ${directory}: other users can write that directory (mode ${(stats.mode & 0o7777).toString(8)}); choose a directory of your own`, 'E_SECRET_FILE_DIRECTORY');
  }
}

/** Write `content` (which holds a secret) to `path`, owner-only; returns how the file is protected. */
export function writeSecretFile(path: string, content: string): SecretFileWritten {
  const target = resolve(path);
  const directory = dirname(target);
  checkTarget(target);
  checkDirectory(directory);
  const temporary = join(directory, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  const fd = openSync(temporary, flags, 0o600);
  try {
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    checkTarget(target);
    renameSync(temporary, target);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // already renamed or gone
    }
    throw error instanceof OneknockError ? error : new SecretFileError(`cannot write ${path}: ${(error as Error).message}`);
  }
  return { path: target, protection: 'mode 0600, owner only' };
}
