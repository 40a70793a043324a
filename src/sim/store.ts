// Where a simulated host keeps its state, and the one way to change it: a transaction that
// holds the host's lock, reads the state, lets the caller change it in memory and, if
// anything changed, writes it back atomically (temp file, fsync, rename). A failure anywhere
// before the rename leaves the previous state as it was: that is the simulator's rollback.
// A signal (see interrupt.ts) is looked at when a transaction starts and just before it
// commits, so an interrupted command unwinds as a failed one does.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { readBounded } from '../readlimit.js';
import { stateProblem } from './check-state.js';
import { basename, join } from 'node:path';
import { InternalError, OperationError, TxlError } from '../core/errors.js';
import { sweepDeadTemps, tempPathFor, writeFileAtomicSync } from '../fsutil.js';
import { settleAndCheck } from '../interrupt.js';
import { DELAY_ONLY_STEPS, Faults, STEP_NAMES, unknownStep } from './faults.js';
import { badVariable, type Environment } from '../env.js';
import { checkSimFiles } from '../trust-files.js';
import { FileLock } from './lock.js';
import { defaultHost, loadHostFile, type HostSpec } from './host.js';
import { initialState, type SimState } from './state.js';
import type { SimPaths } from './paths.js';

/** The state and managed configs hold VNC/SPICE passwords (as xenstore does): owner only. */
const SECRET_MODE = 0o600;

/** A fault variable whose every step the simulator has (its shape was checked at start-up, env.ts). */
function checkedSteps(env: Environment, name: 'TXL_SIM_FAIL' | 'TXL_SIM_DELAY', holds: boolean): string | undefined {
  const v = env[name];
  const bad = unknownStep(v, holds);
  if (bad !== undefined) throw badVariable(name, v!, `known steps only ('${bad}' is none): ${STEP_NAMES}${holds ? `, ${DELAY_ONLY_STEPS.join(', ')}` : ''}`);
  return v;
}

export interface Tx {
  st: SimState;
  host: HostSpec;
  now: number;
  faults: Faults;
  paths: SimPaths;
  /** the command's environment (a host file's domain configs are read by its TXL_XL_CONF) */
  env: Environment;
  /** work to do once the new state is safely on disk (console logs, dumps) */
  after(fn: () => void): void;
}

export type Populate = (tx: Tx) => Promise<void>;

export class SimStore {
  readonly lock: FileLock;
  private hostCache: HostSpec | undefined;
  faults: Faults | undefined;
  private failuresRead = false;

  /** env: the command's environment, for the simulator's variables (TXL_SIM_FAIL and the others; the paths come from it too: simPaths) */
  /** say: the command's stderr, for the simulator's own notes (a TXL_SIM_DELAY hold) */
  constructor(readonly paths: SimPaths, readonly env: Environment, private populate?: Populate, private readonly say?: (line: string) => void) {
    this.lock = new FileLock(paths.lock);
  }

  async host(st?: SimState): Promise<HostSpec> {
    if (!this.paths.hostFile) return st?.host ?? defaultHost();
    this.hostCache ??= await loadHostFile(this.paths.hostFile, this.paths);
    return this.hostCache;
  }

