// managedsave, managedsave-remove, and the restore `start` makes from a managed save: the
// image is kept by the connection (Backend.managedSavePath), written as `txl save` writes
// (whole and renamed into place, owner-only, or not at all) and removed once restored.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { Backend, DomainRef, ManagedDomain } from '../core/backend-types.js';
import { OperationError } from '../core/errors.js';
import { removeFile, writeFileAtomicSync, writeReason } from '../fsutil.js';
import { fixFor, untrustedComponent } from '../trust.js';
import { UnsafeFileError } from '../validate.js';
import { explain, installInterruptHandler } from '../interrupt.js';
import { withBackend } from './connect.js';

/** The context for a save or restore made on the user's behalf: xl's progress lines left out. */
function quiet(ctx: Context): Context {
  return { ...ctx, info: () => undefined };
}

/** A running managed domain, as managedsave needs it: virsh's refusals otherwise. */
function mustSave(r: DomainRef): number {
  if (!r.managed) throw new OperationError(`cannot do managed save for transient domain '${r.name}'`, `only a domain stored with 'txl define' has a managed save; use 'txl save ${r.name} FILE'`);
  if (r.domid === null) throw new OperationError(`domain '${r.name}' is not running`);
  if (r.domid === 0) throw new OperationError('cannot save Domain-0');
  return r.domid;
}

/** Saves the domain into its managed save image and stops it; returns the image's path. */
export async function managedSaveOn(ctx: Context, be: Backend, r: DomainRef): Promise<string> {
  const domid = mustSave(r);
  const image = be.managedSavePath(r.name);
  if (ctx.dryRun) {
    ctx.info(`txl: dry run: would save domain '${r.name}' (id ${domid}) to ${image} and stop it`);
    return image;
  }
  try {
    mkdirSync(dirname(image), { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new OperationError(`cannot create ${dirname(image)}: ${writeReason(e)}`);
  }
  // libxl saves only a running guest (a paused one cannot answer the suspend request): a
  // paused domain runs for its save, and the mark beside the image brings it back paused
  const paused = (await be.domainInfo(domid)).paused;
  const mark = pausedMark(image);
  if (paused) {
    writeFileAtomicSync(mark, '', 0o600);
    await be.unpause(domid);
  } else removeFile(mark);
  try {
    await saveOn(quiet(ctx), be, String(domid), image);
  } catch (e) {
    if (paused) {
      removeFile(mark);
      await be.pause(domid).catch(() => undefined);
    }
    throw e;
  }
  return image;
}

/** managedsave-remove, undefine --managed-save: the image and its paused mark. */
export function removeManagedSave(image: string): void {
  try {
    removeFile(image);
    removeFile(pausedMark(image));
  } catch (e) {
    throw new OperationError(`cannot remove ${image}: ${writeReason(e)}`);
  }
}

/** Beside a managed save image of a domain that was paused: `start` restores it paused. */
function pausedMark(image: string): string {
  return `${image}.paused`;
}

async function saveOn(ctx: Context, be: Backend, ref: string, image: string): Promise<void> {
  const { saveOnBackend } = await import('./saverestore.js');
  await saveOnBackend(ctx, be, ref, image, undefined, {});
}

export async function managedSave(ctx: Context, ref: string): Promise<Result> {
  installInterruptHandler();
  return withBackend(ctx, async (be) => {
    const r = await be.lookup(ref);
    const image = await managedSaveOn(ctx, be, r);
    if (ctx.dryRun) return { data: { dry_run: true, name: r.name, file: image }, text: '' };
    return { data: { name: r.name, uuid: r.uuid, domid: r.domid, file: image }, text: `\nDomain '${r.name}' state saved by txl\n\n` };
  }).catch((e) => {
    throw explain(e, `domain '${ref}' was not saved`);
  });
}

export async function managedSaveRemove(ctx: Context, ref: string): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const r = await be.lookup(ref);
    if (!r.managed) throw new OperationError(`domain '${r.name}' is transient: it has no managed save image`);
    const m = await be.getManaged(r.name);
    const image = m?.managed_save;
    if (!image) return { data: { name: r.name, removed: false }, text: `Domain '${r.name}' has no manage save image; removal skipped\n` };
    if (ctx.dryRun) {
      ctx.info(`txl: dry run: would remove ${image}`);
      return { data: { dry_run: true, name: r.name, file: image }, text: '' };
    }
    removeManagedSave(image);
    return { data: { name: r.name, removed: true, file: image }, text: `Removed managedsave image for domain '${r.name}'\n` };
  });
}

/**
 * `start` of a domain with a managed save: the domain comes back from its image, which is
 * then removed (a failed restore keeps it, and the domain stays down). Returns the domid.
 */
export async function restoreManagedSave(ctx: Context, be: Backend, m: ManagedDomain, opts: { paused?: boolean } = {}): Promise<number> {
  const image = m.managed_save ?? be.managedSavePath(m.name);
  // the image holds the config the domain is rebuilt from, as root: others must not write it
  const bad = untrustedComponent(image);
  if (bad) throw new UnsafeFileError(`refusing to restore from the managed save image '${image}': ${bad.why}`, fixFor(bad, bad.path !== image));
  if (ctx.dryRun) {
    ctx.info(`txl: dry run: would restore domain '${m.name}' from ${image} and remove it`);
    return -1;
  }
  const { restoreOnBackend } = await import('./saverestore.js');
  const r = await restoreOnBackend(quiet(ctx), be, image, undefined, { paused: opts.paused || existsSync(pausedMark(image)) });
  const { domid, name } = r.data as { domid: number; name: string };
  if (name !== m.name) ctx.warn(`the managed save image of '${m.name}' held domain '${name}'`);
  dropManagedSave(ctx, m.name, image);
  return domid;
}

/** Once the domain runs (restored, or booted afresh): a left-over image would bring back a stale state on the next start. */
export function dropManagedSave(ctx: Context, name: string, image: string): void {
  try {
    removeFile(image);
    removeFile(pausedMark(image));
  } catch (e) {
    ctx.warn(`domain '${name}' runs, but its managed save image ${image} could not be removed (${writeReason(e)}): remove it before the next start`);
  }
}
