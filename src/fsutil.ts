// Every file txl writes goes through here: written whole (short writes looped), fsynced, then
// renamed into place. A failure anywhere removes the temp file and leaves the old content,
// and says in one line what could not be written where (ENOSPC on a full /var is the usual).
// The temp file is named `.NAME.PID.TIME.tmp`, so that one left by a killed process can be
// told from one being written: it is removed once its process is gone.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readlinkSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { OperationError, TxlError } from './core/errors.js';

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such directory',
  EFBIG: 'file too large',
  EISDIR: 'is a directory',
};

/** Why a write failed, in words (`no space left on device`), for messages of any shape. */
export function writeReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return (e.code && REASONS[e.code]) ?? e.message;
}

/** The one-line error for a failed write of path (`cannot write PATH: no space left on device`). */
export function writeError(path: string, err: unknown): OperationError {
  if (err instanceof OperationError) return err;
  return new OperationError(`cannot write ${path}: ${writeReason(err)}`);
}

// TXL_WRITE_FAIL=CODE[@BYTES][:MATCH],... makes writes to files whose path contains MATCH fail
// the way a full or broken disk does, so tests can prove nothing is lost. ENOSPC or EIO: the
// file takes BYTES bytes (default: half of the first write), the write that reaches them is
// short, as the kernel's is on a filling disk, and the next one fails. SHORT makes every
// write short (at most 7 bytes) without failing.
// The spec is the running command's (set from its Context by runCommand, src/run.ts): kept
// with the text it was parsed from, so that the next command of the process sets its own.
type WriteFault = { code: string; bytes?: number; match: string };
let faults: { spec: string; list: WriteFault[] } = { spec: '', list: [] };
/** bytes written so far per fd under a fault: a new command starts from none (its fds are new) */
const written = new Map<number, number>();

/** The TXL_WRITE_FAIL of the command about to run (undefined or empty: no faults). */
export function setWriteFaults(spec: string | undefined): void {
  written.clear();
  if ((spec ?? '') === faults.spec) return;
  faults = {
    spec: spec ?? '',
    list: (spec ?? '').split(',').filter(Boolean).map((w) => {
      const m = /^([A-Z]+)(?:@(\d+))?(?::(.*))?$/.exec(w);
      return m ? { code: m[1], bytes: m[2] === undefined ? undefined : Number(m[2]), match: m[3] ?? '' } : { code: 'EINVAL', match: '' };
    }),
  };
}

/** A write failed by TXL_WRITE_FAIL: carries its errno code, as the kernel's error would. */
class InjectedWriteError extends TxlError {
  constructor(readonly code: string) {
    super(`${code} (TXL_WRITE_FAIL)`);
  }
}

function faultFor(fd: number): WriteFault | undefined {
  if (!faults.list.length) return undefined;
  const path = fdPath(fd);
  return faults.list.find((f) => path.includes(f.match));
}

function rawWrite(fd: number, buf: Buffer, at: number, len: number): number {
  const f = faultFor(fd);
  if (f?.code === 'SHORT') return writeSync(fd, buf, at, Math.min(len, 7));
  if (f) {
    const done = written.get(fd) ?? 0;
    const room = (f.bytes ?? (done ? 0 : Math.floor(len / 2))) - done;
    if (room <= 0) throw new InjectedWriteError(f.code);
    const n = writeSync(fd, buf, at, Math.min(len, room));
    written.set(fd, done + n);
    return n;
  }
  return writeSync(fd, buf, at, len);
}

/** The path an fd is open on, for messages (Linux; a temp file of ours: the file it becomes). */
export function fdPath(fd: number): string {
  try {
    const path = readlinkSync(`/proc/self/fd/${fd}`);
    const m = TEMP.exec(basename(path));
    return m ? join(dirname(path), m[1]) : path;
  } catch {
    return `fd ${fd}`;
  }
}

/** Writes all of data to fd (a short write is not an error, only a reason to go on). */
export function writeAll(fd: number, data: string | Buffer, path = fdPath(fd)): void {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  try {
    for (let at = 0; at < buf.length; ) at += rawWrite(fd, buf, at, buf.length - at);
  } catch (e) {
    throw writeError(path, e);
  }
}

/** fsync that reports a failure as the write it is (NFS and full thin pools say so only here). */
export function syncFd(fd: number, path = fdPath(fd)): void {
  try {
    fsyncSync(fd);
  } catch (e) {
    throw writeError(path, e);
  }
}

/** A temp name beside path that sweepDeadTemps recognises. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
}

export function writeFileAtomicSync(path: string, data: string | Buffer, mode = 0o644): void {
  // the rename would replace a pipe or a device (a symlink to one too: `txl new -o
  // /dev/stdout` as root would turn the host's /dev/stdout into a file), not write to it
  if (notRegular(path)) throw new OperationError(`cannot write ${path}: not a regular file`);
  const tmp = tempPathFor(path);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode);
    writeAll(fd, data, path);
    syncFd(fd, path);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
    syncDir(dirname(path));
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    removeQuietly(tmp);
    throw writeError(path, err);
  }
  // a killed writer of this same file left its temp file behind: now is a good time
  sweepDeadTemps(dirname(path), basename(path));
}

export async function writeFileAtomic(path: string, data: string | Buffer, mode = 0o644): Promise<void> {
  writeFileAtomicSync(path, data, mode);
}

/** Whether path exists (following symlinks) as something other than a regular file. */
function notRegular(path: string): boolean {
  try {
    return !statSync(path).isFile();
  } catch {
    return false;
  }
}

export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* nothing to clean */
  }
}

const TEMP = /^\.(.+)\.(\d+)\.[^.]+\.tmp$/;

/**
 * Removes the `.NAME.PID.X.tmp` files in dir (only those of NAME when given) whose process
 * is dead; returns what it removed. A temp file of a live process is never touched.
 */
export function sweepDeadTemps(dir: string, name?: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const m = TEMP.exec(entry);
    if (!m || (name !== undefined && m[1] !== name)) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || pidAlive(pid)) continue;
    try {
      unlinkSync(join(dir, entry));
      removed.push(entry);
    } catch {
      /* removed by another sweeper meanwhile */
    }
  }
  return removed;
}

/** Whether a process with this pid exists on this host (EPERM: it does, as another user). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some filesystems refuse fsync on directories; the rename is still atomic
  }
}

/** A file only its owner may read (state, managed configs), replaced whole. */
export function replaceFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileAtomicSync(path, text, 0o600);
}

export function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
