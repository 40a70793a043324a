// `txl create FILE...` on a connection: parse each config, create the domain, and optionally
// stay with it (-c console, -F foreground) as xl does.
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { Backend } from '../core/backend-types.js';
import { SHUTDOWN_REASON_CODES } from '../core/backend-types.js';
import { TxlError } from '../core/errors.js';
import { acknowledgeInterrupt, explain, installInterruptHandler, interruptRequested, interruptSignal, InterruptedError, settleAndCheck, undoing } from '../interrupt.js';
import { readDomainFile } from '../formats.js';
import { withBackend } from './connect.js';
import { hostOf } from './parse-host.js';
import { confusableWarning } from '../confusables.js';

export interface CreateOptions {
  dryRun?: boolean;
  n?: boolean;
  config?: string;
  paused?: boolean;
  console?: boolean;
  foreground?: boolean;
  monitor?: boolean;
  jobs?: number;
}

export interface Created { file: string; domid: number; name: string; uuid: string }

export async function createOnBackend(ctx: Context, files: string[], overrides: string[], opts: CreateOptions): Promise<Result> {
  // a signal undoes a half-done create (interrupt.ts); installed here for every entry path
  installInterruptHandler();
  return withBackend(ctx, async (be) => {
    const jobs = Math.max(1, Math.min(opts.jobs ?? 1, files.length));
    const results: (Created | Error)[] = new Array(files.length);
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const i = next++;
        try {
          results[i] = await createOne(ctx, be, files[i], overrides, opts);
        } catch (e) {
          if (files.length === 1) throw e;
          results[i] = e as Error;
          // a signal stops the whole batch: no further file is started
          if (e instanceof InterruptedError) next = files.length;
        }
      }
    };
    await Promise.all(Array.from({ length: jobs }, worker));
    if (results.some((r) => r instanceof InterruptedError)) throw interruptedBatch(files, results);
    const ok = results.filter((r): r is Created => !(r instanceof Error));
    const failed = results.map((r, i) => [files[i], r] as const).filter(([, r]) => r instanceof Error) as [string, Error][];
    for (const [file, e] of failed) {
      ctx.stderr.write(`txl: error: ${file}: ${e.message}\n`);
      if (e instanceof TxlError && e.hint) ctx.stderr.write(`  hint: ${e.hint}\n`);
    }
    if (ok.length === 1 && files.length === 1) {
      if (opts.console) await followConsole(ctx, be, ok[0].domid);
      if (opts.foreground) {
        await waitForDeath(ctx, be, ok[0]).catch((e) => {
          throw explain(e, `stopped waiting; domain '${ok[0].name}' keeps running`);
        });
      }
    }
    return { data: files.length === 1 ? ok[0] : ok, text: '', exitCode: failed.length ? 1 : 0 };
  });
}

async function createOne(ctx: Context, be: Backend, file: string, overrides: string[], opts: CreateOptions): Promise<Created> {
  ctx.info(`Parsing config from ${file === '-' ? '<stdin>' : file}`);
  // reading the host waits for the host's lock like the create itself: a signal there has
  // changed nothing yet
  const { config, warnings } = await readDomainFile(file, ctx.env, { overrides }, hostOf(be, (e) => explain(e, `nothing was created from ${file}`)));
  warnings.forEach((w) => ctx.warn(w));
  const name = config.c_info?.name ?? file;
  const lookalike = await confusableWarning(be, config.c_info?.name);
  if (lookalike) ctx.warn(lookalike);
  let domid: number;
  try {
    domid = await be.create(config, { paused: opts.paused, noMonitor: opts.monitor === false });
  } catch (e) {
    throw explain(e, `domain '${name}' was not created`);
  }
  // until the command has said it is done, a signal undoes the whole create
  try {
    await settleAndCheck();
    const info = await be.domainInfo(domid);
    await settleAndCheck();
    ctx.debug(1, `created domain '${info.name}' with domid ${domid}`);
    return { file, domid, name: info.name, uuid: info.uuid };
  } catch (e) {
    if (!(e instanceof InterruptedError)) throw e;
    await undoing(() => be.destroy(domid)).catch(() => undefined);
    throw explain(e, `domain '${name}' (domid ${domid}) was destroyed`);
  }
}

