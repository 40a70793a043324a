// vcpu-list, vcpu-set, vcpu-pin, sched-credit(2), mem-set, mem-max, cpupool-list: xl's text
// by default (column layouts of xl_vcpu.c, xl_sched.c, xl_cpupool.c), libxl's field names
// for -o json/yaml.
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { Backend, DomainInfo } from '../core/backend-types.js';
import { OperationError, UsageError } from '../core/errors.js';
import { withBackend } from './connect.js';
import { dryRun, fixed, left, right, xlBitmap } from './text.js';

async function domain(be: Backend, ref: string): Promise<DomainInfo> {
  return be.domainInfo(await be.resolve(ref));
}

// ------------------------------------------------------------------ vCPUs

export async function vcpuList(ctx: Context, refs: string[]): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const host = await be.hostInfo();
    const nr = host.physinfo.max_cpu_id + 1;
    const doms = refs.length ? await Promise.all(refs.map((r) => domain(be, r))) : await be.listDomains();
    const data = [];
    for (const d of doms) {
      for (const v of await be.vcpuList(d.domid)) {
        data.push({
          domid: d.domid, name: d.name, ...v,
          state: v.online ? (v.running ? 'running' : v.blocked ? 'blocked' : 'runnable') : 'offline',
          affinity: xlBitmap(v.cpumap, nr), affinity_soft: xlBitmap(v.cpumap_soft, nr),
        });
      }
    }
    const lines = [`${left('Name', 32)} ${right('ID', 5)} ${right('VCPU', 5)} ${right('CPU', 5)} ${right('State', 5)} ${right('Time(s)', 9)} Affinity (Hard / Soft)`];
    for (const v of data) {
      const where = v.online ? `${right(v.cpu, 5)} ${right(v.running ? 'r' : '-', 3)}${v.blocked ? 'b' : '-'}- ` : `${right('-', 5)} ${right('-', 3)}-p `;
      lines.push(`${left(v.name, 32)} ${right(v.domid, 5)} ${right(v.vcpuid, 5)}${where}${right(fixed(v.vcpu_time / 1e9, 1), 9)}  ${v.affinity} / ${v.affinity_soft}`);
    }
    return {
      data,
      text: lines.join('\n') + '\n',
      table: {
        head: ['Name', 'ID', 'VCPU', 'CPU', 'State', 'Time(s)', 'Hard affinity', 'Soft affinity'],
        rows: data.map((v) => [v.name, v.domid, v.vcpuid, v.online ? v.cpu : '-', v.state, fixed(v.vcpu_time / 1e9, 1), v.affinity, v.affinity_soft]),
      },
    };
  });
}

export async function vcpuSet(ctx: Context, ref: string, count: string, opts: { ignoreHost?: boolean }): Promise<Result> {
  if (!/^\s*\d+$/.test(count)) throw new UsageError(`'${count}' is not a number of vCPUs`, 'usage: txl vcpu-set DOMAIN N');
  const n = Number(count);
  if (n < 1) throw new UsageError('the number of vCPUs must be 1 or more');
  return withBackend(ctx, async (be) => {
    const d = await domain(be, ref);
    const cpus = (await be.hostInfo()).physinfo.nr_cpus;
    if (!opts.ignoreHost && n > d.vcpu_online && n > cpus) {
      throw new OperationError(`you are overcommitting: the host has ${cpus} physical CPUs and '${d.name}' would get ${n} vCPUs`, 'use --ignore-host to do it anyway');
    }
    if (ctx.dryRun) return dryRun(ctx, `set ${n} vCPUs online for '${d.name}' (${d.domid})`, { domid: d.domid, vcpus: n });
    await be.setVcpus(d.domid, n);
    return { data: { domid: d.domid, name: d.name, vcpu_online: n, vcpu_max: d.vcpu_max_id + 1 }, text: '' };
  });
}

export interface PinOpts { force?: boolean; ignoreGlobalAffinityMasks?: boolean }

