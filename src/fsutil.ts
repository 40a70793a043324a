// Writes that never leave a half-written file: temp file in the same directory, fsync, rename.
// The temp file is named `.NAME.PID.TIME.tmp`, so that one left by a killed process can be
// told from one being written: it is removed once its process is gone.
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { TxlError } from './errors.js';

export function writeFileAtomicSync(path: string, data: string | Buffer, mode = 0o644): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode);
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
    syncDir(dirname(path));
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* the temp file may not exist */
    }
    const e = err as NodeJS.ErrnoException;
    throw new TxlError(`cannot write '${path}': ${e.code === 'ENOENT' ? 'no such directory' : e.message}`);
  }
  // a killed writer of this same file left its temp file behind: now is a good time
  sweepDeadTemps(dirname(path), basename(path));
}

export async function writeFileAtomic(path: string, data: string | Buffer, mode = 0o644): Promise<void> {
  writeFileAtomicSync(path, data, mode);
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
