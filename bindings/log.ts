// libxl's log, captured. libxl (and libxc, xencall, libxenstore under it) report what went
// wrong only through a xentoollog logger; the return codes say little more than "fail".
// We give libxl Xen's own stdio logger writing to an unlinked temp file and read back the
// lines an operation produced when it fails.
//
// Why not a logger with a JavaScript callback: libxl logs while holding its context lock,
// from koffi's worker threads during async calls. A JS callback would have to wait for the
// main thread, and the main thread may itself be waiting for that lock (forwarding SIGCHLD
// to libxl): a deadlock. A C logger writing to a file needs nothing from JavaScript.
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSTANTS } from './layout.js';
import type { Libs } from './load.js';
import { InternalError } from '../src/core/errors.js';

export type LogLevel = 'debug' | 'verbose' | 'detail' | 'progress' | 'info' | 'notice' | 'warning' | 'error' | 'critical';

export interface LogLine {
  /** who logged: "libxl", "xencall", "xc"... */
  context: string;
  level: LogLevel;
  /** the message, without libxl's "file.c:123:function: " prefix */
  message: string;
  /** libxl's source position, when the message had one */
  where?: string;
  raw: string;
}

const LINE_RE = /^(?:(\S+): )?(debug|verbose|detail|progress|info|notice|warning|error|critical): (.*)$/;
const WHERE_RE = /^([\w.-]+\.c:\d+:\w+): (.*)$/s;

export function parseLogLine(raw: string): LogLine {
  const m = LINE_RE.exec(raw);
  if (!m) return { context: '', level: 'info', message: raw, raw };
  const [, context = '', level, rest] = m;
  const w = WHERE_RE.exec(rest);
  return { context, level: level as LogLevel, message: w ? w[2] : rest, where: w?.[1], raw };
}

export class LogCapture {
  readonly logger: bigint;
  private readonly readFd: number;
  private readonly dir: string;
  private readonly destroy: (lg: bigint) => void;
  private readonly fclose: (f: bigint) => number;
  private readonly file: bigint;
  private offset = 0;
  private closed = false;

  constructor(libs: Libs, minLevel: number = CONSTANTS.XTL_DEBUG) {
    const { libc, xtl, koffi } = libs;
    koffi.opaque('FILE');
    const fdopen = libc.func('FILE *fdopen(int fd, const char *mode)');
    const setvbuf = libc.func('int setvbuf(FILE *stream, void *buf, int mode, size_t size)');
    const create = xtl.func('void *xtl_createlogger_stdiostream(FILE *f, int min_level, unsigned int flags)');
    this.destroy = xtl.func('void xtl_logger_destroy(void *logger)') as unknown as (lg: bigint) => void;
    this.fclose = libc.func('int fclose(FILE *stream)') as unknown as (f: bigint) => number;
    this.dir = mkdtempSync(join(tmpdir(), 'txl-libxl-log-'));
    const path = join(this.dir, 'log');
    const writeFd = openSync(path, 'a');
    this.readFd = openSync(path, 'r');
    rmSync(this.dir, { recursive: true, force: true });
    // the FILE owns writeFd from here on (closed by fclose in close())
    const f = fdopen(writeFd, 'a') as bigint;
    if (!f) {
      closeSync(writeFd);
      closeSync(this.readFd);
      throw new InternalError('fdopen failed for the libxl log');
    }
    this.file = f;
    setvbuf(f, null, CONSTANTS._IONBF, 0);
    this.logger = create(f, minLevel, CONSTANTS.XTL_STDIOSTREAM_HIDE_PROGRESS) as bigint;
    if (!this.logger) throw new InternalError('xtl_createlogger_stdiostream failed');
  }

  /** A position in the log: lines written after it are what `since` returns. */
  mark(): number {
    return this.size();
  }

  since(mark: number): LogLine[] {
    const end = this.size();
    if (end <= mark) return [];
    const buf = Buffer.alloc(end - mark);
    const n = readSync(this.readFd, buf, 0, buf.length, mark);
    this.offset = end;
    return buf.subarray(0, n).toString('utf8').split('\n').filter((l) => l.trim()).map(parseLogLine);
  }

  /** Lines not yet returned by `since` or `fresh`. */
  fresh(): LogLine[] {
    return this.since(this.offset);
  }

  private size(): number {
    return this.closed ? 0 : fstatSync(this.readFd).size;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.destroy(this.logger);
    this.fclose(this.file);
    closeSync(this.readFd);
  }
}
