// One libxl context per txl process: allocation with a captured log, the SIGCHLD agreement
// with libxl, and the two ways of calling it (sync on the JS thread, async on a worker).
//
// SIGCHLD. libxl forks hotplug scripts, libxl-save-helper, qemu and bootloaders, and must
// learn when they exit. In its default mode it installs its own SIGCHLD handler, asserting
// that nobody had one: that aborts the process as soon as Node has ever spawned a child
// (libuv owns SIGCHLD then), and if libxl got there first libuv would later take the signal
// away and libxl would wait forever. So we tell libxl the main loop owns SIGCHLD
// (libxl_sigchld_owner_mainloop) and forward each SIGCHLD Node sees to
// libxl_childproc_sigchld_occurred, which reaps only libxl's own children (libuv reaps
// Node's by pid, so both coexist).
//
// Forwarding needs the JS thread to be free while libxl waits for a child, so every libxl
// operation that may fork runs with koffi's `.async` on a worker thread. Run synchronously,
// libxl would sit in its own event loop on the JS thread, the SIGCHLD handler could never
// run, and the operation would hang until its timeout.
import { appendFileSync } from 'node:fs';
import { CONSTANTS, LAYOUTS } from './layout.js';
import { bindFunctions, type CFunction, type FnName, type Functions } from './libxl.js';
import { JsonBridge } from './json.js';
import { LogCapture, type LogLine } from './log.js';
import { loadLibs, type Libs } from './load.js';
import { mem } from './mem.js';
import { InternalError } from '../src/core/errors.js';

/** A libxl call returned an error; `log` holds what libxl logged during it. */
export class LibxlCallError extends Error {
  constructor(readonly fn: string, readonly rc: number, readonly log: LogLine[], readonly errorName?: string) {
    super(`${fn} failed: ${errorName ?? `rc ${rc}`}${lastError(log) ? ` (${lastError(log)})` : ''}`);
    this.name = 'LibxlCallError';
  }
}

function lastError(log: LogLine[]): string | undefined {
  return [...log].reverse().find((l) => l.level === 'error' || l.level === 'critical')?.message;
}

export interface OpenOptions {
  /** lowest xentoollog level captured (default XTL_DEBUG) */
  minLevel?: number;
  /** a libxenlight.so to load instead of the probe (the caller's TXL_LIBXENLIGHT) */
  libxenlight?: string;
  /** a file that gets everything libxl logged, at close (the caller's TXL_LIBXL_LOG, for bug reports) */
  keepLog?: string;
}

export class Libxl {
  readonly fn: Functions;
  readonly json: JsonBridge;
  private closed = false;
  /** SIGCHLDs handed to libxl so far */
  sigchldForwarded = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly running = new Set<Promise<number>>();
  private readonly onSigchld = () => this.sigchld();

  private constructor(
    readonly libs: Libs,
    readonly ctx: bigint,
    readonly log: LogCapture,
    fn: Functions,
    private readonly freeHooks: () => void,
    private readonly keepLog: string | undefined,
  ) {
    this.fn = fn;
    this.json = new JsonBridge(libs, () => this.ctx);
    process.on('SIGCHLD', this.onSigchld);
  }

  /** Loads the libraries and allocates a context; LibxlCallError carries libxl's log when that fails. */
  static async open(opts: OpenOptions = {}): Promise<Libxl> {
    const libs = await loadLibs(opts.libxenlight);
    const fn = bindFunctions(libs.xl);
    const log = new LogCapture(libs, opts.minLevel);
    const mark = log.mark();
    const out: (bigint | null)[] = [null];
    const rc = fn.libxl_ctx_alloc(out, CONSTANTS.LIBXL_VERSION, 0, log.logger) as number;
    const ctx = out[0];
    if (rc !== 0 || !ctx) {
      const lines = log.since(mark);
      log.close();
      throw new LibxlCallError('libxl_ctx_alloc', rc, lines, errorName(fn, rc));
    }
    // The hooks struct must outlive the context (libxl keeps the pointer), so it lives in
    // native memory freed after libxl_ctx_free.
    const { koffi } = libs;
    const m = mem(libs);
    const hooks = m.calloc(LAYOUTS.libxl_childproc_hooks.size);
    koffi.encode(hooks, LAYOUTS.libxl_childproc_hooks.offsets.chldowner, 'int', CONSTANTS.libxl_sigchld_owner_mainloop);
    fn.libxl_childproc_setmode(ctx, hooks, null);
    return new Libxl(libs, ctx, log, fn, () => m.free(hooks), opts.keepLog);
  }

  get version(): string {
    return this.libs.version;
  }

  private sigchld(): void {
    if (this.closed) return;
    this.sigchldForwarded++;
    this.fn.libxl_childproc_sigchld_occurred(this.ctx);
  }

  /** Calls a function that returns a libxl error code on the JS thread; throws LibxlCallError below 0. */
  call(name: FnName, ...args: unknown[]): number {
    this.alive();
    const mark = this.log.mark();
    const rc = this.fn[name](...args) as number;
    if (rc < 0) throw new LibxlCallError(name, rc, this.log.since(mark), errorName(this.fn, rc));
    return rc;
  }

  /** The same on a worker thread, one at a time, for operations that may fork or wait. */
  callAsync(name: FnName | CFunction, label: string, ...args: unknown[]): Promise<number> {
    this.alive();
    const run = () => this.onWorker(name, label, args);
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * On a worker thread at once, beside whatever else runs: for domain builds of `create -j N`
   * (a libxl_ctx is thread-safe; libvirt builds domains side by side on one too). Its log
   * slice may hold lines of the calls running beside it.
   */
  callConcurrent(name: FnName | CFunction, label: string, ...args: unknown[]): Promise<number> {
    this.alive();
    const p = this.onWorker(name, label, args);
    this.running.add(p);
    const done = () => this.running.delete(p);
    p.then(done, done);
    return p;
  }

  private onWorker(name: FnName | CFunction, label: string, args: unknown[]): Promise<number> {
    const f = typeof name === 'string' ? this.fn[name] : name;
    const fname = typeof name === 'string' ? name : label;
    return new Promise<number>((resolve, reject) => {
      const mark = this.log.mark();
      f.async(...args, (err: unknown, rc: number) => {
        if (err) return reject(err);
        if (rc < 0) return reject(new LibxlCallError(fname, rc, this.log.since(mark), errorName(this.fn, rc)));
        resolve(rc);
      });
    });
  }

  /** Calls a device or type function bound elsewhere, on the JS thread, with the same checks. */
  callFn(f: CFunction, label: string, ...args: unknown[]): number {
    this.alive();
    const mark = this.log.mark();
    const rc = f(...args) as number;
    if (rc < 0) throw new LibxlCallError(label, rc, this.log.since(mark), errorName(this.fn, rc));
    return rc;
  }

  private alive(): void {
    if (this.closed) throw new InternalError('the libxl context is closed');
  }

  /** Waits for queued async operations, then frees the context and the logger. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue;
    await Promise.allSettled([...this.running]);
    this.closed = true;
    // TXL_LIBXL_LOG=FILE (OpenOptions.keepLog) keeps everything libxl logged in this process
    const keep = this.keepLog;
    if (keep) appendFileSync(keep, this.log.since(0).map((l) => l.raw + '\n').join(''));
    process.off('SIGCHLD', this.onSigchld);
    this.fn.libxl_ctx_free(this.ctx);
    this.freeHooks();
    this.log.close();
  }
}

export function errorName(fn: Functions, rc: number): string | undefined {
  const s = fn.libxl_error_to_string(rc) as string | null;
  return s ?? undefined;
}
