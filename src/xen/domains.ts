// Domains on libxl: listing (one libxl_list_domain), naming, the live config, and the
// lifecycle calls that need no config (destroy, shutdown, reboot, pause, rename).
import { LibxlCallError, type Libxl } from '../../bindings/context.js';
import { CONSTANTS } from '../../bindings/layout.js';
import { ConfigError, NotFoundError, OperationError } from '../core/errors.js';
import type { DomainConfig } from '../core/model.js';
import type { DomainInfo, DomainState, ShutdownOptions, ShutdownReason } from '../core/backend-types.js';
import { libxlJsonToModel } from '../../parsers/libxl-json.js';
import { ERROR_NOPARAVIRT, guard, opError } from './errors.js';
import { checkDomainName } from '../validate.js';

type Obj = Record<string, unknown>;
const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const bool = (v: unknown) => v === true;

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID_RE.test(s);
export function normUuid(s: string): string {
  const h = s.replace(/-/g, '').toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** libxl_dominfo's JSON (defaults left out) as txl's DomainInfo. */
export function toDomainInfo(o: Obj, name: string, startTime: number): DomainInfo {
  const reason = typeof o.shutdown_reason === 'string' ? (o.shutdown_reason as ShutdownReason | 'unknown') : 'poweroff';
  const shutdown = bool(o.shutdown);
  const state: DomainState = bool(o.dying) ? 'dying'
    : shutdown ? (reason === 'crash' ? 'crashed' : 'shutdown')
    : bool(o.paused) ? 'paused'
    : bool(o.running) ? 'running'
    : 'blocked';
  const info: DomainInfo = {
    domid: num(o.domid),
    name,
    uuid: typeof o.uuid === 'string' ? o.uuid : '00000000-0000-0000-0000-000000000000',
    domain_type: (typeof o.domain_type === 'string' ? o.domain_type : 'invalid') as DomainInfo['domain_type'],
    state,
    running: bool(o.running),
    blocked: bool(o.blocked),
    paused: bool(o.paused),
    shutdown,
    dying: bool(o.dying),
    never_stop: bool(o.never_stop),
    ssidref: num(o.ssidref),
    current_memkb: num(o.current_memkb),
    outstanding_memkb: num(o.outstanding_memkb),
    shared_memkb: num(o.shared_memkb),
    paged_memkb: num(o.paged_memkb),
    max_memkb: num(o.max_memkb),
    cpu_time: num(o.cpu_time),
    vcpu_max_id: num(o.vcpu_max_id),
    vcpu_online: num(o.vcpu_online),
    cpupool: num(o.cpupool),
    start_time: startTime,
  };
  if (typeof o.ssid_label === 'string') info.ssid_label = o.ssid_label;
  if (shutdown && reason !== 'unknown') info.shutdown_reason = reason;
  return info;
}

function describe(lx: Libxl, o: Obj): DomainInfo {
  const domid = num(o.domid);
  const name = (lx.fn.libxl_domid_to_name(lx.ctx, domid) as string | null) ?? (domid === 0 ? 'Domain-0' : `(domid ${domid})`);
  const start = domid === 0 ? 0 : (lx.fn.libxl_vm_get_start_time(lx.ctx, domid) as number);
  return toDomainInfo(o, name, start);
}

export function listDomains(lx: Libxl): DomainInfo[] {
  const n: number[] = [0];
  const mark = lx.log.mark();
  const ptr = lx.fn.libxl_list_domain(lx.ctx, n) as bigint | null;
  // NULL is both "error" and "no domains" (never the case on a host: dom0 is always there)
  if (!ptr) {
    const log = lx.log.since(mark);
    if (log.some((l) => l.level === 'error')) throw opError(new LibxlCallError('libxl_list_domain', CONSTANTS.ERROR_FAIL, log), 'listing domains');
    return [];
  }
  try {
    return lx.json.list<Obj>('dominfo', ptr, n[0]).map((o) => describe(lx, o)).sort((a, b) => a.domid - b.domid);
  } finally {
    lx.fn.libxl_dominfo_list_free(ptr, n[0]);
  }
}

export async function domainInfo(lx: Libxl, domid: number): Promise<DomainInfo> {
  return guard(`reading the state of domain ${domid}`, domid, () =>
    lx.json.with('dominfo', undefined, (obj) => {
      lx.call('libxl_domain_info', lx.ctx, obj.ptr, domid);
      return describe(lx, lx.json.toObject<Obj>('dominfo', obj.ptr));
    }));
}

/** The domid of a live domain given by domid, name or UUID (xl's find_domain, plus UUIDs). */
export function resolve(lx: Libxl, ref: string): number {
  const s = ref.trim();
  if (/^\d+$/.test(s)) {
    const domid = Number(s);
    try {
      lx.call('libxl_domain_info', lx.ctx, null, domid);
    } catch {
      throw new NotFoundError(`no domain with id ${domid}`);
    }
    return domid;
  }
  if (isUuid(s)) {
    const u = normUuid(s);
    const d = listDomains(lx).find((x) => x.uuid === u);
    if (!d) throw new NotFoundError(`no domain with UUID ${u}`);
    return d.domid;
  }
  const out: number[] = [0];
  const rc = lx.fn.libxl_name_to_domid(lx.ctx, s, out) as number;
  if (rc !== 0) throw new NotFoundError(`no domain '${s}'`, "'txl list' shows the running domains");
  return out[0];
}

export async function domainConfig(lx: Libxl, domid: number): Promise<DomainConfig> {
  const json = await guard(`reading the configuration of domain ${domid}`, domid, () =>
    lx.json.with('domain_config', undefined, async (obj) => {
      await lx.callAsync('libxl_retrieve_domain_configuration', '', lx.ctx, domid, obj.ptr, null);
      return lx.json.toJson('domain_config', obj.ptr);
    }));
  try {
    return libxlJsonToModel(json, `domain ${domid}`);
  } catch (e) {
    if (e instanceof ConfigError) throw new OperationError(`libxl gave a configuration for domain ${domid} that txl cannot read: ${e.message}`);
    throw e;
  }
}

export async function destroy(lx: Libxl, domid: number): Promise<void> {
  if (domid === 0) throw new OperationError('cannot destroy Domain-0');
  await guard(`destroying domain ${domid}`, domid, () => lx.callAsync('libxl_domain_destroy', '', lx.ctx, domid, null));
}

async function request(lx: Libxl, domid: number, kind: 'shutdown' | 'reboot', opts: ShutdownOptions): Promise<void> {
  if (domid === 0) throw new OperationError(`cannot ${kind} Domain-0 from txl`, `${kind} the host instead`);
  const fn = kind === 'shutdown' ? 'libxl_domain_shutdown' : 'libxl_domain_reboot';
  try {
    await lx.callAsync(fn, '', lx.ctx, domid, null);
  } catch (e) {
    const noPv = (e as { rc?: number }).rc === ERROR_NOPARAVIRT;
    if (!noPv) throw opError(e, `${kind === 'shutdown' ? 'shutting down' : 'rebooting'} domain ${domid}`, domid);
    if (!opts.fallbackAcpi) {
      throw new OperationError(
        `domain ${domid} has no PV drivers: it cannot be asked to ${kind}`,
        `add -F to send an ACPI ${kind === 'shutdown' ? 'power button' : 'reset'} event instead`,
      );
    }
    // an HVM guest without PV drivers: press its (virtual) power button, or reset it
    const trigger = kind === 'shutdown' ? CONSTANTS.LIBXL_TRIGGER_POWER : CONSTANTS.LIBXL_TRIGGER_RESET;
    await guard(`sending an ACPI event to domain ${domid}`, domid, () => lx.callAsync('libxl_send_trigger', '', lx.ctx, domid, trigger, 0, null));
  }
}

export const shutdown = (lx: Libxl, domid: number, opts: ShutdownOptions = {}) => request(lx, domid, 'shutdown', opts);
export const reboot = (lx: Libxl, domid: number, opts: ShutdownOptions = {}) => request(lx, domid, 'reboot', opts);

export async function pause(lx: Libxl, domid: number): Promise<void> {
  if (domid === 0) throw new OperationError('cannot pause Domain-0');
  await guard(`pausing domain ${domid}`, domid, () => lx.callAsync('libxl_domain_pause', '', lx.ctx, domid, null));
}

export async function unpause(lx: Libxl, domid: number): Promise<void> {
  await guard(`unpausing domain ${domid}`, domid, () => lx.callAsync('libxl_domain_unpause', '', lx.ctx, domid, null));
}

export async function rename(lx: Libxl, domid: number, newName: string): Promise<void> {
  if (domid === 0) throw new OperationError('cannot rename Domain-0');
  checkDomainName(newName);
  await guard(`renaming domain ${domid}`, domid, () => lx.call('libxl_domain_rename', lx.ctx, domid, null, newName));
}
