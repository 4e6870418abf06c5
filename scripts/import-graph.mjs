#!/usr/bin/env node
/* global process, console */
// Folder → folder import counts inside src/ (docs/ARCHITECTURE.md "The import graph"): every relative import of a
// .ts/.tsx file under src/ is attributed to the first folder below src/ on each side (a top-level file such as
// src/index.ts counts as its own node). Prints one "from→to count" line per edge, then the two-way pairs — the
// layer rule allows none. Usage: node scripts/import-graph.mjs [src-dir]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(process.argv[2] ?? 'src');

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

/** The node a file belongs to: its first folder under src/, or the file name for a top-level file. */
function nodeOf(path) {
  const parts = relative(root, path).split(sep);
  return parts.length > 1 ? parts[0] : parts[0].replace(/\.(ts|tsx|js)$/, '.ts');
}

// Static `import … from '…'` / `export … from '…'` and dynamic `import('…')`: the module specifier is what counts.
const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

const edges = new Map();
for (const file of sourceFiles(root)) {
  const from = nodeOf(file);
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(specifier)) {
    const target = resolve(dirname(file), match[1]);
    if (!target.startsWith(root + sep)) continue;
    const to = nodeOf(target);
    if (to === from) continue;
    const key = `${from}→${to}`;
    edges.set(key, (edges.get(key) ?? 0) + 1);
  }
}

const sorted = [...edges].sort(([a], [b]) => a.localeCompare(b));
for (const [edge, count] of sorted) console.log(`${edge} ${count}`);
const twoWay = sorted
  .map(([edge]) => edge.split('→'))
  .filter(([from, to]) => from < to && edges.has(`${to}→${from}`))
  .map(([from, to]) => `${from}↔${to}`);
console.log(`two-way pairs: ${twoWay.length}${twoWay.length ? ` (${twoWay.join(', ')})` : ''}`);