export async function vcpuPin(ctx: Context, ref: string, vcpu: string, hardWord: string, softWord: string | undefined, opts: PinOpts = {}): Promise<Result> {
  const { parseVcpuWord, planPin } = await import('./affinity.js');
  parseVcpuWord(vcpu); // a bad word is refused before connecting
  return withBackend(ctx, async (be) => {
    const d = await domain(be, ref);
    const host = await be.hostInfo();
    const maxCpus = host.physinfo.max_cpu_id + 1;
    const pool = (await be.listCpupools()).find((p) => p.poolid === d.cpupool);
    let masks: (string | undefined)[] = [];
    if (!opts.ignoreGlobalAffinityMasks) {
      const { loadXlConf } = await import('../formats.js');
      const conf = await loadXlConf(ctx.env);
      masks = [conf.vmCpumask, d.domain_type === 'pv' ? conf.vmPvCpumask : conf.vmHvmCpumask];
    }
    const plan = planPin(
      { vcpu, hard: hardWord, soft: softWord, force: opts.force, masks, domain: d.name },
      { maxCpus, nodes: host.numa.map((n) => n.cpus), poolCpus: pool?.cpumap ?? [...Array(maxCpus).keys()], poolName: pool?.pool_name ?? 'Pool-0' },
    );
    const { hard, soft } = plan.parsed;
    // the host's CPUs only: a bitmap's padding bits (all of them set by 'all') are no CPUs
    const onHost = (m?: number[]) => m?.filter((c) => c < maxCpus) ?? null;
    const data = { domid: d.domid, name: d.name, vcpu: plan.vcpu, cpumap: onHost(plan.hard), cpumap_soft: onHost(plan.soft) };
    if (ctx.dryRun) {
      // xl -N vcpu-pin prints the maps as parsed, before xl.conf's masks
      return { data: { dry_run: true, ...data }, text: `cpumap: ${hard ? xlBitmap(hard, maxCpus) : '-'}${soft ? ' ' + xlBitmap(soft, maxCpus) : ''}\n` };
    }
    plan.warnings.forEach((w) => ctx.warn(w));
    await be.pinVcpu(d.domid, plan.vcpu, plan.hard, plan.soft, { force: opts.force });
    return { data, text: '' };
  });
}

// ------------------------------------------------------------------ memory

/**
 * xl's memory sizes (parse_mem_size_kb): a number with an optional k, m, g, t or b suffix,
 * a plain number meaning MiB. Returns KiB.
 */
export function parseMemSize(s: string): number {
  const m = /^\s*\+?(\d+)([kmgtb]?)$/i.exec(s);
  if (!m) throw new UsageError(`invalid memory size: '${s}'`, 'e.g. 512m, 2g or 1048576k (a plain number is MiB)');
  const n = BigInt(m[1]);
  const shift: Record<string, bigint> = { t: 30n, g: 20n, m: 10n, '': 10n, k: 0n };
  const unit = m[2].toLowerCase();
  const kb = unit === 'b' ? n >> 10n : n << shift[unit]!;
  if (kb <= 0n) throw new UsageError(`invalid memory size: '${s}' (it must be at least 1k)`);
  if (kb > BigInt(Number.MAX_SAFE_INTEGER)) throw new UsageError(`invalid memory size: '${s}' is too large`);
  return Number(kb);
}

export async function memSet(ctx: Context, ref: string, size: string, max: boolean): Promise<Result> {
  const kb = parseMemSize(size);
  return withBackend(ctx, async (be) => {
    const d = await domain(be, ref);
    const what = max ? 'maximum memory' : 'memory target';
    if (ctx.dryRun) return dryRun(ctx, `set the ${what} of '${d.name}' (${d.domid}) to ${kb} KiB`, { domid: d.domid, memkb: kb });
    if (max) await be.setMaxMemory(d.domid, kb);
    else await be.setMemoryTarget(d.domid, kb);
    const now = await be.domainInfo(d.domid);
    return { data: { domid: d.domid, name: d.name, [max ? 'max_memkb' : 'target_memkb']: kb, current_memkb: now.current_memkb, max_memkb: now.max_memkb }, text: '' };
  });
}

// ------------------------------------------------------------------ scheduler

export interface SchedOpts { domain?: string; weight?: string; cap?: string; cpupool?: string; schedparam?: boolean; ratelimitUs?: string; tsliceMs?: string }

/** Xen's defaults for the pool-wide parameters; the simulator does not let them change. */
const POOL_DEFAULTS = { tslice_ms: 30, ratelimit_us: 1000, vcpu_migr_delay_us: 0 };

function intOpt(v: string | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v.trim())) throw new UsageError(`${what} must be a whole number, not '${v}'`);
  return Number(v);
}

