/**
 * The one place that asks which operating system we run on (`process.platform`). Everything that differs between
 * Windows, macOS and Linux — where state lives, how a file holding a password is protected and checked — takes a
 * `Platform` value, so the Windows branches run in unit tests on Linux too, with the system tools injected.
 */
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

/** What a system tool printed, decoded byte for byte (latin1) so two tools' names compare equal whatever the code page. */
export interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Set when the tool could not be started at all (missing, not executable, timed out). */
  error?: Error;
}

/** Runs a system tool by absolute path with an argument vector (never through a shell). */
export type ToolRunner = (executable: string, args: string[]) => ToolResult;

export interface Platform {
  /** `process.platform` of the running Node. */
  os: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
  /** How system tools (icacls.exe, whoami.exe) are run; injected in tests. */
  run: ToolRunner;
}

/** icacls on a large, slow or network volume answers within seconds; a hung tool must not hang the CLI. */
const TOOL_TIMEOUT_MS = 15_000;

export const runTool: ToolRunner = (executable, args) => {
  const result = spawnSync(executable, args, { encoding: 'latin1', windowsHide: true, timeout: TOOL_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', ...(result.error ? { error: result.error } : {}) };
};

export function currentPlatform(): Platform {
  return { os: process.platform, env: process.env, home: homedir(), run: runTool };
}

export const isWindows = (platform: Platform): boolean => platform.os === 'win32';

/**
 * Where oneknock keeps its state (the attempt ledger): `%LOCALAPPDATA%\oneknock` on Windows (per-user, not roamed:
 * the ledger is about this machine's knocks), `~/Library/Application Support/oneknock` on macOS, and
 * `$XDG_STATE_HOME/oneknock` (default `~/.local/state/oneknock`, XDG Base Directory spec) elsewhere.
 */
export function stateDirectory(platform: Platform): string {
  const { env, home } = platform;
  if (isWindows(platform)) {
    const local = env['LOCALAPPDATA'] || win32.join(env['USERPROFILE'] || home, 'AppData', 'Local');
    return win32.join(local, 'oneknock');
  }
  if (platform.os === 'darwin') return posix.join(home, 'Library', 'Application Support', 'oneknock');
  return posix.join(env['XDG_STATE_HOME'] || posix.join(home, '.local', 'state'), 'oneknock');
}

/**
 * A Windows system tool by absolute path under %SystemRoot%\System32, never looked up on PATH (a planted
 * icacls.exe in the working directory or on PATH must not decide who may read a password file).
 */
export function windowsSystemTool(platform: Platform, name: string): string {
  const root = platform.env['SystemRoot'] || platform.env['SYSTEMROOT'] || platform.env['windir'] || 'C:\\Windows';
  return win32.join(root, 'System32', name);
}
