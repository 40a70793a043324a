// host-start and host-stop: what the boot unit (examples/systemd/txl.service) runs when the
// host comes up and goes down, and what a host without systemd runs from its own scripts.
// host-start restores every managed save, then boots the autostart domains that are down;
// host-stop saves (or shuts down) every running managed domain. Both run up to -j domains at
// once, say one line per domain, are idempotent, and fail (exit 1) when any domain failed
// without stopping the others. Domains Debian's xendomains owns are left to it.
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { Backend, DomainInfo, ManagedDomain } from '../core/backend-types.js';
import { TxlError, UsageError } from '../core/errors.js';
import { installInterruptHandler, InterruptedError } from '../interrupt.js';
import { withBackend } from './connect.js';
import { managedSaveOn, restoreManagedSave } from './managedsave.js';
import { xendomainsOwned } from './xendomains.js';

export interface HostStartOptions {
  jobs?: number;
}

export interface HostStopOptions {
  jobs?: number;
  mode?: 'save' | 'shutdown';
  timeout?: number;
}

type Action = 'restored' | 'started' | 'running' | 'skipped' | 'saved' | 'shutdown' | 'destroyed' | 'failed' | 'dry-run';

interface Outcome {
  name: string;
  action: Action;
  domid?: number | null;
  file?: string;
  /** why it was skipped, or what the dry run would do */
  note?: string;
  /** what failed (a domain may still have been shut down after its save failed) */
  error?: string;
  hint?: string;
}

const DEFAULT_TIMEOUT_S = 300; // xendomains' XENDOMAINS_STOP_MAXWAIT

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function jobsOf(n: number | undefined): number {
  if (n === undefined) return 4;
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`-j takes a whole number of 1 or more, not '${n}'`);
  return n;
}

/** Runs fn over items, at most `jobs` at a time; a signal stops further items from starting. */
async function eachLimited<T>(items: T[], jobs: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < items.length) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (e) {
        if (e instanceof InterruptedError) stopped = true;
        throw e;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(jobs, items.length) }, worker));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

function failure(name: string, e: unknown, extra: Partial<Outcome> = {}): Outcome {
  if (e instanceof InterruptedError) throw e;
  return { name, action: 'failed', error: (e as Error).message, hint: e instanceof TxlError ? e.hint : undefined, ...extra };
}

const LINES: Record<Action, (o: Outcome) => string> = {
  restored: (o) => `Domain '${o.name}' restored from ${o.file}`,
  started: (o) => `Domain '${o.name}' started`,
  running: (o) => `Domain '${o.name}' is already running`,
  skipped: (o) => `Domain '${o.name}' skipped: ${o.note}`,
  saved: (o) => `Domain '${o.name}' saved to ${o.file}`,
  shutdown: (o) => `Domain '${o.name}' shut down`,
  destroyed: (o) => `Domain '${o.name}' destroyed: ${o.note}`,
  'dry-run': (o) => `Domain '${o.name}': would ${o.note}`,
  failed: (o) => `Domain '${o.name}' failed`,
};

/** One line per domain, by name: the failed ones as errors on stderr; exit 1 if any failed. */
function report(ctx: Context, out: Outcome[]): Result {
  out.sort((a, b) => a.name.localeCompare(b.name));
  const lines: string[] = [];
  for (const o of out) {
    if (o.error) {
      const instead = o.action === 'destroyed' ? `destroyed (${o.note})` : 'shut down';
      ctx.stderr.write(`txl: error: domain '${o.name}': ${o.action === 'failed' ? o.error : `${o.error}; it was ${instead} instead`}\n`);
      if (o.hint && o.action === 'failed') ctx.stderr.write(`  hint: ${o.hint}\n`);
    } else if (o.action === 'destroyed') ctx.warn(`domain '${o.name}' was destroyed: ${o.note}`);
    else lines.push(LINES[o.action](o));
  }
  return { data: out, text: lines.length ? lines.join('\n') + '\n' : '', exitCode: out.some((o) => o.error) ? 1 : 0 };
}

