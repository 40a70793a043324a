// vCPUs, memory, scheduler parameters and removable media of a simulated domain.
import { OperationError, UsageError } from '../core/errors.js';
import type { Bitmap, Disk, SchedParams } from '../core/model.js';
import type { DeviceInfo, DomainStats, VcpuInfo } from '../core/backend-types.js';
import { findDevice } from './devices.js';
import { freeKb, accrue, cpuTimeNs, pushEvent, type SimDevice, type SimDomain } from './state.js';
import type { Tx } from './store.js';
import { mib } from './domains.js';

export function vcpuList(tx: Tx, d: SimDomain): VcpuInfo[] {
  const total = cpuTimeNs(d, tx.now);
  return Array.from({ length: d.max_vcpus }, (_, i) => {
    const online = i < d.online_vcpus;
    const hard = d.hard_affinity[i] ?? [];
    return {
      vcpuid: i,
      cpu: online ? hard[(d.domid + i) % Math.max(1, hard.length)] ?? -1 : -1,
      online,
      blocked: online && d.status === 'running' && d.domid !== 0,
      running: online && d.status === 'running' && d.domid === 0,
      vcpu_time: online ? Math.round(total / Math.max(1, d.online_vcpus)) : 0,
      cpumap: hard,
      cpumap_soft: d.soft_affinity[i] ?? [],
    };
  });
}

export function setVcpus(tx: Tx, d: SimDomain, count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new UsageError('the number of vCPUs must be 1 or more');
  if (count > d.max_vcpus) {
    throw new OperationError(`cannot set ${count} vCPUs online for '${d.name}': its maximum is ${d.max_vcpus}`, "raise 'maxvcpus' in the config (takes effect on the next boot)");
  }
  tx.faults.hit('vcpu-set', `setting the vCPUs of '${d.name}'`);
  accrue(d, tx.now);
  d.online_vcpus = count;
  pushEvent(tx.st, 'vcpus', d, { detail: `${count} online` }, tx.now);
}

/**
 * As Xen does: bits beyond the host's CPUs are ignored; a hard affinity left with no CPU of
 * the domain's cpupool is refused (EINVAL); a soft one may be empty (libxl only warns).
 */
export function pinVcpu(tx: Tx, d: SimDomain, vcpu: number | 'all', hard?: Bitmap, soft?: Bitmap): void {
  const pool = tx.st.cpupools.find((p) => p.poolid === d.cpupool);
  const onHost = (m: Bitmap) => [...new Set(m.filter((c) => c >= 0 && c < tx.host.nr_cpus))].sort((a, b) => a - b);
  const checkHard = (m: Bitmap) => {
    const mine = onHost(m);
    if (!mine.length && m.length) throw new OperationError(`CPU ${m.find((c) => c >= tx.host.nr_cpus) ?? m[0]} does not exist: the host has CPUs 0-${tx.host.nr_cpus - 1}`);
    if (!mine.some((c) => pool?.cpus.includes(c))) throw new OperationError(`none of the CPUs ${m.join(',') || '(none)'} is in cpupool '${pool?.name}'`);
    return mine;
  };
  const ids = vcpu === 'all' ? [...Array(d.max_vcpus).keys()] : [vcpu];
  for (const i of ids) if (i < 0 || i >= d.max_vcpus) throw new OperationError(`domain '${d.name}' has no vCPU ${i} (it has ${d.max_vcpus})`);
  const h = hard ? checkHard(hard) : undefined;
  const s = soft ? onHost(soft) : undefined;
  for (const i of ids) {
    if (h) d.hard_affinity[i] = [...h];
    if (s) d.soft_affinity[i] = [...s];
  }
  pushEvent(tx.st, 'vcpus', d, { detail: `vcpu ${vcpu} pinned${h ? ` hard ${h.join(',')}` : ''}${s ? ` soft ${s.join(',')}` : ''}` }, tx.now);
}

export function setMemoryTarget(tx: Tx, d: SimDomain, kb: number): void {
  if (!Number.isInteger(kb) || kb <= 0) throw new UsageError('the memory target must be more than 0');
  if (kb > d.max_kb) {
    throw new OperationError(`cannot set the memory of '${d.name}' to ${mib(kb)} MiB: its maximum is ${mib(d.max_kb)} MiB`, "raise it first with 'txl mem-max'");
  }
  const more = kb - d.target_kb;
  const free = freeKb(tx.st, tx.host);
  if (more > free) throw new OperationError(`not enough free memory to grow '${d.name}' by ${mib(more)} MiB: the host has ${mib(Math.max(0, free))} MiB free`);
  tx.faults.hit('memory-set', `setting the memory of '${d.name}'`);
  d.target_kb = kb;
  pushEvent(tx.st, 'memory', d, { detail: `target ${kb} KiB` }, tx.now);
}

