// The cpu-list language of xl's cpus=, cpus_soft= and `xl vcpu-pin`: comma separated
// items, each `all`, `N`, `N-M`, `node:N`, `nodes:N-M` or `nodes:all`, any of them
// (except the `all` forms) negated with a leading `^`. Items apply left to right on a
// bitmap sized like libxl_cpu_bitmap_alloc's: whole bytes covering max_cpu_id + 1 CPUs, so
// `all` on a 2-CPU host sets bits 0-7 (xl does too). Bits beyond it are silently dropped,
// as libxl_bitmap_set does; Xen itself ignores those beyond max_cpu_id.
import { strtoul } from './cnum.js';
import { SpecReporter, type SpecOrigin } from './origin.js';

export interface HostTopology {
  nr_cpus: number;
  /** libxl_get_max_cpus (physinfo max_cpu_id + 1), which sizes the bitmap; nr_cpus when absent */
  max_cpus?: number;
  /** cpus of each NUMA node */
  nodes: number[][];
}

const ULONG_MAX = (1n << 64n) - 1n;

/** The bits of a libxl_bitmap allocated for `n` bits: libxl rounds up to whole bytes. */
export function bitmapBits(n: number): number {
  return Math.ceil(Math.max(n, 1) / 8) * 8;
}

/** xl's parse_range: `A` or `A-B` in decimal, as strtoul reads them, nothing after. */
function parseRange(s: string): [bigint, bigint] | null {
  const a = strtoul(s, 10);
  if (a.end === 0 || a.value === ULONG_MAX) return null;
  let b = a.value;
  let end = a.end;
  if (s[end] === '-') {
    const r = strtoul(s, 10, end + 1);
    if (r.end === end + 1 || r.value === ULONG_MAX || r.value < a.value) return null;
    b = r.value;
    end = r.end;
  }
  return end === s.length ? [a.value, b] : null;
}

export function parseCpuList(s: string, host: HostTopology, origin?: SpecOrigin): number[] {
  const rep = new SpecReporter(s, origin, 'cpus');
  const size = bitmapBits(host.max_cpus ?? host.nr_cpus);
  const map = new Array<boolean>(size).fill(false);
  let at = 0;
  for (const raw of s.split(',')) {
    const itemAt = at;
    at += raw.length + 1;
    if (raw === '') continue; // strtok skips empty items
    let item = raw;
    let off = 0;
    const not = item.startsWith('^');
    if (not) { item = item.slice(1); off++; }
    let nodes = false;
    for (const pre of ['node:', 'nodes:']) {
      if (item.startsWith(pre)) { item = item.slice(pre.length); off += pre.length; nodes = true; break; }
    }
    if (item === 'all') {
      if (not) rep.fail(itemAt, raw.length, `can't combine "^" and "all"`);
      map.fill(true);
      continue;
    }
    const r = parseRange(item);
    if (r === null) return rep.fail(itemAt + off, Math.max(1, item.length), `invalid pcpu range \`${item}'`, 'expected N, N-M, node:N, nodes:N-M or all, optionally negated with ^');
    const [lo, hi] = r;
    const limit = BigInt(nodes ? host.nodes.length : size) - 1n;
    for (let n = lo; n <= hi && n <= limit; n++) {
      const cpus = nodes ? host.nodes[Number(n)]! : [Number(n)];
      for (const c of cpus) if (c < size) map[c] = !not;
    }
  }
  const out: number[] = [];
  map.forEach((b, i) => { if (b) out.push(i); });
  return out;
}

/** Writes set bits as ranges, `0-3,6`; the empty set is `` (which xl reads as no cpus). */
export function formatCpuList(bits: number[]): string {
  const sorted = [...new Set(bits)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

/** How `xl vcpu-pin` prints a cpumap over `nrCpus` cpus: `all`, `none`, or ranges. */
export function describeCpuMap(bits: number[], nrCpus: number): string {
  const set = new Set(bits.filter((b) => b < nrCpus));
  if (set.size === 0) return 'none';
  if (set.size === nrCpus) return 'all';
  return formatCpuList([...set]);
}
