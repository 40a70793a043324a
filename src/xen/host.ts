// The host as libxl sees it: `xl info` (physinfo, version_info, topology, NUMA), the
// hypervisor's console ring (`xl dmesg`), capabilities and PCI functions for passthrough.
import { hostname, machine, release, version as osVersion } from 'node:os';
import type { Libxl } from '../../bindings/context.js';
import { emptyBitmap, readBitmap } from '../../bindings/bitmap.js';
import { SCHEDULERS } from '../../bindings/layout.js';
import { OperationError } from '../core/errors.js';
import type { CpuTopology, HostInfo, NumaNodeInfo } from '../core/backend-types.js';
import { guard } from './errors.js';

type Obj = Record<string, unknown>;
const num = (v: unknown, d = 0) => (typeof v === 'number' ? v : d);
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const INVALID = 0xffffffff;

export function versionInfo(lx: Libxl): Obj {
  // a pointer into the context: read it, never free it
  const ptr = lx.fn.libxl_get_version_info(lx.ctx) as bigint | null;
  if (!ptr) throw new OperationError('libxl cannot read the Xen version');
  return lx.json.toObject<Obj>('version_info', ptr);
}

function listOf(lx: Libxl, fn: 'libxl_get_cpu_topology' | 'libxl_get_numainfo', type: string, free: 'libxl_cputopology_list_free' | 'libxl_numainfo_list_free'): Obj[] {
  const n: number[] = [0];
  const ptr = lx.fn[fn](lx.ctx, n) as bigint | null;
  if (!ptr) return [];
  try {
    return lx.json.list<Obj>(type, ptr, n[0]);
  } finally {
    lx.fn[free](ptr, n[0]);
  }
}

export async function hostInfo(lx: Libxl): Promise<HostInfo> {
  return guard('reading the host information', undefined, async () => {
    const p = await lx.json.with('physinfo', undefined, (obj) => {
      lx.call('libxl_get_physinfo', lx.ctx, obj.ptr);
      return lx.json.toObject<Obj>('physinfo', obj.ptr);
    });
    const v = versionInfo(lx);
    const pageKb = num(v.pagesize, 4096) / 1024;
    const topo = listOf(lx, 'libxl_get_cpu_topology', 'cputopology', 'libxl_cputopology_list_free');
    const topology: CpuTopology[] = topo
      .map((t, cpu) => ({ cpu, core: num(t.core), socket: num(t.socket), node: num(t.node) }))
      .filter((t) => t.core !== INVALID);
    const numa: NumaNodeInfo[] = listOf(lx, 'libxl_get_numainfo', 'numainfo', 'libxl_numainfo_list_free')
      .map((n, node) => ({
        node,
        size: num(n.size),
        free: num(n.free),
        dists: (Array.isArray(n.dists) ? n.dists : []) as number[],
        cpus: topology.filter((t) => t.node === node).map((t) => t.cpu),
      }))
      .filter((n) => n.size !== INVALID && n.size > 0);
    const sched = lx.fn.libxl_get_scheduler(lx.ctx) as number;
    let freeCpus = 0;
    const fc = emptyBitmap(lx);
    try {
      if ((lx.fn.libxl_get_freecpus(lx.ctx, fc.ptr) as number) === 0) freeCpus = readBitmap(lx, fc.ptr).length;
    } finally {
      fc.dispose();
    }
    const pages = (k: string) => num(p[k]) * pageKb;
    const caps: [string, boolean][] = [
      ['pv', p.cap_pv === true], ['hvm', p.cap_hvm === true],
      ['hvm_directio', p.cap_hvm === true && p.cap_hvm_directio === true], ['pv_directio', p.cap_pv === true && p.cap_hvm_directio === true],
      ['hap', p.cap_hap === true], ['shadow', p.cap_shadow === true], ['iommu_hap_pt_share', p.cap_iommu_hap_pt_share === true],
      ['vmtrace', p.cap_vmtrace === true], ['vpmu', p.cap_vpmu === true], ['gnttab-v1', p.cap_gnttab_v1 === true], ['gnttab-v2', p.cap_gnttab_v2 === true],
    ];
    return {
      host: hostname(),
      release: release(),
      version: osVersion(),
      machine: machine(),
      physinfo: {
        nr_cpus: num(p.nr_cpus),
        max_cpu_id: num(p.max_cpu_id),
        nr_nodes: num(p.nr_nodes),
        cores_per_socket: num(p.cores_per_socket),
        threads_per_core: num(p.threads_per_core),
        cpu_khz: num(p.cpu_khz),
        hw_cap: (Array.isArray(p.hw_cap) ? p.hw_cap : []) as number[],
        virt_caps: caps.filter(([, on]) => on).map(([c]) => c),
        total_memkb: pages('total_pages'),
        free_memkb: pages('free_pages') - pages('outstanding_pages'),
        outstanding_memkb: pages('outstanding_pages'),
        sharing_freed_memkb: pages('sharing_freed_pages'),
        sharing_used_memkb: pages('sharing_used_frames'),
        free_cpus: freeCpus,
      },
      version_info: {
        xen_version_major: num(v.xen_version_major),
        xen_version_minor: num(v.xen_version_minor),
        xen_version_extra: str(v.xen_version_extra),
        capabilities: str(v.capabilities),
        pagesize: num(v.pagesize, 4096),
        virt_start: num(v.virt_start),
        changeset: str(v.changeset),
        commandline: str(v.commandline),
        compiler: str(v.compiler),
        compile_by: str(v.compile_by),
        compile_domain: str(v.compile_domain),
        compile_date: str(v.compile_date),
        build_id: str(v.build_id),
      },
      scheduler: SCHEDULERS[sched] ?? 'unknown',
      numa,
      topology,
    };
  });
}

