import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/lab/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // two cores: keep the spawning tests from starving each other
    maxWorkers: 2,
  },
});
