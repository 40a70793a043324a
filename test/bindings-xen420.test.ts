// The bindings against the real libxenlight.so.4.20 (Debian 13's, from scripts/fetch-xen.sh
// 4.20) on this machine: node runs through Debian 13's own ld.so and libc (the library needs
// glibc 2.38), under the no-hypervisor shim compiled against 4.20's headers. The loader
// picks 4.20 by its SONAME, libxl measures its structs as SIZES_4_20 says, every prototype
// binds, and the JSON txl writes for 4.20 (the corpus, and the fields 4.20 added) goes
// through libxl_domain_config_from_json and back unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SIZES_4_20 } from '../bindings/layout.js';
import { xlcfgToModel } from '../parsers/xlcfg/to-model.js';
import { defaultXlConf } from '../parsers/xlcfg/xlconf.js';
import { CORPUS_HOST } from '../parsers/host.js';
import { libxlJsonToModel, modelToLibxlJson } from '../parsers/libxl-json.js';
import { ConfigError } from '../src/core/errors.js';
import { jsonDiff } from '../src/xen/jsondiff.js';
import { bundle, ROOT, SHIM_SRC, tempDir } from './shim/harness.js';

const XEN420 = process.env.TXL_XEN420_ROOT || join(homedir(), '.cache/txl/xen-4.20');
const LIBDIR = join(XEN420, 'usr/lib/x86_64-linux-gnu');
const LDSO = join(LIBDIR, 'ld-linux-x86-64.so.2');
const corpus = join(ROOT, '../shared/corpus');
const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const MISSING = !existsSync(join(LIBDIR, 'libxenlight.so.4.20')) || !existsSync(LDSO)
  ? `no Debian 13 Xen 4.20 userland in ${XEN420} (run scripts/fetch-xen.sh 4.20)`
  : !have('cc') ? 'no C compiler (cc)' : !existsSync(corpus) ? 'no ../shared/corpus' : undefined;

/** node through Debian 13's ld.so: its libc and libxenlight first, this machine's libstdc++ after. */
function runNode420(script: string, args: string[], preload: string) {
  const path = [LIBDIR, '/usr/lib/x86_64-linux-gnu', '/lib/x86_64-linux-gnu'].join(':');
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  delete env.LD_PRELOAD;
  const r = spawnSync(LDSO, ['--library-path', path, '--preload', preload, process.execPath, script, ...args], { env, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${script} under Debian 13's ld.so failed (${r.status} ${r.signal ?? ''}):\n${r.stderr}`);
  return r.stdout;
}

interface Item { name: string; type: string; json: string }
interface Result { name: string; out?: string; rc?: number; error?: string; log?: string[] }

const NEW_IN_420 = JSON.stringify({
  c_info: { type: 'pv', name: 'g' },
  b_info: { bootloader: 'pygrub', bootloader_restrict: 'True', bootloader_user: 'xenbl', llc_colors: [1, 2], 'type.pv': {} },
  disks: [{ pdev_path: '/dev/vg/g', vdev: 'xvda', format: 'raw', readwrite: 1, grant_usage: 'True' }],
  nics: [{ devid: 0, vlan: '10', bridge: 'xenbr0' }],
  virtios: [{ type: 'virtio,device22', transport: 'mmio', grant_usage: 'True' }],
  p9s: [{ tag: 'share', path: '/srv', security_model: 'none', type: 'xen_9pfsd', max_files: 100, auto_delete: true }],
});

function items(): Item[] {
  const out: Item[] = [];
  if (!existsSync(corpus)) return out;
  const opts = { xlconf: defaultXlConf(), host: CORPUS_HOST };
  const add = (name: string, text: string) => {
    try {
      out.push({ name, type: 'domain_config', json: modelToLibxlJson(xlcfgToModel(text, name, opts).config, { version: '4.20' }) });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
    }
  };
  const lx = join(corpus, 'libvirt-xl');
  for (const f of readdirSync(lx).filter((f) => f.endsWith('.cfg')).sort()) add(`libvirt-xl/${f}`, readFileSync(join(lx, f), 'utf8'));
  const ex = join(corpus, 'xen-examples');
  for (const f of readdirSync(ex).filter((f) => f !== 'xl.conf' && f !== 'cpupool').sort()) add(`xen-examples/${f}`, readFileSync(join(ex, f), 'utf8'));
  out.push({ name: 'new-in-4.20', type: 'domain_config', json: modelToLibxlJson(libxlJsonToModel(NEW_IN_420, 'new.json', { version: '4.20' }), { version: '4.20' }) });
  return out;
}

let dir = '';
let sizes: { version: string; sizes: Record<string, number | string>; functions: number; unbound: Record<string, string> };
let results = new Map<string, Result>();
let live = -1;
const all = MISSING ? [] : items();

describe.skipIf(Boolean(MISSING))(`the bindings on Debian 13's libxenlight.so.4.20${MISSING ? ` (skipped: ${MISSING})` : ''}`, () => {
  beforeAll(async () => {
    dir = tempDir('txl-xen420-');
    const shim = join(dir, 'xen-shim-420.so');
    const cc = spawnSync('cc', ['-shared', '-fPIC', '-Wall', '-Werror', '-I', join(XEN420, 'usr/include'), '-o', shim, SHIM_SRC, '-L', LIBDIR, '-lxentoollog'], { encoding: 'utf8' });
    if (cc.status !== 0) throw new Error(`compiling the shim against 4.20's headers failed:\n${cc.stderr}`);
    sizes = JSON.parse(runNode420(await bundle('test/shim/sizes-child.ts', dir), Object.keys(SIZES_4_20), shim));
    const input = join(dir, 'items.json');
    writeFileSync(input, JSON.stringify(all));
    const parsed = JSON.parse(runNode420(await bundle('test/shim/bridge-child.ts', dir), [input], shim)) as { results: Result[]; live: number };
    results = new Map(parsed.results.map((r) => [r.name, r]));
    live = parsed.live;
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the loader takes libxenlight.so.4.20, and libxl measures its structs as SIZES_4_20 says', () => {
    expect(sizes.version).toBe('4.20');
    expect(sizes.sizes).toEqual(SIZES_4_20);
  });

  it('every function prototype of the bindings binds', () => {
    expect(sizes.functions).toBeGreaterThan(50);
    expect(sizes.unbound).toEqual({});
  });

  it('the corpus and the fields 4.20 added go through libxl 4.20 and back unchanged', () => {
    expect(all.length).toBeGreaterThan(60);
    expect(results.size).toBe(all.length);
    const bad = all.map((item) => {
      const r = results.get(item.name)!;
      if (r.error) return `${item.name}: ${r.error} ${(r.log ?? []).join(' | ')}`;
      const diffs = jsonDiff(JSON.parse(item.json), JSON.parse(r.out!));
      return diffs.length ? `${item.name}: ${JSON.stringify(diffs)}` : undefined;
    }).filter(Boolean);
    expect(bad).toEqual([]);
    expect(JSON.parse(results.get('new-in-4.20')!.out!).virtios).toEqual([{ type: 'virtio,device22', transport: 'mmio', grant_usage: 'True' }]);
  });

  it('disposes every object it created', () => expect(live).toBe(0));
});
