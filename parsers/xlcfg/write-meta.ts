// xl.cfg's carrier for what no xl key can say: one `#@txl {...}` comment line per delta entry
// (parsers/delta.ts) at the end of the file. xl skips comments, so the file means to xl what
// its keys say; txl reads the lines back and gets the very model it wrote.
import type { Diagnostic } from '../../src/core/errors.js';
import type { DeltaEntry } from '../delta.js';

const MARK = '#@txl ';

/** JSON with every non-ASCII character escaped: xl's lexer is strict about bytes. */
const ascii = (v: unknown) => JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function deltaLines(entries: DeltaEntry[]): string {
  if (!entries.length) return '';
  const lines = entries.map((e) => {
    const o: Record<string, unknown> = { path: e.path };
    if (e.value !== undefined) o.value = e.value;
    if (e.plain !== undefined) o.xl = e.plain;
    return MARK + ascii(o);
  });
  return `\n# txl: settings xl.cfg has no key for (or leaves to xl.conf); xl skips these lines\n${lines.join('\n')}\n`;
}

/** The `#@txl` lines of a config, each with its line number; malformed ones become warnings. */
export function readDeltaLines(text: string, file: string, warnings: Diagnostic[]): { entries: DeltaEntry[]; lines: number[] } {
  const entries: DeltaEntry[] = [];
  const lines: number[] = [];
  if (!text.includes(MARK)) return { entries, lines };
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.startsWith(MARK)) return;
    let o: unknown;
    try {
      o = JSON.parse(line.slice(MARK.length));
    } catch {
      o = undefined;
    }
    const rec = o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : undefined;
    if (!rec || typeof rec.path !== 'string' || !/^(\/[^/]*)+$/.test(rec.path)) {
      warnings.push({ severity: 'warning', file, line: i + 1, col: 1, message: 'a #@txl line that is not {"path": "/...", "value": ..., "xl": ...}; ignored', excerpt: line });
      return;
    }
    entries.push({ path: rec.path, value: rec.value, plain: rec.xl });
    lines.push(i + 1);
  });
  return { entries, lines };
}
