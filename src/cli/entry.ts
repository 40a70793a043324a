// dist/cli.cjs: what every command but --version and --help starts with (bin/txl answers those
// from dist/fast.cjs). It loads the command table, runs a plain command line itself (see
// fast-parse.ts), answers `__complete` (complete.ts, which needs no commander either) and
// leaves the rest to commander in cli.ts, loaded only then.
import { isatty } from 'node:tty';
import { COMMANDS } from '../../commands/table.js';
import { makeContext } from '../context.js';
import { environmentProblem } from '../env.js';
import { fastParse } from './fast-parse.js';
import { secretFreeTitle } from '../core/redact.js';
import { reportError, runCommand } from '../run.js';
import { guardStdio } from './stdio.js';

export async function main(argv: string[]): Promise<void> {
  guardStdio();
  // `txl create g.cfg vncpasswd=...` must not show the password in ps
  const title = secretFreeTitle(argv);
  if (title) process.title = title;
  if (argv[0] === '__complete') {
    const { complete } = await import('./complete.js');
    process.exitCode = await complete(argv.slice(1), { commands: COMMANDS });
    return;
  }
  // checked before any command reads one (a bad lock timeout used to mean waiting for ever)
  const badEnv = environmentProblem();
  if (badEnv) {
    process.exitCode = reportError(badEnv, process.stderr);
    return;
  }
  const parsed = fastParse(argv, COMMANDS);
  if (parsed) {
    try {
      // isatty(0), not process.stdin.isTTY: making process.stdin loads streams (or net) for nothing
      const io = { stdout: process.stdout, stderr: process.stderr, stdin: { isTTY: isatty(0) } as typeof process.stdin };
      await runCommand(parsed.def, makeContext(parsed.globals, io), parsed.args, parsed.opts);
    } catch (err) {
      process.exitCode = reportError(err, process.stderr);
    }
    return;
  }
  const { runFull } = await import('./commander.js');
  await runFull(argv);
}
