// virsh's schedinfo: the scheduler a domain runs under and its parameters (weight and cap for
// credit and credit2), read and set live through schedGet/schedSet and in the managed config
// through its sched_params.
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { Backend } from '../core/backend-types.js';
import type { SchedParams } from '../core/model.js';
import { OperationError, UsageError } from '../core/errors.js';
import { withBackend } from './connect.js';
import { dryRun, virshText } from './text.js';
import { affected, checkExclusive, loadDom, NOT_RUNNING, type AffectOpts, type Dom } from './virsh-affect.js';

export interface SchedinfoOpts extends AffectOpts { set?: string[]; weight?: string; cap?: string }

const PARAMS: Record<string, readonly string[]> = { credit: ['weight', 'cap'], credit2: ['weight', 'cap'], rtds: ['period', 'budget'] };
const DEFAULTS: Record<string, number> = { weight: 256, cap: 0 };

/** weight= and cap= from --set, --weight and --cap, checked before connecting. */
function wanted(o: SchedinfoOpts): Record<string, number> {
  const words = [...(o.set ?? [])];
  if (o.weight !== undefined) words.push(`weight=${o.weight}`);
  if (o.cap !== undefined) words.push(`cap=${o.cap}`);
  const out: Record<string, number> = {};
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq < 1) throw new UsageError(`Invalid syntax for --set, expecting name=value`, `e.g. --set weight=512`);
    const name = w.slice(0, eq);
    const value = w.slice(eq + 1).trim();
    if (name !== 'weight' && name !== 'cap') throw new UsageError(`invalid scheduler option: ${name}`, 'credit and credit2 take weight and cap');
    if (!/^\d+$/.test(value)) throw new UsageError(`invalid value '${value}' for scheduler parameter '${name}'`, 'a whole number');
    const n = Number(value);
    if (name === 'weight' && (n < 1 || n > 65535)) throw new OperationError(`invalid argument: weight ${n} is out of range (1-65535)`);
    out[name] = n;
  }
  return out;
}

async function schedulerOf(be: Backend, dom: Dom, live: boolean): Promise<{ sched: string; params: SchedParams }> {
  if (live) {
    const p = await be.schedGet(dom.live!.domid);
    const pool = (await be.listCpupools()).find((x) => x.poolid === dom.live!.cpupool);
    return { sched: p.sched ?? pool?.sched ?? (await be.hostInfo()).scheduler, params: p };
  }
  const poolName = dom.config!.c_info?.pool_name;
  const pool = poolName ? (await be.listCpupools()).find((x) => x.pool_name === poolName) : undefined;
  return { sched: pool?.sched ?? (await be.hostInfo()).scheduler, params: dom.config!.b_info?.sched_params ?? {} };
}

function view(ctx: Context, name: string, sched: string, params: SchedParams): Result {
  const keys = PARAMS[sched] ?? [];
  const values = Object.fromEntries(keys.map((k) => [k, (params as Record<string, number | undefined>)[k] ?? DEFAULTS[k] ?? 0]));
  const rows: [string, string | number][] = [['Scheduler', sched], ...Object.entries(values)];
  return {
    data: { name, scheduler: sched, ...values },
    text: virshText(ctx, rows.map(([k, v]) => `${k.padEnd(15)}: ${v}\n`).join('')),
    table: { head: ['Parameter', 'Value'], rows },
  };
}

export async function schedinfo(ctx: Context, ref: string, o: SchedinfoOpts): Promise<Result> {
  checkExclusive(o);
  const set = wanted(o);
  const setting = Object.keys(set).length > 0;
  return withBackend(ctx, async (be) => {
    const dom = await loadDom(be, ref);
    if (!setting) {
      // read one state: the one asked for, else the current one
      const live = o.live || (!o.config && dom.live !== null);
      if (live && !dom.live) throw new OperationError(NOT_RUNNING);
      if (!live && !dom.config) throw new OperationError('Requested operation is not valid: transient domains do not have any persistent config');
      const s = await schedulerOf(be, dom, live);
      return view(ctx, dom.name, s.sched, s.params);
    }
    const to = affected(dom, o);
    const s = await schedulerOf(be, dom, to.live);
    if (s.sched !== 'credit' && s.sched !== 'credit2') {
      throw new OperationError(`the ${s.sched} scheduler has no weight or cap`);
    }
    if (to.live && set.cap !== undefined && set.cap > 100 * (dom.live!.vcpu_max_id + 1)) {
      throw new OperationError(`invalid argument: cap ${set.cap} is out of range (0-${100 * (dom.live!.vcpu_max_id + 1)}, 0 = no cap)`);
    }
    if (ctx.dryRun) return dryRun(ctx, `set the ${s.sched} parameters of '${dom.name}'`, { name: dom.name, ...set, live: to.live, config: to.config });
    if (to.live) await be.schedSet(dom.live!.domid, { sched: s.sched, ...set });
    if (to.config) {
      const cfg = structuredClone(dom.config!);
      cfg.b_info.sched_params = { ...cfg.b_info.sched_params, ...set };
      await be.define(cfg);
    }
    // virsh shows the parameters as they now are
    const now = to.live ? await schedulerOf(be, dom, true) : { sched: s.sched, params: { ...s.params, ...set } };
    return view(ctx, dom.name, now.sched, now.params);
  });
}
