// The JSON txl builds for every corpus config goes through the real libxl 4.17
// (libxl_domain_config_from_json, then _to_json) and must come back the same. from_json
// ignores keys it does not know, so a typo in our writer shows up here as a missing key.
// Runs on any machine with libxenlight installed: a child node under the LD_PRELOAD shim.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { xlcfgToModel } from '../parsers/xlcfg/to-model.js';
import { defaultXlConf } from '../parsers/xlcfg/xlconf.js';
import { CORPUS_HOST } from '../parsers/host.js';
import { libxlJsonToModel, modelToLibxlJson } from '../parsers/libxl-json.js';
import { ConfigError } from '../src/core/errors.js';
import { bundle, compileShim, runNode, SHIM_MISSING, tempDir } from './shim/harness.js';
import { jsonDiff, type JsonDifference } from '../src/xen/jsondiff.js';

const corpus = join(__dirname, '../../shared/corpus');

interface Item { name: string; type: string; json: string }
interface Result { name: string; out?: string; rc?: number; error?: string; log?: string[] }

/**
 * Where libxl's to_json does not give back what from_json was handed, by design of libxl
 * (a normalisation, not a bug in our writer): path pattern -> why.
 */
export const LIBXL_NORMALISATIONS: { path: RegExp; why: string }[] = [];

function corpusItems(): { items: Item[]; rejected: string[] } {
  const items: Item[] = [];
  const rejected: string[] = [];
  if (!existsSync(corpus)) return { items, rejected };
  const opts = { xlconf: defaultXlConf(), host: CORPUS_HOST };
  const add = (name: string, text: string) => {
    try {
      items.push({ name, type: 'domain_config', json: modelToLibxlJson(xlcfgToModel(text, name, opts).config) });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      rejected.push(name); // a config xl refuses too (see the xl-dryrun conformance suite)
    }
  };
  const lx = join(corpus, 'libvirt-xl');
  for (const f of readdirSync(lx).filter((f) => f.endsWith('.cfg')).sort()) add(`libvirt-xl/${f}`, readFileSync(join(lx, f), 'utf8'));
  const ex = join(corpus, 'xen-examples');
  for (const f of readdirSync(ex).filter((f) => f !== 'xl.conf' && f !== 'cpupool').sort()) add(`xen-examples/${f}`, readFileSync(join(ex, f), 'utf8'));
  const lj = join(corpus, 'libvirt-libxl-json');
  for (const f of readdirSync(lj).filter((f) => f.endsWith('.json')).sort()) {
    items.push({ name: `libvirt-libxl-json/${f}`, type: 'domain_config', json: modelToLibxlJson(libxlJsonToModel(readFileSync(join(lj, f), 'utf8'), f)) });
  }
  return { items, rejected };
}

// Controls that prove the comparison catches what it is for: a misspelled key that
// from_json silently drops, and a bad enum value that it refuses.
const CONTROLS: Item[] = [
  { name: 'control/typo', type: 'domain_config', json: JSON.stringify({ c_info: { type: 'pv', name: 't' }, b_info: { max_memkbb: 1024, sched_params: {}, 'type.pv': {}, arch_arm: {}, arch_x86: {} } }) },
  { name: 'control/bad-enum', type: 'domain_config', json: JSON.stringify({ c_info: { type: 'pvx', name: 't' }, b_info: {} }) },
];

let dir = '';
let byName = new Map<string, Result>();
let live = -1;
const { items, rejected } = corpusItems();

describe.skipIf(Boolean(SHIM_MISSING) || !existsSync(corpus))(`libxl JSON bridge on the corpus${SHIM_MISSING ? ` (skipped: ${SHIM_MISSING})` : ''}`, () => {
  beforeAll(async () => {
    dir = tempDir('txl-bridge-');
    const shim = compileShim(dir);
    const child = await bundle('test/shim/bridge-child.ts', dir);
    const input = join(dir, 'items.json');
    writeFileSync(input, JSON.stringify([...items, ...CONTROLS]));
    const r = runNode(child, [input], { preload: shim, timeout: 120_000 });
    if (r.code !== 0) throw new Error(`bridge child failed (${r.code} ${r.signal ?? ''}):\n${r.stderr}`);
    const parsed = JSON.parse(r.stdout) as { results: Result[]; live: number };
    byName = new Map(parsed.results.map((x) => [x.name, x]));
    live = parsed.live;
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('covers the corpus', () => {
    expect(items.length).toBeGreaterThan(60);
    expect(byName.size).toBe(items.length + CONTROLS.length);
    console.log(`bridge: ${items.length} configs through libxl, ${rejected.length} refused by the reader (as xl does)`);
  });

  it('disposes every object it created', () => expect(live).toBe(0));

  it('catches a key that from_json drops', () => {
    const r = byName.get('control/typo')!;
    const diffs = jsonDiff(JSON.parse(CONTROLS[0].json), JSON.parse(r.out!));
    expect(diffs).toEqual([{ path: 'b_info.max_memkbb', ours: 1024, libxl: undefined }]);
  });

  it('reports a value from_json refuses, with libxl\'s log line', () => {
    const r = byName.get('control/bad-enum')!;
    expect(r.rc).toBe(-3);
    expect(r.log?.join('\n')).toMatch(/unable to convert libxl__json_object to libxl_domain_config/);
  });

  it.each(items.map((i) => [i.name, i]))('%s: from_json then to_json gives our JSON back', (_n, item) => {
    const r = byName.get(item.name)!;
    expect(r.error, `${r.error}\n${(r.log ?? []).join('\n')}`).toBeUndefined();
    const diffs = jsonDiff(JSON.parse(item.json), JSON.parse(r.out!)).filter((d: JsonDifference) => !LIBXL_NORMALISATIONS.some((n) => n.path.test(d.path)));
    expect(diffs).toEqual([]);
  });
});
