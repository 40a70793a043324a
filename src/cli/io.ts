// What one run of the CLI talks to: the real process's streams and environment (bin/txl), or
// in-memory ones (test/support/inproc.ts runs commands without starting a process).
import type { Environment } from '../env.js';

export interface CliIo {
  /** the environment, read once: never process.env below the entry */
  env: Environment;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** only whether it is a terminal: input itself is read from fd 0 (src/readlimit.ts) */
  stdin: { isTTY?: boolean };
  /** the working directory for this run; the process's own when absent */
  cwd?: string;
}

/** How long `txl __complete` may take before it completes nothing (a hung connection). */
export function completeTimeout(env: Environment): number {
  return Number(env.TXL_COMPLETE_TIMEOUT_MS) || 3000;
}
