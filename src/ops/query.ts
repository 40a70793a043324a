// domid, domname, domuuid, dominfo, domstate, uptime: one domain's identity and state.
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { Backend, DomainInfo, DomainRef } from '../core/backend-types.js';
import { withBackend } from './connect.js';
import { uptimeText } from './views.js';

export async function domIdentity(ctx: Context, ref: string, what: 'domid' | 'domname' | 'domuuid'): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const r = await be.lookup(ref);
    const value = what === 'domid' ? (r.domid === null ? '-' : String(r.domid)) : what === 'domname' ? r.name : r.uuid;
    return { data: { domid: r.domid, name: r.name, uuid: r.uuid }, text: value + '\n' };
  });
}

/** virsh's state words, and its reason for the state. */
export function virshState(d: DomainInfo | null): { state: string; reason: string } {
  if (!d) return { state: 'shut off', reason: 'unknown' };
  if (d.state_detail && d.shutdown) return { state: d.shutdown_reason === 'crash' ? 'crashed' : 'shut off', reason: d.state_detail };
  switch (d.state) {
    case 'running':
    case 'blocked':
      return { state: 'running', reason: 'booted' };
    case 'paused':
      return { state: 'paused', reason: 'user' };
    case 'crashed':
      return { state: 'crashed', reason: 'panicked' };
    case 'dying':
      return { state: 'in shutdown', reason: 'unknown' };
    case 'shutdown':
      return { state: 'shut off', reason: d.shutdown_reason === 'suspend' ? 'saved' : 'shutdown' };
  }
}

async function infoOf(be: Backend, r: DomainRef): Promise<DomainInfo | null> {
  return r.domid === null ? null : be.domainInfo(r.domid);
}

export async function domState(ctx: Context, ref: string, withReason: boolean): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const r = await be.lookup(ref);
    const d = await infoOf(be, r);
    const s = virshState(d);
    return {
      data: { domid: r.domid, name: r.name, state: s.state, reason: s.reason, shutdown_reason: d?.shutdown_reason ?? null },
      text: (withReason ? `${s.state} (${s.reason})` : s.state) + '\n',
    };
  });
}

function osType(t: string | undefined): string {
  return t === 'hvm' ? 'hvm' : t === 'pvh' ? 'xenpvh' : 'linux';
}

export async function domInfo(ctx: Context, ref: string): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const r = await be.lookup(ref);
    const d = await infoOf(be, r);
    const m = r.managed ? await be.getManaged(r.name) : undefined;
    const cfg = d ? await be.domainConfig(d.domid) : m!.config;
    const s = virshState(d);
    const { displayViews, displayText } = await import('./views.js');
    const displays = d ? await displayViews(be, d.domid, cfg) : [];
    const data = {
      id: r.domid,
      name: r.name,
      uuid: r.uuid,
      os_type: osType(cfg.c_info?.type),
      state: s.state,
      vcpus: d ? d.vcpu_online : cfg.b_info?.avail_vcpus?.length ?? cfg.b_info?.max_vcpus ?? 1,
      cpu_time_s: d ? Number((d.cpu_time / 1e9).toFixed(1)) : null,
      max_memory_kib: d ? d.max_memkb : cfg.b_info?.max_memkb ?? 0,
      used_memory_kib: d ? d.current_memkb : 0,
      persistent: r.managed,
      autostart: Boolean(m?.autostart),
      managed_save: Boolean(m?.managed_save),
      security_model: 'none',
      security_doi: '0',
      displays,
    };
    const rows: [string, string | number][] = [
      ['Id:', r.domid ?? '-'],
      ['Name:', r.name],
      ['UUID:', r.uuid],
      ['OS Type:', data.os_type],
      ['State:', s.state],
      ['CPU(s):', data.vcpus],
      ...(d ? [['CPU time:', `${(data.cpu_time_s ?? 0).toFixed(1)}s`] as [string, string]] : []),
      ['Max memory:', `${data.max_memory_kib} KiB`],
      ['Used memory:', `${data.used_memory_kib} KiB`],
      ['Persistent:', r.managed ? 'yes' : 'no'],
      ['Autostart:', data.autostart ? 'enable' : 'disable'],
      ['Managed save:', data.managed_save ? 'yes' : 'no'],
      ['Security model:', 'none'],
      ['Security DOI:', '0'],
      ...displays.map((x) => ['Display:', displayText(x)] as [string, string]),
    ];
    return { data, text: rows.map(([k, v]) => `${k.padEnd(15)} ${v}`).join('\n') + '\n' };
  });
}

export async function uptime(ctx: Context, refs: string[], short: boolean): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const all = await be.listDomains();
    const chosen = refs.length ? await Promise.all(refs.map(async (r) => be.domainInfo(await be.resolve(r)))) : all;
    const now = Math.floor(Date.now() / 1000);
    const clock = new Date().toTimeString().slice(0, 8);
    const rows = chosen.map((d) => ({ domid: d.domid, name: d.name, uptime_s: Math.max(0, now - d.start_time) }));
    const lines = short
      ? rows.map((r) => ` ${clock} up ${uptimeText(r.uptime_s, true)}, ${r.name} (${r.domid})`)
      : [`${'Name'.padEnd(33)} ${'ID'.padStart(4)} Uptime`, ...rows.map((r) => `${r.name.padEnd(33)} ${String(r.domid).padStart(4)} ${uptimeText(r.uptime_s)}`)];
    return { data: rows, text: lines.join('\n') + '\n' };
  });
}
