// dist/cli.cjs: what every command but --version and --help starts with (bin/txl answers those
// from dist/fast.cjs). It loads the command table, runs a plain command line itself (see
// fast-parse.ts), answers `__complete` (complete.ts, which needs no commander either) and
// leaves the rest to commander in commander.ts, loaded only then.
import { isatty } from 'node:tty';
import { COMMANDS } from '../../commands/table.js';
import { makeContext } from '../context.js';
import { environmentProblem, processEnvironment } from '../env.js';
import { fastParse } from './fast-parse.js';
import { completeTimeout, type CliIo } from './io.js';
import { secretFreeTitle } from '../core/redact.js';
import { reportError, runCommand } from '../run.js';
import { forwardIfRemote } from './remote.js';
import { guardStdio } from './stdio.js';
import { installProcessEnd } from './signals.js';

/**
 * One command line, start to end: the exit code is returned, never set on the process, so
 * that a test can run many command lines in one process (test/support/inproc.ts).
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  if (io.cwd === undefined || io.cwd === process.cwd()) return runHere(argv, io);
  const before = process.cwd();
  process.chdir(io.cwd);
  try {
    return await runHere(argv, io);
  } finally {
    process.chdir(before);
  }
}

async function runHere(argv: string[], io: CliIo): Promise<number> {
  // a host over ssh (xen+ssh://...): the whole line runs there, before any backend opens here
  const remote = await forwardIfRemote(argv, io);
  if (remote !== undefined) return remote;
  if (argv[0] === '__complete') {
    const { complete } = await import('./complete.js');
    return complete(argv.slice(1), { commands: COMMANDS, env: io.env, stdout: io.stdout });
  }
  // checked before any command reads one (a bad lock timeout used to mean waiting for ever)
  const badEnv = environmentProblem(io.env);
  if (badEnv) return reportError(badEnv, io.stderr);
  const parsed = fastParse(argv, COMMANDS);
  if (!parsed) {
    const { runFull } = await import('./commander.js');
    return runFull(argv, io);
  }
  try {
    return await runCommand(parsed.def, makeContext(parsed.globals, io), parsed.args, parsed.opts);
  } catch (err) {
    return reportError(err, io.stderr);
  }
}

/** bin/txl's way in: the real process's streams and environment, and its exit code set. */
export async function main(argv: string[]): Promise<void> {
  guardStdio();
  installProcessEnd();
  // `txl create g.cfg vncpasswd=...` must not show the password in ps
  const title = secretFreeTitle(argv);
  if (title) process.title = title;
  const env = processEnvironment();
  if (argv[0] === '__complete') {
    // a shell is waiting on stdout: nothing may reach its terminal through stderr, and a hung
    // connection must not hang it (complete() gives up at the same time, but the connection
    // would keep the process alive)
    process.stderr.write = (() => true) as typeof process.stderr.write;
    setTimeout(() => process.exit(0), completeTimeout(env)).unref();
  }
  // isatty(0), not process.stdin.isTTY: making process.stdin loads streams (or net) for nothing
  const io: CliIo = { env, stdout: process.stdout, stderr: process.stderr, stdin: { isTTY: isatty(0) } };
  process.exitCode = await run(argv, io);
}
