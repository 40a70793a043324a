// createDomain against a fake libxl that records when each domain build starts and ends:
// like xl, txl takes the host lock (and creates of one process take turns) only when dom0 is
// ballooned for the new domain; with dom0_mem= on Xen's command line the builds of
// `create -j N` run side by side and no lock file is touched.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Libxl } from '../bindings/context.js';
import { createDomain } from '../src/xen/create.js';
import { loadLibs } from '../bindings/load.js';
import type { DomainConfig } from '../src/core/model.js';
import { HAVE_LIBXL } from './shim/harness.js';

interface Span { name: string; start: number; end: number }

/** Just enough of Libxl for createDomain; builds take `buildMs` and are recorded. */
function fakeLibxl(cmdline: string, buildMs = 40) {
  const spans: Span[] = [];
  const objects = new Map<bigint, unknown>();
  let nextPtr = 1n;
  let nextDomid = 1;
  const build = async (ptr: bigint, out: number[]) => {
    const name = (objects.get(ptr) as { c_info: { name: string } }).c_info.name;
    const span = { name, start: performance.now(), end: Infinity };
    spans.push(span);
    await new Promise((r) => setTimeout(r, buildMs));
    span.end = performance.now();
    out[0] = nextDomid++;
    return 0;
  };
  const run = async (fn: string, _label: string, ...args: unknown[]) => {
    if (fn === 'libxl_domain_create_new') return build(args[1] as bigint, args[2] as number[]);
    if (fn === 'libxl_domain_unpause' || fn === 'libxl_wait_for_memory_target') return 0;
    throw new Error(`unexpected async ${fn}`);
  };
  const lx = {
    version: '4.17',
    log: { mark: () => 0, since: () => [] },
    fn: { libxl_get_version_info: () => 7n },
    json: {
      fromJson: (_t: string, json: string) => {
        const ptr = nextPtr++;
        objects.set(ptr, JSON.parse(json));
        return { ptr };
      },
      toObject: (type: string, ptr: bigint) => (type === 'version_info' ? { commandline: cmdline } : objects.get(ptr)),
      dispose: () => undefined,
    },
    // makeRoom: the host always has room
    call: (fn: string, ...args: unknown[]) => {
      if (fn === 'libxl_domain_need_memory' || fn === 'libxl_get_free_memory') (args[fn === 'libxl_get_free_memory' ? 1 : 3] as bigint[])[0] = fn === 'libxl_get_free_memory' ? 1n << 30n : 1024n;
      return 0;
    },
    callAsync: run,
    callConcurrent: run,
  };
  return { lx: lx as unknown as Libxl, spans };
}

const cfg = (name: string): DomainConfig => ({ c_info: { type: 'pv', name }, b_info: { max_memkb: 131072, target_memkb: 131072, max_vcpus: 1 } }) as DomainConfig;
const overlapping = (spans: Span[]) => spans.some((a) => spans.some((b) => a !== b && a.start < b.end && b.start < a.end));

let dir = '';
let lockfile = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'txl-create-'));
  lockfile = join(dir, 'lock', 'xl');
  writeFileSync(join(dir, 'xl.conf'), `lockfile="${lockfile}"\n`);
  process.env.TXL_XL_CONF = join(dir, 'xl.conf');
});
afterEach(() => {
  delete process.env.TXL_XL_CONF;
  rmSync(dir, { recursive: true, force: true });
});

describe('createDomain: what runs side by side', () => {
  it('with dom0_mem= (no ballooning, as in the lab) four builds overlap and xl\'s lock is never taken', async () => {
    const { lx, spans } = fakeLibxl('console=com1 dom0_mem=1792M,max:1792M');
    const domids = await Promise.all(['a', 'b', 'c', 'd'].map((n) => createDomain(lx, cfg(n), {}, { xlConf: process.env.TXL_XL_CONF })));
    expect(domids.sort()).toEqual([1, 2, 3, 4]);
    expect(spans).toHaveLength(4);
    expect(overlapping(spans)).toBe(true);
    expect(existsSync(lockfile)).toBe(false);
  });

  // the lock goes through libc's fcntl, loaded with libxenlight
  it.skipIf(!HAVE_LIBXL)('when dom0 is ballooned the builds take turns, under xl\'s lock', async () => {
    const { lx, spans } = fakeLibxl('console=com1');
    // the real libraries, as the Libxl of a command holds them
    (lx as unknown as { libs: unknown }).libs = await loadLibs();
    await Promise.all(['a', 'b', 'c'].map((n) => createDomain(lx, cfg(n), {}, { xlConf: process.env.TXL_XL_CONF })));
    expect(spans).toHaveLength(3);
    expect(overlapping(spans)).toBe(false);
    expect(existsSync(lockfile)).toBe(true);
  });

  it('a failed build does not stop the ones beside it', async () => {
    const { lx, spans } = fakeLibxl('dom0_mem=2G');
    const calls = (lx as unknown as { callConcurrent: (...a: unknown[]) => Promise<number> });
    const real = calls.callConcurrent;
    let builds = 0;
    calls.callConcurrent = async (fn: unknown, label: unknown, ...args: unknown[]) => {
      const first = fn === 'libxl_domain_create_new' && builds++ === 0;
      const r = await real(fn, label, ...args);
      if (first) throw new Error('libxl_domain_create_new failed: fail');
      return r;
    };
    (lx as unknown as { callAsync: unknown }).callAsync = async () => 0; // the destroy of the half-built domain
    const results = await Promise.allSettled(['a', 'b', 'c'].map((n) => createDomain(lx, cfg(n), {}, { xlConf: process.env.TXL_XL_CONF })));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(overlapping(spans)).toBe(true);
  });
});
