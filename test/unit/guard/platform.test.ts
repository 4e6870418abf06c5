import { describe, expect, it } from 'vitest';
import { stateDirectory, windowsSystemTool, type Platform } from '../../../src/guard/platform.js';
import { defaultLedgerPath } from '../../../src/guard/ledger.js';

const never = (): never => {
  throw new Error('no tool runs here');
};
const on = (os: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): Platform => ({ os, env, home, run: never });

describe('platform: state directory and default ledger', () => {
  it('Windows: %LOCALAPPDATA%\\oneknock, else %USERPROFILE%\\AppData\\Local', () => {
    const win = on('win32', { LOCALAPPDATA: 'C:\\Users\\Jane Doe\\AppData\\Local' }, 'C:\\Users\\Jane Doe');
    expect(stateDirectory(win)).toBe('C:\\Users\\Jane Doe\\AppData\\Local\\oneknock');
    expect(defaultLedgerPath(win.env, win)).toBe('C:\\Users\\Jane Doe\\AppData\\Local\\oneknock\\ledger.jsonl');
    expect(stateDirectory(on('win32', { USERPROFILE: 'C:\\Users\\jd' }, 'C:\\ignored'))).toBe('C:\\Users\\jd\\AppData\\Local\\oneknock');
  });

  it('macOS: ~/Library/Application Support/oneknock; Linux: $XDG_STATE_HOME or ~/.local/state', () => {
    expect(stateDirectory(on('darwin', { XDG_STATE_HOME: '/x' }, '/Users/jd'))).toBe('/Users/jd/Library/Application Support/oneknock');
    expect(stateDirectory(on('linux', { XDG_STATE_HOME: '/var/st' }, '/home/jd'))).toBe('/var/st/oneknock');
    expect(defaultLedgerPath({}, on('linux', {}, '/home/jd'))).toBe('/home/jd/.local/state/oneknock/ledger.jsonl');
  });

  it('$ONEKNOCK_LEDGER wins everywhere', () => {
    const env = { ONEKNOCK_LEDGER: 'D:\\ledgers\\site a.jsonl', LOCALAPPDATA: 'C:\\L' };
    expect(defaultLedgerPath(env, on('win32', env, 'C:\\U'))).toBe('D:\\ledgers\\site a.jsonl');
  });

  it('system tools by absolute path under %SystemRoot%, never PATH', () => {
    expect(windowsSystemTool(on('win32', { SystemRoot: 'D:\\WINDOWS', PATH: 'C:\\evil' }, 'C:\\'), 'icacls.exe')).toBe('D:\\WINDOWS\\System32\\icacls.exe');
    expect(windowsSystemTool(on('win32', {}, 'C:\\'), 'whoami.exe')).toBe('C:\\Windows\\System32\\whoami.exe');
  });
});
