// Jobs: a long-running command on a domain (save, migrate) records itself in a small file per
// domain under the connection's jobs directory, so that another txl process can show it
// (domjobinfo) or stop it (domjobabort: SIGINT to its process, whose interrupt handling
// unwinds the operation as a failed one). No daemon keeps jobs: a record whose process died
// is stale and ignored.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { Backend } from '../core/backend-types.js';
import { NotFoundError, OperationError } from '../core/errors.js';
import { removeQuietly } from '../fsutil.js';
import { startTime } from '../sim/lock.js';
import { withBackend } from './connect.js';

export type JobOperation = 'save' | 'migrate' | 'restore' | 'dump' | 'managedsave';

export interface JobRecord {
  pid: number;
  /** the process's start time (Linux clock ticks): a reused pid is not the job's */
  started?: string;
  domid: number;
  name: string;
  uuid?: string;
  operation: JobOperation;
  /** ms since the epoch */
  since: number;
  /** the image's fd in the job's process: /proc/PID/fdinfo tells how far it has got */
  fd?: number;
  /** bytes the operation moves (the domain's memory), where known */
  total_bytes?: number;
}

// The job this process runs: where its record goes, and the record once the domain is known.
interface Running { dir: string; operation: JobOperation; rec?: JobRecord }
let current: Running | undefined;

