// save and restore in xl's file format, so that files move between txl and xl.
import { closeSync, lstatSync, openSync, realpathSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { removeQuietly, syncFd, tempPathFor, writeError, writeReason } from '../fsutil.js';
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { CreateOptions } from './create-live.js';
import type { Backend } from '../core/backend-types.js';
import { OperationError, NotFoundError, TxlError, UsageError } from '../core/errors.js';
import { parseDomainText, readDomainFile } from '../formats.js';
import { withBackend } from './connect.js';
import { noteJob, noteJobFd, withJob } from './jobs.js';
import { configText } from './views.js';
import { describe, readHeader, writeHeader } from '../savefile.js';
import { checkInterrupt, explain, installInterruptHandler, InterruptedError, settleAndCheck, undoing } from '../interrupt.js';

export interface SaveOptions { checkpoint?: boolean; pause?: boolean; preserveDomid?: boolean }

export async function saveDomain(ctx: Context, ref: string, file: string, configFile: string | undefined, opts: SaveOptions): Promise<Result> {
  installInterruptHandler();
  return withBackend(ctx, (be) => saveOnBackend(ctx, be, ref, file, configFile, opts)).catch((e) => {
    throw explain(e, `domain '${ref}' was not saved`);
  });
}

/** The save on an open connection (managedsave and host-stop use it too): a whole image in place, or none. */
export async function saveOnBackend(ctx: Context, be: Backend, ref: string, file: string, configFile: string | undefined, opts: SaveOptions): Promise<Result> {
  // recorded as a job: domjobinfo shows it, domjobabort interrupts it
  return withJob(ctx, be, 'save', () => saveWhole(ctx, be, ref, file, configFile, opts));
}

async function saveWhole(ctx: Context, be: Backend, ref: string, file: string, configFile: string | undefined, opts: SaveOptions): Promise<Result> {
  const domid = await be.resolve(ref);
  const cfg = configFile ? (await readDomainFile(configFile, ctx.env)).config : await be.domainConfig(domid);
  if (opts.preserveDomid) cfg.c_info = { ...cfg.c_info, domid };
  const json = await configText({ ...cfg, side: undefined });
  if (ctx.dryRun) {
    ctx.info(`txl: dry run: would save domain ${domid} to ${file}`);
    return { data: { dry_run: true, domid, file }, text: '' };
  }
  const name = cfg.c_info?.name ?? ref;
  noteJob(domid, name, { uuid: cfg.c_info?.uuid, totalBytes: (cfg.b_info?.max_memkb ?? 0) * 1024 });
  checkInterrupt();
  // A file's image is written beside it and renamed over it once whole and on disk: a full
  // disk keeps an older image of that name and never leaves half of one. A pipe or a device
  // is written in place. Through a symlink, the file it points to is the one replaced.
  const special = isSpecial(file);
  const dest = special ? file : linkTarget(file);
  const tmp = special ? undefined : tempPathFor(dest);
  let fd: number;
  try {
    fd = tmp ? openSync(tmp, 'wx', 0o600) : openPrivate(file);
  } catch (e) {
    throw new OperationError(`Failed to open temp file ${tmp ?? file} for writing: ${writeReason(e)}`);
  }
  noteJobFd(fd);
  let suspended = false;
  try {
    const h = writeHeader(fd, json, file);
    ctx.info(`Saving to ${file} new xl format (info ${describe(h)})`);
    await be.suspend(domid, fd, tmp ? { saving: { file: dest, tmp, keep: opts.checkpoint || opts.pause } } : {});
    suspended = true;
    if (tmp) syncFd(fd, file);
    closeSync(fd);
    fd = -1;
    if (tmp) {
      checkInterrupt();
      try {
        renameSync(tmp, dest);
      } catch (e) {
        throw writeError(file, e);
      }
    }
  } catch (e) {
    if (fd >= 0) closeSync(fd);
    // a pipe or a device stays: removing /dev/null as root would break the host
    if (tmp) removeQuietly(tmp);
    if (suspended) await undoing(() => be.resume(domid));
    if (e instanceof TxlError && !(e instanceof InterruptedError)) e.message = `Failed to save domain: ${e.message}`;
    throw explain(e, `domain '${name}' was not saved and keeps running${tmp ? '; no image written' : ''}`);
  }
  // the image, unless it went to a pipe or a device: what the message adds about it
  const dropImage = (joint: string) => {
    if (tmp) removeQuietly(dest);
    return tmp ? `${joint}${file} removed` : '';
  };
  // From here the domain is suspended beside its whole image. Whatever stops the save now
  // (a failed destroy, a signal), the guest must not exist twice: run it again and drop
  // the image. Resuming is never interrupted itself.
  if (opts.checkpoint || opts.pause) {
    await undoing(() => be.resume(domid));
    try {
      await settleAndCheck();
      if (opts.pause) await be.pause(domid);
    } catch (e) {
      // only an interrupted save is undone: a failed pause leaves a good checkpoint
      const dropped = e instanceof InterruptedError ? dropImage('; ') : '';
      throw explain(e, `domain '${name}' keeps running${dropped || `; ${file} is kept`}`);
    }
  } else {
    try {
      await settleAndCheck();
      await be.destroy(domid);
    } catch (e) {
      await undoing(() => be.resume(domid));
      const dropped = dropImage(' and ');
      if (e instanceof TxlError && !(e instanceof InterruptedError)) e.message = `Failed to save domain: ${e.message}; the domain was resumed${dropped}`;
      throw explain(e, `domain '${name}' was resumed${dropped}`);
    }
  }
  return { data: { domid, file, left: opts.pause ? 'paused' : opts.checkpoint ? 'running' : 'destroyed' }, text: '' };
}

/** a restored domain starts as a created one does: paused or not, monitored or not */
export type RestoreOptions = Pick<CreateOptions, 'paused' | 'monitor'>;

export async function restoreDomain(ctx: Context, words: string[], opts: RestoreOptions): Promise<Result> {
  if (words.length < 1 || words.length > 2) throw new UsageError('usage: txl restore [options] [CONFIG] FILE');
  const [configFile, file] = words.length === 2 ? words : [undefined, words[0]];
  installInterruptHandler();
  return withBackend(ctx, (be) => restoreOnBackend(ctx, be, file, configFile, opts)).catch((e) => {
    throw explain(e, `nothing was restored; ${file} is kept`);
  });
}

/** The restore on an open connection (start and host-start restore managed saves with it). */
export async function restoreOnBackend(ctx: Context, be: Backend, file: string, configFile: string | undefined, opts: RestoreOptions): Promise<Result> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`no such file '${file}'`);
    throw new OperationError(`Can't open restore file: ${(e as Error).message}`);
  }
  try {
    const h = readHeader(fd);
    ctx.info(`Loading new save file ${file} (new xl fmt info ${describe(h)})`);
    let source: string;
    let cfg;
    if (configFile) {
      source = configFile;
      ctx.info(`Parsing config from ${source}`);
      cfg = (await readDomainFile(configFile, ctx.env)).config;
    } else {
      if (!h.config) throw new OperationError('Config file not specified and save file contains no config');
      ctx.info(` Savefile contains xl domain config in JSON format`);
      source = '<saved>';
      ctx.info(`Parsing config from ${source}`);
      cfg = (await parseDomainText(h.config, file, { from: 'json' })).config;
    }
    delete cfg.c_info.domid;
    if (ctx.dryRun) {
      ctx.info(`txl: dry run: would restore domain '${cfg.c_info.name}' from ${file}`);
      return { data: { dry_run: true, name: cfg.c_info.name }, text: '' };
    }
    let domid: number;
    try {
      domid = await be.create(cfg, { restoreFd: fd, paused: opts.paused, noMonitor: opts.monitor === false });
    } catch (e) {
      throw explain(e, `domain '${cfg.c_info.name}' was not restored; ${file} is kept`);
    }
    try {
      await settleAndCheck();
    } catch (e) {
      await undoing(() => be.destroy(domid));
      throw explain(e, `the restored domain '${cfg.c_info.name}' (domid ${domid}) was destroyed; ${file} is kept`);
    }
    return { data: { domid, name: cfg.c_info.name, file }, text: '' };
  } finally {
    closeSync(fd);
  }
}

/**
 * A pipe or a device (/dev/null, a tape), also through a symlink (/dev/stdout is one): written
 * in place, never replaced nor removed (a temp file renamed over /dev/stdout would replace
 * the host's link with a file).
 */
function isSpecial(file: string): boolean {
  try {
    return !statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The file a symlink points to, so that the link stays a link; the path itself otherwise (or when dangling). */
function linkTarget(file: string): string {
  try {
    return lstatSync(file).isSymbolicLink() ? realpathSync(file) : file;
  } catch {
    return file;
  }
}

/**
 * Opens the pipe or device isSpecial found, in place. Should a regular file have taken its
 * name since, that file is made anew, owner-only with O_EXCL: its header holds the config and
 * so any VNC/SPICE password, and 'w' would keep an older file's mode (0644, say).
 */
function openPrivate(file: string): number {
  try {
    return openSync(file, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // a pipe or a device (/dev/null), through a symlink too, keeps nothing for others to read
    if (!statSync(file).isFile()) return openSync(file, 'w');
    unlinkSync(file);
    return openSync(file, 'wx', 0o600);
  }
}