export function setMaxMemory(tx: Tx, d: SimDomain, kb: number): void {
  if (!Number.isInteger(kb) || kb <= 0) throw new UsageError('the maximum memory must be more than 0');
  if (kb < d.target_kb) {
    throw new OperationError(`cannot set the maximum memory of '${d.name}' to ${mib(kb)} MiB: it uses ${mib(d.target_kb)} MiB now`, "lower it first with 'txl mem-set'");
  }
  tx.faults.hit('memory-set', `setting the maximum memory of '${d.name}'`);
  d.max_kb = kb;
  pushEvent(tx.st, 'memory', d, { detail: `max ${kb} KiB` }, tx.now);
}

export function schedSet(tx: Tx, d: SimDomain, p: SchedParams): void {
  const pool = tx.st.cpupools.find((x) => x.poolid === d.cpupool);
  if (p.sched && p.sched !== pool?.sched) throw new OperationError(`domain '${d.name}' runs under the ${pool?.sched} scheduler, not ${p.sched}`);
  if (p.weight !== undefined && (p.weight < 1 || p.weight > 65535)) throw new OperationError(`weight ${p.weight} is out of range (1-65535)`);
  if (p.cap !== undefined && (p.cap < 0 || p.cap > 100 * d.max_vcpus)) throw new OperationError(`cap ${p.cap} is out of range (0-${100 * d.max_vcpus}, 0 = no cap)`);
  if (p.weight !== undefined) d.sched.weight = p.weight;
  if (p.cap !== undefined) d.sched.cap = p.cap;
  pushEvent(tx.st, 'sched', d, { detail: `weight ${d.sched.weight} cap ${d.sched.cap}` }, tx.now);
}

export function changeMedia(tx: Tx, d: SimDomain, vdev: string, disk: Disk | null): void {
  const x = findDevice(d, 'disk', vdev);
  const cur = x.config as Disk;
  if (!cur.is_cdrom && !cur.removable) throw new OperationError(`disk ${vdev} of '${d.name}' is not a removable (CD-ROM) drive`);
  tx.faults.hit('media-change', `changing the media in ${vdev} of '${d.name}'`);
  if (disk) {
    x.config = { ...cur, pdev_path: disk.pdev_path, format: disk.format ?? cur.format, backend: disk.backend ?? cur.backend };
  } else {
    const { pdev_path: _p, ...rest } = cur;
    x.config = { ...rest, format: 'empty' };
  }
  pushEvent(tx.st, 'media-change', d, { detail: `${vdev} ${disk ? `inserted ${disk.pdev_path}` : 'ejected'}` }, tx.now);
}

export function deviceInfo(d: SimDomain, x: SimDevice): DeviceInfo {
  const fe = { disk: 'vbd', nic: 'vif', pci: 'pci', vfb: 'vfb', vkb: 'vkbd', vtpm: 'vtpm', channel: 'console', usbctrl: 'vusb' }[x.kind];
  const be = x.kind === 'disk' && (x.config as Disk).backend === 'qdisk' ? 'qdisk' : fe;
  const bdom = (x.config as { backend_domid?: number }).backend_domid ?? 0;
  return {
    kind: x.kind,
    devid: x.devid,
    backend_domid: bdom,
    frontend_domid: d.domid,
    backend_state: x.backend_state,
    frontend_state: x.frontend_state,
    evtch: x.evtch,
    rref: [...x.rref],
    backend_path: `/local/domain/${bdom}/backend/${be}/${d.domid}/${x.devid}`,
    frontend_path: `/local/domain/${d.domid}/device/${fe}/${x.devid}`,
    config: structuredClone(x.config),
  };
}

export function domainStats(tx: Tx, d: SimDomain): DomainStats {
  const vcpus = vcpuList(tx, d);
  return {
    domid: d.domid,
    name: d.name,
    memory: { target_kb: d.target_kb, actual_kb: d.target_kb, max_kb: d.max_kb, balloon_done: 1 },
    shadow_kb: d.shadow_kb,
    cpu_time: cpuTimeNs(d, tx.now),
    vcpus: vcpus.map((v) => ({ vcpuid: v.vcpuid, online: v.online, time: v.vcpu_time })),
    // the simulated guest does no I/O: its devices are there, their counters stay at 0
    net: d.devices.filter((x) => x.kind === 'nic').map((x) => ({
      devid: x.devid, name: (x.config as { vifname?: string }).vifname ?? `vif${d.domid}.${x.devid}`,
      rx_bytes: 0, rx_pkts: 0, rx_errs: 0, rx_drop: 0, tx_bytes: 0, tx_pkts: 0, tx_errs: 0, tx_drop: 0,
    })),
    block: d.devices.filter((x) => x.kind === 'disk').map((x) => ({
      devid: x.devid, name: String((x.config as { vdev?: string }).vdev ?? x.devid), oo_reqs: 0, rd_reqs: 0, rd_sectors: 0, wr_reqs: 0, wr_sectors: 0,
    })),
  };
}

