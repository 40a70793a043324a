// What the simulator keeps in its state file: the shape libxl and the hypervisor keep, no more.
import { newUuid } from '../require.js';
import type { Bitmap, DomainConfig, SchedParams } from '../core/model.js';
import type { DeviceKind, DeviceTypes, DomainEvent, ShutdownReason, XenbusState, EventType, GuestAction, SaveMarker } from '../core/backend-types.js';
import type { HostSpec } from './host.js';

export const STATE_VERSION = 1;
export const DOM0_UUID = '00000000-0000-0000-0000-000000000000';
const MAX_EVENTS = 500;
const MAX_DMESG = 400;

export interface SimDevice<K extends DeviceKind = DeviceKind> {
  kind: K;
  devid: number;
  backend_state: XenbusState;
  frontend_state: XenbusState;
  evtch: number;
  rref: number[];
  config: DeviceTypes[K];
  /** a NIC whose backend vif was set down (domif-setlink); absent = up */
  link_down?: boolean;
}

export interface SimDomain {
  domid: number;
  name: string;
  uuid: string;
  /** the config as created, without the device lists (those live in `devices`) */
  config: DomainConfig;
  status: 'running' | 'paused' | 'shutdown' | 'dying';
  /** why it shut down, when status is 'shutdown' */
  shutdown_reason?: ShutdownReason;
  detail?: string;
  /** ms since the epoch */
  start_time: number;
  /** accumulated CPU time in ns, and since when it has been accruing (null when not running) */
  cpu_ns: number;
  run_since: number | null;
  target_kb: number;
  max_kb: number;
  video_kb: number;
  shadow_kb: number;
  max_vcpus: number;
  online_vcpus: number;
  hard_affinity: Bitmap[];
  soft_affinity: Bitmap[];
  sched: SchedParams;
  cpupool: number;
  devices: SimDevice[];
  /** on_* actions are applied (false after `create -e`) */
  monitor: boolean;
  /** has a PV control interface (PV, PVH, and HVM with the platform device) */
  pv_control: boolean;
  never_stop?: boolean;
  /** ms timestamps of recent guest-initiated reboots, for loop suppression */
  reboots: number[];
  /** a guest action asked for and not yet done (shutdown_delay) */
  pending?: { action: GuestAction; due: number };
  /**
   * suspended by a save that is not finished: the saver, where its image goes, and when it
   * was suspended (the image's saved_at: an older image of this domain at that name is not it)
   */
  saving?: SaveMarker & { pid: number; started?: string; at?: number };
}

export interface SimCpupool { poolid: number; name: string; sched: string; cpus: number[] }

export interface SimState {
  version: number;
  /** ms since the epoch: the host's boot */
  boot_time: number;
  next_domid: number;
  next_evtch: number;
  next_gref: number;
  domains: SimDomain[];
  cpupools: SimCpupool[];
  event_seq: number;
  events: DomainEvent[];
  dmesg: string[];
  /** the built-in host (test:///default); a host file is re-read instead */
  host?: HostSpec;
}

