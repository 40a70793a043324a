// define, undefine, start: managed domains are configs txl keeps (no daemon), started on demand.
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { CreateOptions } from './create-live.js';
import { OperationError } from '../core/errors.js';
import { readDomainFile } from '../formats.js';
import { withBackend } from './connect.js';
import { hostOf } from './parse-host.js';
import { splitCreateWords } from './create.js';
import { checkDomainName } from '../validate.js';
import { confusableWarning } from '../confusables.js';

export async function defineDomain(ctx: Context, words: string[]): Promise<Result> {
  const { files, overrides } = splitCreateWords(words);
  if (files.length !== 1) throw new OperationError('define takes one config file');
  const file = files[0];
  return withBackend(ctx, async (be) => {
    const { config, warnings } = await readDomainFile(file, ctx.env, { overrides }, hostOf(be));
    warnings.forEach((w) => ctx.warn(w));
    const name = config.c_info?.name ?? '';
    if (config.c_info?.name !== undefined) checkDomainName(name);
    const lookalike = await confusableWarning(be, name);
    if (lookalike) ctx.warn(lookalike);
    if (ctx.dryRun) {
      ctx.info(`txl: dry run: would define domain '${name}' from ${file}`);
      return { data: { dry_run: true, name }, text: '' };
    }
    const replaced = await be.define(config);
    const m = await be.getManaged(name);
    return { data: { name, uuid: m?.uuid, path: m?.path, replaced }, text: `Domain '${name}' defined from ${file}\n` };
  });
}

export interface UndefineOptions {
  /** also remove its managed save image (virsh undefine --managed-save); without it one is refused */
  managedSave?: boolean;
}

export async function undefineDomain(ctx: Context, ref: string, opts: UndefineOptions = {}): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const r = await be.lookup(ref);
    if (!r.managed) throw new OperationError(`domain '${r.name}' is not a managed domain`, "only domains stored with 'txl define' can be undefined");
    if (ctx.dryRun) {
      ctx.info(`txl: dry run: would undefine domain '${r.name}'`);
      return { data: { dry_run: true, name: r.name }, text: '' };
    }
    const image = opts.managedSave ? (await be.getManaged(r.name))?.managed_save : undefined;
    if (image) (await import('./managedsave.js')).removeManagedSave(image);
    await be.undefine(r.name);
    return { data: { name: r.name, uuid: r.uuid, running: r.domid !== null }, text: `Domain '${r.name}' has been undefined\n` };
  });
}

export interface StartOptions extends Pick<CreateOptions, 'paused'> {
  /** boot afresh: a managed save image is dropped, not restored (virsh start --force-boot) */
  forceBoot?: boolean;
}

export async function startDomain(ctx: Context, ref: string, opts: StartOptions): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const r = await be.lookup(ref);
    if (r.domid !== null) throw new OperationError(`domain '${r.name}' is already running (id ${r.domid})`);
    const m = await be.getManaged(r.name);
    if (!m) throw new OperationError(`domain '${r.name}' has no stored config`);
    if (m.managed_save && !opts.forceBoot) {
      const { restoreManagedSave } = await import('./managedsave.js');
      const domid = await restoreManagedSave(ctx, be, m, opts);
      if (ctx.dryRun) return { data: { dry_run: true, name: r.name }, text: '' };
      return { data: { name: r.name, domid, uuid: m.uuid, restored: m.managed_save }, text: `Domain '${r.name}' started\n` };
    }
    if (ctx.dryRun) {
      ctx.info(`txl: dry run: would start domain '${r.name}' from ${m.path}`);
      return { data: { dry_run: true, name: r.name }, text: '' };
    }
    const domid = await be.create(m.config, { paused: opts.paused });
    // --force-boot: the image is dropped once the fresh boot worked (a failed boot keeps it)
    if (m.managed_save) (await import('./managedsave.js')).dropManagedSave(ctx, m.name, m.managed_save);
    return { data: { name: r.name, domid, uuid: m.uuid }, text: `Domain '${r.name}' started\n` };
  });
}
