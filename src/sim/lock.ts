// An exclusive lock between txl processes on one simulator host: a lock file that holds its
// owner (pid, host, start time, a token unique to this acquisition). The owner line is
// written to a temp file first and hard-linked into place, so the lock file is never seen
// empty or half written.
// A lock is stale only when its owner is gone (same host, pid dead or reused by a process
// that started later); it is broken under a second linked file (".break") so that two
// waiters never both break it and then both win.
import { linkSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { OperationError } from '../core/errors.js';
import { pidAlive, removeQuietly, writeReason } from '../fsutil.js';
import { checkInterrupt, onHardExit } from '../interrupt.js';

export interface LockOptions {
  timeoutMs?: number;
}

interface Owner { pid: number; host: string; since: number; token: string; started?: string }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FileLock {
  private token: string | undefined;
  private dropHook: (() => void) | undefined;

  constructor(readonly path: string) {}

  async acquire(opts: LockOptions = {}): Promise<void> {
    const timeout = opts.timeoutMs ?? 20000;
    const deadline = Date.now() + timeout;
    const token = newToken();
    const tmp = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.${token}.tmp`);
    try {
      writeFileSync(tmp, `${process.pid} ${hostname()} ${Date.now()} ${token} ${startTime(process.pid) ?? '-'}\n`, { flag: 'wx', mode: 0o644 });
    } catch (e) {
      // created but not written (a full disk): it must not stay behind
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') removeQuietly(tmp);
      throw new OperationError(`cannot create the lock '${this.path}': ${writeReason(e)}`);
    }
    let delay = 2;
    try {
      for (;;) {
        checkInterrupt();
        if (place(tmp, this.path)) {
          this.token = token;
          this.dropHook = onHardExit(() => this.release());
          return;
        }
        const owner = readOwner(this.path);
        if (owner === 'gone') continue;
        if (isStale(owner)) {
          this.breakStale(owner, tmp);
          continue;
        }
        if (Date.now() >= deadline) {
          const who = owner ? `process ${owner.pid}${owner.host !== hostname() ? ` on ${owner.host}` : ''} since ${new Date(owner.since).toISOString()}` : 'another process';
          throw new OperationError(
            `the simulator is busy: '${this.path}' has been locked by ${who} for more than ${Math.round(timeout / 1000)} s`,
            `if no txl is running, remove ${this.path}`,
          );
        }
        await sleep(delay + Math.random() * delay);
        delay = Math.min(delay * 2, 50);
      }
    } finally {
      removeQuietly(tmp);
    }
  }

  release(): void {
    this.dropHook?.();
    this.dropHook = undefined;
    if (!this.token) return;
    const owner = readOwner(this.path);
    if (owner && owner !== 'gone' && owner.token === this.token) removeQuietly(this.path);
    this.token = undefined;
  }

  private breakStale(owner: Owner | null, tmp: string): void {
    const breaker = this.path + '.break';
    if (!place(tmp, breaker)) {
      // someone else is breaking it; a breaker whose owner died is removed like a lock
      const b = readOwner(breaker);
      if (b !== 'gone' && isStale(b)) removeQuietly(breaker);
      return;
    }
    try {
      const now = readOwner(this.path);
      const same = now === null ? owner === null : now !== 'gone' && owner !== null && now.token === owner.token;
      if (same) removeQuietly(this.path);
    } finally {
      removeQuietly(breaker);
    }
  }
}

/**
 * 16 hex digits that tell this acquisition from any other: the pid (unique among live
 * processes on the host), a counter (acquisitions of this process) and 32 random bits (a
 * later process that reuses the pid). Not a secret: the lock file is world-readable. No
 * node:crypto, which read-only commands would otherwise load just for this (~6 ms).
 */
let acquisitions = 0;
function newToken(): string {
  const hex = (n: number, width: number) => (n >>> 0).toString(16).padStart(width, '0').slice(-width);
  acquisitions = (acquisitions + 1) % 256;
  return hex(process.pid, 6) + hex(acquisitions, 2) + hex(Math.random() * 2 ** 32, 8);
}

/** link(2) the owner file into place: atomic, and fails if the name exists. */
function place(tmp: string, path: string): boolean {
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EEXIST') return false;
    throw new OperationError(
      `cannot create the lock '${path}': ${err.code === 'ENOENT' ? 'no such directory' : err.message}`,
      err.code === 'EPERM' || err.code === 'ENOTSUP' ? "the simulator's state directory must be on a file system with hard links (set TXL_SIM_STATE)" : undefined,
    );
  }
}

/**
 * Every lock file is written whole before it appears, so one without an owner line is
 * debris (an older txl, a crash of the file system): stale at once. Otherwise stale only
 * when the owner process is gone on this host.
 */
function isStale(owner: Owner | null): boolean {
  if (owner === null) return true;
  if (owner.host !== hostname()) return false;
  if (!pidAlive(owner.pid)) return true;
  const started = owner.started && owner.started !== '-' ? startTime(owner.pid) : undefined;
  return started !== undefined && started !== owner.started;
}

/** The lock's owner, null if the file is empty or garbled, 'gone' if it does not exist. */
function readOwner(path: string): Owner | null | 'gone' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 'gone';
  }
  const [pid, host, since, token, started] = text.trim().split(/\s+/);
  if (!pid || !token || !Number.isInteger(Number(pid))) return null;
  return { pid: Number(pid), host, since: Number(since), token, started };
}

/** When a process started (clock ticks since boot, Linux); tells a reused pid from its first owner. */
export function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
