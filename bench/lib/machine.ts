/** The machine a figure was measured on: stated next to every table (issue 7). */
import { readFileSync } from 'node:fs';
import { availableParallelism, release, totalmem } from 'node:os';

export interface Machine {
  nproc: number;
  memoryGiB: number;
  node: string;
  cpuModel: string;
  kernel: string;
  date: string;
}

export function describeMachine(now = new Date()): Machine {
  let cpuModel = 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown';
  } catch {
    // not Linux
  }
  return {
    nproc: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    cpuModel,
    kernel: release(),
    date: now.toISOString(),
  };
}

export function machineLine(m: Machine): string {
  return `${m.nproc} CPUs (nproc), ${m.memoryGiB} GiB RAM, ${m.cpuModel}, Linux ${m.kernel}, Node ${m.node}, ${m.date}`;
}