export async function hostStart(ctx: Context, opts: HostStartOptions): Promise<Result> {
  const jobs = jobsOf(opts.jobs);
  installInterruptHandler();
  return withBackend(ctx, async (be) => {
    const managed = await be.listManaged();
    const live = new Set((await be.listDomains()).map((d) => d.name));
    const owned = xendomainsOwned(ctx.env);
    const out: Outcome[] = [];
    const restores: ManagedDomain[] = [];
    const boots: ManagedDomain[] = [];
    for (const m of managed) {
      if (!m.autostart && !m.managed_save) continue;
      const file = owned.get(m.name);
      if (file) out.push({ name: m.name, action: 'skipped', note: `xendomains starts it (${file})` });
      else if (live.has(m.name)) out.push({ name: m.name, action: 'running' });
      else (m.managed_save ? restores : boots).push(m);
    }
    if (ctx.dryRun) {
      for (const m of restores) out.push({ name: m.name, action: 'dry-run', note: `restore it from ${m.managed_save}` });
      for (const m of boots) out.push({ name: m.name, action: 'dry-run', note: 'start it' });
      return report(ctx, out);
    }
    // the saved guests first: they were running, and get their memory before fresh boots
    await eachLimited(restores, jobs, async (m) => {
      try {
        out.push({ name: m.name, action: 'restored', domid: await restoreManagedSave(ctx, be, m), file: m.managed_save });
      } catch (e) {
        out.push(failure(m.name, e, { file: m.managed_save }));
      }
    });
    await eachLimited(boots, jobs, async (m) => {
      try {
        out.push({ name: m.name, action: 'started', domid: await be.create(m.config) });
      } catch (e) {
        out.push(failure(m.name, e));
      }
    });
    return report(ctx, out);
  });
}

export async function hostStop(ctx: Context, opts: HostStopOptions): Promise<Result> {
  const jobs = jobsOf(opts.jobs);
  const timeout = opts.timeout ?? DEFAULT_TIMEOUT_S;
  if (!Number.isFinite(timeout) || timeout < 0) throw new UsageError(`--timeout takes seconds (0 or more), not '${opts.timeout}'`);
  const mode = opts.mode ?? 'save';
  installInterruptHandler();
  return withBackend(ctx, async (be) => {
    const names = new Set((await be.listManaged()).map((m) => m.name));
    const running = (await be.listDomains()).filter((d) => d.domid !== 0 && names.has(d.name) && !d.dying);
    const owned = xendomainsOwned(ctx.env);
    const out: Outcome[] = [];
    const targets: DomainInfo[] = [];
    for (const d of running) {
      const file = owned.get(d.name);
      if (file) out.push({ name: d.name, action: 'skipped', note: `xendomains stops it (${file})` });
      else targets.push(d);
    }
    if (ctx.dryRun) {
      for (const d of targets) out.push({ name: d.name, action: 'dry-run', note: mode === 'save' ? `save it to ${be.managedSavePath(d.name)}` : 'shut it down' });
      return report(ctx, out);
    }
    let toStop = targets;
    const saveErrors = new Map<string, Outcome>();
    if (mode === 'save') {
      toStop = [];
      await eachLimited(targets, jobs, async (d) => {
        try {
          const file = await managedSaveOn(ctx, be, { domid: d.domid, name: d.name, uuid: d.uuid, managed: true });
          out.push({ name: d.name, action: 'saved', file, domid: d.domid });
        } catch (e) {
          // a guest that cannot be saved (no PV drivers, a full disk) is shut down instead
          saveErrors.set(d.name, failure(d.name, e));
          toStop.push(d);
        }
      });
    }
    for (const o of await shutdownAll(ctx, be, toStop, timeout, jobs)) {
      const saveError = saveErrors.get(o.name);
      out.push(saveError && o.action !== 'failed' ? { ...o, error: `could not be saved (${saveError.error})` } : o);
    }
    return report(ctx, out);
  });
}

/** Asks each domain to shut down, waits for all of them up to the timeout, then destroys the rest. */
async function shutdownAll(ctx: Context, be: Backend, doms: DomainInfo[], timeoutS: number, jobs: number): Promise<Outcome[]> {
  const out: Outcome[] = [];
  const waiting = new Map<number, DomainInfo>();
  await eachLimited(doms, jobs, async (d) => {
    try {
      // xendomains' way too: a guest without PV drivers gets the ACPI power button
      await be.shutdown(d.domid, { fallbackAcpi: true });
      waiting.set(d.domid, d);
    } catch (e) {
      out.push(failure(d.name, e, { domid: d.domid }));
    }
  });
  const deadline = Date.now() + timeoutS * 1000;
  while (waiting.size) {
    const now = new Map((await be.listDomains()).map((i) => [i.domid, i]));
    for (const [domid, d] of waiting) {
      const i = now.get(domid);
      if (!i || i.uuid !== d.uuid || i.shutdown || i.dying) {
        waiting.delete(domid);
        out.push({ name: d.name, action: 'shutdown', domid });
      }
    }
    if (!waiting.size || Date.now() >= deadline) break;
    await sleep(Math.min(250, Math.max(0, deadline - Date.now())));
  }
  for (const d of waiting.values()) {
    try {
      await be.destroy(d.domid);
      out.push({ name: d.name, action: 'destroyed', domid: d.domid, note: `it did not shut down within ${timeoutS} s` });
    } catch (e) {
      out.push(failure(d.name, e, { domid: d.domid }));
    }
  }
  return out;
}
