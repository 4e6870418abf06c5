/**
 * The only way oneknock writes a file that holds a password (an export the user asked for; safety contract S7):
 * owner-only from the first byte, never through a symlink, never into a directory others can write, and never by
 * changing the mode of a file that was already there.
 *
 * How: refuse a target that is a link or not a regular file, refuse a parent directory writable by group/others
 * without the sticky bit, create a new temporary file beside the target with O_CREAT|O_EXCL|O_NOFOLLOW and mode
 * 0600, write and fsync it, then rename it over the target (rename replaces the directory entry; it never writes
 * through whatever the old entry pointed at).
 *
 * On Windows mode bits mean nothing: the temporary file is created empty, then given an explicit access list that
 * grants only the current user with inheritance removed (icacls, windows-acl.ts), read back to prove it, and only
 * then is the secret written through the same open handle. If that cannot be done the empty file is deleted and
 * the write refused: a password is never written unprotected. (A handle another account opened on the empty file
 * in the milliseconds before the ACL was set would keep its access; the random name makes that a race to win.)
 */
import { closeSync, constants, fsyncSync, lstatSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { OneknockError } from '../model/errors.js';
import { currentPlatform, isWindows, type Platform } from './platform.js';
import { restrictToOwner } from './windows-acl.js';

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

function checkDirectory(directory: string, windows: boolean): void {
  let stats;
  try {
    stats = statSync(directory);
  } catch (error) {
    throw new SecretFileError(`cannot write into ${directory}: ${(error as Error).message}`);
  }
  if (!stats.isDirectory()) throw new SecretFileError(`cannot write into ${directory}: not a directory`);
  // Another user who can write the directory could swap the entry between our checks and the rename (unless the
  // sticky bit limits renames to the owner, as in /tmp).
  if (!windows && (stats.mode & 0o022) !== 0 && (stats.mode & 0o1000) === 0) {
    throw new SecretFileError(`refusing to write a password file into ${directory}: other users can write that directory (mode ${(stats.mode & 0o7777).toString(8)}); choose a directory of your own`, 'E_SECRET_FILE_DIRECTORY');
  }
}

/** Write `content` (which holds a secret) to `path`, owner-only; returns how the file is protected. */
export function writeSecretFile(path: string, content: string, platform: Platform = currentPlatform()): SecretFileWritten {
  const windows = isWindows(platform);
  const target = resolve(path);
  const directory = dirname(target);
  checkTarget(target);
  checkDirectory(directory, windows);
  const temporary = join(directory, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  const fd = openSync(temporary, flags, 0o600);
  let protection = 'mode 0600, owner only';
  try {
    try {
      if (windows) {
        try {
          protection = restrictToOwner(platform, temporary);
        } catch (error) {
          throw new SecretFileError(`refusing to write the password file ${target}: it could not be made owner-only: ${(error as Error).message}`, 'E_SECRET_FILE_ACL');
        }
      }
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
  return { path: target, protection };
}
