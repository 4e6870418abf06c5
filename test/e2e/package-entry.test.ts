/**
 * `import 'oneknock'` works from another project that installs the package: the tarball `npm pack` makes is
 * unpacked into a fresh project's node_modules/oneknock (its dependencies linked from this checkout, so no network
 * is needed) and a separate node process imports it by name. The exports map gives the library entry and the
 * schema, and nothing else (no deep imports into dist/).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';

const run = promisify(execFile);
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string> };

describe('the installed package', () => {
  let work: string;
  let project: string;
  let packed: string[];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'oneknock-pack-'));
    // --ignore-scripts: dist/ is already built by pretest; rebuilding here would rewrite it under the other tests.
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: repoRoot, timeout: 60_000 });
    const [info] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    packed = info!.files.map((f) => f.path);
    project = join(work, 'consumer');
    const installed = join(project, 'node_modules', packageJson.name);
    mkdirSync(installed, { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { [packageJson.name]: `file:../${info!.filename}` } }));
    await run('tar', ['-xzf', join(work, info!.filename), '-C', installed, '--strip-components=1'], { timeout: 30_000 });
    // What `npm install` would have put beside it: the package's runtime dependencies.
    for (const dependency of Object.keys(packageJson.dependencies)) {
      const link = join(project, 'node_modules', dependency);
      mkdirSync(join(link, '..'), { recursive: true });
      symlinkSync(join(repoRoot, 'node_modules', dependency), link, 'dir');
    }
  }, 90_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function node(script: string): Promise<string> {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: project, timeout: 30_000 });
    return stdout;
  }

  it('ships the built entry with its types, the CLI and the schema, and no sources or tests', () => {
    for (const path of ['dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'bin/oneknock.js', 'schemas/scan.schema.json', 'LICENSE', 'README.md']) expect(packed, path).toContain(path);
    expect(packed.filter((p) => p.startsWith('src/') || p.startsWith('test/'))).toEqual([]);
  });

  it("import('oneknock') from the other project gives runScan and the library's helpers", async () => {
    const out = await node(`const m = await import('oneknock'); console.log(JSON.stringify(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, typeof v]))));`);
    const exported = JSON.parse(out) as Record<string, string>;
    for (const name of ['runScan', 'ScanDocumentBuilder', 'formatNdjsonLine', 'createLoginPhase', 'expandTargets', 'Ledger', 'Secret', 'lookupLockout', 'normaliseMac', 'deviceIdOf', 'OneknockError', 'UsageError']) expect(exported[name], name).toBe('function');
    expect(exported['ExitCode']).toBe('object');
  });

  it('runs a scan through the installed package (no target, no multicast interface: nothing leaves the machine)', async () => {
    const out = await node(`
      import { runScan, ScanDocumentBuilder } from 'oneknock';
      const builder = new ScanDocumentBuilder();
      const types = [];
      for await (const event of runScan({ targets: [], interfaces: [], waitMs: 50, timeoutMs: 500, concurrency: 4 })) { types.push(event.type); builder.add(event); }
      console.log(JSON.stringify({ types, document: builder.build() }));`);
    const { types, document } = JSON.parse(out) as { types: string[]; document: { schema: string; devices: unknown[] } };
    expect(types.at(-1)).toBe('done');
    expect(document.schema).toBe('oneknock/scan@1');
    expect(document.devices).toEqual([]);
  });

  it('resolves the schema by name and refuses deep imports into dist/', async () => {
    const out = await node(`
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url + '/../consumer.js');
      const schema = require('oneknock/schemas/scan.schema.json');
      let deep;
      try { await import('oneknock/dist/cli/main.js'); deep = 'loaded'; } catch (error) { deep = error.code; }
      console.log(JSON.stringify({ id: schema.$id, deep }));`);
    expect(JSON.parse(out)).toEqual({ id: 'urn:oneknock:schema:scan@1', deep: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
  });
});
