// dompmsuspend and dompmwakeup: ACPI S3 of an HVM guest (xenopsd's s3suspend and s3resume).
// Only 'mem' exists on Xen: libvirt's Xen driver refuses disk and hybrid, and a duration.
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import { OperationError, UsageError } from '../core/errors.js';
import { withBackend } from './connect.js';

export const PM_TARGETS = ['mem', 'disk', 'hybrid'] as const;
export interface PmSuspendOptions { duration?: string }

export async function pmSuspend(ctx: Context, ref: string, target: string, opts: PmSuspendOptions): Promise<Result> {
  if (!(PM_TARGETS as readonly string[]).includes(target)) throw new UsageError(`invalid target '${target}': write mem, disk or hybrid`);
  if (target !== 'mem') throw new OperationError(`suspend target '${target}' is not supported on Xen: only 'mem' (ACPI S3)`);
  if (opts.duration !== undefined) {
    if (!/^\d+$/.test(opts.duration)) throw new UsageError(`invalid duration '${opts.duration}': write a number of seconds`);
    if (Number(opts.duration) !== 0) throw new OperationError('a suspend duration is not supported on Xen: leave it out (or give 0) and wake the domain with dompmwakeup');
  }
  return withBackend(ctx, async (be) => {
    const domid = await be.resolve(ref);
    const info = await be.domainInfo(domid);
    if (!be.pmSuspend) throw new OperationError(`this connection (${be.uri}) cannot suspend domains to RAM`);
    if (ctx.dryRun) {
      ctx.info(`txl: dry run: would suspend domain '${info.name}' to RAM (S3)`);
      return { data: { dry_run: true, domid, name: info.name }, text: '' };
    }
    await be.pmSuspend(domid);
    return { data: { domid, name: info.name, target }, text: `Domain '${info.name}' successfully suspended\n` };
  });
}

export async function pmWakeup(ctx: Context, ref: string): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const domid = await be.resolve(ref);
    const info = await be.domainInfo(domid);
    if (!be.pmWakeup) throw new OperationError(`this connection (${be.uri}) cannot wake domains from S3`);
    if (ctx.dryRun) {
      ctx.info(`txl: dry run: would wake domain '${info.name}' up from S3`);
      return { data: { dry_run: true, domid, name: info.name }, text: '' };
    }
    await be.pmWakeup(domid);
    return { data: { domid, name: info.name }, text: `Domain '${info.name}' successfully woken up\n` };
  });
}
