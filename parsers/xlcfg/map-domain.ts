// xl.cfg keys that describe the domain itself: identity and type, scheduling, memory,
// vCPUs and their affinity, shutdown actions, grant limits and the plain b_info knobs.

import type { DomainType } from '../../src/core/model.js';
import { getLong } from './access.js';
import { parseCpuList } from '../devices/cpulist.js';
import {
  abbreviates, choices, failAt, libxlEnum, listAtoms, missingKey, numberOrString, originOf, setting, str,
  toI32, warnAt, type Ctx,
} from './map-ctx.js';
import { TSC_MODES } from '../libxl-idl.js';
import { readSlot } from './map-keys.js';

const INT_MAX = 2 ** 31 - 1;
/** More vCPUs than any Xen guest can have; also keeps the vCPU bitmaps small. */
const MAX_VCPUS = 16384;

export function domainType(c: Ctx): DomainType {
  let type: DomainType | undefined;
  const t = str(c, 'type');
  if (t !== undefined) {
    // xl tests "pv" before "pvh", so "p" means pv
    type = abbreviates(t, 'hvm') ? 'hvm' : abbreviates(t, 'pv') ? 'pv' : abbreviates(t, 'pvh') ? 'pvh'
      : failAt(c, 'type', `invalid domain type "${t}"`, 'use "pv", "pvh" or "hvm"');
  }
  const b = str(c, 'builder');
  if (b !== undefined) {
    const bt: DomainType = abbreviates(b, 'hvm') ? 'hvm' : abbreviates(b, 'generic') ? 'pv'
      : failAt(c, 'builder', `invalid builder "${b}"`, 'use "hvm" or "generic", or better type = "hvm" / "pv"');
    if (type !== undefined && type !== bt) failAt(c, 'builder', `contradicting "builder" and "type" options specified`, `builder = "${b}" means type "${bt}"; remove builder (deprecated since Xen 4.10)`);
    type = bt;
  }
  return type ?? 'pv';
}

export function mapCreateInfo(c: Ctx): void {
  const { c_info, b_info } = c.m;
  const init = str(c, 'init_seclabel');
  if (init !== undefined) c_info.ssid_label = init;
  const sec = str(c, 'seclabel');
  if (sec !== undefined) {
    if (c_info.ssid_label !== undefined) b_info.exec_ssid_label = sec;
    else c_info.ssid_label = sec;
  }
  c_info.run_hotplug_scripts = c.xlconf.runHotplugScripts ? 'True' : 'False';
  c_info.type = c.type;
  readSlot(c, 'create.hap');
  const name = str(c, 'name');
  if (name === undefined) {
    throw missingKey(c, 'domain name must be specified', 'add name = "NAME"');
  }
  c_info.name = name;
  const uuid = str(c, 'uuid');
  if (uuid !== undefined) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(uuid)) {
      failAt(c, 'uuid', `failed to parse UUID: ${uuid}`, 'a UUID looks like 3316cbea-0bbf-4d87-9e74-24c997840c84; leave uuid out to get a new one');
    }
    c_info.uuid = uuid.toLowerCase();
  }
  readSlot(c, 'create');
  if (c.type === 'pvh') {
    c.m.b_info['type.pvh'] = {};
    readSlot(c, 'pvh');
  } else if (c.type === 'pv') {
    c.m.b_info['type.pv'] = {};
  } else {
    c.m.b_info['type.hvm'] = {};
  }
  if (c.xlconf.blkdevStart !== undefined) b_info.blkdev_start = c.xlconf.blkdevStart;
}

export function mapSchedAndMemory(c: Ctx): void {
  const b = c.m.b_info;
  readSlot(c, 'sched');
  b.sched_params ??= {};
  readSlot(c, 'memory');
  const vcpus = getLong(c.cfg, 'vcpus');
  if (vcpus !== undefined) {
    if (vcpus < 0 || vcpus > MAX_VCPUS) failAt(c, 'vcpus', `\`vcpus\` must be from 0 to ${MAX_VCPUS}`, 'the number of vCPUs the guest starts with');
    c.vcpus = vcpus;
    b.avail_vcpus = Array.from({ length: vcpus }, (_, i) => i);
  }
  const maxvcpus = getLong(c.cfg, 'maxvcpus');
  if (maxvcpus !== undefined) {
    if (maxvcpus < 0 || maxvcpus > MAX_VCPUS) failAt(c, 'maxvcpus', `\`maxvcpus\` must be from 0 to ${MAX_VCPUS}`, 'the most vCPUs the guest can ever have');
    b.max_vcpus = maxvcpus;
  }
  readSlot(c, 'vuart');
}

/** After vnuma: xl's defaults for max_memkb and max_vcpus, then the vCPU affinities. */
export function mapVcpuLimitsAndAffinity(c: Ctx): void {
  const b = c.m.b_info;
  if (b.max_memkb === undefined) b.max_memkb = b.target_memkb;
  if (!b.max_vcpus) b.max_vcpus = c.vcpus;
  if (b.max_vcpus < c.vcpus) {
    const at = setting(c, 'maxvcpus') ? 'maxvcpus' : setting(c, 'vnuma') ? 'vnuma' : 'vcpus';
    failAt(c, at, `maxvcpus (${b.max_vcpus}${at === 'vnuma' ? ', from vnuma' : ''}) is less than vcpus (${c.vcpus})`, 'maxvcpus is the most vCPUs the guest can ever have');
  }
  affinity(c, 'cpus', true);
  affinity(c, 'cpus_soft', false);
}

