/** Drive a real terminal program in tmux: send keys, read the screen. Every session is killed by close(). */
import { execFileSync } from 'node:child_process';

export function tmuxAvailable(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface TmuxSession {
  name: string;
  keys(...keys: string[]): void;
  /** Type text one key at a time, as a person would (a paste would arrive in one chunk). */
  type(text: string): void;
  screen(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  close(): void;
}

export function startTmux(name: string, command: string, columns: number, rows: number, env: Record<string, string> = {}): TmuxSession {
  const socket = `oneknock-test-${process.pid}`;
  const tmux = (args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', timeout: 10_000 });
  const exports = Object.entries(env).map(([k, v]) => `${k}='${v.replace(/'/g, "'\\''")}'`).join(' ');
  tmux(['new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), `export ${exports}; ${command}; sleep 60`]);
  const session: TmuxSession = {
    name,
    keys: (...keys) => void tmux(['send-keys', '-t', name, ...keys]),
    type: (text) => {
      for (const ch of text) tmux(['send-keys', '-t', name, '-l', ch]);
    },
    screen: () => tmux(['capture-pane', '-t', name, '-p']),
    waitFor: async (pattern, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        last = session.screen();
        if (pattern.test(last)) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`screen never matched ${pattern}:\n${last}`);
    },
    close: () => {
      try {
        tmux(['kill-server']);
      } catch {
        // already gone
      }
    },
  };
  return session;
}
