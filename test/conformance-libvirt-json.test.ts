// For each of libvirt's libxlxml2domconfig cases: the model txl reads from NAME.xml must equal
// the libxl_domain_config JSON libvirt's libxl driver builds from it (NAME.json), compared as
// objects. Only what the corpus MANIFEST names is normalised; each rule says why.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CORPUS_HOST, type HostInfo } from '../parsers/host.js';
import { diffValues, formatDifference, type Difference } from '../parsers/xml/diff.js';
import { prune, xmlToModel } from '../parsers/xml/read.js';

const DIR = fileURLToPath(new URL('../../shared/corpus/libvirt-libxl-json/', import.meta.url));
const names = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.xml')).map((f) => f.slice(0, -4)).sort() : [];

/**
 * The "-legacy-nest" files come from libvirt 9.0's harness, whose fake host has fewer NUMA
 * nodes than cells (libvirt then puts every vnode on pnode 0); upstream master's harness,
 * which made the other files, fakes a host with enough nodes. Every other case: the corpus host.
 */
const HOSTS: Record<string, HostInfo> = {
  'vnuma-hvm-legacy-nest': { ...CORPUS_HOST, nodes: [[0, 1, 2, 3, 4, 5, 6, 7]] },
};

type Json = Record<string, any>;

/** What libxl 4.17 itself treats as the same configuration. */
function libxlSemantics(cfg: Json): Json {
  const c = structuredClone(cfg);
  const b = c.b_info ?? {};
  // libxl__domain_build_info_copy_deprecated: deprecated fields move to their replacement
  const moves: [string, string[]][] = [['type.hvm', ['apic', 'nested_hvm', 'timer_mode']], ['type.pv', ['kernel', 'bootloader', 'bootloader_args', 'cmdline', 'ramdisk']]];
  for (const [u, fields] of moves) {
    for (const f of fields) {
      if (b[u]?.[f] !== undefined) {
        b[f] ??= b[u][f];
        delete b[u][f];
      }
    }
  }
  // libxl 4.17 reads the old bare-array cpuid form as {cpuid: [...], msr: []}
  if (Array.isArray(b.cpuid)) b.cpuid = { cpuid: b.cpuid, msr: [] };
  // fields equal to libxl's init value are the default, written or not
  const dropDefaults = (v: any): void => {
    if (Array.isArray(v)) v.forEach(dropDefaults);
    else if (v && typeof v === 'object') {
      if (v.devid === -1) delete v.devid;
      if (v.rdm_policy === 'invalid') delete v.rdm_policy;
      Object.values(v).forEach(dropDefaults);
    }
  };
  dropDefaults(c);
  // all-default structs are written as {} by libxl; they say nothing
  return prune(c) as Json;
}

/** What libvirt's test harness fixes (MANIFEST: VNC ports 5900-6000, a test host). */
function undoHarness(expected: Json, xml: string): Json {
  const e = structuredClone(expected);
  // libxl_get_required_shadow_memory is mocked to 1234; txl leaves the estimate to libxl, as xl does
  if (e.b_info?.shadow_memkb === 1234) delete e.b_info.shadow_memkb;
  // autoport VNC: the harness's port allocator hands out 5900 (display 0, findunused off);
  // without libvirt's allocator the same XML means "let libxl find a free port"
  const vnc = [...xml.matchAll(/<graphics\b[^>]*>/g)].map((m) => m[0]).filter((g) => /type=['"]vnc['"]/.test(g));
  const auto = vnc.map((g) => /autoport=['"]yes['"]/.test(g) || !/\bport=/.test(g) || /\bport=['"]-1['"]/.test(g));
  const fix = (v: Json | undefined) => {
    if (!v || v.enable !== 'True') return;
    v.findunused = 'True';
    delete v.display;
  };
  e.vfbs?.forEach((f: Json, i: number) => auto[i] && fix(f.vnc));
  if (auto[0]) fix(e.b_info?.['type.hvm']?.vnc);
  return e;
}

describe.skipIf(!existsSync(DIR))('libvirt-libxl-json: domain XML -> model equals libvirt driver JSON', () => {
  const results = new Map<string, Difference[] | string>();

  it('has the 20 pairs', () => {
    expect(names.length).toBe(20);
    for (const n of names) expect(existsSync(`${DIR}${n}.json`)).toBe(true);
  });

  for (const name of names) {
    it(name, () => {
      const xml = readFileSync(`${DIR}${name}.xml`, 'utf8');
      const expected = libxlSemantics(undoHarness(JSON.parse(readFileSync(`${DIR}${name}.json`, 'utf8')), xml));
      let actual: Json;
      try {
        const { config } = xmlToModel(xml, `${name}.xml`, { host: HOSTS[name] ?? CORPUS_HOST });
        const { side: _side, ...libxl } = config;
        actual = libxlSemantics(libxl);
      } catch (e) {
        results.set(name, (e as Error).message);
        throw e;
      }
      const diffs = diffValues(actual, expected);
      results.set(name, diffs);
      expect(diffs.map(formatDifference)).toEqual([]);
    });
  }

  afterAll(() => {
    const equal = [...results.values()].filter((d) => Array.isArray(d) && !d.length).length;
    const lines = [`libvirt-libxl-json: ${equal}/${names.length} equal`];
    for (const [name, d] of results) {
      if (typeof d === 'string') lines.push(`  ${name}: ${d}`);
      else if (d.length) lines.push(`  ${name}: ${d.map((x) => x.path).join(', ')}`);
    }
    console.log(lines.join('\n'));
  });
});
