// Everything a command may know about how it was invoked; built once by the cli.
import { processEnvironment, type Environment } from './env.js';
import { formatDiagnostic, MAX_DIAGNOSTICS_PER_FILE, moreLine, type Diagnostic } from './core/errors.js';

export type OutputFormat = 'text' | 'table' | 'json' | 'yaml';

export interface Context {
  connect?: string;
  output?: OutputFormat;
  dryRun: boolean;
  yes: boolean;
  verbose: number;
  quiet: boolean;
  color: boolean;
  /** stdin and stdout are both terminals: prompts and progress bars are allowed */
  interactive: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  warn(d: Diagnostic | string): void;
  /** says how many warnings of each file warn() left out (at most MAX_DIAGNOSTICS_PER_FILE are shown) */
  warnSummary?(): void;
  info(msg: string): void;
  debug(level: number, msg: string): void;
  /** the environment, read once by the entry (src/env.ts): the only one a command looks at */
  env: Environment;
}

export interface ContextOptions {
  connect?: string;
  output?: OutputFormat;
  dryRun?: boolean;
  yes?: boolean;
  verbose?: number;
  quiet?: boolean;
  color?: boolean;
}

export interface ContextIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: { isTTY?: boolean };
  env?: Environment;
}

export function makeContext(o: ContextOptions, io: ContextIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }): Context {
  const env = io.env ?? processEnvironment();
  const stdoutTty = Boolean((io.stdout as NodeJS.WriteStream).isTTY);
  const stderrTty = Boolean((io.stderr as NodeJS.WriteStream).isTTY);
  const colorAllowed = o.color !== false && !env.NO_COLOR && env.TERM !== 'dumb';
  const perFile = new Map<string, number>();
  const ctx: Context = {
    connect: o.connect,
    output: o.output,
    dryRun: Boolean(o.dryRun),
    yes: Boolean(o.yes),
    verbose: o.verbose ?? 0,
    quiet: Boolean(o.quiet),
    color: colorAllowed && stdoutTty,
    interactive: Boolean((io.stdin as NodeJS.ReadStream).isTTY) && stdoutTty,
    stdout: io.stdout,
    stderr: io.stderr,
    env,
    warn(d) {
      if (ctx.quiet) return;
      if (typeof d !== 'string') {
        const n = (perFile.get(d.file) ?? 0) + 1;
        perFile.set(d.file, n);
        if (n > MAX_DIAGNOSTICS_PER_FILE) return;
      }
      const text = typeof d === 'string' ? `txl: warning: ${d}` : formatDiagnostic(d, colorAllowed && stderrTty);
      io.stderr.write(text + '\n');
    },
    warnSummary() {
      for (const [file, n] of perFile) if (n > MAX_DIAGNOSTICS_PER_FILE) io.stderr.write(moreLine(file, n - MAX_DIAGNOSTICS_PER_FILE, 'warning') + '\n');
      perFile.clear();
    },
    info(msg) {
      if (!ctx.quiet) io.stderr.write(msg + '\n');
    },
    debug(level, msg) {
      if (ctx.verbose >= level) io.stderr.write(`txl: debug: ${msg}\n`);
    },
  };
  return ctx;
}