function affinity(c: Ctx, key: string, hard: boolean): void {
  const s = setting(c, key);
  if (!s) return;
  const b = c.m.b_info;
  const max = b.max_vcpus ?? 0;
  let maps: number[][];
  if (s.value.kind === 'list') {
    const items = listAtoms(c, key, 'a cpu list string')!;
    maps = items.slice(0, max).map((a) => parseCpuList(a.text, c.host, originOf(c, a)));
    b.numa_placement = 'False';
  } else {
    const one = parseCpuList(s.value.text, c.host, originOf(c, s.value));
    maps = Array.from({ length: max }, () => [...one]);
    if (!hard) b.numa_placement = 'False';
  }
  if (hard) b.vcpu_hard_affinity = maps;
  else b.vcpu_soft_affinity = maps;
}

/** xl.conf's vm.cpumask, vm.pv.cpumask and vm.hvm.cpumask, which xl applies after reading the config. */
export function applyGlobalAffinity(c: Ctx): void {
  const b = c.m.b_info;
  const size = Math.ceil(c.host.nr_cpus / 8) * 8;
  const all = Array.from({ length: size }, (_, i) => i);
  const read = (s: string | undefined) => (s === undefined ? all : parseCpuList(s, c.host, { file: c.xlconf.file ?? 'xl.conf', line: 1, col: 1 }));
  const vm = read(c.xlconf.vmCpumask);
  const typeMask = read(c.type === 'pv' ? c.xlconf.vmPvCpumask : c.xlconf.vmHvmCpumask);
  if (!b.vcpu_hard_affinity?.length) {
    if (vm.length === size && typeMask.length === size) return;
    b.vcpu_hard_affinity = Array.from({ length: b.max_vcpus ?? 0 }, () => [...all]);
  }
  b.vcpu_hard_affinity = b.vcpu_hard_affinity.map((m, i) => {
    const r = m.filter((x) => vm.includes(x) && typeMask.includes(x));
    if (r.length === 0) {
      const hint = 'xl.conf vm.cpumask / vm.pv.cpumask / vm.hvm.cpumask leave no CPU for it';
      if (setting(c, 'cpus')) failAt(c, 'cpus', `vcpu ${i}: hard affinity map is empty`, hint);
      throw missingKey(c, `vcpu ${i}: hard affinity map is empty`, hint);
    }
    return r;
  });
}

export function mapLimitsAndActions(c: Ctx): void {
  const b = c.m.b_info;
  const grant = (key: string, conf: number | undefined) => {
    const l = getLong(c.cfg, key, 0, INT_MAX);
    return l ?? (conf === undefined || conf < 0 ? undefined : conf);
  };
  b.max_grant_frames = grant('max_grant_frames', c.xlconf.maxGrantFrames);
  b.max_maptrack_frames = grant('max_maptrack_frames', c.xlconf.maxMaptrackFrames);
  b.max_grant_version = grant('max_grant_version', c.xlconf.maxGrantVersion);
  b.claim_mode = c.xlconf.claimMode ? 'True' : 'False';
  readSlot(c, 'actions');
  if (c.type === 'pv') readSlot(c, 'pv');
}

export function mapMisc(c: Ctx): void {
  const b = c.m.b_info;
  readSlot(c, 'misc.a');
  const tsc = numberOrString(c, 'tsc_mode');
  if (tsc && 'n' in tsc) {
    const name = TSC_MODES[tsc.n];
    warnAt(c, 'tsc_mode', 'specifying "tsc_mode" as an integer is deprecated', name ? `write tsc_mode = "${name}"` : undefined);
    if (!name) failAt(c, 'tsc_mode', `invalid value ${tsc.n} for "tsc_mode"`, `use one of ${choices(TSC_MODES)}`);
    b.tsc_mode = name as typeof b.tsc_mode;
  } else if (tsc) {
    b.tsc_mode = (libxlEnum(tsc.s, TSC_MODES) ?? failAt(c, 'tsc_mode', `invalid value "${tsc.s}" for "tsc_mode"`, `use one of ${choices(TSC_MODES)}`)) as typeof b.tsc_mode;
  }
  readSlot(c, 'misc.b');
  if (getLong(c.cfg, 'vncviewer') !== undefined) warnAt(c, 'vncviewer', 'ignoring "vncviewer" option', 'use the -V option of create to start a vncviewer');
  readSlot(c, 'misc.c');
}

/** altp2m and vmtrace_buf_kb, read after the type-specific keys in xl. */
export function mapAltp2m(c: Ctx): void {
  const modes = ['disabled', 'mixed', 'external', 'limited'] as const;
  const a = numberOrString(c, 'altp2m');
  if (a && 'n' in a) {
    if (a.n < 0 || a.n > 3) failAt(c, 'altp2m', `invalid value ${a.n} for "altp2m"`, `use one of ${choices(modes)}`);
    c.m.b_info.altp2m = modes[a.n];
  } else if (a) {
    c.m.b_info.altp2m = libxlEnum(a.s, modes) ?? failAt(c, 'altp2m', `invalid value "${a.s}" for "altp2m"`, `use one of ${choices(modes)}`);
  }
  const vt = numberOrString(c, 'vmtrace_buf_kb');
  if (vt && 'n' in vt && vt.n) c.m.b_info.vmtrace_buf_kb = toI32(vt.n);
  else if (vt && 's' in vt) failAt(c, 'vmtrace_buf_kb', '`vmtrace_buf_kb` must be a number', 'the trace buffer size in KiB');
}
