// The host-wide lock xl takes around "free memory for the new domain + create it": an fcntl
// write lock on the whole of /var/lock/xl (xl.conf `lockfile=`). Taking the same lock the
// same way keeps txl and xl from ballooning dom0 for two domains at once. Node has no fcntl,
// so it goes through libc; F_SETLK is retried from the event loop rather than blocking in
// F_SETLKW, so Ctrl-C still works while another toolstack holds the lock.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { CONSTANTS, LAYOUTS } from './layout.js';
import type { CFunction } from './libxl.js';
import type { Libs } from './load.js';
import { InternalError } from '../src/core/errors.js';

export interface HeldLock {
  path: string;
  release(): void;
}

export interface LockWaitInfo {
  path: string;
  /** the process holding it, when the kernel says */
  pid?: number;
}

const EAGAIN = 11;
const EACCES = 13;
const EINTR = 4;

/** libs: the libraries the caller's Libxl loaded (libc and koffi are what the lock needs). */
export async function acquireXlLock(libs: Pick<Libs, 'libc' | 'koffi'>, path: string, opts: { onWait?: (info: LockWaitInfo) => void; signal?: AbortSignal } = {}): Promise<HeldLock> {
  const { libc, koffi } = libs;
  const fcntl = libc.func('int fcntl(int fd, int cmd, ...)') as unknown as CFunction;
  mkdirSync(dirname(path), { recursive: true });
  // xl opens it O_WRONLY|O_CREAT with mode S_IWUSR; Node adds O_CLOEXEC as xl does by hand
  const fd = openSync(path, 'a', 0o200);
  const flock = (type: number) => {
    const b = Buffer.alloc(LAYOUTS.flock.size);
    b.writeInt16LE(type, LAYOUTS.flock.offsets.l_type);
    b.writeInt16LE(CONSTANTS.SEEK_SET, LAYOUTS.flock.offsets.l_whence);
    return b;
  };
  let told = false;
  let delay = 20;
  for (;;) {
    const rc = fcntl(fd, CONSTANTS.F_SETLK, 'void *', flock(CONSTANTS.F_WRLCK)) as number;
    if (rc === 0) break;
    const errno = koffi.errno();
    if (errno !== EAGAIN && errno !== EACCES && errno !== EINTR) {
      closeSync(fd);
      throw new InternalError(`cannot lock ${path}: errno ${errno}`);
    }
    if (!told && opts.onWait) {
      const q = flock(CONSTANTS.F_WRLCK);
      const pid = fcntl(fd, CONSTANTS.F_GETLK, 'void *', q) === 0 ? q.readInt32LE(LAYOUTS.flock.offsets.l_pid) : 0;
      opts.onWait({ path, pid: pid > 0 ? pid : undefined });
      told = true;
    }
    if (opts.signal?.aborted) {
      closeSync(fd);
      throw new InternalError(`gave up waiting for the lock on ${path}`);
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 250);
  }
  let held = true;
  return {
    path,
    release() {
      if (!held) return;
      held = false;
      fcntl(fd, CONSTANTS.F_SETLK, 'void *', flock(CONSTANTS.F_UNLCK));
      closeSync(fd);
    },
  };
}
