// The one place where results become text on stdout.
import type { Context, OutputFormat } from './context.js';
import type { CommandDef, Result, TableView } from './command.js';
import { UsageError } from './core/errors.js';

export const OUTPUT_FORMATS = ['text', 'xl', 'table', 'json', 'yaml'] as const;

export function parseOutputFormat(s: string): OutputFormat {
  if (s === 'xl' || s === 'virsh') return 'text';
  if ((OUTPUT_FORMATS as readonly string[]).includes(s)) return s as OutputFormat;
  throw new UsageError(`unknown output format '${s}' (use table, json, yaml or text)`);
}

export async function render(result: Result, ctx: Context, _cmd?: CommandDef): Promise<string> {
  const format = ctx.output ?? 'text';
  switch (format) {
    case 'json':
      return JSON.stringify(result.data ?? null, null, 2) + '\n';
    case 'yaml': {
      const { loadYaml } = await import('./yaml.js');
      return (await loadYaml()).stringify(result.data ?? null);
    }
    case 'table':
      if (result.table) return renderTable(result.table, ctx);
      if (result.text !== undefined) return ensureNewline(result.text);
      return renderTable(autoTable(result.data), ctx);
    case 'text':
    default:
      if (result.text !== undefined) return ensureNewline(result.text);
      if (result.table) return renderTable(result.table, ctx);
      if (result.data === undefined || result.data === null) return '';
      if (typeof result.data === 'string') return ensureNewline(result.data);
      return JSON.stringify(result.data, null, 2) + '\n';
  }
}

function ensureNewline(s: string): string {
  return s === '' || s.endsWith('\n') ? s : s + '\n';
}

async function renderTable(t: TableView, ctx: Context): Promise<string> {
  const { default: Table } = await import('cli-table3');
  // cli-table3 colours headers and borders on its own; pipes must get plain text.
  const table = new Table({ head: t.head, style: ctx.color ? { head: ['cyan'] } : { head: [], border: [] } });
  for (const row of t.rows) table.push(row.map((c) => String(c)));
  return table.toString() + '\n';
}

function autoTable(data: unknown): TableView {
  const rows = Array.isArray(data) ? data : data && typeof data === 'object' ? [data] : [{ value: data }];
  const head = [...new Set(rows.flatMap((r) => (r && typeof r === 'object' ? Object.keys(r) : ['value'])))];
  return {
    head,
    rows: rows.map((r) => head.map((h) => cell((r as Record<string, unknown>)?.[h]))),
  };
}

function cell(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