/** One message for a batch: what a signal undid or stopped, and what was done before it. */
function interruptedBatch(files: string[], results: (Created | Error)[]): InterruptedError {
  const parts: string[] = [];
  const done = results.filter((r): r is Created => r !== undefined && !(r instanceof Error)).map((r) => `'${r.name}'`);
  results.forEach((r, i) => {
    if (r instanceof InterruptedError) parts.push(`${files[i]}: ${r.message.replace(/^interrupted: /, '')}`);
  });
  const skipped = files.filter((_, i) => results[i] === undefined);
  if (skipped.length) parts.push(`not started: ${skipped.join(', ')}`);
  if (done.length) parts.push(`created before the signal and kept: ${done.join(', ')}`);
  const e = results.find((r): r is InterruptedError => r instanceof InterruptedError)!;
  const out = new InterruptedError(e.signal);
  explain(out, parts.join('; '));
  return out;
}

async function followConsole(ctx: Context, be: Backend, domid: number): Promise<void> {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  try {
    for await (const chunk of be.console(domid, { follow: ctx.interactive, signal: ac.signal })) ctx.stdout.write(chunk);
  } catch (e) {
    // Ctrl-C leaves the console; the domain was created and stays
    if (!(e instanceof InterruptedError && ac.signal.aborted)) throw explain(e, `left the console; domain ${domid} keeps running`);
  } finally {
    process.off('SIGINT', stop);
    if (ac.signal.aborted) acknowledgeInterrupt();
  }
}

/** xl create -F: stay until the domain is gone, reporting as xl's monitor does. */
async function waitForDeath(ctx: Context, be: Backend, d: Created): Promise<void> {
  ctx.info(`Waiting for domain ${d.name} (domid ${d.domid}) to die [pid ${process.pid}]`);
  let domid = d.domid;
  let reason: string | undefined;
  // aborted before leaving the loop: a backend that polls ends its wait at once; Ctrl-C
  // ends it too (the simulator's reads notice the signal themselves)
  const ac = new AbortController();
  const signal = AbortSignal.any([ac.signal, interruptSignal()]);
  try {
    for await (const ev of be.events({ signal })) {
      if (ev.name !== d.name && ev.domid !== domid) continue;
      if (ev.type === 'restart' && ev.domid !== null) {
        domid = ev.domid;
        ctx.info(`Domain ${d.name} restarted as domid ${domid}`);
      } else if (ev.type === 'destroy' && ev.domid === domid) {
        ctx.info(`Domain ${domid} has been destroyed.`);
        const again = await restarted(be, d.name, reason);
        if (again === undefined) return;
        domid = again;
      } else if (ev.type === 'shutdown' || ev.type === 'crash' || ev.type === 'watchdog' || ev.type === 'reboot') {
        reason = ev.reason;
        ctx.info(`Domain ${ev.domid} has shut down, reason code ${ev.reason ? SHUTDOWN_REASON_CODES[ev.reason] : '?'}`);
      }
    }
    if (interruptRequested()) throw new InterruptedError();
  } finally {
    ac.abort();
  }
}

/**
 * The domid of the domain's restart, if its monitor makes one. The simulator restarts in the
 * same step as the destroy; on Xen the monitor destroys, then creates, so after a shutdown
 * other than a power-off the new domain is given a moment to appear.
 */
async function restarted(be: Backend, name: string, reason: string | undefined): Promise<number | undefined> {
  const deadline = Date.now() + (reason && reason !== 'poweroff' && be.kind === 'xen' ? 20_000 : 0);
  for (;;) {
    const again = (await be.listDomains()).find((x) => x.name === name);
    if (again) return again.domid;
    if (Date.now() >= deadline) return undefined;
    await new Promise((r) => setTimeout(r, 500));
  }
}
