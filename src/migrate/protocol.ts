// xl's migration protocol, byte for byte, so that txl and xl migrate to each other.
//
//   receiver -> sender   BANNER (no NUL)
//   sender -> receiver   xl's save-file header + config JSON, then libxl's stream
//   receiver -> sender   READY (with its NUL)             after the domain is restored, paused
//   sender               renames its copy NAME--migratedaway
//   sender -> receiver   GO (with its NUL)
//   receiver -> sender   REPORT (with its NUL), then one status byte (0: started, else -rc)
//   on failure, receiver -> sender   GO: "you may resume your copy"
//
// Messages cross pipes (ssh's stdin/stdout), which Node may have made non-blocking: every
// read and write here copes with EAGAIN.
import { read, writeSync } from 'node:fs';

export const BANNER = Buffer.from('xl migration receiver ready, send binary domain data.\n', 'latin1');
export const READY = Buffer.from('domain received, ready to unpause\0', 'latin1');
export const GO = Buffer.from('domain is yours, you are cleared to unpause\0', 'latin1');
export const REPORT = Buffer.from('my copy unpause results are as follows\0', 'latin1');

export const INCOMING_SUFFIX = '--incoming';
export const AWAY_SUFFIX = '--migratedaway';

/** A protocol step failed: the stream ended, or said something else than expected. */
export class ProtocolError extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pause = new Int32Array(new SharedArrayBuffer(4));

function again(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR';
}

/** Reads exactly n bytes (on the thread pool, so the JS thread stays free). */
export async function readExactly(fd: number, n: number, what: string, stream: string): Promise<Buffer> {
  const buf = Buffer.alloc(n);
  let got = 0;
  while (got < n) {
    const r = await new Promise<number>((resolve, reject) => read(fd, buf, got, n - got, null, (e, bytes) => (e ? reject(e) : resolve(bytes)))).catch(async (e) => {
      if (!again(e)) throw new ProtocolError(`${stream}: error reading ${what}: ${(e as Error).message}`);
      await sleep(5);
      return -1;
    });
    if (r === 0) throw new ProtocolError(`${stream} ended early (file/stream truncated reading ${what})`);
    if (r > 0) got += r;
  }
  return buf;
}

/** Writes all of buf; a full non-blocking pipe is waited out. */
export function writeAll(fd: number, buf: Buffer, what: string, stream: string): void {
  let done = 0;
  while (done < buf.length) {
    try {
      done += writeSync(fd, buf, done, buf.length - done);
    } catch (e) {
      if (!again(e)) throw new ProtocolError(`${stream}: error writing ${what}: ${(e as Error).message}`);
      Atomics.wait(pause, 0, 0, 5);
    }
  }
}

/** Reads one fixed message and checks it is the one expected (xl's migrate_read_fixedmessage). */
export async function expectMessage(fd: number, msg: Buffer, what: string, stream: string, rune?: string): Promise<void> {
  const got = await readExactly(fd, msg.length, what, stream);
  if (!got.equals(msg)) {
    throw new ProtocolError(`${stream} contained unexpected data instead of ${what}${rune ? ` (command run was: ${rune} )` : ''}: ${printable(got)}`);
  }
}

/** What a peer sent instead of a message, readable in an error. */
export function printable(b: Buffer): string {
  const s = b.toString('latin1').replace(/[^\x20-\x7e]/g, (c) => (c === '\n' ? '\\n' : c === '\0' ? '\\0' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
  return `"${s.length > 80 ? s.slice(0, 80) + '...' : s}"`;
}

export interface RuneOptions {
  /** the ssh command; '' means HOST is itself the command to run (xl's -s '') */
  ssh: string;
  /** the program at the other end: txl (default) or xl */
  remote: 'txl' | 'xl';
  /** -t: the remote side reports progress as on a terminal */
  tty?: boolean;
  /** -e: no monitor at the other end */
  noMonitor?: boolean;
  /** -d */
  debug?: boolean;
  /** -p: leave the domain paused at the other end */
  paused?: boolean;
  /** a connection for the txl at the other end (a simulated host: the same kind of host there) */
  connect?: string;
}

/** The shell command that reaches the receiver, as xl builds it: exec SSH HOST xl migrate-receive ... */
export function migrationRune(host: string, o: RuneOptions): string {
  if (!o.ssh) return host;
  const own = `${o.noMonitor ? ' -e' : ''}${o.debug ? ' -d' : ''}${o.paused ? ' -p' : ''}`;
  // -t is one of xl's global options (before the command); txl's receiver takes it as its own
  if (o.remote === 'xl') return `exec ${o.ssh} ${host} xl${o.tty ? ' -t' : ''} migrate-receive${own}`;
  const conn = o.connect ? ` -c '${o.connect.replace(/'/g, `'\\''`)}'` : '';
  return `exec ${o.ssh} ${host} txl${conn} migrate-receive${o.tty ? ' -t' : ''}${own}`;
}
