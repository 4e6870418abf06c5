/**
 * The speed runs measure compiled JavaScript, as users run it, not TypeScript under a loader (which adds ~40 MB of
 * RSS). Rather than trust or rewrite dist/ (other work may have changed src/ since the last `npm run build`), the
 * bench compiles the current src/ with the project's own tsconfig.build.json into bench/.build/ — the same files
 * `npm run build` would put in dist/ — and removes it when done.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './proc.js';
import { benchRoot, repoRoot } from './paths.js';

export const snapshotDir = join(benchRoot, '.build');
export const snapshotCli = join(snapshotDir, 'cli', 'main.js');

export interface Snapshot {
  ms: number;
  tscExitCode: number | null;
  /** First lines of tsc's complaints, if any (the JavaScript is emitted regardless). */
  diagnostics: string;
}

export async function buildSnapshot(): Promise<Snapshot> {
  removeSnapshot();
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const finished = await run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', snapshotDir, '--declaration', 'false', '--declarationMap', 'false', '--sourceMap', 'false'], { timeoutMs: 180_000, cwd: repoRoot });
  if (!existsSync(snapshotCli)) throw new Error(`tsc produced no ${snapshotCli} (exit ${finished.code}):\n${finished.stdout.slice(0, 2000)}${finished.stderr.slice(0, 2000)}`);
  return { ms: finished.wallMs, tscExitCode: finished.code, diagnostics: finished.stdout.split('\n').slice(0, 5).join('\n').trim() };
}

export function removeSnapshot(): void {
  rmSync(snapshotDir, { recursive: true, force: true });
}