export async function schedCredit(ctx: Context, sched: 'credit' | 'credit2', o: SchedOpts): Promise<Result> {
  const weight = intOpt(o.weight, 'the weight');
  const cap = intOpt(o.cap, 'the cap');
  const setting = weight !== undefined || cap !== undefined;
  if ((o.cpupool || o.schedparam) && (o.domain || setting)) throw new UsageError('a cpupool or -s cannot be combined with domain options');
  if (!o.domain && setting) throw new UsageError('Must specify a domain.', `e.g. txl sched-${sched} -d guest -w 512`);
  if ((o.ratelimitUs !== undefined || o.tsliceMs !== undefined) && !o.schedparam) throw new UsageError('Must specify schedparam (-s) to set scheduler parameter values.');
  const poolLine = (name: string) =>
    sched === 'credit'
      ? `Cpupool ${name}: tslice=${POOL_DEFAULTS.tslice_ms}ms ratelimit=${POOL_DEFAULTS.ratelimit_us}us migration-delay=${POOL_DEFAULTS.vcpu_migr_delay_us}us`
      : `Cpupool ${name}: ratelimit=${POOL_DEFAULTS.ratelimit_us}us`;
  const head = `${left('Name', 33)} ${right('ID', 4)} ${right('Weight', 6)} ${right('Cap', 4)}`;
  return withBackend(ctx, async (be) => {
    const pools = await be.listCpupools();
    if (o.schedparam) {
      const pool = o.cpupool ? pools.find((p) => p.pool_name === o.cpupool || String(p.poolid) === o.cpupool) : pools.find((p) => p.poolid === 0);
      if (!pool) throw new OperationError(`unknown cpupool '${o.cpupool}'`, "see 'txl cpupool-list'");
      if (o.ratelimitUs !== undefined || o.tsliceMs !== undefined) {
        throw new OperationError(`changing the ${sched} parameters of a cpupool is not supported on ${be.uri}`);
      }
      return { data: { poolid: pool.poolid, pool_name: pool.pool_name, sched: pool.sched, ...POOL_DEFAULTS }, text: poolLine(pool.pool_name) + '\n' };
    }
    const line = async (d: DomainInfo) => {
      const p = await be.schedGet(d.domid);
      if (p.sched && p.sched !== sched) throw new OperationError(`domain '${d.name}' runs under the ${p.sched} scheduler, not ${sched}`, `use 'txl sched-${p.sched}'`);
      return { domid: d.domid, name: d.name, cpupool: d.cpupool, weight: p.weight ?? 256, cap: p.cap ?? 0 };
    };
    const fmt = (r: { name: string; domid: number; weight: number; cap: number }) => `${left(r.name, 33)} ${right(r.domid, 4)} ${right(r.weight, 6)} ${right(r.cap, 4)}`;
    if (o.domain) {
      const d = await domain(be, o.domain);
      if (setting) {
        if (ctx.dryRun) return dryRun(ctx, `set the ${sched} parameters of '${d.name}' (${d.domid})`, { domid: d.domid, weight, cap });
        await be.schedSet(d.domid, { sched, ...(weight !== undefined ? { weight } : {}), ...(cap !== undefined ? { cap } : {}) });
        return { data: await line(d), text: '' };
      }
      const r = await line(d);
      return { data: r, text: `${head}\n${fmt(r)}\n`, table: { head: ['Name', 'ID', 'Weight', 'Cap'], rows: [[r.name, r.domid, r.weight, r.cap]] } };
    }
    if (o.cpupool && !pools.some((p) => p.pool_name === o.cpupool || String(p.poolid) === o.cpupool)) throw new OperationError(`unknown cpupool '${o.cpupool}'`, "see 'txl cpupool-list'");
    const doms = await be.listDomains();
    const out: string[] = [];
    const data = [];
    for (const p of pools) {
      if (p.sched !== sched || (o.cpupool && p.pool_name !== o.cpupool && String(p.poolid) !== o.cpupool)) continue;
      out.push(poolLine(p.pool_name), head);
      for (const d of doms.filter((x) => x.cpupool === p.poolid)) {
        const r = await line(d);
        data.push({ ...r, pool_name: p.pool_name });
        out.push(fmt(r));
      }
    }
    return {
      data,
      text: out.length ? out.join('\n') + '\n' : '',
      table: { head: ['Cpupool', 'Name', 'ID', 'Weight', 'Cap'], rows: data.map((r) => [r.pool_name, r.name, r.domid, r.weight, r.cap]) },
    };
  });
}

// ------------------------------------------------------------------ cpupools

export async function cpupoolList(ctx: Context, pool: string | undefined, cpus: boolean): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const all = await be.listCpupools();
    const chosen = pool ? all.filter((p) => p.pool_name === pool) : all;
    if (pool && !chosen.length) throw new OperationError(`Pool '${pool}' does not exist`, "see 'txl cpupool-list'");
    const lines = [left('Name', 19) + (cpus ? 'CPU list' : 'CPUs   Sched     Active   Domain count')];
    for (const p of chosen) {
      lines.push(left(p.pool_name, 19) + (cpus ? [...p.cpumap].sort((a, b) => a - b).join(',') : `${right(p.cpumap.length, 3)} ${right(p.sched, 9)}       y       ${right(p.n_dom, 4)}`));
    }
    const data = chosen.map((p) => ({ ...p, n_cpus: p.cpumap.length }));
    return {
      data,
      text: lines.join('\n') + '\n',
      table: { head: ['Name', 'CPUs', 'Sched', 'Domains', 'CPU list'], rows: data.map((p) => [p.pool_name, p.n_cpus, p.sched, p.n_dom, xlBitmap(p.cpumap, Infinity)]) },
    };
  });
}
