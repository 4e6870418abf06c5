import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration tests bind loopback addresses: each file owns a /24 of the /16 that global-setup reserves for
    // this run (two runs side by side never share one); parallelism is capped at the machine's two cores.
    maxWorkers: 2,
    globalSetup: ['test/support/global-setup.ts'],
  },
});