function write(dir: string, rec: JobRecord): void {
  // a reader never sees half a record: written beside it and renamed
  const path = join(dir, `${rec.domid}.json`);
  const tmp = join(dir, `.${rec.domid}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(rec) + '\n', { mode: 0o600 });
  renameSync(tmp, path);
}

function alive(rec: JobRecord): boolean {
  try {
    process.kill(rec.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = startTime(rec.pid);
  return !rec.started || now === undefined || now === rec.started;
}

/** The live jobs recorded in dir; stale records (their process gone) are removed on the way. */
export function readJobs(dir: string): JobRecord[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^\d+\.json$/.test(n));
  } catch {
    return [];
  }
  const out: JobRecord[] = [];
  for (const n of names) {
    let rec: JobRecord;
    try {
      rec = JSON.parse(readFileSync(join(dir, n), 'utf8')) as JobRecord;
    } catch {
      continue;
    }
    if (typeof rec.pid !== 'number' || typeof rec.domid !== 'number') continue;
    if (alive(rec)) out.push(rec);
    else removeQuietly(join(dir, n));
  }
  return out;
}

/**
 * Runs fn as a job: the operation records itself with noteJob once it knows its domain (so
 * that recording costs the host no extra call), and the record goes when fn ends. Without a
 * jobs directory or in a dry run nothing is recorded.
 */
export async function withJob<T>(ctx: Context, be: Backend, operation: JobOperation, fn: () => Promise<T>): Promise<T> {
  if (ctx.dryRun || !be.jobsDir || current) return fn();
  const mine: Running = { dir: be.jobsDir(), operation };
  current = mine;
  try {
    return await fn();
  } finally {
    if (mine.rec) removeQuietly(join(mine.dir, `${mine.rec.domid}.json`));
    current = undefined;
  }
}

function save(): void {
  if (!current?.rec) return;
  try {
    mkdirSync(current.dir, { recursive: true, mode: 0o700 });
    write(current.dir, current.rec);
  } catch {
    // a record that cannot be written only leaves the job unseen: never a reason to fail it
  }
}

/** The job's domain, known: its record appears (unless another live job has the domain). */
export function noteJob(domid: number, name: string, more: { uuid?: string; totalBytes?: number } = {}): void {
  if (!current || current.rec) return;
  if (readJobs(current.dir).some((j) => j.domid === domid)) return;
  current.rec = { pid: process.pid, started: startTime(process.pid), domid, name, operation: current.operation, since: Date.now() };
  if (more.uuid) current.rec.uuid = more.uuid;
  if (more.totalBytes) current.rec.total_bytes = more.totalBytes;
  save();
}

/** The image's fd, once open: /proc/PID/fdinfo then tells how far the job has got. */
export function noteJobFd(fd: number, totalBytes?: number): void {
  if (!current?.rec) return;
  current.rec.fd = fd;
  if (totalBytes) current.rec.total_bytes = totalBytes;
  save();
}

/** How far the job's fd has got, read from its process's fdinfo (root, or the same user). */
function processed(rec: JobRecord): number | undefined {
  if (rec.fd === undefined) return undefined;
  try {
    const m = /^pos:\s*(\d+)/m.exec(readFileSync(`/proc/${rec.pid}/fdinfo/${rec.fd}`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The job on the domain ref names: from the records first, so that a busy host is not asked. */
async function findJob(be: Backend, ref: string): Promise<{ job?: JobRecord; name: string; domid: number }> {
  const jobs = be.jobsDir ? readJobs(be.jobsDir()) : [];
  const byRef = jobs.find((j) => j.name === ref || String(j.domid) === ref || (j.uuid && j.uuid.toLowerCase() === ref.toLowerCase()));
  if (byRef) return { job: byRef, name: byRef.name, domid: byRef.domid };
  const domid = await be.resolve(ref);
  const info = await be.domainInfo(domid);
  return { job: jobs.find((j) => j.domid === domid), name: info.name, domid };
}

const OPERATION: Record<JobOperation, string> = { save: 'Save', migrate: 'Outgoing migration', restore: 'Restore', dump: 'Dump', managedsave: 'Save' };

/** virsh's sizes: three decimals in the largest binary unit below the value. */
function capacity(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) (v /= 1024), i++;
  return `${v.toFixed(3)} ${units[i]}`;
}

const row = (label: string, value: string) => `${label.padEnd(17)} ${value}`;

export async function domJobInfo(ctx: Context, ref: string): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const { job, name, domid } = await findJob(be, ref);
    if (!job) return { data: { domid, name, type: 'none' }, text: row('Job type:', 'None'.padEnd(12)) + '\n' };
    const elapsed = Math.max(0, Date.now() - job.since);
    const done = processed(job);
    const total = job.total_bytes;
    const data: Record<string, unknown> = { domid, name, type: 'unbounded', operation: job.operation, pid: job.pid, time_elapsed_ms: elapsed };
    const lines = [row('Job type:', 'Unbounded'.padEnd(12)), row('Operation:', OPERATION[job.operation].padEnd(12)), row('Time elapsed:', `${String(elapsed).padEnd(12)} ms`)];
    if (done !== undefined) {
      data.data_processed = done;
      lines.push(row('Data processed:', capacity(done)));
      if (total) {
        const left = Math.max(0, total - done);
        data.data_remaining = left;
        data.data_total = total;
        lines.push(row('Data remaining:', capacity(left)), row('Data total:', capacity(total)));
      }
    } else if (total) {
      data.data_total = total;
      lines.push(row('Data total:', capacity(total)));
    }
    return { data, text: lines.join('\n') + '\n' };
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long domjobabort waits for the job's process to unwind (a save resumes the domain first). */
const ABORT_WAIT_MS = 300_000;

export async function domJobAbort(ctx: Context, ref: string): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const { job, name } = await findJob(be, ref);
    if (!job) throw new OperationError(`no job is active on domain '${name}'`);
    if (job.pid === process.pid) throw new OperationError('a job cannot abort itself');
    // a migration has no safe points to stop at: killed half-way, it could leave the domain suspended in log-dirty mode
    if (job.operation === 'migrate') throw new OperationError(`the migration of domain '${name}' cannot be aborted half-way`, 'wait for it to finish, then migrate the domain back');
    if (ctx.dryRun) {
      ctx.info(`txl: dry run: would abort the ${job.operation} of domain '${name}' (process ${job.pid})`);
      return { data: { dry_run: true, name, operation: job.operation, pid: job.pid }, text: '' };
    }
    try {
      process.kill(job.pid, 'SIGINT');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ESRCH') throw new NotFoundError(`the ${job.operation} of domain '${name}' has just ended`);
      throw new OperationError(`cannot signal process ${job.pid} running the ${job.operation} of domain '${name}': ${code}`, 'run as the user who started it, or as root');
    }
    ctx.info(`Aborting the ${job.operation} of domain '${name}' (process ${job.pid})...`);
    // the job is over when its record is gone (it undid its work) or its process is
    const dir = be.jobsDir!();
    for (const end = Date.now() + ABORT_WAIT_MS; ; ) {
      if (!readJobs(dir).some((j) => j.pid === job.pid && j.domid === job.domid)) break;
      if (Date.now() > end) throw new OperationError(`the ${job.operation} of domain '${name}' (process ${job.pid}) did not stop within ${ABORT_WAIT_MS / 1000} s`);
      await sleep(100);
    }
    return { data: { name, domid: job.domid, operation: job.operation, pid: job.pid, aborted: true }, text: '' };
  });
}
