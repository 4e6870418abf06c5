/**
 * Child processes for the benchmarks: every child is registered, bounded in time (SIGKILL at its deadline) and
 * killed by killAll() — which run.ts calls on success, on failure and on SIGINT/SIGTERM — so no fleet, scanner or
 * namespace process outlives a run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, ms. */
  wallMs: number;
  /** True when the deadline killed it. */
  timedOut: boolean;
}

export interface Running {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves when the child exits (never rejects; a deadline kill resolves with timedOut). */
  exited: Promise<Finished>;
  /** Resolves with the first stdout line matching `pattern`, rejects when the child exits first or after timeoutMs. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** Write one line to the child's stdin. */
  send(line: string): void;
  /** SIGTERM, then SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<Finished>;
}

/** A live process's CPU time so far from /proc/<pid>/stat (Linux), in ms; null when it is gone or there is no /proc. */
export function procCpuMs(pid: number): { userMs: number; systemMs: number } | null {
  try {
    // utime and stime are fields 14 and 15, in clock ticks (USER_HZ, 100 on Linux); the command name may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { userMs: Number(fields[11]) * 10, systemMs: Number(fields[12]) * 10 };
  } catch {
    return null;
  }
}

const live = new Set<ChildProcess>();

export interface SpawnOptions {
  /** Hard deadline: SIGKILL after this many ms. */
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run inside this network namespace (`ip netns exec` execs in place, so the pid is the command's). */
  namespace?: string;
}

export function start(command: string, args: string[], options: SpawnOptions): Running {
  const [file, argv] = options.namespace ? ['ip', ['netns', 'exec', options.namespace, command, ...args]] : [command, args];
  const begin = performance.now();
  const child = spawn(file, argv, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd });
  live.add(child);
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  const lineWaiters = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    for (const check of [...lineWaiters]) check();
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin!.on('error', () => undefined);
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  const exited = new Promise<Finished>((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null): void => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal, stdout, stderr, wallMs: performance.now() - begin, timedOut });
    };
    child.once('error', (error) => {
      stderr += `\nspawn error: ${error.message}`;
      done(null, null);
    });
    child.once('close', done);
  });
  let ended = false;
  void exited.then(() => {
    ended = true;
    for (const check of [...lineWaiters]) check();
  });
  return {
    child,
    pid: child.pid ?? -1,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const deadline = setTimeout(() => {
          lineWaiters.delete(check);
          reject(new Error(`${command} ${args.join(' ')}: no line matching ${pattern} within ${timeoutMs} ms\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`));
        }, timeoutMs);
        const check = (): void => {
          const global = new RegExp(pattern.source, pattern.flags.includes('m') ? pattern.flags : `${pattern.flags}m`);
          const match = global.exec(stdout);
          if (match) {
            clearTimeout(deadline);
            lineWaiters.delete(check);
            resolve(match);
          } else if (ended) {
            clearTimeout(deadline);
            lineWaiters.delete(check);
            reject(new Error(`${command} exited before printing ${pattern}\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`));
          }
        };
        lineWaiters.add(check);
        check();
      });
    },
    send(line) {
      if (!ended) child.stdin!.write(`${line}\n`);
    },
    async stop(graceMs = 5_000) {
      if (!ended) {
        child.kill('SIGTERM');
        const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
        const result = await exited;
        clearTimeout(kill);
        return result;
      }
      return exited;
    },
  };
}

/** Run to completion (bounded) and return what it printed. */
export async function run(command: string, args: string[], options: SpawnOptions): Promise<Finished> {
  return start(command, args, options).exited;
}

/** SIGKILL every child still running (used on every exit path). */
export function killAll(): number {
  let killed = 0;
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      killed += 1;
    }
  }
  live.clear();
  return killed;
}

export function liveChildren(): number {
  return [...live].filter((c) => c.exitCode === null && c.signalCode === null).length;
}
