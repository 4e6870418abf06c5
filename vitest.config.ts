import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration tests bind fixed loopback addresses (127.0.x.y:3702): keep files from sharing addresses by
    // giving each file its own subnet, and cap parallelism at the machine's two cores.
    maxWorkers: 2,
  },
});
