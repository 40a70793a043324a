// The model -> a canonical, readable xl.cfg that xl 4.17 (and xlcfgToModel, with the
// default xl.conf) reads back into the same model. Values that xl fills in by itself
// (on_reboot = "restart", maxmem = memory, devids by position, claim_mode and
// run_hotplug_scripts from xl.conf) are left out. What no xl.cfg key can express is
// listed in a comment at the top instead of being dropped silently.

import type { DomainConfig } from '../../src/core/model.js';
import { formatCpuList } from '../devices/index.js';
import { writeDevices } from './write-devices.js';
import { writeHvm } from './write-hvm.js';
import { writeSlot } from './write-keys.js';
import { mib, Out } from './write-out.js';
import { ConfigError } from '../../src/core/errors.js';
import { delta, type DeltaEntry } from '../delta.js';
import { xlcfgToModel } from './to-model.js';
import { deltaLines } from './write-meta.js';
import { defaultXlConf } from './xlconf.js';

export function modelToXlcfg(cfg: DomainConfig): string {
  const plain = plainXlcfg(cfg);
  let entries: DeltaEntry[] = [];
  try {
    // what xl's keys alone read back as (with xl.conf's defaults); the rest goes to #@txl lines
    entries = delta(cfg, xlcfgToModel(plain, '<txl: xl.cfg as written>', { xlconf: defaultXlConf() }).config);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e; // a model xl would refuse: written as it is
  }
  return plain + deltaLines(entries);
}

/** The model in xl.cfg keys only. */
function plainXlcfg(cfg: DomainConfig): string {
  const out = new Out();
  const c = cfg.c_info ?? {};
  const b = cfg.b_info ?? {};
  const type = c.type ?? (b['type.hvm'] ? 'hvm' : b['type.pvh'] ? 'pvh' : 'pv');

  out.set('name', c.name);
  out.set('uuid', c.uuid);
  out.set('type', type);
  if (c.ssid_label !== undefined && b.exec_ssid_label !== undefined) {
    out.set('init_seclabel', c.ssid_label);
    out.set('seclabel', b.exec_ssid_label);
  } else {
    out.set('seclabel', c.ssid_label);
    if (b.exec_ssid_label !== undefined) out.note(`exec_ssid_label "${b.exec_ssid_label}" without an initial label`);
  }
  writeSlot(out, cfg, 'head');
  for (const k of ['ssidref', 'domid', 'poolid'] as const) if (c[k]) out.note(`c_info.${k} ${c[k]}`);
  for (const k of ['xsdata', 'platformdata'] as const) if (c[k]) out.note(`c_info.${k}`);
  if (c.run_hotplug_scripts === 'False') out.note('run_hotplug_scripts "False" (an xl.conf setting)');
  if (b.claim_mode === 'False') out.note('claim_mode "False" (an xl.conf setting)');
  if (b.blkdev_start !== undefined) out.note(`blkdev_start "${b.blkdev_start}" (an xl.conf setting)`);

  out.section();
  writeBoot(out, cfg, type);
  out.section();
  writeCpuAndMemory(out, cfg);
  out.section();
  writeSlot(out, cfg, 'actions');
  out.section();
  writeMisc(out, cfg, type);
  if (type === 'hvm') writeHvm(out, cfg);
  else if (b['type.hvm']) out.note(`HVM settings in a ${type} guest`);
  out.section();
  writeDeviceModel(out, cfg);
  out.section();
  writeDevices(out, cfg, type);
  if (cfg.side?.xl) {
    for (const [k, v] of Object.entries(cfg.side.xl)) {
      if (k === 'ms_vm_genid' && v === 'generate') continue; // written with the HVM keys
      out.note(`xl side field ${k}`);
    }
  }
  return out.text();
}

function writeBoot(out: Out, cfg: DomainConfig, type: string): void {
  const b = cfg.b_info;
  writeSlot(out, cfg, 'boot.a');
  out.set('cmdline', b.cmdline);
  writeSlot(out, cfg, 'boot.b');
  if (b.bootloader_args) out.list('bootloader_args', b.bootloader_args);
  writeSlot(out, cfg, 'boot.c');
  if (type !== 'hvm' && b.kernel === undefined && b.bootloader === undefined) out.note(`a ${type} guest with neither kernel nor bootloader (xl rejects it)`);
  writeSlot(out, cfg, 'pvh');
  const pv = b['type.pv'];
  if (pv) {
    for (const k of ['kernel', 'bootloader', 'cmdline', 'ramdisk', 'bootloader_args', 'slack_memkb', 'features'] as const) {
      if (pv[k] !== undefined) out.note(`the deprecated b_info.type.pv.${k}`);
    }
  }
}

