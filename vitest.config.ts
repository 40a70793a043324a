import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/lab/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // two cores: keep the spawning tests from starving each other
    maxWorkers: 2,
    // every read-only simulator transaction in every test (in-process or bin/txl) is checked
    // to change nothing (src/sim/store.ts)
    env: { TXL_SIM_CHECK_READONLY: '1' },
  },
});
