// Every size, offset and constant the bindings take from Xen's headers, checked against the
// installed headers by a C program generated from the bindings' own tables; and libxl's
// sizes as measured at run time checked against the same program. A Xen update that moves
// a field or grows a struct fails here instead of corrupting memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CONSTANTS, LAYOUTS, SCHEDULERS, SIZES_4_17, SIZES_4_20, SIZES_BY_VERSION, SUPPORTED_VERSIONS } from '../bindings/layout.js';
import { DEVICE_TYPES, PROTOTYPES } from '../bindings/libxl.js';
import { bundle, runNode, SHIM_MISSING, tempDir } from './shim/harness.js';

const C_TYPE: Record<string, string> = { flock: 'struct flock' };
const cType = (name: string) => C_TYPE[name] ?? name;

/** Debian 13's libxen-dev 4.20 unpacked by scripts/fetch-xen.sh 4.20 (or where TXL_XEN420_ROOT says). */
const XEN420_ROOT = process.env.TXL_XEN420_ROOT || join(homedir(), '.cache/txl/xen-4.20');
const XEN420_MISSING = !existsSync(join(XEN420_ROOT, 'usr/include/libxl.h'))
  ? `no Xen 4.20 headers in ${XEN420_ROOT} (run scripts/fetch-xen.sh 4.20)`
  : !spawnSync('sh', ['-c', 'command -v cc'], { encoding: 'utf8' }).stdout ? 'no C compiler (cc)' : undefined;

/** Compiles and runs the facts program, against the installed headers or those under include/. */
function headerFacts(dir: string, include?: string): Facts {
  writeFileSync(join(dir, 'sizes.c'), program());
  const cc = spawnSync('cc', ['-Wall', '-Werror', ...(include ? ['-I', include] : []), '-o', join(dir, 'sizes'), join(dir, 'sizes.c')], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`cc failed:\n${cc.stderr}`);
  const run = spawnSync(join(dir, 'sizes'), { encoding: 'utf8' });
  return JSON.parse(run.stdout) as Facts;
}

function program(): string {
  const lines: string[] = [];
  const put = (fmt: string, ...args: string[]) => lines.push(`  printf(${JSON.stringify(fmt)}${args.map((a) => `, ${a}`).join('')});`);
  put('{"sizeof": {');
  Object.keys(SIZES_4_17).forEach((t, i) => put(`${i ? ',' : ''}"${t}": %zu`, `sizeof(libxl_${t})`));
  put('}, "layouts": {');
  Object.entries(LAYOUTS).forEach(([name, l], i) => {
    put(`${i ? ',' : ''}"${name}": {"size": %zu, "offsets": {`, `sizeof(${cType(name)})`);
    Object.keys(l.offsets).forEach((f, j) => put(`${j ? ',' : ''}"${f}": %zu`, `offsetof(${cType(name)}, ${f})`));
    put('}}');
  });
  put('}, "constants": {');
  Object.keys(CONSTANTS).forEach((c, i) => put(`${i ? ',' : ''}"${c}": %lld`, c === 'INVALID_DOMID' ? `(long long)(uint32_t)${c}` : `(long long)(${c})`));
  put('}, "schedulers": {');
  Object.entries(SCHEDULERS).forEach(([v, name], i) => put(`${i ? ',' : ''}"${v}": %d`, `LIBXL_SCHEDULER_${name.toUpperCase()}`));
  put('}}');
  return [
    '#define _GNU_SOURCE',
    '#include <stdio.h>', '#include <stddef.h>', '#include <stdint.h>', '#include <fcntl.h>',
    '#include <libxl.h>', '#include <libxl_utils.h>', '#include <xentoollog.h>',
    'int main(void) {', ...lines, '  return 0;', '}', '',
  ].join('\n');
}

interface Facts {
  sizeof: Record<string, number>;
  layouts: Record<string, { size: number; offsets: Record<string, number> }>;
  constants: Record<string, number>;
  schedulers: Record<string, number>;
}

let dir = '';
let facts: Facts;
let measured: { version: string; sizes: Record<string, number | string>; functions: number; unbound: Record<string, string> };

describe.skipIf(Boolean(SHIM_MISSING))(`binding layouts against the installed Xen headers${SHIM_MISSING ? ` (skipped: ${SHIM_MISSING})` : ''}`, () => {
  beforeAll(async () => {
    dir = tempDir('txl-layout-');
    facts = headerFacts(dir);
    const child = await bundle('test/shim/sizes-child.ts', dir);
    const r = runNode(child, Object.keys(SIZES_4_17));
    if (r.code !== 0) throw new Error(`sizes child failed:\n${r.stderr}`);
    measured = JSON.parse(r.stdout);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sizeof of every libxl struct the bindings use', () => {
    expect(facts.sizeof).toEqual(SIZES_4_17);
  });

  it('sizes and offsets of the structs the bindings lay out themselves', () => {
    const ours = Object.fromEntries(Object.entries(LAYOUTS).map(([k, v]) => [k, { size: v.size, offsets: { ...v.offsets } }]));
    expect(facts.layouts).toEqual(ours);
  });

  it('constants taken from the headers', () => {
    expect(facts.constants).toEqual({ ...CONSTANTS });
    expect(Object.fromEntries(Object.entries(facts.schedulers).map(([k, v]) => [k, Number(k) === v]))).toEqual(Object.fromEntries(Object.keys(SCHEDULERS).map((k) => [k, true])));
  });

  it('libxl measures its own structs as the headers say (runtime sizeOf)', () => {
    expect(measured.version).toBe('4.17');
    expect(measured.sizes).toEqual(facts.sizeof);
  });

  it('every function prototype of the bindings binds in the installed libxenlight', () => {
    expect(measured.functions).toBeGreaterThan(50);
    expect(measured.unbound).toEqual({});
  });

  it('every array type the backend steps through has a checked size', () => {
    const listed = Object.values(DEVICE_TYPES).filter((d) => d.list).map((d) => d.type as string);
    const infos = Object.values(DEVICE_TYPES).map((d) => d.info).filter((x): x is NonNullable<typeof x> => Boolean(x));
    for (const t of [...listed, ...infos, 'dominfo', 'vcpuinfo', 'cpupoolinfo', 'cputopology', 'numainfo', 'domain_config']) {
      expect(SIZES_4_17[t], t).toBeTypeOf('number');
    }
  });
});

