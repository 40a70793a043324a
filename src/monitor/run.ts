// The body of the hidden `txl domain-monitor DOMID` command: the monitor process of one
// domain on Xen. Logs one line per step (stderr, which startMonitor points at the log file).
import { writeAll } from '../fsutil.js';
import type { Libxl } from '../../bindings/context.js';
import { NotFoundError } from '../core/errors.js';
import { runHooks, withConfigFile } from '../hooks.js';
import { connectError } from '../xen/errors.js';
import { modelToLibxlJson } from '../../parsers/libxl-json.js';
import * as dom from '../xen/domains.js';
import { runMonitor, type MonitorOptions, type MonitorOutcome } from './loop.js';
import { DEFAULT_REBOOT_LIMIT, parseRebootLimit } from '../core/reboot-limit.js';
import { XenMonitorHost } from './xen.js';

export interface RunOptions {
  /** "count/seconds" */
  rebootLimit?: string;
  /** seconds before re-creating a domain */
  restartDelay?: number;
  dumpDir?: string;
}

/**
 * A full disk must not stop the monitor (process.stderr would end it through its error
 * handler): the line is lost, the domain is still looked after.
 */
export function monitorLog(line: string): void {
  try {
    writeAll(2, `${new Date().toISOString()} ${line}\n`);
  } catch {
    /* the log's filesystem is full or gone */
  }
}

export async function monitorDomain(domid: number, o: RunOptions = {}): Promise<MonitorOutcome> {
  let lx: Libxl;
  try {
    const { Libxl: L } = await import('../../bindings/index.js');
    lx = await L.open();
  } catch (e) {
    throw connectError(e, 'xen:///system');
  }
  const stop = (sig: string) => {
    monitorLog(`Monitor of domain ${domid} stopped by ${sig}`);
    process.exit(0);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  try {
    let config;
    try {
      await dom.domainInfo(lx, domid);
      config = await dom.domainConfig(lx, domid);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      monitorLog(`Domain ${domid} is gone: nothing to monitor`);
      return { code: 0, why: 'gone', domid, restarts: 0 };
    }
    const limit = parseRebootLimit(o.rebootLimit ?? process.env.TXL_REBOOT_LIMIT) ?? DEFAULT_REBOOT_LIMIT;
    const hooks: MonitorOptions['hooks'] = async (phase, target, cfg) => {
      await withConfigFile(modelToLibxlJson(cfg), (path) =>
        runHooks(phase, { ...target, config: path }, { uri: 'xen:///system', onWarning: (w) => monitorLog(`warning: ${w}`) }));
    };
    return await runMonitor(new XenMonitorHost(lx, monitorLog), {
      domid,
      config,
      log: monitorLog,
      hooks,
      rebootLimit: limit,
      restartDelayMs: (o.restartDelay ?? 2) * 1000,
      dumpDir: o.dumpDir ?? process.env.TXL_DUMP_DIR ?? '/var/lib/xen/dump',
    });
  } catch (e) {
    monitorLog(`Monitor of domain ${domid} failed: ${(e as Error).message}`);
    return { code: 1, why: (e as Error).message, domid, restarts: 0 };
  } finally {
    await lx.close();
  }
}
