// libxl failures as txl errors: one sentence that says what failed and what to do, built
// from libxl's return code and the lines it logged during the call.
import { existsSync, readFileSync } from 'node:fs';
import { ConnectError, NotFoundError, OperationError, TxlError } from '../core/errors.js';
import type { LogLine } from '../../bindings/log.js';

// Duck-typed so that this module never has to load the bindings (and koffi) to classify.
interface CallErrorLike { name: string; fn: string; rc: number; log: LogLine[]; errorName?: string }
const isCallError = (e: unknown): e is CallErrorLike => (e as Error)?.name === 'LibxlCallError';

export const ERROR_DOMAIN_NOTFOUND = -21;
export const ERROR_NOPARAVIRT = -10;

const errorsOf = (log: LogLine[]) => log.filter((l) => l.level === 'error' || l.level === 'critical');

/** Why libxl_ctx_alloc (or loading the library) failed, as a ConnectError. */
export function connectError(e: unknown, uri: string): TxlError {
  if (e instanceof TxlError) return e;
  const err = e as Error;
  if (err?.name === 'LibraryMissingError') {
    const lib = (err as Error & { library?: string }).library ?? 'libxenlight';
    const v = xenForDebian();
    return new ConnectError(
      `cannot connect to ${uri}: ${lib === 'libxenlight' ? "Xen's libxl library (libxenlight.so.4.17 or .4.20) is not installed" : `${lib} is not installed`}`,
      `on a Xen host install it with: apt install xen-utils-${v} (the library alone: apt install libxenmisc${v}), or point TXL_LIBXENLIGHT at a libxenlight.so; elsewhere use --connect test:///default for the simulator`,
    );
  }
  // one line, no hint: the message names the versions txl supports and the one found
  if (err?.name === 'UnsupportedLibxlError') return new ConnectError(err.message);
  if (err?.name === 'LayoutMismatchError') return new ConnectError(`cannot use libxl: ${err.message}`, 'reinstall the Xen libraries that match the running toolstack');
  if (!isCallError(e)) return new ConnectError(`cannot connect to ${uri}: ${err?.message ?? String(e)}`);
  const text = e.log.map((l) => l.message).join('\n');
  const denied = /Permission denied|Operation not permitted/.test(text);
  if (/cannot open libxc handle|privileged command interface/.test(text)) {
    if (denied) {
      return new ConnectError(
        `cannot connect to ${uri}: permission denied opening Xen's control interface (/dev/xen/privcmd); txl must run as root`,
        'run it as root, e.g. with sudo',
      );
    }
    if (/No such file or directory|No such device/.test(text)) {
      return new ConnectError(
        `cannot connect to ${uri}: this machine is not running Xen (no /dev/xen/privcmd)`,
        existsSync('/proc/xen') || existsSync('/sys/hypervisor/type')
          ? 'Xen is running but its control device is missing: load the driver (modprobe xen-privcmd) or start Xen\'s services (systemctl start xen)'
          : 'boot this machine into Xen with it as dom0 (Debian: apt install xen-system-amd64, then reboot), or use --connect test:///default for the simulator',
      );
    }
  }
  if (/cannot connect to xenstore/.test(text)) {
    if (denied) return new ConnectError(`cannot connect to ${uri}: permission denied on xenstore; txl must run as root`, 'run it as root, e.g. with sudo');
    return new ConnectError(
      `cannot connect to ${uri}: xenstored is not running`,
      "start Xen's daemons: systemctl start xen (on Debian, the xencommons script starts xenstored and xenconsoled)",
    );
  }
  const last = errorsOf(e.log).at(-1);
  return new ConnectError(`cannot connect to ${uri}: libxl could not start${last ? `: ${last.message}` : ` (${e.errorName ?? e.rc})`}`, logHint(e.log.filter((l) => l !== last)));
}

/** The Xen version whose packages this Debian release ships: 4.20 on Debian 13, else 4.17 (Debian 12). */
export function xenForDebian(osRelease = '/etc/os-release'): string {
  try {
    const id = /^VERSION_ID="?(\d+)/m.exec(readFileSync(osRelease, 'utf8'))?.[1];
    const codename = /^VERSION_CODENAME=(\w+)/m.exec(readFileSync(osRelease, 'utf8'))?.[1];
    return id === '13' || codename === 'trixie' ? '4.20' : '4.17';
  } catch {
    return '4.17';
  }
}

/** The last few things libxl complained about, for the hint of an error. */
function logHint(log: LogLine[]): string | undefined {
  const lines = log.filter((l) => l.level === 'error' || l.level === 'critical' || l.level === 'warning').slice(-4);
  if (!lines.length) return undefined;
  return `libxl said:\n    ${lines.map((l) => `${l.context ? l.context + ': ' : ''}${l.message}`).join('\n    ')}`;
}

const NOT_FOUND_RE = /non-?existe?a?nt domain|domain .*does not exist|no such domain|domain not found|Domain \d+ not found/i;

/** A failed operation on a domain (or the host) as a txl error; `what` says what was being done. */
export function opError(e: unknown, what: string, domid?: number): TxlError {
  if (e instanceof TxlError) return e;
  if (!isCallError(e)) return new OperationError(`${what} failed: ${(e as Error)?.message ?? String(e)}`);
  const text = e.log.map((l) => l.message).join('\n');
  if (e.rc === ERROR_DOMAIN_NOTFOUND || (domid !== undefined && NOT_FOUND_RE.test(text))) {
    return new NotFoundError(domid !== undefined ? `no domain with id ${domid}` : `${what} failed: no such domain`);
  }
  const last = errorsOf(e.log).at(-1);
  return new OperationError(`${what} failed: ${last?.message ?? e.errorName ?? `libxl error ${e.rc}`}`, logHint(e.log.filter((l) => l !== last)));
}

/** Runs fn and turns what it throws into a txl error. */
export async function guard<T>(what: string, domid: number | undefined, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw opError(e, what, domid);
  }
}
