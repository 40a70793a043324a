// Progress of long operations on stderr (stdout is kept for data): a spinner, or a bar when
// the total is known, redrawn in place on a terminal; plain lines otherwise (logs, CI);
// nothing at all with -q.
import type { Context } from './context.js';

export interface Progress {
  /** a new message, and optionally how many of the total are done */
  update(message: string, done?: number): void;
  /** one more unit of the total done */
  tick(message?: string): void;
  /** finished well; the last line stays */
  done(message?: string): void;
  /** finished badly; the last line stays */
  fail(message?: string): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const NOOP: Progress = { update() {}, tick() {}, done() {}, fail() {} };

export function progress(ctx: Context, label: string, opts: { total?: number; intervalMs?: number } = {}): Progress {
  if (ctx.quiet) return NOOP;
  const out = ctx.stderr as NodeJS.WriteStream;
  const total = opts.total;
  let count = 0;
  let message = '';
  let finished = false;
  const counter = () => (total ? ` ${count}/${total}` : '');

  if (!out.isTTY || ctx.env.TERM === 'dumb') {
    // One line per change, so a log reads as a history.
    const line = (m: string) => out.write(`${label}:${counter()}${m ? ' ' + m : ''}\n`);
    return {
      update(m, done) {
        if (done !== undefined) count = done;
        if (m !== message) line((message = m));
      },
      tick(m) {
        count++;
        line((message = m ?? message));
      },
      done(m) {
        if (!finished) line(m ?? 'done');
        finished = true;
      },
      fail(m) {
        if (!finished) line(m ?? 'failed');
        finished = true;
      },
    };
  }

  let frame = 0;
  const draw = (final?: string) => {
    const width = Math.max(20, (out.columns || 80) - 1);
    let text: string;
    if (final !== undefined) text = `${label}:${counter()} ${final}`;
    else if (total) {
      const barWidth = Math.min(30, Math.max(10, Math.floor(width / 4)));
      const filled = Math.round((Math.min(count, total) / total) * barWidth);
      text = `${label} [${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]${counter()} ${message}`;
    } else text = `${FRAMES[frame++ % FRAMES.length]} ${label} ${message}`;
    if (text.length > width) text = text.slice(0, width - 1) + '…';
    out.write(`\r\x1b[2K${text}${final !== undefined ? '\n' : ''}`);
  };
  const timer = setInterval(() => draw(), opts.intervalMs ?? 100);
  timer.unref();
  draw();
  const finish = (m: string) => {
    if (finished) return;
    finished = true;
    clearInterval(timer);
    draw(m);
  };
  return {
    update(m, done) {
      message = m;
      if (done !== undefined) count = done;
      draw();
    },
    tick(m) {
      count++;
      if (m !== undefined) message = m;
      draw();
    },
    done: (m) => finish(m ?? 'done'),
    fail: (m) => finish(m ?? 'failed'),
  };
}

/** Runs fn with a progress display that ends as done or failed with it. */
export async function withProgress<T>(ctx: Context, label: string, fn: (p: Progress) => Promise<T>, opts: { total?: number } = {}): Promise<T> {
  const p = progress(ctx, label, opts);
  try {
    const result = await fn(p);
    p.done();
    return result;
  } catch (e) {
    p.fail();
    throw e;
  }
}
