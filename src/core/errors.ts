import { redactDiagnostic } from './redact.js';

// Every failure txl reports is one of these classes; `exitCodeFor` is the single place
// that maps them to exit codes (0 ok, 1 operation failed, 2 usage/invalid config, 130 cancelled).

export interface Diagnostic {
  severity: 'error' | 'warning';
  file: string;
  /** 1-based */
  line: number;
  /** 1-based */
  col: number;
  message: string;
  hint?: string;
  /** the source line the position points into */
  excerpt?: string;
  /** width of the caret underline */
  length?: number;
}

export class TxlError extends Error {
  hint?: string;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.hint = hint;
  }
}

/** The operation failed: libxl said no, the host lacks memory, a device is busy. */
export class OperationError extends TxlError {}

/** A domain, device, file or managed config that does not exist. */
export class NotFoundError extends TxlError {}

/** Bad command line: unknown option, missing argument, bad value. */
export class UsageError extends TxlError {}

/** An input txl cannot take at all: too large, not text, not the kind of file asked for. */
export class InvalidInputError extends TxlError {}

/** Invalid configuration text; carries every diagnostic with its position. */
export class ConfigError extends TxlError {
  diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[], hint?: string) {
    // a config line may hold a VNC or SPICE password: never let it reach a message
    const found = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0];
    const first = found && redactDiagnostic(found);
    // cut as formatDiagnostic cuts it: the message may quote a megabyte of the input
    super(first ? `${first.file}:${first.line}:${first.col}: ${cut(first.message, MESSAGE_COLS)}` : 'invalid configuration', hint ?? first?.hint);
    this.diagnostics = diagnostics;
  }
}

/** The connection cannot be made: no Xen, no xenstored, not root, bad URI. */
export class ConnectError extends TxlError {}

/**
 * Not a TxlError on purpose: a failure txl has no sentence of its own for, either a bug (a
 * promise the code made itself was broken) or a failure below txl (libc, libxl's allocator)
 * that the caller words (src/xen/errors.ts opError). Uncaught, it is reported with its stack
 * as a bug, exit 1.
 */
export class InternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The user said no at a prompt, or pressed Ctrl-C. */
export class CancelledError extends TxlError {}

export function exitCodeFor(err: unknown): number {
  if (err instanceof CancelledError) return 130;
  if (err instanceof UsageError || err instanceof ConfigError || err instanceof InvalidInputError) return 2;
  return 1;
}

/** Columns of a source line shown around the point of a diagnostic, and the most of a message. */
const EXCERPT_COLS = 120;
const MESSAGE_COLS = 400;
/** Diagnostics printed per file; the rest are counted ("… and N more"). */
export const MAX_DIAGNOSTICS_PER_FILE = 20;

const cut = (s: string, n: number) => (s.length > n ? s.slice(0, n) + '…' : s);

/**
 * One diagnostic as `file:line:col: error: message`, the source line under it and a caret.
 * A long line (minified JSON, a 10 MB string) is shown as a window around the column, so
 * that each diagnostic stays a few hundred bytes whatever the input.
 */
export function formatDiagnostic(d: Diagnostic, color = false): string {
  d = redactDiagnostic(d);
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const sev = d.severity === 'error' ? paint('31;1', 'error') : paint('33;1', 'warning');
  const out = [`${d.file}:${d.line}:${d.col}: ${sev}: ${cut(d.message, MESSAGE_COLS)}`];
  if (d.excerpt !== undefined) {
    const at = Math.max(0, Math.min(d.col - 1, d.excerpt.length));
    const from = d.excerpt.length <= EXCERPT_COLS ? 0 : Math.max(0, Math.min(at - EXCERPT_COLS / 2, d.excerpt.length - EXCERPT_COLS));
    const to = Math.min(d.excerpt.length, from + EXCERPT_COLS);
    const lead = from > 0 ? '…' : '';
    const line = lead + d.excerpt.slice(from, to).replace(/\t/g, ' ') + (to < d.excerpt.length ? '…' : '');
    const width = Math.max(1, Math.min(d.length ?? 1, to - at));
    out.push(`  ${line}`);
    out.push(`  ${' '.repeat(Math.max(0, d.col - 1 - from + lead.length))}${paint('32', '^'.repeat(width))}`);
  }
  if (d.hint) out.push(`  hint: ${cut(d.hint, MESSAGE_COLS)}`);
  return out.join('\n');
}

/** The diagnostics to print: at most MAX_DIAGNOSTICS_PER_FILE of each file, and how many were left out per file. */
function capDiagnostics(ds: Diagnostic[]): { shown: Diagnostic[]; left: Map<string, number> } {
  const seen = new Map<string, number>();
  const left = new Map<string, number>();
  const shown = ds.filter((d) => {
    const n = (seen.get(d.file) ?? 0) + 1;
    seen.set(d.file, n);
    if (n <= MAX_DIAGNOSTICS_PER_FILE) return true;
    left.set(d.file, (left.get(d.file) ?? 0) + 1);
    return false;
  });
  return { shown, left };
}

export function moreLine(file: string, n: number, what = 'diagnostic'): string {
  return `${file}: … and ${n} more ${what}${n === 1 ? '' : 's'} not shown`;
}

/** The lines that print diagnostics: capped per file, each file's count of the rest last. */
export function diagnosticLines(ds: Diagnostic[], color = false): string[] {
  const { shown, left } = capDiagnostics(ds);
  return [...shown.map((d) => formatDiagnostic(d, color)), ...[...left].map(([file, n]) => moreLine(file, n))];
}
