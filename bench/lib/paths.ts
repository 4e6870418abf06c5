import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const benchRoot = join(repoRoot, 'bench');
export const measurePreload = join(benchRoot, 'lib', 'measure.mjs');
export const resultsDir = join(benchRoot, 'results');
