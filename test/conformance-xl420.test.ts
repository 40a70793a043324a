// Conformance with Xen 4.20's `xl -N create`, where it differs from 4.17's. The expected
// outputs are recorded by scripts/record-xl420.mjs: Debian 13's xl 4.20 and Debian 12's
// xl 4.17 run on the same fake host (the no-hypervisor shims) over the corpus configs;
// test/xl420-dryrun/ keeps 4.20's output wherever the two differ. (The same harness gives
// the corpus's own 4.17 outputs back exactly, which test/conformance-xl-dryrun.test.ts
// compares txl against.) txl writes for 4.20 with { version: '4.20' }.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { xlcfgToModel } from '../parsers/xlcfg/to-model.js';
import { modelToLibxlJson } from '../parsers/libxl-json.js';
import { defaultXlConf } from '../parsers/xlcfg/xlconf.js';
import { CORPUS_HOST } from '../parsers/host.js';
import { ConfigError } from '../src/core/errors.js';

const corpus = join(__dirname, '../../shared/corpus');
const recorded = join(__dirname, 'xl420-dryrun');

interface Summary { xl: Record<string, string>; compared: string[]; refusedByBoth: string[]; differ: Record<string, string> }
const summary = JSON.parse(readFileSync(join(recorded, 'SUMMARY.json'), 'utf8')) as Summary;

/**
 * Where txl's model deliberately stays with what xl 4.17 builds; `patch` turns xl 4.20's
 * JSON into txl's so that the rest is still compared exactly.
 */
const DOCUMENTED_DIFFERENCES_420: Record<string, { why: string; patch: (xl: Record<string, any>) => void }> = {};
for (const name of ['libvirt-xl/test-channel-pty', 'libvirt-xl/test-channel-unix']) {
  DOCUMENTED_DIFFERENCES_420[name] = {
    why: 'xl 4.20 leaves a channel\'s devid to libxl (ARRAY_EXTEND_INIT_NODEVID), 4.17 numbers channels from 0; libxl gives the first channel devid 0 either way',
    patch: (xl) => { (xl.channels as Record<string, unknown>[]).forEach((c, i) => { c.devid ??= i; }); },
  };
}

const cfgPath = (name: string) => {
  const [dir, base] = name.split('/');
  return join(corpus, dir, dir === 'libvirt-xl' ? `${base}.cfg` : base);
};
const opts = { xlconf: defaultXlConf(), host: CORPUS_HOST };
const read = (name: string) => xlcfgToModel(readFileSync(cfgPath(name), 'utf8'), name, opts);
const hasUuid = (name: string) => /^\s*uuid\s*=/m.test(readFileSync(cfgPath(name), 'utf8'));

describe('the recorded xl 4.20 outputs', () => {
  it(`compare Debian's xl ${summary.xl['4.17']} with ${summary.xl['4.20']} over the corpus`, () => {
    expect(summary.xl['4.20']).toMatch(/^4\.20\./);
    expect(summary.compared.length).toBeGreaterThan(60);
    for (const name of Object.keys(summary.differ)) {
      const base = join(recorded, name);
      expect(existsSync(`${base}.json`) || existsSync(`${base}.stderr`), name).toBe(true);
    }
  });

  it('every difference is one txl knows about', () => {
    expect(Object.keys(summary.differ).sort()).toEqual(Object.keys(DOCUMENTED_DIFFERENCES_420).sort());
  });
});

describe.skipIf(!existsSync(corpus))(`xl -N create conformance (xl ${summary.xl['4.20']})${existsSync(corpus) ? '' : ' (skipped: no ../shared/corpus)'}`, () => {
  const differing = Object.keys(summary.differ);
  const accepted = differing.filter((n) => existsSync(join(recorded, `${n}.json`)));
  const refused = differing.filter((n) => !accepted.includes(n));

  it.each(accepted.map((n) => [n]))('%s gives xl 4.20\'s JSON', (name) => {
    const xl = JSON.parse(readFileSync(join(recorded, `${name}.json`), 'utf8'));
    DOCUMENTED_DIFFERENCES_420[name]?.patch(xl);
    const ours = JSON.parse(modelToLibxlJson(read(name).config, { version: '4.20' }));
    if (!hasUuid(name)) delete xl.c_info.uuid;
    expect(ours).toEqual(xl);
  });

  it.each(refused.map((n) => [n]))('%s is rejected as xl 4.20 did', (name) => {
    expect(() => read(name)).toThrow(ConfigError);
  });

  it('where xl 4.20 agrees with 4.17, txl writes the same for both versions', () => {
    const same = summary.compared.filter((n) => !summary.differ[n] && !summary.refusedByBoth.includes(n));
    expect(same.length).toBeGreaterThan(55);
    for (const name of same) {
      const m = read(name).config;
      expect(modelToLibxlJson(m, { version: '4.20' }), name).toBe(modelToLibxlJson(m, { version: '4.17' }));
    }
  });
});
