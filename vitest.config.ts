import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * The unit tier (`npm run test:unit`, under a minute): test files that start no bin/txl of
 * their own; their command lines run in the test process (test/support/inproc.ts), though a
 * command may start processes itself (a migration's receiver). Every other file, and any new
 * one, is in the process tier: start-up, signals, stdio, many processes at once, the Xen
 * shim, packaging. `npm test` runs every tier. test/tiers.test.ts keeps the in-process
 * tiers honest.
 */
export const UNIT = [
  'atomicity-sim', 'cli-config', 'cli-devices', 'cli-resources', 'cli-sim-host', 'cli-vcpu-pin',
  'conformance-libvirt-json', 'conformance-libvirt-pairs', 'conformance-xl-dryrun', 'create-host-cpus',
  'devices-disk', 'devices-misc', 'devices-pci-cpus', 'devices-spec-cases', 'devices-vif', 'fuzz-env',
  'help', 'libxl-json', 'restore-monitor', 'roundtrip-formats', 'roundtrip-metadata',
  'security-validate', 'sim-connect', 'sim-core', 'sim-hostcache', 'vcpu-pin-affinity', 'xen-mapping',
  'xlcfg-keys', 'xlcfg-model-devices', 'xlcfg-model', 'xlcfg-syntax', 'xlcfg-write', 'xlconf',
  'xml-families', 'xml-property', 'xml-security', 'xml-side',
  'architecture', 'bindings-bridge', 'hooks', 'lab-coverage', 'migrate-fd', 'migrate-live', 'monitor-bindings',
  'tiers', 'xen-create-parallel', 'xen-restore-monitor', 'xen-watch',
].map((name) => `test/${name}.test.ts`);

/**
 * In the test process too, but thousands of generated cases each (fast-check, mutated
 * configs): a minute of CPU between them, so not in the quick tier; `npm test` runs them.
 */
export const PROPERTY = ['differential-xlcfg', 'fuzz-devices', 'fuzz-libxl-json', 'fuzz-xlcfg', 'fuzz-xml', 'roundtrip-property'].map((name) => `test/${name}.test.ts`);

// a renamed file must not leave its tier silently
for (const f of [...UNIT, ...PROPERTY]) if (!existsSync(new URL(f, import.meta.url))) throw new Error(`vitest.config.ts: a tier names ${f}, which does not exist`);

const EXCLUDE = ['test/lab/**', 'node_modules/**'];

export default defineConfig({
  test: {
    exclude: EXCLUDE,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // two cores: keep the spawning tests from starving each other
    maxWorkers: 2,
    // every read-only simulator transaction in every test (in-process or bin/txl) is checked
    // to change nothing (src/sim/store.ts)
    env: { TXL_SIM_CHECK_READONLY: '1' },
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      { extends: true, test: { name: 'property', include: PROPERTY } },
      { extends: true, test: { name: 'process', include: ['test/**/*.test.ts'], exclude: [...EXCLUDE, ...UNIT, ...PROPERTY] } },
    ],
  },
});
