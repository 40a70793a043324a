// Creating, finding and describing simulated domains, with libxl's rules: unique names and
// UUIDs, memory that must fit, vCPU affinity within the host, devices attached in order.
import { checkDomainName } from '../validate.js';
import { NotFoundError, OperationError } from '../core/errors.js';
import type { DomainConfig } from '../core/model.js';
import type { DomainInfo, DomainState, DeviceKind } from '../core/backend-types.js';
import { attach, DEVICE_LISTS } from './devices.js';
import { cpuTimeNs, freeKb, logXen, newUuid, pushEvent, type SimDomain } from './state.js';
import type { Tx } from './store.js';

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
export const LIBXL_DEFAULT_MAXMEM_KB = 32 * 1024;

export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

export function normUuid(s: string): string {
  const h = s.replace(/-/g, '').toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A live domain by name, domid or UUID (xl's find_domain, plus UUIDs). */
export function findDomain(tx: Tx, ref: string): SimDomain | undefined {
  const s = ref.trim();
  if (/^\d+$/.test(s)) return tx.st.domains.find((d) => d.domid === Number(s));
  if (isUuid(s)) {
    const u = normUuid(s);
    return tx.st.domains.find((d) => d.uuid === u);
  }
  return tx.st.domains.find((d) => d.name === s);
}

export function byDomid(tx: Tx, domid: number): SimDomain {
  const d = tx.st.domains.find((x) => x.domid === domid);
  if (!d) throw new NotFoundError(`no domain with id ${domid}`);
  return d;
}

export function checkName(tx: Tx, name: string | undefined, self?: SimDomain): string {
  if (!name) throw new OperationError('the domain has no name', "set 'name' in the config");
  checkDomainName(name);
  const other = tx.st.domains.find((d) => d.name === name && d !== self);
  if (other) throw new OperationError(`domain with name "${name}" already exists (domid ${other.domid})`, "pick another 'name', or destroy the existing domain first");
  return name;
}

function shadowDefaultKb(maxKb: number, vcpus: number): number {
  return 4 * (256 * vcpus + 2 * Math.ceil(maxKb / 1024));
}

function videoDefaultKb(cfg: DomainConfig): number {
  if (cfg.c_info.type !== 'hvm') return 0;
  if (cfg.b_info.video_memkb !== undefined && cfg.b_info.video_memkb >= 0) return cfg.b_info.video_memkb;
  const kind = cfg.b_info['type.hvm']?.vga?.kind;
  return kind === 'none' ? 0 : kind === 'stdvga' || kind === 'qxl' ? 16 * 1024 : 8 * 1024;
}

export interface CreateParams {
  paused?: boolean;
  monitor?: boolean;
  /** keep this domid (soft reset) instead of taking the next one */
  domid?: number;
  /** built from a saved image: may share its UUID with its suspended original (a localhost migration) */
  restoring?: boolean;
}

/** Builds the domain, checks it fits, attaches its devices; all inside the transaction. */
export function createDomain(tx: Tx, input: DomainConfig, p: CreateParams = {}): SimDomain {
  const cfg = structuredClone(input);
  cfg.c_info ??= {};
  cfg.b_info ??= {};
  tx.faults.hit('domain-create', `creating domain '${cfg.c_info.name ?? '?'}'`);
  const name = checkName(tx, cfg.c_info.name);
  const uuid = cfg.c_info.uuid ? normUuid(cfg.c_info.uuid) : newUuid();
  if (cfg.c_info.uuid && !isUuid(cfg.c_info.uuid)) throw new OperationError(`'${cfg.c_info.uuid}' is not a UUID`);
  const twin = tx.st.domains.find((d) => d.uuid === uuid && !(p.restoring && d.status === 'shutdown' && d.shutdown_reason === 'suspend'));
  if (twin) throw new OperationError(`domain '${twin.name}' (${twin.domid}) already has UUID ${uuid}`, "remove 'uuid' from the config, or give it a new one");
  cfg.c_info.uuid = uuid;
  cfg.c_info.type ??= 'pv';
  const b = cfg.b_info;

  const maxKb = b.max_memkb ?? b.target_memkb ?? LIBXL_DEFAULT_MAXMEM_KB;
  const targetKb = b.target_memkb ?? maxKb;
  if (targetKb > maxKb) throw new OperationError(`memory (${targetKb / 1024} MiB) is more than maxmem (${maxKb / 1024} MiB)`, "set 'maxmem' to at least 'memory'");
  if (targetKb <= 0) throw new OperationError('the domain must have some memory');
  const vcpus = b.max_vcpus ?? 1;
  const videoKb = videoDefaultKb(cfg);
  const shadowKb = b.shadow_memkb ?? (cfg.c_info.type === 'pv' ? 0 : shadowDefaultKb(maxKb, vcpus));
  const needKb = targetKb + videoKb + shadowKb;
  const free = freeKb(tx.st, tx.host);
  tx.faults.hit('memory-alloc', `allocating ${mib(needKb)} MiB for domain '${name}'`);
  if (needKb > free) {
    throw new OperationError(
      `not enough free memory for domain '${name}': it needs ${mib(needKb)} MiB and the host has ${mib(Math.max(0, free))} MiB free`,
      'lower its memory, or make room (txl mem-set on another domain, or destroy one)',
    );
  }

  const pool = cfg.c_info.pool_name
    ? tx.st.cpupools.find((c) => c.name === cfg.c_info.pool_name)
    : tx.st.cpupools.find((c) => c.poolid === (cfg.c_info.poolid ?? 0));
  if (!pool) throw new OperationError(`cpupool '${cfg.c_info.pool_name ?? cfg.c_info.poolid}' does not exist`, "see 'txl cpupool-list'");
  tx.faults.hit('vcpu-setup', `setting up ${vcpus} vCPUs for domain '${name}'`);
  if (vcpus < 1) throw new OperationError('a domain needs at least one vCPU');
  const online = b.avail_vcpus ? b.avail_vcpus.filter((v) => v < vcpus).length : vcpus;
  const nr = tx.host.nr_cpus;
  const checkMap = (m: number[], what: string) => {
    const bad = m.find((c) => c >= nr || c < 0);
    if (bad !== undefined) throw new OperationError(`${what} names CPU ${bad}, and the host has CPUs 0-${nr - 1}`);
    return m.filter((c) => pool.cpus.includes(c));
  };
  const all = [...pool.cpus];
  const hard = Array.from({ length: vcpus }, (_, i) => checkMap(b.vcpu_hard_affinity?.[i] ?? b.cpumap ?? all, `the affinity of vCPU ${i}`));
  const soft = Array.from({ length: vcpus }, (_, i) => checkMap(b.vcpu_soft_affinity?.[i] ?? all, `the soft affinity of vCPU ${i}`));
  hard.forEach((m, i) => {
    if (!m.length) throw new OperationError(`vCPU ${i} of '${name}' may run on no CPU of cpupool '${pool.name}'`);
  });

  const devLists = Object.fromEntries(DEVICE_LISTS.map(([, key]) => [key, cfg[key]]));
  for (const [, key] of DEVICE_LISTS) delete cfg[key];
  const dom: SimDomain = {
    domid: p.domid ?? tx.st.next_domid,
    name,
    uuid,
    config: cfg,
    status: p.paused ? 'paused' : 'running',
    start_time: tx.now,
    cpu_ns: 0,
    run_since: p.paused ? null : tx.now,
    target_kb: targetKb,
    max_kb: maxKb,
    video_kb: videoKb,
    shadow_kb: shadowKb,
    max_vcpus: vcpus,
    online_vcpus: online,
    hard_affinity: hard,
    soft_affinity: soft,
    sched: { sched: pool.sched, weight: b.sched_params?.weight ?? 256, cap: b.sched_params?.cap ?? 0 },
    cpupool: pool.poolid,
    devices: [],
    monitor: p.monitor !== false,
    pv_control: cfg.c_info.type !== 'hvm' || cfg.b_info['type.hvm']?.xen_platform_pci !== 'False',
    reboots: [],
  };
  for (const [kind, key] of DEVICE_LISTS) {
    for (const dev of (devLists[key] as unknown[] | undefined) ?? []) attach(tx, dom, kind as DeviceKind, dev as never, false);
  }
  tx.faults.hit('console-setup', `setting up the console of domain '${name}'`);
  if (!p.paused) tx.faults.hit('domain-unpause', `unpausing domain '${name}'`);
  if (p.domid === undefined) tx.st.next_domid += 1;
  tx.st.domains.push(dom);
  pushEvent(tx.st, 'create', dom, { detail: p.paused ? 'paused' : undefined }, tx.now);
  logXen(tx.st, `d${dom.domid}: ${cfg.c_info.type?.toUpperCase()} domain '${name}' created with ${vcpus} vCPU(s), ${mib(targetKb)} MiB`);
  return dom;
}

export function mib(kb: number): number {
  return Math.ceil(kb / 1024);
}

/** libxl_retrieve_domain_configuration: the config as it is now, devices with their devids. */
export function liveConfig(d: SimDomain): DomainConfig {
  const cfg = structuredClone(d.config);
  cfg.c_info.name = d.name;
  cfg.c_info.uuid = d.uuid;
  if (d.domid !== 0) cfg.c_info.domid = undefined;
  cfg.b_info.max_memkb = d.max_kb;
  cfg.b_info.target_memkb = d.target_kb;
  cfg.b_info.max_vcpus = d.max_vcpus;
  if (d.online_vcpus !== d.max_vcpus || cfg.b_info.avail_vcpus) cfg.b_info.avail_vcpus = Array.from({ length: d.online_vcpus }, (_, i) => i);
  for (const [kind, key] of DEVICE_LISTS) {
    const list = d.devices.filter((x) => x.kind === kind).map((x) => structuredClone(x.config));
    if (list.length) (cfg as unknown as Record<string, unknown>)[key] = list;
  }
  delete cfg.c_info.domid;
  return cfg;
}

export function domainState(d: SimDomain): DomainState {
  if (d.status === 'dying') return 'dying';
  if (d.status === 'shutdown') return d.shutdown_reason === 'crash' ? 'crashed' : 'shutdown';
  if (d.status === 'paused') return 'paused';
  return d.domid === 0 ? 'running' : 'blocked';
}

export function toDomainInfo(d: SimDomain, now: number): DomainInfo {
  const state = domainState(d);
  const info: DomainInfo = {
    domid: d.domid,
    name: d.name,
    uuid: d.uuid,
    domain_type: d.config.c_info.type ?? 'pv',
    state,
    running: state === 'running',
    blocked: state === 'blocked',
    paused: d.status === 'paused',
    shutdown: d.status === 'shutdown',
    dying: d.status === 'dying',
    never_stop: Boolean(d.never_stop),
    ssidref: 0,
    current_memkb: d.target_kb + d.video_kb,
    outstanding_memkb: 0,
    shared_memkb: 0,
    paged_memkb: 0,
    max_memkb: d.max_kb + d.video_kb,
    cpu_time: cpuTimeNs(d, now),
    vcpu_max_id: d.max_vcpus - 1,
    vcpu_online: d.online_vcpus,
    cpupool: d.cpupool,
    start_time: Math.floor(d.start_time / 1000),
  };
  if (d.status === 'shutdown' && d.shutdown_reason) info.shutdown_reason = d.shutdown_reason;
  if (d.detail) info.state_detail = d.detail;
  return info;
}
