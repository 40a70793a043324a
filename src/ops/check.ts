import type { Context } from '../context.js';
import type { Result } from '../command.js';
import { ConfigError, diagnosticLines, type Diagnostic } from '../core/errors.js';
import { parseFormat, readText, parseDomainText, loadXlConf, detectFormat } from '../formats.js';

interface FileReport { file: string; format: string; ok: boolean; errors: number; warnings: number; diagnostics: Diagnostic[] }

export async function checkFiles(ctx: Context, files: string[], from?: string): Promise<Result> {
  const xlconf = await loadXlConf(ctx.env);
  const reports: FileReport[] = [];
  for (const file of files) {
    const text = await readText(file);
    const format = from ? parseFormat(from) : detectFormat(file, text);
    let diagnostics: Diagnostic[];
    try {
      const r = await parseDomainText(text, file, { from: format, xlconf });
      diagnostics = r.warnings;
      if (format === 'xl') {
        // xl ignores keys it does not know; check says so, with a suggestion
        const { parseXlCfg } = await import('../../parsers/xlcfg/syntax.js');
        const { checkKeys } = await import('../../parsers/xlcfg/keys.js');
        diagnostics = dedupe([...diagnostics, ...checkKeys(parseXlCfg(text, file))]);
      }
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      diagnostics = err.diagnostics;
    }
    diagnostics.sort((a, b) => a.line - b.line || a.col - b.col);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    reports.push({ file, format, ok: errors === 0, errors, warnings: diagnostics.length - errors, diagnostics });
  }
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(...diagnosticLines(r.diagnostics, ctx.color));
    lines.push(`${r.file}: ${r.ok ? 'ok' : 'invalid'} (${plural(r.errors, 'error')}, ${plural(r.warnings, 'warning')})`);
  }
  const bad = reports.some((r) => !r.ok);
  return { data: reports, text: lines.join('\n') + '\n', exitCode: bad ? 2 : 0 };
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.line}:${d.col}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
