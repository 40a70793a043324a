// save and restore in xl's file format, so that files move between txl and xl.
import { closeSync, openSync, unlinkSync } from 'node:fs';
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import { OperationError, NotFoundError, TxlError, UsageError } from '../errors.js';
import { parseDomainText, readDomainFile } from '../formats.js';
import { withBackend } from './connect.js';
import { configText } from './views.js';
import { describe, readHeader, writeHeader } from './savefile.js';

export interface SaveOptions { checkpoint?: boolean; pause?: boolean; preserveDomid?: boolean }

export async function saveDomain(ctx: Context, ref: string, file: string, configFile: string | undefined, opts: SaveOptions): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const domid = await be.resolve(ref);
    const cfg = configFile ? (await readDomainFile(configFile)).config : await be.domainConfig(domid);
    if (opts.preserveDomid) cfg.c_info = { ...cfg.c_info, domid };
    const json = await configText({ ...cfg, side: undefined });
    if (ctx.dryRun) {
      ctx.info(`txl: dry run: would save domain ${domid} to ${file}`);
      return { data: { dry_run: true, domid, file }, text: '' };
    }
    let fd: number;
    try {
      fd = openSync(file, 'w', 0o644);
    } catch (e) {
      throw new OperationError(`Failed to open temp file ${file} for writing: ${(e as Error).message}`);
    }
    try {
      const h = writeHeader(fd, json);
      ctx.info(`Saving to ${file} new xl format (info ${describe(h)})`);
      await be.suspend(domid, fd);
    } catch (e) {
      closeSync(fd);
      try {
        unlinkSync(file);
      } catch {
        /* nothing to clean */
      }
      if (e instanceof TxlError) e.message = `Failed to save domain: ${e.message}`;
      throw e;
    }
    closeSync(fd);
    if (opts.checkpoint || opts.pause) {
      await be.resume(domid);
      if (opts.pause) await be.pause(domid);
    } else {
      try {
        await be.destroy(domid);
      } catch (e) {
        // the image is written but the domain is still there, suspended: run it again and
        // drop the image, so that the guest never exists twice (running and in a file)
        await be.resume(domid);
        unlinkSync(file);
        if (e instanceof TxlError) e.message = `Failed to save domain: ${e.message}; the domain was resumed and ${file} removed`;
        throw e;
      }
    }
    return { data: { domid, file, left: opts.pause ? 'paused' : opts.checkpoint ? 'running' : 'destroyed' }, text: '' };
  });
}

export interface RestoreOptions { paused?: boolean; monitor?: boolean }

export async function restoreDomain(ctx: Context, words: string[], opts: RestoreOptions): Promise<Result> {
  if (words.length < 1 || words.length > 2) throw new UsageError('usage: txl restore [options] [CONFIG] FILE');
  const [configFile, file] = words.length === 2 ? words : [undefined, words[0]];
  return withBackend(ctx, async (be) => {
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
        cfg = (await readDomainFile(configFile)).config;
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
      const domid = await be.create(cfg, { restoreFd: fd, paused: opts.paused, noMonitor: opts.monitor === false });
      return { data: { domid, name: cfg.c_info.name, file }, text: '' };
    } finally {
      closeSync(fd);
    }
  });
}
