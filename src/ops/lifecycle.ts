// destroy, shutdown, reboot, pause, unpause, rename: xl's messages on stderr, nothing on stdout.
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { Backend, DomainInfo } from '../core/backend-types.js';
import { SHUTDOWN_REASON_CODES } from '../core/backend-types.js';
import { CancelledError, UsageError } from '../core/errors.js';
import { withBackend } from './connect.js';
import { confusableWarning } from '../confusables.js';
import { confirmOrCancel } from '../prompt.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function dryRun(ctx: Context, what: string, data: unknown): Result {
  ctx.info(`txl: dry run: would ${what}`);
  return { data: { dry_run: true, ...(data as object) }, text: '' };
}

export async function destroyDomain(ctx: Context, ref: string, opts: { force?: boolean }): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const domid = await be.resolve(ref);
    const info = await be.domainInfo(domid);
    if (ctx.dryRun) return dryRun(ctx, `destroy domain '${info.name}' (${domid})`, { domid, name: info.name });
    if (!opts.force) await confirmOrCancel(ctx, `Destroy domain '${info.name}' (id ${domid})? It stops at once, like pulling the power cord.`);
    await be.destroy(domid);
    return { data: { domid, name: info.name, destroyed: true }, text: '' };
  });
}

export interface ShutdownOpts { wait?: number; all?: boolean; fallback?: boolean }

export async function shutdownOrReboot(ctx: Context, reboot: boolean, ref: string | undefined, opts: ShutdownOpts): Promise<Result> {
  if (!ref && !opts.all) throw new UsageError('You must specify -a or a domain id.', `usage: txl ${reboot ? 'reboot' : 'shutdown'} [-w] [-F] (-a | DOMAIN)`);
  if (ref && opts.all) throw new UsageError('give either -a or a domain, not both');
  return withBackend(ctx, async (be) => {
    let targets: DomainInfo[];
    if (opts.all) targets = (await be.listDomains()).filter((d) => d.domid !== 0 && !d.never_stop);
    else targets = [await be.domainInfo(await be.resolve(ref!))];
    const verb = reboot ? 'reboot' : 'shut down';
    if (ctx.dryRun) return dryRun(ctx, `${verb} ${targets.map((d) => `'${d.name}' (${d.domid})`).join(', ') || 'no domain'}`, { domids: targets.map((d) => d.domid) });
    for (const d of targets) {
      ctx.info(`${reboot ? 'Rebooting' : 'Shutting down'} domain ${d.domid}`);
      if (reboot) await be.reboot(d.domid, { fallbackAcpi: opts.fallback });
      else await be.shutdown(d.domid, { fallbackAcpi: opts.fallback });
    }
    const waits = opts.wait ?? 0;
    const outcome = waits ? await waitFor(ctx, be, targets, waits === 1) : [];
    return { data: { action: reboot ? 'reboot' : 'shutdown', domids: targets.map((d) => d.domid), outcome }, text: '' };
  });
}

/** Waits until each domain has shut down (or, with -ww, is gone), as xl's -w. */
async function waitFor(ctx: Context, be: Backend, targets: DomainInfo[], shutdownIsEnough: boolean) {
  ctx.info(`Waiting for ${targets.length} domains`);
  const pending = new Map(targets.map((d) => [d.domid, d]));
  const outcome: { domid: number; result: 'destroyed' | 'shutdown'; reason?: string }[] = [];
  for (;;) {
    const now = new Map((await be.listDomains()).map((d) => [d.domid, d]));
    for (const [domid, orig] of pending) {
      const cur = now.get(domid);
      if (!cur || cur.uuid !== orig.uuid) {
        ctx.info(`Domain ${domid} has been destroyed`);
        outcome.push({ domid, result: 'destroyed' });
        pending.delete(domid);
      } else if (cur.shutdown && cur.shutdown_reason) {
        if (!outcome.some((o) => o.domid === domid)) ctx.info(`Domain ${domid} has been shut down, reason code ${SHUTDOWN_REASON_CODES[cur.shutdown_reason]}`);
        if (shutdownIsEnough) {
          outcome.push({ domid, result: 'shutdown', reason: cur.shutdown_reason });
          pending.delete(domid);
        } else if (!outcome.some((o) => o.domid === domid)) {
          ctx.info(`Domain ${domid} continue waiting for death`);
          outcome.push({ domid, result: 'shutdown', reason: cur.shutdown_reason });
        }
      }
    }
    if (!pending.size) return outcome;
    await sleep(100);
  }
}

export async function pauseOrUnpause(ctx: Context, ref: string, pause: boolean): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const domid = await be.resolve(ref);
    if (ctx.dryRun) return dryRun(ctx, `${pause ? 'pause' : 'unpause'} domain ${domid}`, { domid });
    if (pause) await be.pause(domid);
    else await be.unpause(domid);
    return { data: { domid, state: (await be.domainInfo(domid)).state }, text: '' };
  });
}

export async function renameDomain(ctx: Context, ref: string, newName: string): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const domid = await be.resolve(ref);
    const old = (await be.domainInfo(domid)).name;
    const lookalike = await confusableWarning(be, newName);
    if (lookalike) ctx.warn(lookalike);
    if (ctx.dryRun) return dryRun(ctx, `rename domain '${old}' (${domid}) to '${newName}'`, { domid });
    await be.rename(domid, newName);
    return { data: { domid, old_name: old, name: newName }, text: '' };
  });
}
