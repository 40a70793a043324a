// The migration transport: `sh -c RUNE` (usually `exec ssh HOST txl migrate-receive`) with
// its stdin and stdout on two pipes of ours. libxl writes the domain's stream straight into
// the first pipe, so both are plain blocking OS pipes, not Node streams: Node has no
// pipe(2), so each is a FIFO opened from both ends (on the thread pool, where the two
// blocking opens meet) and unlinked at once.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, open, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OperationError } from '../core/errors.js';

export interface Pipe { read: number; write: number }

const openFd = (path: string, flags: 'r' | 'w') =>
  new Promise<number>((resolve, reject) => open(path, flags, (e, fd) => (e ? reject(e) : resolve(fd))));

export async function makePipe(): Promise<Pipe> {
  const dir = mkdtempSync(join(tmpdir(), 'txl-pipe-'));
  try {
    const path = join(dir, 'fifo');
    const r = spawnSync('mkfifo', ['-m', '600', path], { encoding: 'utf8' });
    if (r.status !== 0) throw new OperationError(`cannot make a pipe for the migration: mkfifo failed${r.stderr ? `: ${r.stderr.trim()}` : ''}`);
    const [read, write] = await Promise.all([openFd(path, 'r'), openFd(path, 'w')]);
    return { read, write };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Transport {
  /** we write the stream here (the receiver's stdin) */
  send: number;
  /** and read its replies here (the receiver's stdout) */
  recv: number;
  child: ChildProcess;
  /** resolves with the child's exit status (or signal) */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** closes our end of the stream, so the receiver sees EOF */
  closeSend(): void;
  close(): void;
}

export async function startTransport(rune: string): Promise<Transport> {
  const toChild = await makePipe();
  let fromChild: Pipe;
  try {
    fromChild = await makePipe();
  } catch (e) {
    closeSync(toChild.read);
    closeSync(toChild.write);
    throw e;
  }
  const child = spawn('sh', ['-c', rune], { stdio: [toChild.read, fromChild.write, 'inherit'] });
  closeSync(toChild.read);
  closeSync(fromChild.write);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', () => resolve({ code: 127, signal: null }));
  });
  let sendOpen = true;
  let recvOpen = true;
  const t: Transport = {
    send: toChild.write,
    recv: fromChild.read,
    child,
    exited,
    closeSend() {
      if (sendOpen) closeSync(toChild.write);
      sendOpen = false;
    },
    close() {
      t.closeSend();
      if (recvOpen) closeSync(fromChild.read);
      recvOpen = false;
    },
  };
  return t;
}

/** xl's migration_child_report: the transport's exit status if it ends within `ms`. */
export async function childReport(t: Transport, ms = 2000): Promise<string | undefined> {
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms).unref());
  const st = await Promise.race([t.exited, timer]);
  if (st === 'timeout') return `migration transport process [${t.child.pid}] not exiting, no longer waiting (exit status will be unreported)`;
  if (st.signal) return `migration transport process [${t.child.pid}] died due to fatal signal ${st.signal}`;
  if (st.code) return `migration transport process [${t.child.pid}] exited with error status ${st.code}`;
  return undefined;
}
