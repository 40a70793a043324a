// Running one parsed command and reporting its failure: shared by commander's path (cli.ts)
// and the fast path (fast-parse.ts), so that both print and exit exactly alike. No commander here.
import type { CommandDef } from './command.js';
import type { Context } from './context.js';
import { readFileSync, readlinkSync } from 'node:fs';
import { CancelledError, ConfigError, OperationError, TxlError, diagnosticLines, exitCodeFor } from './core/errors.js';
import { render } from './output.js';
import { processEnvironment, type Environment } from './env.js';
import { setWriteFaults } from './fsutil.js';

/** Runs the command and returns its exit code (an error is thrown, for reportError). */
export async function runCommand(def: CommandDef, ctx: Context, args: Record<string, unknown>, opts: Record<string, unknown>): Promise<number> {
  // every file write of the command follows its own TXL_WRITE_FAIL, not an earlier command's
  setWriteFaults(ctx.env.TXL_WRITE_FAIL);
  let result;
  try {
    result = await def.run({ ctx, args, opts });
  } finally {
    ctx.warnSummary?.();
  }
  if (result) {
    const text = await render(result, ctx, def);
    if (text) {
      if (ctx.stdout === process.stdout && stdoutClosed()) throw new OperationError('cannot write standard output: it is closed');
      ctx.stdout.write(text);
    }
    return result.exitCode ?? 0;
  }
  return 0;
}

/**
 * An error names what it failed on, and that may be as long as the input (a 100 KiB path in
 * an environment variable): a message is cut, never its first 2000 characters.
 */
export function clip(text: string, max = 2000): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/**
 * Prints a command's error the one txl way and returns the exit code for it. env: the
 * command's environment (NO_COLOR); the process's own when the entry has none to give.
 */
export function reportError(err: unknown, stderr: NodeJS.WritableStream, env: Environment = processEnvironment()): number {
  const color = Boolean((stderr as NodeJS.WriteStream).isTTY) && !env.NO_COLOR;
  if (err instanceof ConfigError && err.diagnostics.length) {
    for (const line of diagnosticLines(err.diagnostics, color)) stderr.write(line + '\n');
    const n = err.diagnostics.filter((d) => d.severity === 'error').length;
    stderr.write(`txl: error: ${err.message}${n > 1 ? ` (and ${n - 1} more)` : ''}\n`);
    return exitCodeFor(err);
  }
  if (err instanceof CancelledError) {
    stderr.write(`txl: ${err.message || 'cancelled'}\n`);
    return exitCodeFor(err);
  }
  if (err instanceof TxlError) {
    stderr.write(`txl: error: ${clip(err.message)}\n`);
    if (err.hint) stderr.write(`  hint: ${clip(err.hint)}\n`);
    return exitCodeFor(err);
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EPIPE') return 0;
  stderr.write(`txl: error: internal error: ${e?.stack ?? String(err)}\n  hint: this is a bug in txl; please report it with the command you ran\n`);
  return 1;
}

/**
 * `txl list >&-`: Node replaces a closed fd 1 by /dev/null opened read-write before any of
 * txl runs, so output would vanish with exit 0. A shell's `> /dev/null` opens it write-only,
 * but programs discard output with a read-write /dev/null too (Python's DEVNULL, systemd's
 * StandardOutput=null): only at a terminal, where an admin typed the redirection, is a
 * read-write /dev/null taken for a closed stdout.
 */
function stdoutClosed(): boolean {
  try {
    if (!process.stderr.isTTY || readlinkSync('/proc/self/fd/1') !== '/dev/null') return false;
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync('/proc/self/fdinfo/1', 'latin1'));
    return flags !== null && (parseInt(flags[1], 8) & 3) === 2;
  } catch {
    return false;
  }
}
