// virsh's vcpucount, setvcpus and vcpuinfo over the Backend's vCPU calls: the live counts from
// libxl_dominfo and libxl_list_vcpu, the next boot's from the managed config (max_vcpus and
// avail_vcpus, as `vcpus`/`maxvcpus` of xl.cfg).
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import { OperationError, UsageError } from '../core/errors.js';
import { withBackend } from './connect.js';
import { dryRun, virshText, xlBitmap } from './text.js';
import { affected, checkExclusive, configVcpus, loadDom, NOT_RUNNING, type AffectOpts } from './virsh-affect.js';

export interface VcpucountOpts extends AffectOpts { maximum?: boolean; active?: boolean; guest?: boolean }

const NO_CONFIG = 'Requested operation is not valid: transient domains do not have any persistent config';

function exclusive(o: Record<string, boolean | undefined>, a: string, b: string): void {
  if (o[a] && o[b]) throw new UsageError(`Options --${a} and --${b} are mutually exclusive`);
}

export async function vcpucount(ctx: Context, ref: string, o: VcpucountOpts): Promise<Result> {
  checkExclusive(o);
  const flags = o as Record<string, boolean | undefined>;
  exclusive(flags, 'maximum', 'active');
  exclusive(flags, 'live', 'config');
  exclusive(flags, 'guest', 'config');
  return withBackend(ctx, async (be) => {
    const dom = await loadDom(be, ref);
    const live = dom.live ? { max: dom.live.vcpu_max_id + 1, current: dom.live.vcpu_online } : null;
    const config = dom.config ? configVcpus(dom.config) : null;
    if (!o.maximum && !o.active && !o.live && !o.config && !o.current && !o.guest) {
      // the table: every count the domain has (no live ones when it is off, no config when transient)
      const rows: [string, string, number][] = [];
      if (config) rows.push(['maximum', 'config', config.max]);
      if (live) rows.push(['maximum', 'live', live.max]);
      if (config) rows.push(['current', 'config', config.current]);
      if (live) rows.push(['current', 'live', live.current]);
      const data = {
        name: dom.name,
        maximum: { config: config?.max ?? null, live: live?.max ?? null },
        current: { config: config?.current ?? null, live: live?.current ?? null },
      };
      return {
        data,
        text: virshText(ctx, rows.map(([a, b, n]) => `${a.padEnd(12)} ${b.padEnd(12)} ${String(n).padStart(3)}\n`).join('')),
        table: { head: ['Count', 'State', 'vCPUs'], rows },
      };
    }
    // one number: which count, of which state (the current one unless told)
    const which = o.maximum ? 'maximum' : 'current';
    const state = o.config ? 'config' : o.live || o.guest ? 'live' : dom.live ? 'live' : 'config';
    if (state === 'live' && !live) throw new OperationError(NOT_RUNNING);
    if (state === 'config' && !config) throw new OperationError(NO_CONFIG);
    const src = (state === 'live' ? live : config)!;
    // the guest's own view on Xen is the vCPUs it has online, which Xen's count is
    const count = which === 'maximum' ? src.max : src.current;
    return { data: { name: dom.name, which, state: o.guest ? 'guest' : state, count }, text: virshText(ctx, `${count}\n`) };
  });
}

