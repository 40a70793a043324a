// `txl autostart [--disable] DOMAIN`: whether host-start (the boot unit) starts a managed domain.
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import { OperationError } from '../core/errors.js';
import { withBackend } from './connect.js';
import { xendomainsOwned } from './xendomains.js';

export interface AutostartOptions {
  disable?: boolean;
}

export async function setAutostart(ctx: Context, ref: string, opts: AutostartOptions): Promise<Result> {
  const enable = !opts.disable;
  return withBackend(ctx, async (be) => {
    const r = await be.lookup(ref);
    if (!r.managed) {
      throw new OperationError(`cannot set autostart for transient domain '${r.name}'`, `store its config with 'txl define FILE' first`);
    }
    const owner = enable ? xendomainsOwned(ctx.env).get(r.name) : undefined;
    if (owner) ctx.warn(`xendomains starts '${r.name}' at boot (${owner}): host-start leaves it to xendomains`);
    if (ctx.dryRun) {
      ctx.info(`txl: dry run: would ${enable ? 'mark' : 'unmark'} domain '${r.name}' as autostarted`);
      return { data: { dry_run: true, name: r.name, autostart: enable }, text: '' };
    }
    await be.setAutostart(r.name, enable);
    return {
      data: { name: r.name, uuid: r.uuid, autostart: enable },
      text: `Domain '${r.name}' ${enable ? 'marked' : 'unmarked'} as autostarted\n`,
    };
  });
}
