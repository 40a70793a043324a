import { basename, join } from 'node:path';
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import { ConfigError, TxlError, UsageError } from '../core/errors.js';
import { parseFormat, readDomainFile, writeDomain, type Format } from '../formats.js';
import { writeFileAtomic } from '../fsutil.js';
import { hasSecrets } from '../secrets.js';

const EXT: Record<Format, string> = { xl: '.cfg', xml: '.xml', json: '.json' };

export interface ConvertOptions { from?: string; to?: string; outDir?: string }

export async function convertFiles(ctx: Context, files: string[], opts: ConvertOptions): Promise<Result> {
  if (!opts.to) throw new UsageError('say which format to convert to with --to xl|xml|json');
  const to = parseFormat(opts.to);
  const from = opts.from ? parseFormat(opts.from) : undefined;
  const structured = ctx.output === 'json' || ctx.output === 'yaml';
  if (files.length > 1 && !opts.outDir && !structured) {
    throw new UsageError(`${files.length} files given but one output: add --out-dir DIR`, 'or use -o json to get every result as data');
  }
  const results: { file: string; from: Format; to: Format; output?: string; text?: string }[] = [];
  let failed = 0;
  let lastError: unknown;
  for (const file of files) {
    try {
      const r = await readDomainFile(file, ctx.env, { from });
      for (const w of r.warnings) ctx.warn(w);
      const text = await writeDomain(r.config, to);
      if (opts.outDir) {
        const out = join(opts.outDir, basename(file).replace(/\.(cfg|xml|json|hvm|pv|pvh)$/i, '') + EXT[to]);
        // made owner-only (from its creation) when it holds a VNC/SPICE password
        await writeFileAtomic(out, text, hasSecrets(r.config) ? 0o600 : 0o644);
        results.push({ file, from: r.format, to, output: out });
        ctx.debug(1, `${file} -> ${out}`);
      } else {
        results.push({ file, from: r.format, to, text });
      }
    } catch (err) {
      if (files.length === 1) throw err;
      failed++;
      lastError = err;
      if (err instanceof ConfigError) for (const d of err.diagnostics) ctx.warn(d);
      else ctx.warn(`${file}: ${(err as Error).message}`);
    }
  }
  if (failed) {
    if (lastError instanceof ConfigError) throw new ConfigError([], `${failed} of ${files.length} files could not be converted`);
    throw new TxlError(`${failed} of ${files.length} files could not be converted`);
  }
  const text = opts.outDir ? '' : results.map((r) => r.text).join('');
  return { data: results.length === 1 && !opts.outDir ? results[0] : results, text };
}
