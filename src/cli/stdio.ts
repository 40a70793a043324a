// The process's own stdout and stderr failing under txl: only the entry (bin/txl) may end
// the process for it, so this lives with the entry, not with the commands (src/run.ts).
import { writeSync } from 'node:fs';

const guarded = new WeakSet<NodeJS.WritableStream>();

/** `txl list | head`: a reader that goes away is not an error, and must not print a stack. */
export function guardStdio(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (guarded.has(stream)) continue;
    guarded.add(stream);
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      // `txl list > /dev/full`: one line, straight to fd 2 (the stream may be the one failing)
      const name = stream === process.stdout ? 'standard output' : 'standard error';
      const why = err.code === 'ENOSPC' ? 'no space left on device' : err.code === 'EIO' ? 'input/output error' : err.message;
      try {
        writeSync(2, `txl: error: cannot write ${name}: ${why}\n`);
      } catch {
        /* stderr is gone too: the exit code must say it */
      }
      process.exit(1);
    });
  }
}
