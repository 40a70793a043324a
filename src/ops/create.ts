import { existsSync } from 'node:fs';
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import { UsageError } from '../core/errors.js';
import type { CreateOptions } from './create-live.js';
import { readDomainFile, writeDomain } from '../formats.js';
import { checkDomainName } from '../validate.js';


/** Splits `FILE... key=val...` the way xl does: a word with '=' that is not an existing file is an override. */
export function splitCreateWords(words: string[], config?: string): { files: string[]; overrides: string[] } {
  const files: string[] = config ? [config] : [];
  const overrides: string[] = [];
  for (const w of words) {
    if (w.includes('=') && !existsSync(w)) overrides.push(w);
    else if (overrides.length && !config) throw new UsageError(`'${w}' comes after key=value overrides`, 'put all config files first, then the key=value words');
    else files.push(w);
  }
  if (!files.length) throw new UsageError('no config file given', "usage: txl create [options] FILE [key=value...]");
  return { files, overrides };
}

export async function createDomains(ctx: Context, words: string[], opts: CreateOptions): Promise<Result> {
  const { files, overrides } = splitCreateWords(words ?? [], opts.config);
  const dryRun = ctx.dryRun || opts.dryRun || opts.n;
  if (files.length > 1 && overrides.length) throw new UsageError('key=value overrides apply to one config file; several were given');
  if (dryRun) {
    const texts: string[] = [];
    const data: unknown[] = [];
    for (const file of files) {
      const r = await readDomainFile(file, ctx.env, { overrides });
      r.warnings.forEach((w) => ctx.warn(w));
      // xl -N prints any name; a name txl would refuse to create is refused here too
      if (r.config.c_info?.name !== undefined) checkDomainName(r.config.c_info.name);
      const json = await writeDomain(r.config, 'json');
      texts.push(json);
      data.push(JSON.parse(json));
    }
    return { data: data.length === 1 ? data[0] : data, text: texts.join('') };
  }
  const { createOnBackend } = await import('./create-live.js');
  return createOnBackend(ctx, files, overrides, opts);
}
