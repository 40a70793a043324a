// domstats and top's I/O columns on xen:///system: libxl's dominfo and vCPU list, the
// balloon target from xenstore, and the counters Domain-0's kernel keeps for the backends of
// the guest's vifs and disks (iostats.ts).
import type { Libxl } from '../../bindings/context.js';
import type { XenstoreReader } from '../../bindings/xenstore.js';
import type { DeviceIo, DomainStats } from '../core/backend-types.js';
import { domainInfo } from './domains.js';
import { vcpuList } from './resources.js';
import { readDeviceIo } from './iostats.js';

// libxl 4.17 has no call that reads a live domain's shadow (or HAP) allocation: only
// libxl_get_required_shadow_memory, which computes a recommendation from the memory size.
// Xen gives the number through libxenctrl's xc_shadow_control(GET_ALLOCATION), which txl does
// not bind; so the figure is 0 and says so rather than a made-up value.
const SHADOW_NOTE = "memory.shadow: libxl has no call that reads a live domain's shadow allocation; shown as 0";

const vdevOf = (xs: XenstoreReader) => (domid: number, devid: number) =>
  xs.read(`/local/domain/0/backend/vbd/${domid}/${devid}/dev`) ?? xs.read(`/local/domain/0/backend/qdisk/${domid}/${devid}/dev`);

export function deviceIo(xs: XenstoreReader, root = '/sys'): Map<number, DeviceIo> {
  return readDeviceIo(root, vdevOf(xs));
}

/** How far the balloon has come: 1 when the domain holds what its target asks. */
export function balloonDone(targetKb: number, actualKb: number): number {
  const hi = Math.max(targetKb, actualKb);
  return hi <= 0 ? 1 : 1 - Math.abs(targetKb - actualKb) / hi;
}

export async function domainStats(lx: Libxl, xs: XenstoreReader, domid: number): Promise<DomainStats> {
  const d = await domainInfo(lx, domid);
  const vcpus = await vcpuList(lx, domid);
  const t = Number(xs.read(`/local/domain/${domid}/memory/target`));
  const target = Number.isFinite(t) && t > 0 ? t : d.current_memkb;
  const io = deviceIo(xs).get(domid) ?? { net: [], block: [] };
  return {
    domid,
    name: d.name,
    memory: { target_kb: target, actual_kb: d.current_memkb, max_kb: d.max_memkb, balloon_done: balloonDone(target, d.current_memkb) },
    shadow_kb: 0,
    cpu_time: d.cpu_time,
    vcpus: vcpus.map((v) => ({ vcpuid: v.vcpuid, online: v.online, time: v.vcpu_time })),
    net: io.net,
    block: io.block,
    notes: [SHADOW_NOTE],
  };
}
