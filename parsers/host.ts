// What the mapping from xl.cfg to the model needs to know about the host: xl asks libxl
// for the physical CPUs and NUMA nodes (cpu lists, "nodes:" specs, vnuma pnode checks).

export interface HostInfo {
  nr_cpus: number;
  /** the CPUs of each NUMA node, by node number */
  nodes: number[][];
  total_memkb: number;
  free_memkb: number;
  xen_version: string;
  /** where xl's build keeps firmware such as pvgrub (XENFIRMWAREDIR); upstream's /usr/lib/xen/boot if unset */
  firmware_dir?: string;
}

/**
 * The fake host the corpus outputs were produced on: 8 CPUs, 6 NUMA nodes, 16 GiB, Xen 4.17.
 * The shim does not say how the CPUs are spread over the nodes; no corpus config depends on
 * it, so the first two nodes get two CPUs each and the others one.
 */
export const CORPUS_HOST: HostInfo = {
  nr_cpus: 8,
  nodes: [[0, 1], [2, 3], [4], [5], [6], [7]],
  total_memkb: 16 * 1024 * 1024,
  free_memkb: 16 * 1024 * 1024,
  xen_version: '4.17',
  firmware_dir: '/usr/lib/xen-4.17/boot', // Debian 12's xl, which produced the corpus
};

/**
 * A host as large as Xen allows (4096 CPUs in 64 nodes, 2^40 KiB): reading a config against it
 * refuses nothing for the host's size, for a first look at a config (its name) before the real
 * host is known.
 */
export const LARGEST_HOST: HostInfo = {
  nr_cpus: 4096,
  nodes: Array.from({ length: 64 }, (_, n) => Array.from({ length: 64 }, (_, i) => n * 64 + i)),
  total_memkb: 2 ** 40,
  free_memkb: 2 ** 40,
  xen_version: CORPUS_HOST.xen_version,
  firmware_dir: CORPUS_HOST.firmware_dir,
};