/** libvirt-style capabilities from Xen's capability string (e.g. "xen-3.0-x86_64 hvm-3.0-x86_32"). */
export function capabilitiesFrom(caps: string, pv: boolean) {
  const guests: { os_type: string; arch: string; wordsize: number; machine: string; domain: string }[] = [];
  for (const word of caps.split(/\s+/).filter(Boolean)) {
    const m = /^(xen|hvm)-[\d.]+-(x86_64|x86_32p?|aarch64|arm\w*)$/.exec(word);
    if (!m) continue;
    const arch = m[2] === 'x86_64' ? 'x86_64' : m[2].startsWith('x86_32') ? 'i686' : m[2];
    const wordsize = arch === 'i686' || arch.startsWith('armv7') ? 32 : 64;
    const add = (os_type: string, machine: string) => {
      if (!guests.some((g) => g.os_type === os_type && g.arch === arch)) guests.push({ os_type, arch, wordsize, machine, domain: 'xen' });
    };
    if (m[1] === 'xen') add('xen', 'xenpv');
    else {
      add('hvm', 'xenfv');
      if (arch === 'x86_64') add('xenpvh', 'xenpvh');
    }
  }
  if (pv && !guests.some((g) => g.os_type === 'xen')) guests.unshift({ os_type: 'xen', arch: machine() === 'x86_64' ? 'x86_64' : machine(), wordsize: 64, machine: 'xenpv', domain: 'xen' });
  return { arch: machine() === 'arm64' ? 'aarch64' : machine(), guests };
}

export async function capabilities(lx: Libxl) {
  const v = versionInfo(lx);
  return capabilitiesFrom(str(v.capabilities), true);
}

export async function dmesg(lx: Libxl, clear = false): Promise<string[]> {
  return guard('reading the hypervisor console', undefined, () => {
    const cr = lx.fn.libxl_xen_console_read_start(lx.ctx, clear ? 1 : 0) as bigint | null;
    if (!cr) throw new OperationError('cannot read the hypervisor console ring');
    let text = '';
    try {
      for (;;) {
        const line: (string | null)[] = [null];
        const rc = lx.call('libxl_xen_console_read_line', lx.ctx, cr, line);
        if (rc === 0 || line[0] === null) break;
        text += line[0];
      }
    } finally {
      lx.fn.libxl_xen_console_read_finish(lx.ctx, cr);
    }
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines;
  });
}

export async function pciAssignable(lx: Libxl): Promise<string[]> {
  return guard('listing assignable PCI devices', undefined, () => {
    const n: number[] = [0];
    const ptr = lx.fn.libxl_device_pci_assignable_list(lx.ctx, n) as bigint | null;
    if (!ptr) return [];
    try {
      return lx.json.list<Obj>('device_pci', ptr, n[0]).map((p) =>
        `${num(p.domain).toString(16).padStart(4, '0')}:${num(p.bus).toString(16).padStart(2, '0')}:${num(p.dev).toString(16).padStart(2, '0')}.${num(p.func).toString(16)}`);
    } finally {
      lx.fn.libxl_device_pci_assignable_list_free(ptr, n[0]);
    }
  });
}