// The same program against Debian 13's 4.20 headers. Only the headers: the 4.20 library needs
// glibc 2.38, so its run-time sizes are checked on a Debian 13 dom0 (the lab's trixie flavour).
describe.skipIf(Boolean(XEN420_MISSING))(`binding layouts against Xen 4.20's headers${XEN420_MISSING ? ` (skipped: ${XEN420_MISSING})` : ''}`, () => {
  let dir420 = '';
  let facts420: Facts;
  beforeAll(() => {
    dir420 = tempDir('txl-layout420-');
    facts420 = headerFacts(dir420, join(XEN420_ROOT, 'usr/include'));
  });
  afterAll(() => {
    if (dir420) rmSync(dir420, { recursive: true, force: true });
  });

  it('sizeof of every libxl struct the bindings use', () => {
    expect(facts420.sizeof).toEqual(SIZES_4_20);
  });

  it('the structs the bindings lay out themselves and the constants are as in 4.17', () => {
    const ours = Object.fromEntries(Object.entries(LAYOUTS).map(([k, v]) => [k, { size: v.size, offsets: { ...v.offsets } }]));
    expect(facts420.layouts).toEqual(ours);
    expect(facts420.constants).toEqual({ ...CONSTANTS });
  });

  it.skipIf(!existsSync('/usr/include/libxl.h'))('every function the bindings bind has the same C prototype in 4.20 as in 4.17', () => {
    const flat = (f: string) => readFileSync(f, 'utf8').replace(/\s+/g, ' ');
    const headers = (root: string) => ['libxl.h', 'libxl_utils.h', 'libxl_event.h'].map((h) => flat(join(root, h))).join(' ');
    const params = (text: string, fn: string) => {
      const m = new RegExp(`\\b${fn}\\s*\\(([^)]*)\\)`).exec(text);
      // parameter types only: 4.20 renamed a few parameters (e.g. line_r -> buff)
      return m?.[1].split(',').map((p) => p.trim().replace(/\s*\b\w+$/, '').replace(/\s+/g, '')).join(',');
    };
    const h417 = headers('/usr/include');
    const h420 = headers(join(XEN420_ROOT, 'usr/include'));
    const changed = Object.keys(PROTOTYPES).filter((fn) => params(h420, fn) !== params(h417, fn)).map((fn) => `${fn}: ${params(h417, fn)} -> ${params(h420, fn)}`);
    expect(changed).toEqual([]);
  });
});

// Symbols too: every function the bindings bind, and the JSON bridge's four functions of
// every type with a size, must be exported by libxenlight.so.4.20 (read with nm: the
// library cannot be loaded next to this machine's older glibc).
describe.skipIf(Boolean(XEN420_MISSING))(`symbols of Xen 4.20's libxenlight${XEN420_MISSING ? ` (skipped: ${XEN420_MISSING})` : ''}`, () => {
  it('exports every function the bindings use', () => {
    const lib = join(XEN420_ROOT, 'usr/lib/x86_64-linux-gnu/libxenlight.so.4.20');
    const nm = spawnSync('nm', ['-D', '--defined-only', lib], { encoding: 'utf8' });
    if (nm.status !== 0) throw new Error(`nm failed: ${nm.stderr}`);
    // "0000000000031130 T libxl_ctx_alloc@@libxenlight_4.20.0": the name without its version
    const exported = new Set(nm.stdout.split('\n').map((l) => l.split(' ').at(-1)?.replace(/@.*/, '')));
    const wanted = [
      ...Object.keys(PROTOTYPES),
      ...Object.keys(SIZES_4_20).flatMap((t) => ['init', 'dispose', 'to_json', 'from_json'].map((f) => `libxl_${t}_${f}`)),
      ...Object.values(DEVICE_TYPES).flatMap((d) => [
        ...(d.add ? ['add', 'remove', 'destroy'] : []), ...(d.list ? ['list'] : []), ...(d.info ? ['getinfo'] : []),
      ].map((f) => `libxl_${d.type}_${f}`)),
    ];
    expect(wanted.filter((f) => !exported.has(f))).toEqual([]);
  });
});

describe('one size table per supported libxenlight', () => {
  it('4.17 and 4.20, with the same types', () => {
    expect(SUPPORTED_VERSIONS).toEqual(['4.17', '4.20']);
    for (const v of SUPPORTED_VERSIONS) expect(Object.keys(SIZES_BY_VERSION[v]).sort(), v).toEqual(Object.keys(SIZES_4_17).sort());
    expect([SIZES_4_17.domain_config, SIZES_4_20.domain_config]).toEqual([1288, 1368]);
  });
});
