// vnuma=: the guest's virtual NUMA nodes, a list of lists of "option=value" strings
// (pnode, size in MiB, vcpus ranges, vdistances). It also fixes max_vcpus and max_memkb.

import type { VnodeInfo } from '../../src/core/model.js';
import { diagValue } from './access.js';
import { failAt, failValue, setting, toU32, type Ctx } from './map-ctx.js';
import type { Atom } from './syntax.js';

export function mapVnuma(c: Ctx): void {
  const s = setting(c, 'vnuma');
  if (!s) return;
  if (s.value.kind !== 'list') failValue(c, s.value, '`vnuma` takes a list of nodes, each a list of "option=value" strings', 'e.g. vnuma = [ [ "pnode=0", "size=1024", "vcpus=0-1", "vdistances=10,20" ], ... ]');
  const nodesSpec = s.value.items;
  if (!nodesSpec.length) return;
  const b = c.m.b_info;
  const n = nodesSpec.length;
  // xl sizes each node's vcpu bitmap by maxvcpus, or by the host's CPUs when it is not given
  const bitmapBits = Math.ceil((b.max_vcpus || c.host.nr_cpus) / 8) * 8;
  let vcpuCount = 0;
  let memkb = 0;
  const nodes: VnodeInfo[] = nodesSpec.map((spec) => {
    if (spec.kind !== 'list') return failValue(c, spec, 'each vnuma node must be a list of "option=value" strings', 'e.g. [ "pnode=0", "size=1024", "vcpus=0-1" ]');
    const node: VnodeInfo = { distances: new Array<number>(n).fill(0) };
    const vcpus = new Set<number>();
    for (const opt of spec.items) {
      if (opt.kind !== 'atom') continue; // xl skips anything but strings here
      const eq = opt.text.indexOf('=');
      if (eq <= 0 || eq === opt.text.length - 1) failValue(c, opt, `failed to split "${opt.text}" into option=value`, 'write e.g. "pnode=0", "size=1024", "vcpus=0-1" or "vdistances=10,20"');
      const name = opt.text.slice(0, eq).trim();
      const value = opt.text.slice(eq + 1).split('=')[0].trim();
      switch (name) {
        case 'pnode': {
          const p = ulong(c, opt, value);
          if (p >= c.host.nodes.length) failValue(c, opt, `invalid pnode number: ${p}`, `the host has ${c.host.nodes.length} NUMA node(s), numbered from 0`);
          node.pnode = p;
          b.numa_placement = 'False';
          break;
        }
        case 'size':
          node.memkb = ulong(c, opt, value) * 1024;
          if (!Number.isSafeInteger(node.memkb)) failValue(c, opt, `vnuma node size ${value} is too large`, 'give the size in MiB');
          memkb += node.memkb;
          break;
        case 'vcpus':
          for (const r of value.split(',').filter((x) => x !== '')) {
            const m = /^\s*\+?(\d+)(?:-\s*\+?(\d+))?$/.exec(r);
            if (!m || (m[2] !== undefined && Number(m[2]) < Number(m[1]))) failValue(c, opt, `invalid vcpu range "${r}" in vnuma node`, 'write vcpus=N or vcpus=N-M, separated by commas');
            const first = Number(m[1]);
            const last = Number(m[2] ?? m[1]);
            // bits past the bitmap are dropped (as libxl_bitmap_set does) but still counted
            for (let v = first; v <= Math.min(last, bitmapBits - 1); v++) vcpus.add(v);
            vcpuCount += last - first + 1;
          }
          break;
        case 'vdistances': {
          const ds = value.split(',').filter((x) => x !== '');
          if (ds.length > n) failValue(c, opt, `${ds.length} distances given for ${n} vnuma nodes`, 'give one distance to each node, this one included');
          ds.forEach((d, j) => { node.distances![j] = toU32(ulong(c, opt, d)); });
          break;
        }
        default:
          c.warnings.push(diagValue(c.cfg, opt, `unknown vnuma option "${name}" (xl ignores it)`, 'vnuma options: pnode, size, vcpus, vdistances', 'warning'));
      }
    }
    node.vcpus = [...vcpus].sort((x, y) => x - y);
    return node;
  });
  if (b.max_vcpus) {
    if (b.max_vcpus !== vcpuCount) failAt(c, 'maxvcpus', `vnuma gives ${vcpuCount} vcpus but maxvcpus is ${b.max_vcpus}`, 'the vcpus= of the vnuma nodes must add up to maxvcpus');
  } else {
    if (c.host.nr_cpus < vcpuCount) failAt(c, 'vnuma', `vnuma specifies more vcpus (${vcpuCount}) than the host has pcpus (${c.host.nr_cpus})`, 'set maxvcpus= to override this check');
    b.max_vcpus = vcpuCount;
  }
  if (b.max_memkb !== undefined && b.max_memkb !== memkb) {
    failAt(c, 'maxmem', `maxmem (${b.max_memkb / 1024} MiB) and the vnuma memory size (${memkb / 1024} MiB) differ`, 'the size= of the vnuma nodes must add up to maxmem');
  }
  b.max_memkb = memkb;
  b.vnuma_nodes = nodes;
}

/** xl's parse_ulong: a decimal number (strtoul base 10), digits required. */
function ulong(c: Ctx, opt: Atom, text: string): number {
  const m = /^\s*[+-]?\d+/.exec(text);
  if (!m) failValue(c, opt, `failed to convert "${text}" to a number`, 'write a decimal number');
  return Math.min(Number(m[0].trim()), Number.MAX_SAFE_INTEGER);
}
