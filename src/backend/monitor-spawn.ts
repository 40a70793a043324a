// Starting a domain's monitor, as xl's create does after building a domain: a detached
// process (its own session, cwd /, output to /var/log/xen/txl-NAME.log) that outlives the
// command. It is the same txl, run with the hidden `domain-monitor` command, and the
// environment of the command that created the domain. (It lives beside the Xen backend that
// starts it, not in src/monitor/, which opens that backend: no folder imports in a circle.)
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { OperationError } from '../core/errors.js';
import type { Environment } from '../env.js';

export const DEFAULT_LOG_DIR = '/var/log/xen';
/** rotated copies kept of a domain's monitor log, as libxl_create_logfile does */
const KEEP = 10;

export function monitorLogDir(env: Environment): string {
  return env.TXL_MONITOR_LOG_DIR || DEFAULT_LOG_DIR;
}

export function monitorLogPath(name: string, dir: string): string {
  return join(dir, `txl-${name}.log`);
}

/** NAME.log -> NAME.log.1 -> ... -> NAME.log.9: each monitor starts a fresh log. */
export function rotateLog(path: string): void {
  for (let i = KEEP - 1; i >= 1; i--) {
    const from = i === 1 ? path : `${path}.${i - 1}`;
    if (existsSync(from)) renameSync(from, `${path}.${i}`);
  }
}

/** The launcher this process was started from (bin/txl), which the monitor runs again. */
export function txlEntry(env: Environment): string {
  return env.TXL_MONITOR_ENTRY || process.argv[1];
}

export interface StartedMonitor {
  pid: number;
  log: string;
}

/** Starts the monitor of a domain that has just been created; returns at once. env: the command's (ctx.env). */
export function startMonitor(domid: number, name: string, env: Environment, extraArgs: string[] = []): StartedMonitor {
  const dir = monitorLogDir(env);
  mkdirSync(dir, { recursive: true });
  const log = monitorLogPath(name, dir);
  rotateLog(log);
  const fd = openSync(log, 'a', 0o644);
  try {
    const child = spawn(process.execPath, [txlEntry(env), 'domain-monitor', ...extraArgs, String(domid)], {
      detached: true,
      stdio: ['ignore', fd, fd],
      cwd: '/',
      env: { ...env, NO_COLOR: '1' },
    });
    child.unref();
    if (!child.pid) throw new OperationError(`could not start the monitor of domain ${domid}`);
    return { pid: child.pid, log };
  } finally {
    closeSync(fd);
  }
}