  /**
   * Runs fn on the current state under the lock and commits what it changed. settle brings
   * the state up to now first and says whether it changed it. A readOnly fn promises to
   * change nothing: when settle changed nothing either, the state is not serialised again to
   * find that out (at 1,000 domains that is most of a `txl list`). TXL_SIM_CHECK_READONLY=1
   * (the test suite) checks the promise instead.
   */
  async transact<T>(fn: (tx: Tx) => T | Promise<T>, settle?: (tx: Tx) => boolean, opts: { readOnly?: boolean } = {}): Promise<T> {
    this.ensureDir();
    this.checkFiles();
    const timeout = Number(this.env.TXL_SIM_LOCK_TIMEOUT ?? '') || undefined;
    // the start of every transaction, before the lock: a safe point, and one a test can hold
    this.faults ??= new Faults(undefined, checkedSteps(this.env, 'TXL_SIM_DELAY', true), this.env.TXL_SIM_DELAY_UNTIL, this.say);
    this.faults.pause('transaction');
    await settleAndCheck();
    await this.lock.acquire({ timeoutMs: timeout });
    const afterCommit: (() => void)[] = [];
    try {
      this.sweepOnce();
      const loaded = this.load();
      let st = loaded?.st;
      let fresh = false;
      const hostFromFile = this.paths.hostFile ? await this.host() : undefined;
      if (!st) {
        const host = hostFromFile ?? defaultHost();
        st = initialState(host);
        if (!this.paths.hostFile) st.host = host;
        fresh = true;
      }
      const host = hostFromFile ?? st.host ?? defaultHost();
      if (!this.failuresRead) this.faults.fail([host.fail, checkedSteps(this.env, 'TXL_SIM_FAIL', false)].filter(Boolean).join(','));
      this.failuresRead = true;
      // The file holds exactly what write() made of the last state, so it is the "before".
      const before = fresh ? '' : loaded!.text;
      const tx: Tx = { st, host, now: Date.now(), faults: this.faults, paths: this.paths, env: this.env, after: (f) => afterCommit.push(f) };
      if (fresh && this.populate) await this.populate(tx);
      const settled = settle?.(tx) ?? false;
      // nothing to write when only reads happen: settle changed nothing and the file exists
      const readOnly = opts.readOnly === true && !settled && !fresh;
      const result = await fn(tx);
      const after = readOnly && this.env.TXL_SIM_CHECK_READONLY !== '1' ? undefined : JSON.stringify(tx.st);
      // compared in place: `after + '\n'` would copy the whole state (~0.9 MB at 1,000 domains)
      const unchanged = after === undefined || (before.length === after.length + 1 && before.endsWith('\n') && before.startsWith(after));
      if (readOnly && !unchanged) throw new InternalError('internal: a read-only simulator transaction changed the state');
      if (!unchanged) {
        const crash = tx.faults.check('state-write-crash');
        const fail = tx.faults.check('state-write');
        await settleAndCheck();
        this.write(after, crash, fail);
        tx.faults.pause('committed');
      } else await settleAndCheck();
      for (const f of afterCommit) f();
      return result;
    } finally {
      this.lock.release();
    }
  }

  private ensureDir(): void {
    const must = this.paths.mustExist;
    if (must && !existsSync(must.dir)) throw must.missing();
    try {
      // owner-only, whatever the umask: checkSimFiles refuses a directory its group could
      // write, and a umask of 002 (user private groups) would make the ones made here so
      mkdirSync(this.paths.dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw new OperationError(`cannot create the simulator's state directory '${this.paths.dir}': ${(e as Error).message}`);
    }
  }

  load(): { st: SimState; text: string } | undefined {
    const unreadable = (why: string) =>
      new OperationError(`the simulator state ${this.paths.state} is unreadable: ${why}`, 'move it away to start a fresh simulated host');
    let text: string;
    try {
      text = readBounded(this.paths.state, 'a simulator state').toString('utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw unreadable(e instanceof TxlError ? 'larger than 16 MiB' : (e as Error).message);
    }
    let st: unknown;
    try {
      st = JSON.parse(text);
    } catch (e) {
      throw unreadable((e as Error).message);
    }
    const problem = stateProblem(st);
    if (problem) throw unreadable(problem);
    return { st: st as SimState, text };
  }

  /** Others must not be able to write the state or the managed configs: once per process. */
  private checked = false;
  checkFiles(): void {
    if (!this.checked) checkSimFiles(this.paths);
    this.checked = true;
  }

  /** Temp files of killed txl processes, once per process, under the lock. */
  private swept = false;
  private sweepOnce(): void {
    if (this.swept) return;
    this.swept = true;
    // the state's directory may be the user's own (test:///PATH): only our names there
    sweepDeadTemps(this.paths.dir, basename(this.paths.state));
    sweepDeadTemps(this.paths.dir, basename(this.paths.lock));
    sweepDeadTemps(this.paths.managed);
    sweepDeadTemps(this.paths.dump);
    sweepDeadTemps(this.paths.save);
  }

  private write(text: string, crash: boolean, fail: boolean): void {
    if (!crash && !fail) {
      writeFileAtomicSync(this.paths.state, text + '\n', SECRET_MODE);
      return;
    }
    // Simulated interruption: half the new state reaches a temp file, the rename never happens.
    const tmp = tempPathFor(this.paths.state);
    const fd = openSync(tmp, 'wx', SECRET_MODE);
    writeSync(fd, text.slice(0, Math.floor(text.length / 2)));
    fsyncSync(fd);
    closeSync(fd);
    if (crash) process.kill(process.pid, 'SIGKILL');
    unlinkSync(tmp);
    throw new OperationError(`cannot write the simulator state '${this.paths.state}' (simulated fault 'state-write' from TXL_SIM_FAIL)`);
  }
}

/** Moves a file into place atomically (used for managed configs and dumps beside the state). */

