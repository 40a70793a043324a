// The process-level half of signal handling: a second Ctrl-C ends the process at once (130),
// and the monitor ends on SIGTERM (0). Only the entry may end the process, so it hands this in
// (src/interrupt.ts decides when; this says how).
import { writeSync } from 'node:fs';
import { setProcessEnd } from '../interrupt.js';

export function installProcessEnd(): void {
  setProcessEnd({
    exit: (code) => process.exit(code),
    // straight to fd 2: the process ends right after, and a stream might not have flushed
    note: (line) => {
      try {
        writeSync(2, line);
      } catch {
        /* stderr is gone: the exit code still says it */
      }
    },
    interactive: Boolean(process.stderr.isTTY),
  });
}
