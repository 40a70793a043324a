// Guest consoles on Xen: attaching is xenconsole's job (what libxl_console_exec execs), run
// as a child with the terminal handed over; the log of past output exists only when
// xenconsoled keeps one (XENCONSOLED_TRACE=guest).
import { lazyRequire } from '../require.js';
import { existsSync, readFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import { OperationError } from '../core/errors.js';
import type { Environment } from '../env.js';

export function xenconsolePath(version: string): string | undefined {
  const dirs = [`/usr/lib/xen-${version}/bin`, '/usr/lib/xen/bin', '/usr/libexec/xen/bin', '/usr/local/lib/xen/bin'];
  return dirs.map((d) => `${d}/xenconsole`).find((p) => existsSync(p));
}

export type ConsoleType = 'pv' | 'serial' | 'vuart';

/**
 * Runs xenconsole on the caller's terminal, in the command's environment (env: its TERM),
 * until the user leaves it (Ctrl-]) or the domain goes.
 */
export function attachConsole(version: string, domid: number, type: ConsoleType, num: number, env: Environment, signal?: AbortSignal): Promise<void> {
  const bin = xenconsolePath(version);
  if (!bin) throw new OperationError(`xenconsole is not installed (looked in /usr/lib/xen-${version}/bin and /usr/lib/xen/bin)`, 'install Xen\'s tools: apt install xen-utils-' + version);
  return new Promise((resolve, reject) => {
    const { spawn } = lazyRequire('node:child_process') as typeof import('node:child_process');
    const child = spawn(bin, [String(domid), '--num', String(num), '--type', type], { stdio: 'inherit', env });
    const stop = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', stop, { once: true });
    child.on('error', (e) => reject(new OperationError(`cannot run ${bin}: ${e.message}`)));
    child.on('exit', (code, sig) => {
      signal?.removeEventListener('abort', stop);
      if (code === 0 || sig === 'SIGTERM' || signal?.aborted) resolve();
      // xenconsole puts the terminal in raw mode and reads keystrokes from it, as xl runs it
      else if (!isatty(0)) reject(new OperationError(`xenconsole could not attach to ${type} console ${num} of domain ${domid} without a terminal on stdin (status ${code ?? sig})`, "run it from a terminal or under script(1) (script -qc 'txl console NAME' /dev/null); 'txl console --log NAME' prints the log without attaching"));
      else reject(new OperationError(`xenconsole ended with ${code !== null ? `status ${code}` : `signal ${sig}`}`, `is domain ${domid} running, and does it have a ${type} console ${num}?`));
    });
  });
}

export const CONSOLE_LOG_DIR = '/var/log/xen/console';

/** What xenconsoled logged of the guest's console, or an error saying how to get it. */
export function consoleLog(name: string): string {
  const path = `${CONSOLE_LOG_DIR}/guest-${name}.log`;
  if (!existsSync(path)) {
    throw new OperationError(
      `no console log is kept for '${name}' (${path} does not exist)`,
      "attach to the live console with 'txl console NAME', or have xenconsoled keep logs (XENCONSOLED_TRACE=guest in /etc/default/xencommons)",
    );
  }
  return readFileSync(path, 'utf8');
}
