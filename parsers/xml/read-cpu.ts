// <features>, and <cpu> (host-passthrough features -> cpuid and nested HVM, NUMA cells ->
// vNUMA nodes), as libvirt's libxl driver maps them.
import type { DomainConfig, DomainType, VnodeInfo } from '../../src/core/model.js';
import { cpuidSet, isKnownFeature, libxlFeatureName, type CpuidPolicyJson } from './cpuid.js';
import type { XNode } from './dom.js';
import { memoryKiB, parseCpuset, type Reader } from './reader.js';

/** <hyperv> feature -> libxl viridian enlightenment bit (libxl_viridian_enlightenment). */
export const HYPERV_BITS: Record<string, number> = { frequencies: 1, tlbflush: 4, vapic: 5, synic: 7, stimer: 8, ipi: 9 };
/** Enlightenments any enabled <hyperv> turns on: base, time_ref_count, reference_tsc, crash_ctl. */
export const HYPERV_BASE = [0, 2, 3, 6];
/** Hyper-V features that need nothing beyond the base set on Xen. */
const HYPERV_IN_BASE = new Set(['vpindex']);
export const VIRIDIAN_WIDTH = 64;

const onOff = (r: Reader, n: XNode): boolean => (r.attr(n, 'state') ?? 'on') !== 'off';

function isX86(root: XNode): boolean {
  const arch = root.children.find((n) => n.name === 'os')?.children.find((n) => n.name === 'type')?.attrs.find(([k]) => k === 'arch')?.[1];
  return arch === undefined || arch === 'x86_64' || arch === 'i686';
}

export function readFeatures(r: Reader, root: XNode, cfg: DomainConfig, type: DomainType) {
  const f = r.child(root, 'features');
  const b = cfg.b_info;
  const hvm = type === 'hvm';
  const flag = (name: string): boolean => {
    const n = f && r.child(f, name);
    return !!n && onOff(r, n);
  };
  if (hvm) {
    const h = b['type.hvm']!;
    const numaCells = root.children.find((n) => n.name === 'cpu')?.children.find((n) => n.name === 'numa')?.children.filter((n) => n.name === 'cell').length ?? 0;
    const x86_64 = isX86(root) && root.children.find((n) => n.name === 'os')?.children.find((n) => n.name === 'type')?.attrs.find(([k]) => k === 'arch')?.[1] !== 'i686';
    // libvirt turns PAE on for every x86_64 HVM guest, and ACPI on when vNUMA is configured
    h.pae = flag('pae') || x86_64 ? 'True' : 'False';
    b.apic = flag('apic') ? 'True' : 'False';
    b.acpi = flag('acpi') || (x86_64 && numaCells > 0) ? 'True' : 'False';
    const hyperv = f && r.child(f, 'hyperv');
    if (hyperv) readHyperv(r, hyperv, cfg);
  }
  if (!f) return;
  if (hvm || type === 'pvh') {
    const hap = r.child(f, 'hap');
    if (hap) cfg.c_info.hap = onOff(r, hap) ? 'True' : 'False';
  }
  const xen = r.child(f, 'xen');
  if (xen) {
    const e820 = type === 'pv' ? r.child(xen, 'e820_host') : undefined;
    if (e820) b['type.pv']!.e820_host = onOff(r, e820) ? 'True' : 'False';
    const pt = r.child(xen, 'passthrough');
    if (pt) {
      const on = onOff(r, pt);
      const mode = r.oneOf(pt, 'mode', ['sync_pt', 'share_pt'] as const);
      cfg.c_info.passthrough = !on ? 'disabled' : mode ?? 'enabled';
    }
  }
}

function readHyperv(r: Reader, hv: XNode, cfg: DomainConfig) {
  const h = cfg.b_info['type.hvm']!;
  const mode = r.oneOf(hv, 'mode', ['custom', 'passthrough'] as const) ?? 'custom';
  if (mode === 'passthrough') {
    h.viridian_enable = [...Array(VIRIDIAN_WIDTH).keys()];
    return;
  }
  const enable = new Set(HYPERV_BASE);
  const disable = new Set<number>();
  for (const c of hv.children) {
    const bit = HYPERV_BITS[c.name];
    if (bit === undefined && !HYPERV_IN_BASE.has(c.name)) continue; // left for side.xml
    c.used = true;
    const on = onOff(r, c);
    if (bit !== undefined) (on ? enable : disable).add(bit);
  }
  for (const bit of disable) enable.delete(bit);
  h.viridian_enable = [...enable].sort((a, b) => a - b);
  if (disable.size) h.viridian_disable = [...disable].sort((a, b) => a - b);
}

