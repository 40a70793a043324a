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
    super(first ? `${first.file}:${first.line}:${first.col}: ${first.message}` : 'invalid configuration', hint ?? first?.hint);
    this.diagnostics = diagnostics;
  }
}

/** The connection cannot be made: no Xen, no xenstored, not root, bad URI. */
export class ConnectError extends TxlError {}

/** The user said no at a prompt, or pressed Ctrl-C. */
export class CancelledError extends TxlError {}

export function exitCodeFor(err: unknown): number {
  if (err instanceof CancelledError) return 130;
  if (err instanceof UsageError || err instanceof ConfigError || err instanceof InvalidInputError) return 2;
  return 1;
}

export function formatDiagnostic(d: Diagnostic, color = false): string {
  d = redactDiagnostic(d);
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const sev = d.severity === 'error' ? paint('31;1', 'error') : paint('33;1', 'warning');
  const out = [`${d.file}:${d.line}:${d.col}: ${sev}: ${d.message}`];
  if (d.excerpt !== undefined) {
    const line = d.excerpt.replace(/\t/g, ' ');
    out.push(`  ${line}`);
    out.push(`  ${' '.repeat(Math.max(0, d.col - 1))}${paint('32', '^'.repeat(Math.max(1, d.length ?? 1)))}`);
  }
  if (d.hint) out.push(`  hint: ${d.hint}`);
  return out.join('\n');
}
