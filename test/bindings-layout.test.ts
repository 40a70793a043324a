// Every size, offset and constant the bindings take from Xen's headers, checked against the
// installed headers by a C program generated from the bindings' own tables; and libxl's
// sizes as measured at run time checked against the same program. A Xen update that moves
// a field or grows a struct fails here instead of corrupting memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONSTANTS, LAYOUTS, SCHEDULERS, SIZES_4_17 } from '../bindings/layout.js';
import { DEVICE_TYPES } from '../bindings/libxl.js';
import { bundle, runNode, SHIM_MISSING, tempDir } from './shim/harness.js';

const C_TYPE: Record<string, string> = { flock: 'struct flock' };
const cType = (name: string) => C_TYPE[name] ?? name;

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
    writeFileSync(join(dir, 'sizes.c'), program());
    const cc = spawnSync('cc', ['-Wall', '-Werror', '-o', join(dir, 'sizes'), join(dir, 'sizes.c')], { encoding: 'utf8' });
    if (cc.status !== 0) throw new Error(`cc failed:\n${cc.stderr}`);
    const run = spawnSync(join(dir, 'sizes'), { encoding: 'utf8' });
    facts = JSON.parse(run.stdout) as Facts;
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
