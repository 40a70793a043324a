// Runs a command line on a remote host: `ssh -o BatchMode=yes [-p PORT] [-l USER] HOST --
// sh -c SCRIPT`, where SCRIPT checks that txl is there and of this version, then execs
// `txl -c LOCAL-URI ARGS...`. One ssh round trip, no daemon on either side. The remote's
// stdout and stderr are streamed back, and its exit code is txl's; ssh's own failures (exit
// 255) are one line each, told apart from txl's codes by a marker the script writes just
// before the exec.
import { spawn } from 'node:child_process';
import type { Environment } from '../env.js';
import type { RemoteUri } from './uri.js';

declare const TXL_VERSION: string;
const VERSION = typeof TXL_VERSION === 'string' ? TXL_VERSION : '0.0.0-dev';

/** What the remote script writes on stderr before txl runs (never shown). */
const MARK = 'txl-remote:';

/** The exit codes of a failure that is the connection's, not the remote txl's. */
export const EXIT_SSH = 255;
export const EXIT_NO_TXL = 127;
const EXIT_VERSION = 126;

/** One word for a POSIX shell, whatever it holds. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The script the remote shell runs: check txl and its version, then exec it. */
export function remoteScript(words: string[], tty: boolean, version = VERSION): string {
  const cmd = ['txl', ...words].map(shellQuote).join(' ');
  // on a terminal (ssh -t) stderr reaches the user's screen: no marker that everything worked
  const started = tty ? '' : ` echo '${MARK} started' >&2;`;
  return [
    `command -v txl >/dev/null 2>&1 || { echo '${MARK} no-txl' >&2; exit ${EXIT_NO_TXL}; };`,
    `v=$(txl --version 2>/dev/null);`,
    `[ "$v" = ${shellQuote(version)} ] || { printf '${MARK} version %s\\n' "$v" >&2; exit ${EXIT_VERSION}; };`,
    `${started} exec ${cmd}`,
  ].join(' ');
}

/** The ssh command line. TXL_SSH_OPTS: more options for ssh, split at spaces (e.g. -F FILE). */
export function sshArgs(target: RemoteUri, script: string, tty: boolean, env: Environment): string[] {
  const args = ['-o', 'BatchMode=yes'];
  args.push(...(env.TXL_SSH_OPTS ?? '').split(/\s+/).filter(Boolean));
  if (target.port !== undefined) args.push('-p', String(target.port));
  if (target.user !== undefined) args.push('-l', target.user);
  // the console's own escape (Ctrl-]) must reach the remote, not start ssh's ~ escapes
  args.push(tty ? '-t' : '-T');
  if (tty) args.push('-e', 'none');
  // the login shell may be any: it is handed one word, a POSIX sh runs the script
  args.push('--', target.host, `sh -c ${shellQuote(script)}`);
  return args;
}

/** ssh's own messages about the connection closing: the one-line error says it instead. */
const SSH_CLOSING = /^(Connection to \S+ closed|Connection closed by|client_loop: |Read from remote host|packet_write_wait|Timeout, server|Shared connection to|Connection reset by)/;

export interface ForwardIo {
  env: Environment;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** whether to ask ssh for a terminal (console, prompts, edit) */
  tty: boolean;
  /** the text for the remote's stdin (a config file); else this process's stdin */
  input?: Buffer;
  /** the remote reads nothing (completion: what the user types next is the shell's) */
  noInput?: boolean;
  /** stdout is this process's own fd 1: handed to ssh as it is */
  inheritStdout?: boolean;
}

/** Runs `txl WORDS...` on the remote (WORDS carry -c and its local URI); resolves to the exit code. */
export function forward(target: RemoteUri, words: string[], io: ForwardIo): Promise<number> {
  const script = remoteScript(words, io.tty);
  const where = target.host;
  const fail = (message: string, code: number, hint?: string) => {
    io.stderr.write(`txl: error: ${message}\n`);
    if (hint) io.stderr.write(`  hint: ${hint}\n`);
    return code;
  };
  return new Promise((resolve) => {
    const child = spawn('ssh', sshArgs(target, script, io.tty, io.env), {
      env: { ...io.env },
      stdio: [io.input ? 'pipe' : io.noInput ? 'ignore' : 'inherit', io.inheritStdout ? 'inherit' : 'pipe', 'pipe'],
    });
    // on a terminal, the remote's stderr comes through the pty: ssh's stderr is ssh's own
    let started = false;
    let done = false;
    const finish = (code: number) => {
      if (!done) resolve(code);
      done = true;
    };
    let marker: string | undefined;
    const before: string[] = [];
    let partial = '';
    const line = (l: string) => {
      if (l.startsWith(MARK)) {
        const what = l.slice(MARK.length).trim();
        if (what === 'started') started = true;
        else marker = what;
      } else if (SSH_CLOSING.test(l)) before.push(l);
      else if (started) io.stderr.write(l + '\n');
      else before.push(l);
    };
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => {
      const lines = (partial + s).split('\n');
      partial = lines.pop()!;
      lines.forEach(line);
    });
    child.stdout?.on('data', (b: Buffer) => io.stdout.write(b));
    if (io.input) {
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(io.input);
    }
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (done) return;
      const missing = e.code === 'ENOENT';
      finish(fail(missing ? 'cannot run ssh: no ssh client on PATH' : `cannot run ssh: ${e.message}`, EXIT_SSH, missing ? 'install OpenSSH\'s client (Debian: apt install openssh-client)' : undefined));
    });
    child.on('close', (code, signal) => {
      if (done) return;
      if (partial) line(partial);
      if (marker === 'no-txl') {
        finish(fail(`${where} has no txl on its PATH (ssh connected, but 'txl' was not found there)`, EXIT_NO_TXL, `install txl ${VERSION} on ${where}`));
        return;
      }
      if (marker?.startsWith('version')) {
        const theirs = marker.slice('version'.length).trim() || 'an unknown version';
        finish(fail(`${where} runs txl ${theirs}, this is txl ${VERSION}: both sides must run the same version`, 1, `install txl ${VERSION} on ${where}`));
        return;
      }
      if (code === EXIT_SSH || signal) {
        const said = before.filter((l) => l.trim() && !/^Warning: Permanently added/.test(l)).pop();
        if (io.tty && said && !/^(ssh: |Host key verification|Permission denied)/.test(said)) {
          finish(fail(`the connection to ${where} failed or was lost (ssh: ${said.trim()}): if the command had started, its state on ${where} is unknown`, EXIT_SSH));
        } else if (started) {
          finish(fail(`the connection to ${where} was lost during the command: its state on ${where} is unknown${said ? ` (ssh: ${said.trim()})` : ''}`, EXIT_SSH, `look with: txl -c ${target.uri} list`));
        } else {
          const why = said ? said.replace(/^ssh: /, '').trim() : `ssh exited with ${signal ?? code}`;
          finish(fail(`cannot connect to ${where}: ${why}`, EXIT_SSH, /host key/i.test(why) ? `check ${where}'s host key in your known_hosts` : undefined));
        }
        return;
      }
      // a failure of the script before txl ran (a shell without `command`?): show what it said
      if (!started) before.forEach((l) => io.stderr.write(l + '\n'));
      finish(code ?? 1);
    });
  });
}
