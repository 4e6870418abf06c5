/** Number and table formatting shared by the BENCHMARKS.md sections. */
import type { ScanFigures } from '../../scenarios/speed.js';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const ms = (v: number | null | undefined): string => (v === null || v === undefined || Number.isNaN(v) ? '–' : `${Math.round(v)}`);
export const s = (v: number | null | undefined): string => (v === null || v === undefined || Number.isNaN(v) ? '–' : `${(v / 1000).toFixed(2)} s`);
export const mb = (v: number | null | undefined): string => (v === null || v === undefined || Number.isNaN(v) ? '–' : `${v.toFixed(1)} MB`);
export const list = (values: Array<number | null>, format: (v: number | null) => string): string => values.map(format).join(' / ');

export function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function skipped(part: unknown): part is { skipped: string } {
  return typeof part === 'object' && part !== null && 'skipped' in part;
}

export const cpu = (r: ScanFigures): number => (r.userCpuMs ?? 0) + (r.systemCpuMs ?? 0);
export const drops = (r: ScanFigures): number => r.udpDrops.reduce((t, d) => t + d.drops, 0);

/** Per added device between consecutive sizes (medians): CPU ms and RSS MB; and whether neither rises (> 15 % step up). */
export function costSteps(runs: Array<{ devices: number; runs: ScanFigures[] }>): { cpuMs: number[]; rssMb: number[]; flatOrFalling: boolean } {
  const step = (value: (r: ScanFigures) => number): number[] =>
    runs.slice(1).map((b, i) => (median(b.runs.map(value)) - median(runs[i]!.runs.map(value))) / (b.devices - runs[i]!.devices));
  const cpuMs = step(cpu);
  const rssMb = step((x) => x.maxRssMb ?? NaN);
  const nonRising = (values: number[]): boolean => values.every((v, i) => i === 0 || v <= values[i - 1]! * 1.15);
  return { cpuMs, rssMb, flatOrFalling: nonRising(cpuMs) && nonRising(rssMb) };
}