export function initialState(host: HostSpec, now = Date.now()): SimState {
  const cpus = Array.from({ length: host.nr_cpus }, (_, i) => i);
  const st: SimState = {
    version: STATE_VERSION,
    boot_time: now,
    next_domid: 1,
    next_evtch: 10,
    next_gref: 8,
    domains: [],
    cpupools: [{ poolid: 0, name: 'Pool-0', sched: host.scheduler, cpus }],
    event_seq: 0,
    events: [],
    dmesg: [],
  };
  const dom0Kb = host.dom0.memory_mib * 1024;
  st.domains.push({
    domid: 0,
    name: 'Domain-0',
    uuid: DOM0_UUID,
    config: { c_info: { type: 'pv', name: 'Domain-0', uuid: DOM0_UUID }, b_info: { max_vcpus: host.dom0.vcpus, max_memkb: dom0Kb, target_memkb: dom0Kb } },
    status: 'running',
    start_time: now,
    cpu_ns: 0,
    run_since: now,
    target_kb: dom0Kb,
    max_kb: dom0Kb,
    video_kb: 0,
    shadow_kb: 0,
    max_vcpus: host.dom0.vcpus,
    online_vcpus: host.dom0.vcpus,
    hard_affinity: Array.from({ length: host.dom0.vcpus }, () => [...cpus]),
    soft_affinity: Array.from({ length: host.dom0.vcpus }, () => [...cpus]),
    sched: { sched: host.scheduler, weight: 256, cap: 0 },
    cpupool: 0,
    devices: [],
    monitor: false,
    pv_control: true,
    never_stop: true,
    reboots: [],
  });
  const [maj, min, extra] = splitVersion(host.xen_version);
  const lines = [
    ` Xen ${maj}.${min}${extra}`,
    `(XEN) Xen version ${maj}.${min}${extra} (txl-sim@txl.invalid) (gcc (Debian 12.2.0-14) 12.2.0) debug=n`,
    `(XEN) Command line: placeholder dom0_mem=${host.dom0.memory_mib}M,max:${host.dom0.memory_mib}M dom0_max_vcpus=${host.dom0.vcpus}`,
    `(XEN) Xen-e820 RAM map:`,
    `(XEN)  [0000000000000000, ${(host.memory_mib * 1024 * 1024).toString(16).padStart(16, '0')}] (usable)`,
    `(XEN) System RAM: ${host.memory_mib}MB (${host.memory_mib * 1024}kB)`,
    `(XEN) NUMA: ${host.nodes.length} node(s)`,
    `(XEN) Using scheduler: SMP ${schedulerLongName(host.scheduler)} (${host.scheduler})`,
    `(XEN) Brought up ${host.nr_cpus} CPUs`,
    `(XEN) *** Building a PV Dom0 ***`,
    `(XEN) Dom0 has maximum ${host.dom0.vcpus} VCPUs`,
    `(XEN) Scrubbing Free RAM in background`,
    `(XEN) Freed 2048kB init memory`,
  ];
  st.dmesg.push(...lines);
  return st;
}

export function splitVersion(v: string): [number, number, string] {
  const m = /^(\d+)\.(\d+)(.*)$/.exec(v) ?? ['', '4', '17', ''];
  return [Number(m[1]), Number(m[2]), m[3]];
}

export function schedulerLongName(s: string): string {
  return ({ credit: 'Credit Scheduler', credit2: 'Credit2 Scheduler', rtds: 'RTDS Scheduler', arinc653: 'ARINC 653 Scheduler', null: 'null Scheduler' } as Record<string, string>)[s] ?? s;
}

// only a create or a vTPM needs a new uuid: read-only commands never load node:crypto
export { newUuid };

export function pushEvent(st: SimState, type: EventType, dom: { domid: number | null; name: string; uuid?: string }, extra: { reason?: ShutdownReason; detail?: string } = {}, now = Date.now()): void {
  st.event_seq += 1;
  st.events.push({ seq: st.event_seq, time: now, type, domid: dom.domid, name: dom.name, uuid: dom.uuid, ...extra });
  if (st.events.length > MAX_EVENTS) st.events.splice(0, st.events.length - MAX_EVENTS);
}

export function logXen(st: SimState, line: string): void {
  st.dmesg.push(`(XEN) ${line}`);
  if (st.dmesg.length > MAX_DMESG) st.dmesg.splice(1, st.dmesg.length - MAX_DMESG);
}

/** Memory the hypervisor has handed out, in KiB. */
export function usedKb(st: SimState): number {
  return st.domains.reduce((s, d) => s + d.target_kb + d.video_kb + d.shadow_kb, 0);
}

export function freeKb(st: SimState, host: HostSpec): number {
  return host.memory_mib * 1024 - usedKb(st);
}

/** Brings accumulated CPU time up to `now` (called before a domain stops or starts running). */
export function accrue(d: SimDomain, now: number): void {
  if (d.run_since !== null) {
    d.cpu_ns += cpuNsBetween(d, d.run_since, now);
    d.run_since = now;
  }
}

/** An idle guest uses a little CPU: 1% of each online vCPU (Domain-0 5%). */
export function cpuNsBetween(d: SimDomain, from: number, to: number): number {
  const share = d.domid === 0 ? 0.05 : 0.01;
  return Math.max(0, Math.round((to - from) * 1e6 * share * d.online_vcpus));
}

export function cpuTimeNs(d: SimDomain, now: number): number {
  return d.cpu_ns + (d.run_since !== null ? cpuNsBetween(d, d.run_since, now) : 0);
}
