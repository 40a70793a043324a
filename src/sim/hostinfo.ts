// `xl info` for the simulated host: uname of "dom0" (the machine txl runs on), the host
// file's hardware, the memory left after every domain, and a Xen build of the chosen version.
import type { HostInfo } from '../core/backend-types.js';
import { freeKb, splitVersion } from './state.js';
import type { Tx } from './store.js';


export function hostInfo(tx: Tx, uname: { release: string; version: string; machine: string }): HostInfo {
  const h = tx.host;
  const [maj, min, extra] = splitVersion(h.xen_version);
  const pooled = new Set(tx.st.cpupools.flatMap((p) => p.cpus));
  const free = freeKb(tx.st, h);
  // the free memory of each node: the host's free memory, shared out in proportion to size
  const numa = h.nodes.map((n, i) => ({
    node: i,
    size: n.memory_mib * 1024 * 1024,
    free: Math.floor((free * 1024 * n.memory_mib) / h.memory_mib),
    dists: h.nodes.map((_, j) => (i === j ? 10 : 20)),
    cpus: [...n.cpus],
  }));
  const nodeOf = (cpu: number) => Math.max(0, h.nodes.findIndex((n) => n.cpus.includes(cpu)));
  const topology = Array.from({ length: h.nr_cpus }, (_, cpu) => {
    const core = Math.floor(cpu / h.threads_per_core);
    return { cpu, core: core % h.cores_per_socket, socket: Math.floor(core / h.cores_per_socket), node: nodeOf(cpu) };
  });
  return {
    host: h.name,
    release: uname.release,
    version: uname.version,
    machine: uname.machine,
    physinfo: {
      nr_cpus: h.nr_cpus,
      max_cpu_id: h.nr_cpus - 1,
      nr_nodes: h.nodes.length,
      cores_per_socket: h.cores_per_socket,
      threads_per_core: h.threads_per_core,
      cpu_khz: h.cpu_mhz * 1000,
      hw_cap: [0xbfebfbff, 0x77fafbff, 0x2c100800, 0x00000121, 0x0000000f, 0x009c6fbf, 0x00000000, 0x00000100],
      virt_caps: ['pv', 'hvm', 'hvm_directio', 'pv_directio', 'hap', 'shadow', 'iommu_hap_pt_share', 'gnttab-v1', 'gnttab-v2'],
      total_memkb: h.memory_mib * 1024,
      free_memkb: Math.max(0, free),
      outstanding_memkb: 0,
      sharing_freed_memkb: 0,
      sharing_used_memkb: 0,
      free_cpus: Array.from({ length: h.nr_cpus }, (_, c) => c).filter((c) => !pooled.has(c)).length,
    },
    version_info: {
      xen_version_major: maj,
      xen_version_minor: min,
      xen_version_extra: extra,
      capabilities: 'xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64',
      pagesize: 4096,
      virt_start: 0xffff800000000000,
      changeset: '',
      commandline: `placeholder dom0_mem=${h.dom0.memory_mib}M,max:${h.dom0.memory_mib}M dom0_max_vcpus=${h.dom0.vcpus}`,
      compiler: 'gcc (Debian 12.2.0-14) 12.2.0',
      compile_by: 'txl-sim',
      compile_domain: 'txl.invalid',
      compile_date: new Date(tx.st.boot_time).toUTCString(),
      build_id: '0000000000000000000000000000000000000000',
    },
    scheduler: tx.st.cpupools.find((p) => p.poolid === 0)?.sched ?? h.scheduler,
    numa,
    topology,
  };
}

