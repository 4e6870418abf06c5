/**
 * How far V8 lets the heap grow past what the last full collection kept. On a machine with plenty of memory V8
 * allows up to 4× (MemoryController::MaxGrowingFactor); a 10,000-device scan keeps ~140 MB alive and allocates
 * ~14 GB in passing (XML trees, mostly), so the heap grew to ~360 MB and the process to ~500 MB for garbage alone.
 * 1.8× measured 333 MB peak RSS for the same scan at the same speed (BENCHMARKS.md, "memory"). V8 reads this flag
 * at each collection, so setting it at start-up applies; a user's own --heap-growing-percent (NODE_OPTIONS or
 * the command line) wins.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 80;

export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv, nodeOptions: string = process.env['NODE_OPTIONS'] ?? ''): boolean {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) => /^--heap[-_]growing[-_]percent/.test(arg));
  if (given) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
