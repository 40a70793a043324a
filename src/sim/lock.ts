// An exclusive lock between txl processes on one simulator host: a lock file created with
// O_EXCL that holds the owner's pid. A lock whose owner died (same host, pid gone) is broken,
// under a second O_EXCL file so that two waiters never both break it and then both win.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { OperationError } from '../errors.js';

export interface LockOptions {
  timeoutMs?: number;
}

interface Owner { pid: number; host: string; since: number; token: string }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FileLock {
  private token: string | undefined;

  constructor(readonly path: string) {}

  async acquire(opts: LockOptions = {}): Promise<void> {
    const timeout = opts.timeoutMs ?? 20000;
    const deadline = Date.now() + timeout;
    const token = randomBytes(8).toString('hex');
    let delay = 2;
    for (;;) {
      if (this.tryCreate(token)) {
        this.token = token;
        return;
      }
      const owner = readOwner(this.path);
      if (owner === 'gone') continue;
      if (this.isStale(owner)) {
        this.breakStale(owner);
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
  }

  release(): void {
    if (!this.token) return;
    const owner = readOwner(this.path);
    if (owner && owner !== 'gone' && owner.token === this.token) {
      try {
        unlinkSync(this.path);
      } catch {
        /* already gone */
      }
    }
    this.token = undefined;
  }

  private tryCreate(token: string): boolean {
    let fd: number;
    try {
      fd = openSync(this.path, 'wx', 0o644);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EEXIST') return false;
      throw new OperationError(`cannot create the lock '${this.path}': ${err.code === 'ENOENT' ? 'no such directory' : err.message}`);
    }
    try {
      writeSync(fd, `${process.pid} ${hostname()} ${Date.now()} ${token}\n`);
    } finally {
      closeSync(fd);
    }
    return true;
  }

  private isStale(owner: Owner | null): boolean {
    if (owner === null) {
      // created but not yet written: stale only if it stays empty for a while
      try {
        return Date.now() - statSync(this.path).mtimeMs > 2000;
      } catch {
        return false;
      }
    }
    if (owner.host !== hostname()) return false;
    return !pidAlive(owner.pid);
  }

  private breakStale(owner: Owner | null): void {
    const breaker = this.path + '.break';
    let fd: number;
    try {
      fd = openSync(breaker, 'wx');
    } catch {
      // someone else is breaking it; a breaker left by a dead process goes after 5 s
      try {
        if (Date.now() - statSync(breaker).mtimeMs > 5000) unlinkSync(breaker);
      } catch {
        /* gone meanwhile */
      }
      return;
    }
    try {
      closeSync(fd);
      const now = readOwner(this.path);
      const same = now === null ? owner === null : now !== 'gone' && owner !== null && now.token === owner.token;
      if (same) unlinkSync(this.path);
    } catch {
      /* the lock vanished meanwhile: fine */
    } finally {
      try {
        unlinkSync(breaker);
      } catch {
        /* ignore */
      }
    }
  }
}

/** The lock's owner, null if the file is empty or garbled, 'gone' if it does not exist. */
function readOwner(path: string): Owner | null | 'gone' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 'gone';
  }
  const [pid, host, since, token] = text.trim().split(/\s+/);
  if (!pid || !token || !Number.isInteger(Number(pid))) return null;
  return { pid: Number(pid), host, since: Number(since), token };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