export async function setvcpus(ctx: Context, ref: string, countWord: string, o: AffectOpts & { maximum?: boolean }): Promise<Result> {
  if (!/^\d+$/.test(countWord.trim()) || Number(countWord) < 1) throw new UsageError('Invalid number of virtual CPUs', 'a whole number, 1 or more');
  const n = Number(countWord);
  return withBackend(ctx, async (be) => {
    const dom = await loadDom(be, ref);
    const to = affected(dom, o);
    if (o.maximum && to.live) throw new OperationError('invalid argument: cannot set maximum vCPUs of a running domain');
    const cfg = dom.config ? structuredClone(dom.config) : null;
    if (to.config && cfg) {
      const c = configVcpus(cfg);
      if (o.maximum) {
        cfg.b_info.max_vcpus = n;
        // the online vCPUs cannot outnumber the new maximum
        cfg.b_info.avail_vcpus = [...Array(Math.min(c.current, n)).keys()];
      } else {
        if (n > c.max) throw new OperationError(`invalid argument: requested vcpus is greater than max allowable vcpus for the persistent domain: ${n} > ${c.max}`);
        cfg.b_info.avail_vcpus = [...Array(n).keys()];
      }
    }
    if (to.live) {
      const max = dom.live!.vcpu_max_id + 1;
      if (n > max) throw new OperationError(`invalid argument: requested vcpus is greater than max allowable vcpus for the live domain: ${n} > ${max}`);
    }
    const where = [to.live ? 'live' : '', to.config ? 'config' : ''].filter(Boolean).join(' and ');
    const data = { name: dom.name, [o.maximum ? 'maximum' : 'current']: n, live: to.live, config: to.config };
    if (ctx.dryRun) return dryRun(ctx, `set the ${o.maximum ? 'maximum' : 'current'} vCPUs of '${dom.name}' to ${n} (${where})`, data);
    if (to.live) await be.setVcpus(dom.live!.domid, n);
    if (to.config && cfg) await be.define(cfg);
    return { data, text: '' };
  });
}

type VcpuRow = { vcpu: number; cpu: number | null; state: string; cpu_time_s: number | null; affinity: string; cpumap: number[] };

export async function vcpuinfo(ctx: Context, ref: string, pretty: boolean): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const dom = await loadDom(be, ref);
    const nr = (await be.hostInfo()).physinfo.max_cpu_id + 1;
    const all = [...Array(nr).keys()];
    const yn = (map: number[]) => all.map((c) => (map.includes(c) ? 'y' : '-')).join('');
    let rows: VcpuRow[];
    if (dom.live) {
      rows = (await be.vcpuList(dom.live.domid)).map((v) => {
        const map = v.cpumap.filter((c) => c < nr);
        return {
          vcpu: v.vcpuid,
          cpu: v.online ? v.cpu : null,
          state: !v.online ? 'offline' : v.running ? 'running' : v.blocked ? 'blocked' : 'running',
          cpu_time_s: v.vcpu_time ? v.vcpu_time / 1e9 : null,
          affinity: yn(map),
          cpumap: map,
        };
      });
    } else if (dom.config) {
      // a stopped domain: its configured vCPUs, nothing measured
      const hard = dom.config.b_info?.cpumap?.filter((c) => c < nr);
      rows = [...Array(configVcpus(dom.config).max).keys()].map((i) => ({ vcpu: i, cpu: null, state: 'N/A', cpu_time_s: null, affinity: yn(hard?.length ? hard : all), cpumap: hard?.length ? hard : all }));
    } else throw new OperationError(NOT_RUNNING);
    const line = (k: string, v: string | number) => `${k.padEnd(15)} ${v}\n`;
    const text = rows.map((r) =>
      line('VCPU:', r.vcpu) + line('CPU:', r.cpu ?? 'N/A') + line('State:', r.state) +
      (r.cpu_time_s !== null ? line('CPU time:', `${r.cpu_time_s.toFixed(1)}s`) : dom.live ? '' : line('CPU time:', 'N/A')) +
      line('CPU Affinity:', pretty ? `${xlBitmap(r.cpumap, nr) === 'all' ? `0-${nr - 1}` : xlBitmap(r.cpumap, nr)} (out of ${nr})` : r.affinity) + '\n').join('');
    return {
      data: rows,
      text,
      table: { head: ['VCPU', 'CPU', 'State', 'CPU time (s)', 'Affinity'], rows: rows.map((r) => [r.vcpu, r.cpu ?? '-', r.state, r.cpu_time_s === null ? '-' : r.cpu_time_s.toFixed(1), r.affinity]) },
    };
  });
}
