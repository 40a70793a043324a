// Running one parsed command and reporting its failure: shared by commander's path (cli.ts)
// and the fast path (fast-parse.ts), so that both print and exit exactly alike. No commander here.
import type { CommandDef } from './command.js';
import type { Context } from './context.js';
import { CancelledError, ConfigError, TxlError, exitCodeFor, formatDiagnostic } from './errors.js';
import { render } from './output.js';

export async function runCommand(def: CommandDef, ctx: Context, args: Record<string, unknown>, opts: Record<string, unknown>): Promise<void> {
  const result = await def.run({ ctx, args, opts });
  if (result) {
    const text = await render(result, ctx, def);
    if (text) ctx.stdout.write(text);
    if (result.exitCode) process.exitCode = result.exitCode;
  }
}

/** Prints a command's error the one txl way and returns the exit code for it. */
export function reportError(err: unknown, stderr: NodeJS.WritableStream): number {
  const color = Boolean((stderr as NodeJS.WriteStream).isTTY) && !process.env.NO_COLOR;
  if (err instanceof ConfigError && err.diagnostics.length) {
    for (const d of err.diagnostics) stderr.write(formatDiagnostic(d, color) + '\n');
    const n = err.diagnostics.filter((d) => d.severity === 'error').length;
    stderr.write(`txl: error: ${err.message}${n > 1 ? ` (and ${n - 1} more)` : ''}\n`);
    return exitCodeFor(err);
  }
  if (err instanceof CancelledError) {
    stderr.write(`txl: ${err.message || 'cancelled'}\n`);
    return exitCodeFor(err);
  }
  if (err instanceof TxlError) {
    stderr.write(`txl: error: ${err.message}\n`);
    if (err.hint) stderr.write(`  hint: ${err.hint}\n`);
    return exitCodeFor(err);
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EPIPE') return 0;
  stderr.write(`txl: error: internal error: ${e?.stack ?? String(err)}\n  hint: this is a bug in txl; please report it with the command you ran\n`);
  return 1;
}

/** `txl list | head`: a reader that goes away is not an error, and must not print a stack. */
export function guardStdio(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (guarded.has(stream)) continue;
    guarded.add(stream);
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
}
const guarded = new WeakSet<NodeJS.WritableStream>();
