// The body of the hidden `txl domain-monitor DOMID` command: the monitor process of one
// domain on Xen. It builds its own Context at its start: its stderr is the log (one
// timestamped line per step; startMonitor points fd 2 at the log file), its environment the
// one the entry read. It reaches libxl through the same layers as `txl create` (the boot
// policy, the hooks: composeBackend), so that a domain it re-creates is checked as any other.
import { Writable } from 'node:stream';
import { composeBackend } from '../backend/index.js';
import { openXen } from '../backend/xen.js';
import { makeContext, type Context } from '../context.js';
import { NotFoundError } from '../core/errors.js';
import { DEFAULT_REBOOT_LIMIT, parseRebootLimit } from '../core/reboot-limit.js';
import type { Environment } from '../env.js';
import { writeAll } from '../fsutil.js';
import { hookRunner } from '../hooks-backend.js';
import { endProcess } from '../interrupt.js';
import { runMonitor, type MonitorOptions, type MonitorOutcome } from './loop.js';
import { XenMonitorHost } from './xen.js';

const URI = 'xen:///system';

export interface RunOptions {
  /** "count/seconds" */
  rebootLimit?: string;
  /** seconds before re-creating a domain */
  restartDelay?: number;
  dumpDir?: string;
}

/** fd 2, which startMonitor points at the log file */
function toFd2(text: string): void {
  writeAll(2, text);
}

/**
 * The log: each write is one entry, stamped with the time. A full disk must not stop the
 * monitor (process.stderr would end it through its error handler): the line is lost, the
 * domain is still looked after.
 */
function logStream(write: (text: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      try {
        write(`${new Date().toISOString()} ${chunk.toString()}`);
      } catch {
        /* the log's filesystem is full or gone */
      }
      done();
    },
  });
}

/** The monitor's own Context: never quiet, nothing for a terminal, warnings as log lines. */
export function monitorContext(env: Environment, write: (text: string) => void = toFd2): Context {
  const log = logStream(write);
  const ctx = makeContext({ color: false }, { stdout: log, stderr: log, stdin: { isTTY: false }, env });
  ctx.warn = (d) => ctx.info(`warning: ${typeof d === 'string' ? d : d.message}`);
  return ctx;
}

/** env: the environment the entry read (the monitor's process has the one of the create that started it). */
export async function monitorDomain(domid: number, o: RunOptions, env: Environment): Promise<MonitorOutcome> {
  const ctx = monitorContext(env);
  const log = (line: string) => ctx.info(line);
  const raw = await openXen(URI, env, ctx.stderr);
  const stop = (sig: NodeJS.Signals) => {
    log(`Monitor of domain ${domid} stopped by ${sig}`);
    // libxl_event_wait holds a thread that no signal wakes: only the entry can end the process
    endProcess(0);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  const be = composeBackend(ctx, raw);
  try {
    let config;
    try {
      await raw.domainInfo(domid);
      config = await raw.domainConfig(domid);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      log(`Domain ${domid} is gone: nothing to monitor`);
      return { code: 0, why: 'gone', domid, restarts: 0 };
    }
    const limit = parseRebootLimit(o.rebootLimit ?? env.TXL_REBOOT_LIMIT) ?? DEFAULT_REBOOT_LIMIT;
    const run = hookRunner(be);
    const hooks: MonitorOptions['hooks'] = run && (async (phase, target, cfg) => run(phase, target.name, target.domid, async () => cfg));
    return await runMonitor(new XenMonitorHost(raw.lx, log, be), {
      domid,
      config,
      log,
      hooks,
      rebootLimit: limit,
      restartDelayMs: (o.restartDelay ?? 2) * 1000,
      dumpDir: o.dumpDir ?? env.TXL_DUMP_DIR ?? '/var/lib/xen/dump',
    });
  } catch (e) {
    log(`Monitor of domain ${domid} failed: ${(e as Error).message}`);
    return { code: 1, why: (e as Error).message, domid, restarts: 0 };
  } finally {
    await be.close();
  }
}
