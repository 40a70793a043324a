// A progress bar for save and restore: libxl (through libxl-save-helper, which shares our
// file description) moves the fd's position as it writes or reads the image, and Linux
// shows that position in /proc/self/fdinfo. Only on a terminal: logs get xl's lines.
import { fstatSync, readFileSync } from 'node:fs';
import type { Context } from './context.js';
import { progress } from './progress.js';

/** The fd's file position, or undefined where /proc cannot tell (not Linux, a pipe). */
export function fdPosition(fd: number): number | undefined {
  try {
    const m = /^pos:\s*(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export interface FdProgress {
  done(): void;
  fail(): void;
}

const MiB = 1024 * 1024;

/**
 * Shows how far an operation on fd has got, in MiB of `totalBytes` (for a save, the
 * domain's memory; for a restore, pass undefined: the file's size). Call done() or fail().
 */
export function trackFd(ctx: Context, fd: number, label: string, totalBytes?: number, intervalMs = 250): FdProgress {
  const stderr = ctx.stderr as NodeJS.WriteStream;
  if (!stderr.isTTY || ctx.quiet) return { done() {}, fail() {} };
  let total = totalBytes;
  if (total === undefined) {
    try {
      const st = fstatSync(fd);
      if (st.isFile()) total = st.size;
    } catch {
      /* no total: a spinner then */
    }
  }
  const start = fdPosition(fd) ?? 0;
  const totalMiB = total ? Math.max(1, Math.ceil((total - (totalBytes === undefined ? start : 0)) / MiB)) : undefined;
  const p = progress(ctx, label, { total: totalMiB });
  const tick = () => {
    const pos = fdPosition(fd);
    if (pos === undefined) return;
    const mib = Math.floor((pos - start) / MiB);
    p.update(`${mib} MiB`, totalMiB ? Math.min(mib, totalMiB) : undefined);
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    done() {
      clearInterval(timer);
      tick();
      p.done();
    },
    fail() {
      clearInterval(timer);
      p.fail();
    },
  };
}
