// events: domain state changes as they happen, one line (or one JSON object) per event,
// written as each arrives. Ends after --count events, after --timeout seconds, on Ctrl-C or
// SIGTERM, or when the reader of a pipe goes away (`txl events | head -3`), always cleanly.
import { setMaxListeners } from 'node:events';
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { DomainEvent } from '../core/backend-types.js';
import { UsageError } from '../core/errors.js';
import { withBackend } from './connect.js';

export interface EventsOpts { json?: boolean; timeout?: string; count?: string; since?: string; domain?: string }

function positive(v: string | undefined, what: string, integer: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!v.trim() || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) throw new UsageError(`${what} must be a ${integer ? 'whole ' : ''}number of 0 or more, not '${v}'`);
  return n;
}

/** One event as a line: time, type, domain name and id, then what the backend says about it. */
export function eventLine(e: DomainEvent): string {
  const extra = [e.reason ? `reason=${e.reason}` : '', e.detail ?? ''].filter(Boolean).join(' ');
  return `${new Date(e.time).toISOString()} ${e.type} ${e.name} ${e.domid ?? '-'}${extra ? ' ' + extra : ''}`;
}

export async function streamEvents(ctx: Context, opts: EventsOpts): Promise<Result | void> {
  const timeout = positive(opts.timeout, '--timeout', false);
  const count = positive(opts.count, '--count', true);
  const since = positive(opts.since, '--since', true);
  const format = opts.json || ctx.output === 'json' ? 'json' : ctx.output === 'yaml' ? 'yaml' : 'text';
  const YAML = format === 'yaml' ? await (await import('../yaml.js')).loadYaml() : undefined;
  return withBackend(ctx, async (be) => {
    const want = opts.domain ? await be.lookup(opts.domain) : undefined;
    const ac = new AbortController();
    const stop = () => ac.abort();
    const out = ctx.stdout;
    const onError = (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') stop();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    out.on('error', onError);
    const timer = timeout !== undefined ? setTimeout(stop, timeout * 1000) : undefined;
    let seen = 0;
    try {
      if (count === 0) return;
      ctx.debug(1, `listening for events on ${be.uri}`);
      // Each wait also races the next event against the stop, so that a stop is immediate
      // however the backend waits between polls. The simulator adds an abort listener per
      // poll, hence no listener limit on this long-lived signal.
      setMaxListeners(0, ac.signal);
      const it = be.events({ since, signal: ac.signal })[Symbol.asyncIterator]();
      const stopped = new Promise<null>((r) => (ac.signal.aborted ? r(null) : ac.signal.addEventListener('abort', () => r(null), { once: true })));
      try {
        for (;;) {
          const next = await Promise.race([it.next(), stopped]);
          if (next === null || next.done) break;
          const e = next.value;
          if (want && e.uuid !== want.uuid && e.name !== want.name) continue;
          const text = format === 'json' ? JSON.stringify(e) + '\n' : format === 'yaml' ? '---\n' + YAML!.stringify(e) : eventLine(e) + '\n';
          if (!out.write(text)) await Promise.race([new Promise((r) => out.once('drain', r)), stopped]);
          seen += 1;
          if (count !== undefined && seen >= count) break;
        }
      } finally {
        void it.return?.(undefined);
      }
    } finally {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // the error listener stays: a write still in flight may yet fail with EPIPE
    }
  });
}
