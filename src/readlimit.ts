// The one way txl reads an input file: in bounded chunks, up to MAX_INPUT_BYTES. Reading in
// chunks rather than stat-then-read makes pipes, /dev/stdin, process substitutions and
// character devices work, and makes /dev/zero or a runaway generator stop at the limit
// instead of growing txl to gigabytes. No config, XML, JSON, YAML or save header is near it.
import { closeSync, openSync, readSync } from 'node:fs';
import { InvalidInputError } from './core/errors.js';

export const MAX_INPUT_BYTES = 16 * 1024 * 1024;
export const MAX_INPUT_TEXT = '16 MiB';
/**
 * YAML files (a simulated host, txl.yaml) are small, and the yaml package runs at about 4 µs a
 * byte under txl's --no-opt (bin/txl): 16 MiB would take a minute; 512 KiB holds a host of
 * 4096 initial domains and parses in about 2 s.
 */
export const MAX_YAML_BYTES = 512 * 1024;

const sizeText = (n: number) => (n % (1024 * 1024) === 0 ? `${n / 1024 / 1024} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`);

const CHUNK = 64 * 1024;
const nap = new Int32Array(new SharedArrayBuffer(4));

/** readSync that waits out a non-blocking fd with nothing to read yet (stdin under Node). */
export function readSome(fd: number, buf: Buffer, at: number, len: number): number {
  for (;;) {
    try {
      return readSync(fd, buf, at, len, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw e;
      Atomics.wait(nap, 0, 0, 5);
    }
  }
}

/** /dev/stdin, /dev/fd/N, /proc/self/fd/N: the fd they name (a socket cannot be reopened by path). */
export function fdOfPath(path: string): number | undefined {
  if (path === '-' || path === '/dev/stdin') return 0;
  const m = /^\/(?:dev|proc\/self)\/fd\/(\d+)$/.exec(path);
  return m ? Number(m[1]) : undefined;
}

/**
 * Reads all of a file, pipe or device, refusing more than limit bytes with `PATH: larger than
 * 16 MiB, not WHAT` (exit 2). Errors of open and read are thrown as they are, for the caller
 * to word (ENOENT, EACCES, EISDIR...).
 */
export function readBounded(path: string, what: string, limit = MAX_INPUT_BYTES): Buffer {
  let fd: number;
  let own = true;
  const named = fdOfPath(path);
  if (path === '-') {
    fd = 0;
    own = false;
  } else {
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      // a socket as stdin (spawned by another program) cannot be opened again by its /proc name
      if (named === undefined || (e as NodeJS.ErrnoException).code !== 'ENXIO') throw e;
      fd = named;
      own = false;
    }
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - total));
      const n = readSome(fd, buf, 0, buf.length);
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > limit) throw new InvalidInputError(`${path}: larger than ${sizeText(limit)}, not ${what}`);
    }
    return Buffer.concat(chunks, total);
  } finally {
    if (own) closeSync(fd);
  }
}