export function readCpu(r: Reader, root: XNode, cfg: DomainConfig, type: DomainType) {
  const cpu = r.child(root, 'cpu');
  if (!cpu) return;
  const b = cfg.b_info;
  const mode = cpu.attrs.find(([k]) => k === 'mode')?.[1];
  const numa = r.child(cpu, 'numa');
  if (numa) readNuma(r, numa, cfg);
  if (r.peek(cpu, 'check') === 'none') r.skipAttrs(cpu, 'check');
  if (mode === undefined && !cpu.children.some((n) => n.name !== 'numa')) return;
  if (mode !== 'host-passthrough' || type === 'pv') {
    const why = type === 'pv' ? 'CPU settings of PV domains are not mapped to libxl; kept in side.xml' : `CPU mode '${mode ?? 'custom'}' is not mapped to libxl (only host-passthrough is); kept in side.xml`;
    if (mode !== undefined) r.explain(cpu, why, 'mode');
    else for (const c of cpu.children) if (c.name !== 'numa') r.explain(c, why);
    return;
  }
  r.skipAttrs(cpu, 'mode');
  if (r.peek(cpu, 'migratable') === 'on') r.skipAttrs(cpu, 'migratable');
  // nested HVM: offered when allowed, then switched by an explicit vmx/svm feature
  let nested = r.opts.nestedHvm ?? true;
  const policy: CpuidPolicyJson = { cpuid: [], msr: [] };
  for (const feat of r.children(cpu, 'feature')) {
    const name = r.attr(feat, 'name') ?? '';
    const pol = r.oneOf(feat, 'policy', ['force', 'require', 'optional', 'disable', 'forbid'] as const) ?? 'require';
    if (pol === 'optional') continue;
    const on = pol === 'force' || pol === 'require';
    if (name === 'vmx' || name === 'svm') {
      nested = on;
      continue;
    }
    const xl = libxlFeatureName(name);
    if (!isKnownFeature(xl) || !cpuidSet(policy, xl, on ? '1' : '0')) {
      r.errorAttr(feat, 'name', `CPU feature '${name}' is not one libxl can set`);
    }
  }
  if (policy.cpuid.length || policy.msr.length) b.cpuid = policy;
  b.nested_hvm = nested ? 'True' : 'False';
}

function readNuma(r: Reader, numa: XNode, cfg: DomainConfig) {
  const b = cfg.b_info;
  const cells = r.children(numa, 'cell');
  const host = r.opts.host;
  // more cells than host nodes: libvirt puts every vnode on physical node 0
  const simulate = !!host && cells.length > host.nodes.length;
  if (simulate) r.warn(numa, `${cells.length} NUMA cells but the host has ${host!.nodes.length} nodes: all cells use physical node 0`);
  const explicit = new Map<string, number>();
  cells.forEach((cell, i) => {
    const dist = r.child(cell, 'distances');
    for (const s of dist ? r.children(dist, 'sibling') : []) {
      const j = r.int(s, 'id', { min: 0, max: cells.length - 1 });
      const v = r.int(s, 'value', { min: 10, max: 255 });
      if (j !== undefined && v !== undefined) explicit.set(`${i},${j}`, v);
    }
  });
  const nodes: VnodeInfo[] = cells.map((cell, i) => {
    const id = r.int(cell, 'id', { min: 0 });
    if (id !== undefined && id !== i) r.errorAttr(cell, 'id', `NUMA cell ids must be 0, 1, 2... in order; expected ${i}`);
    const set = r.attr(cell, 'cpus');
    const vcpus = set !== undefined ? parseCpuset(set) : undefined;
    if (!vcpus?.length) r.errorAttr(cell, set === undefined ? 'id' : 'cpus', `NUMA cell ${i} has no vCPUs`, "give them as cpus='0-1'");
    const memkb = memoryKiB(r, cell, r.attr(cell, 'memory'), 'unit', 'memory');
    const distances = cells.map((_, j) => explicit.get(`${i},${j}`) ?? explicit.get(`${j},${i}`) ?? (i === j ? 10 : 20));
    const node: VnodeInfo = { memkb, distances };
    const pnode = simulate ? 0 : i;
    if (pnode) node.pnode = pnode;
    node.vcpus = vcpus;
    return node;
  });
  if (nodes.length) b.vnuma_nodes = nodes;
}
