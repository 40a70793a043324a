// xl maps a config's cpu lists and NUMA specs onto the host it runs on (libxl's CPU count
// and nodes). With a connection at hand txl does the same; without one (create -N, convert,
// check) the parsers fall back to the host the corpus outputs were made on.
import type { Backend } from '../core/backend-types.js';
import type { HostInfo } from '../../parsers/host.js';
import type { HostFor } from '../formats.js';
import { checkDomainName } from '../validate.js';

export async function liveParseHost(be: Backend): Promise<HostInfo> {
  const h = await be.hostInfo();
  // libxl_cpu_bitmap_alloc sizes cpu maps by the highest CPU id, not by how many are online
  const cpus = h.physinfo.max_cpu_id + 1;
  const all = Array.from({ length: cpus }, (_, i) => i);
  const v = h.version_info;
  return {
    nr_cpus: cpus,
    nodes: h.numa.length ? h.numa.map((n) => n.cpus) : [all],
    total_memkb: h.physinfo.total_memkb,
    free_memkb: h.physinfo.free_memkb,
    xen_version: `${v.xen_version_major}.${v.xen_version_minor}`,
    // Debian's xl keeps its firmware in a versioned directory (XENFIRMWAREDIR)
    firmware_dir: `/usr/lib/xen-${v.xen_version_major}.${v.xen_version_minor}/boot`,
  };
}

/**
 * The host a config about to be created or defined on be is read against, once its name has
 * passed the name rules: a hostile name is refused before libxl is asked anything.
 */
export function hostOf(be: Backend, explainErr: (e: unknown) => unknown = (e) => e): HostFor {
  return async (first) => {
    const name = first.config.c_info?.name;
    if (name !== undefined) checkDomainName(name);
    return liveParseHost(be).catch((e) => {
      throw explainErr(e);
    });
  };
}
