import { defineConfig } from 'vitest/config';

/** Runs the Windows build of Node under Wine: heavy on start-up, so it runs alone, after everything else. */
const WINDOWS_SMOKE = 'test/e2e/windows-smoke.test.ts';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration tests bind loopback addresses: each file owns a /24 of the /16 that global-setup reserves for
    // this run (two runs side by side never share one); parallelism is capped at the machine's two cores.
    maxWorkers: 2,
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      // `include` lives in the projects, not above: `extends` would concatenate it into the windows project's.
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: ['**/node_modules/**', WINDOWS_SMOKE] } },
      { extends: true, test: { name: 'windows', include: [WINDOWS_SMOKE], sequence: { groupOrder: 1 } } },
    ],
  },
});