function writeCpuAndMemory(out: Out, cfg: DomainConfig): void {
  const b = cfg.b_info;
  writeSlot(out, cfg, 'memory');
  if (b.max_memkb !== undefined && b.max_memkb !== b.target_memkb) out.set('maxmem', mib(out, 'maxmem', b.max_memkb));
  const avail = b.avail_vcpus ?? [];
  const vcpus = avail.length;
  if (avail.some((v, i) => v !== i)) out.note(`online vCPUs ${formatCpuList(avail)} (xl brings up vCPUs 0 to vcpus-1)`);
  if (vcpus) out.set('vcpus', vcpus);
  if ((b.max_vcpus ?? 0) !== vcpus) out.set('maxvcpus', b.max_vcpus ?? 0);

  const nodes = b.vnuma_nodes ?? [];
  const placementOff = b.numa_placement === 'False';
  let placementCause = false;
  if (nodes.length) {
    const withPnode = placementOff;
    placementCause ||= withPnode;
    out.list('vnuma', nodes.map((n) => [
      ...(withPnode || n.pnode ? [`pnode=${n.pnode ?? 0}`] : []),
      `size=${mib(out, 'vnuma node size', n.memkb ?? 0)}`,
      ...(n.vcpus?.length ? [`vcpus=${formatCpuList(n.vcpus)}`] : []),
      ...(n.distances?.length ? [`vdistances=${n.distances.join(',')}`] : []),
    ]));
    if (n0Pnode(nodes) && !placementOff) out.note('vnuma pnodes with NUMA placement left on');
  }
  const same = (maps: number[][]) => maps.length === (b.max_vcpus ?? 0) && maps.length > 0 && maps.every((m) => formatCpuList(m) === formatCpuList(maps[0]!));
  const soft = b.vcpu_soft_affinity;
  if (soft?.length) {
    placementCause = true;
    if (same(soft)) out.set('cpus_soft', formatCpuList(soft[0]!));
    else out.list('cpus_soft', soft.map(formatCpuList));
  }
  const hard = b.vcpu_hard_affinity;
  if (hard?.length) {
    if (same(hard) && (placementCause || !placementOff)) out.set('cpus', formatCpuList(hard[0]!));
    else if (placementOff) {
      out.list('cpus', hard.map(formatCpuList));
      placementCause = true;
    } else out.note('per-vCPU hard affinity with NUMA placement left on');
  }
  if (placementOff && !placementCause && !b.max_vcpus) {
    // with no vCPUs, xl's cpus_soft sets no affinity but still turns placement off
    out.set('cpus_soft', 'all');
  } else if (placementOff && !placementCause) out.note('numa_placement "False" without a cpus list, cpus_soft or vnuma pnode');
  if (b.numa_placement === 'True') out.note('numa_placement "True"');
  if (b.cpumap?.length) out.note('b_info.cpumap');
  if (b.nodemap?.length) out.note('b_info.nodemap');
  const s = b.sched_params ?? {};
  writeSlot(out, cfg, 'sched');
  if (s.sched !== undefined && s.sched !== 'unknown') out.note(`scheduler "${s.sched}" (a cpupool property in xl)`);
  if (s.budget !== undefined && s.budget !== -1) out.note(`scheduler budget ${s.budget}`);
  writeSlot(out, cfg, 'sizes');
  if (b.iommu_memkb !== undefined) out.note(`iommu_memkb ${b.iommu_memkb}`);
}

const n0Pnode = (nodes: { pnode?: number }[]) => nodes.some((n) => n.pnode);

function writeMisc(out: Out, cfg: DomainConfig, type: string): void {
  const b = cfg.b_info;
  out.set('tsc_mode', b.tsc_mode !== 'default' ? b.tsc_mode : undefined);
  if (b.timer_mode !== undefined && b.timer_mode !== 'unknown') out.set('timer_mode', b.timer_mode);
  writeSlot(out, cfg, 'misc.a');
  if (b.altp2m !== undefined && b.altp2m !== 'disabled') out.set('altp2m', b.altp2m);
  if (b.vmtrace_buf_kb) out.set('vmtrace_buf_kb', b.vmtrace_buf_kb);
  writeSlot(out, cfg, 'misc.b');
  for (const [key, v] of [['max_grant_frames', b.max_grant_frames], ['max_maptrack_frames', b.max_maptrack_frames]] as const) {
    if (v !== undefined && v !== 2 ** 32 - 1) out.set(key, v);
  }
  if (b.max_grant_version !== undefined && b.max_grant_version !== -1) out.set('max_grant_version', b.max_grant_version);
  writeSlot(out, cfg, 'misc.c');
  writeSlot(out, cfg, 'rest');
  const pv = b['type.pv'];
  if (type === 'pv' && pv?.e820_host !== undefined) {
    // xl turns e820_host on by itself for a PV guest with PCI devices
    if (!cfg.pcidevs?.length) out.defbool('e820_host', pv.e820_host);
    else if (pv.e820_host === 'False') out.note('e820_host "False" for a PV guest with PCI devices (xl forces it on)');
  } else if (type === 'pv' && cfg.pcidevs?.length) {
    out.note('e820_host left unset for a PV guest with PCI devices (xl turns it on)');
  }
  if (b.exec_ssidref) out.note(`exec_ssidref ${b.exec_ssidref}`);
  if (b.device_model_ssidref) out.note(`device_model_ssidref ${b.device_model_ssidref}`);
}

function writeDeviceModel(out: Out, cfg: DomainConfig): void {
  const b = cfg.b_info;
  writeSlot(out, cfg, 'dm.a');
  const ver = { qemu_xen_traditional: 'qemu-xen-traditional', qemu_xen: 'qemu-xen', unknown: undefined }[b.device_model_version ?? 'unknown'];
  out.set('device_model_version', ver);
  writeSlot(out, cfg, 'dm.b');
}
