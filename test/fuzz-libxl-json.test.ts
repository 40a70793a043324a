// The libxl JSON reader (save files, `txl create x.json`, round trips) under attack: mutations
// of the JSON libxl and xl printed, random JSON, deep nesting and big documents. Any input
// gives a config or a ConfigError inside the text; never a stack overflow.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, type Diagnostic } from '../src/core/errors.js';
import { libxlJsonToModel, modelToLibxlJson } from '../parsers/libxl-json.js';
import { HAVE_CORPUS } from './support/txl.js';
import { JSON_PIECES, corpusFiles, expectValidDiagnostics, mutatedFrom, params, runs, scalingRatio } from './support/mutate.js';

const FILE = 'dom.json';

function read(text: string): boolean {
  let diags: Diagnostic[] = [];
  let ok = false;
  try {
    const cfg = libxlJsonToModel(text, FILE);
    ok = true;
    // what reads writes back, and reads again to the same model
    expect(libxlJsonToModel(modelToLibxlJson(cfg), 'again.json')).toEqual(libxlJsonToModel(modelToLibxlJson(libxlJsonToModel(modelToLibxlJson(cfg), 'x')), 'y'));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw new Error(`not a ConfigError for ${JSON.stringify(text.slice(0, 500))}: ${(e as Error)?.stack ?? e}`);
    diags = e.diagnostics;
  }
  expectValidDiagnostics(diags, { [FILE]: text }, `input ${JSON.stringify(text.slice(0, 500))}`);
  return ok;
}

const docs = [...corpusFiles('libvirt-libxl-json', ['.json']), ...corpusFiles('xl-dryrun/libvirt-xl', ['.json']), ...corpusFiles('xl-dryrun/xen-examples', ['.json'])];

describe.skipIf(!HAVE_CORPUS || docs.length === 0)('libxl JSON reader: mutations of libxl\'s own JSON', () => {
  it(`${docs.length} documents, mutated`, () => {
    let accepted = 0;
    fc.assert(fc.property(mutatedFrom(docs, JSON_PIECES), ([, t]) => { if (read(t)) accepted++; }), params('json-corpus-mutations', runs(500)));
    expect(accepted).toBeGreaterThan(0);
  });
});

describe('libxl JSON reader: random and hostile input', () => {
  it('random JSON values', () => {
    fc.assert(fc.property(fc.json({ depthSize: 'medium' }), (t) => void read(t)), params('json-random-values', runs(400)));
  });
  it('random JSON-ish characters', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'{}[]:,"\\ u0e-1.tfn\n'.split('')), maxLength: 50 }), (t) => void read(t)), params('json-random-chars', runs(1500)));
  });
  it.each([
    ['100000 nested arrays', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['100000 nested objects', '{"c_info":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
    ['unclosed nesting', '['.repeat(100_000)],
    ['a huge number', `{"b_info":{"max_memkb":${'9'.repeat(5000)}}}`],
    ['__proto__ keys', '{"__proto__":{"polluted":1},"c_info":{"__proto__":{"x":1}}}'],
  ])('%s', (_what, text) => {
    const t0 = performance.now();
    expect(read(text)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('libxl JSON reader: linear time', () => {
  const shapes: [string, (n: number) => string][] = [
    ['many disks', (n) => JSON.stringify({ c_info: { type: 'pv', name: 'g' }, b_info: {}, disks: Array.from({ length: Math.ceil(n / 60) }, (_, i) => ({ pdev_path: `/dev/vg/d${i}`, vdev: `xvd${i}`, format: 'raw' })) })],
    ['many wrong values', (n) => JSON.stringify({ c_info: { name: 'g' }, b_info: { vcpu_hard_affinity: Array.from({ length: Math.ceil(n / 6) }, (_, i) => [i, 'x']) } })],
  ];
  it.each(shapes)('%s: 1 MB costs < 30x 100 KB', (what, make) => {
    const r = scalingRatio('parsers/libxl-json.ts', 'libxlJsonToModel', make(100_000), make(1_000_000), [FILE]);
    console.log(`[fuzz] json ${what}: 100 KB ${r.small.toFixed(1)} ms, 1 MB ${r.big.toFixed(1)} ms, ratio ${r.ratio.toFixed(1)}`);
    expect(r.ratio).toBeLessThan(30);
  });
});
