// Small text helpers for the xl- and virsh-style outputs of the resource, device and
// monitoring commands: printf-like padding, xl's bitmap printing, virsh's tables.
import type { Context } from '../context.js';
import type { Result } from '../command.js';

/** printf("%-Ns") */
export const left = (v: string | number, w: number): string => String(v).padEnd(w);
/** printf("%Ns") */
export const right = (v: string | number, w: number): string => String(v).padStart(w);

/** printf("%.Nf"): exact halves round to even as in C (JS rounds them away from zero). */
export function fixed(v: number, digits: number): string {
  const exact = Math.abs(v).toFixed(Math.min(100, digits + 60));
  const cut = exact.indexOf('.') + 1 + digits;
  let s = v.toFixed(digits);
  if (/^50*$/.test(exact.slice(cut))) {
    const down = exact.slice(0, digits ? cut : cut - 1);
    const last = Number(down[down.length - 1]);
    if (last % 2 === 0) s = (v < 0 ? '-' : '') + down;
  }
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/**
 * How xl prints a cpumap over `nr` CPUs: "all" when every CPU is set, "none" when none is,
 * else ranges such as "0-3,6".
 */
export function xlBitmap(bits: number[], nr: number): string {
  const set = new Set(bits.filter((b) => b >= 0 && b < nr));
  if (set.size === 0) return 'none';
  if (set.size === nr) return 'all';
  const sorted = [...set].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

/**
 * virsh's table layout (vsh-table.c): every cell preceded by a space, columns padded to the
 * widest cell plus two, a dashed rule as wide as the columns plus three each. virsh's -q
 * drops the header and rule; the global -q does the same here.
 */
export function virshTable(head: string[], rows: string[][], quiet = false): string {
  const widths = head.map((h, i) => Math.max(quiet ? 0 : h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => ` ${c}${i < cells.length - 1 ? ' '.repeat(widths[i]! - c.length + 2) : ''}`).join('') + '\n';
  let out = '';
  if (!quiet) out += line(head) + '-'.repeat(widths.reduce((s, w) => s + w + 3, 0)) + '\n';
  for (const r of rows) out += line(r);
  return out;
}

/** virsh ends every command's output with an empty line, except under -q. */
export function virshText(ctx: Context, text: string): string {
  return ctx.quiet ? text : text + '\n';
}

/** The dry-run answer of a command that would change something: a note on stderr, no change. */
export function dryRun(ctx: Context, what: string, data: object): Result {
  ctx.info(`txl: dry run: would ${what}`);
  return { data: { dry_run: true, ...data }, text: '' };
}

/** A libxl device as `xl -N block-attach` prints it: the libxl JSON, four-space indent. */
export async function deviceJson(list: 'disks' | 'nics' | 'pcidevs', dev: object): Promise<string> {
  const { modelToLibxlJson } = await import('../../parsers/libxl-json.js');
  const doc = JSON.parse(modelToLibxlJson({ c_info: { type: 'pv' }, b_info: {}, [list]: [dev] })) as Record<string, unknown[]>;
  return JSON.stringify(doc[list]?.[0] ?? dev, null, 4);
}
