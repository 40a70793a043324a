// console: the guest's console output (the simulator keeps it as a log); -f follows it.
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import { UsageError } from '../core/errors.js';
import type { GuestAction } from '../core/backend-types.js';
import { withBackend } from './connect.js';

export interface ConsoleOptions { follow?: boolean; type?: string; num?: number }

export async function showConsole(ctx: Context, ref: string, opts: ConsoleOptions): Promise<Result | void> {
  if (opts.type && opts.type !== 'pv' && opts.type !== 'serial') throw new UsageError(`unknown console type '${opts.type}' (use pv or serial)`);
  return withBackend(ctx, async (be) => {
    const domid = await be.resolve(ref);
    if (!opts.follow) {
      let log = '';
      for await (const chunk of be.console(domid)) log += chunk;
      return { data: { domid, log }, text: log };
    }
    const ac = new AbortController();
    const stop = () => ac.abort();
    process.once('SIGINT', stop);
    try {
      for await (const chunk of be.console(domid, { follow: true, signal: ac.signal })) ctx.stdout.write(chunk);
    } finally {
      process.off('SIGINT', stop);
    }
  });
}

export async function simGuest(ctx: Context, ref: string, action: GuestAction): Promise<Result> {
  return withBackend(ctx, async (be) => {
    if (!be.guestAction) throw new UsageError('sim-guest works only on the simulator', 'connect with --connect test:///default');
    const domid = await be.resolve(ref);
    await be.guestAction(domid, action);
    const after = (await be.listDomains()).filter((d) => d.domid === domid || d.name === ref);
    return { data: { domid, action, now: after.map((d) => ({ domid: d.domid, name: d.name, state: d.state })) }, text: '' };
  });
}
