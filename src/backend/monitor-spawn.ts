// Starting a domain's monitor, as xl's create does after building a domain: a detached
// process (its own session, cwd /, output to /var/log/xen/txl-NAME.log) that outlives the
// command. It is the same txl, run with the hidden `domain-monitor` command.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, renameSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_LOG_DIR = '/var/log/xen';
/** rotated copies kept of a domain's monitor log, as libxl_create_logfile does */
const KEEP = 10;

export function monitorLogDir(): string {
  return process.env.TXL_MONITOR_LOG_DIR || DEFAULT_LOG_DIR;
}

export function monitorLogPath(name: string, dir = monitorLogDir()): string {
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
export function txlEntry(): string {
  return process.env.TXL_MONITOR_ENTRY || process.argv[1];
}

export interface StartedMonitor {
  pid: number;
  log: string;
}

/** Starts the monitor of a domain that has just been created; returns at once. */
export function startMonitor(domid: number, name: string, extraArgs: string[] = []): StartedMonitor {
  const dir = monitorLogDir();
  mkdirSync(dir, { recursive: true });
  const log = monitorLogPath(name, dir);
  rotateLog(log);
  const fd = openSync(log, 'a', 0o644);
  try {
    const child = spawn(process.execPath, [txlEntry(), 'domain-monitor', ...extraArgs, String(domid)], {
      detached: true,
      stdio: ['ignore', fd, fd],
      cwd: '/',
      env: { ...process.env, NO_COLOR: '1' },
    });
    child.unref();
    if (!child.pid) throw new Error(`could not start the monitor of domain ${domid}`);
    return { pid: child.pid, log };
  } finally {
    closeSync(fd);
  }
}
