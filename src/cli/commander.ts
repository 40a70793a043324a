// Builds the command line from the command table and runs one command.
// Global options go before the command (as in virsh) so that a command's own short
// options keep their xl meaning: `txl -c URI create -c guest.cfg`.
import { Command, CommanderError, InvalidArgumentError, Option, type OutputConfiguration } from 'commander';
import { COMMANDS } from '../../commands/table.js';
import type { CommandDef, OptDef } from '../command.js';
import { makeContext, type Context } from '../context.js';
import { UsageError } from '../core/errors.js';
import { parseOutputFormat } from '../output.js';
import { reportError, runCommand } from '../run.js';
import type { CliIo } from './io.js';

declare const TXL_VERSION: string;
const VERSION = typeof TXL_VERSION === 'string' ? TXL_VERSION : '0.0.0-dev';

/** The whole command line through commander (the entry's, once no fast path applies). */
export async function runFull(argv: string[], io: CliIo): Promise<number> {
  let code = 0;
  const program = buildProgram(COMMANDS, { io, done: (c) => (code = c) });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    return report(err, io.stderr);
  }
}

/** Where a built program runs: the streams its commands and its help write to, and who hears the exit code. */
export interface ProgramIo {
  io: CliIo;
  done(code: number): void;
}

/** The program; without `run` (the manual, tests of the parsing) it writes to the process's streams. */
export function buildProgram(commands: CommandDef[] = COMMANDS, run?: ProgramIo): Command {
  const output = outputConfig(run?.io);
  const program = new Command('txl');
  program
    .description('A toolstack for the Xen hypervisor: xl and virsh commands, libxl directly, and a built-in simulator.')
    .optionsGroup('Global options:')
    .helpOption('-h, --help', 'show help (also: txl help COMMAND)')
    .version(VERSION, '--version', 'print the version and exit')
    .option('-c, --connect <uri>', 'connection: xen:///system or test:///default (or test:///PATH/host.yaml)')
    .addOption(new Option('-o, --output <format>', 'output format: text (xl/virsh style), table, json or yaml').argParser(outputArg))
    .option('-N, --dry-run', 'show what would be done, change nothing')
    .option('-y, --yes', 'assume yes at every confirmation prompt')
    .option('-v, --verbose', 'more messages on stderr (repeat for more)', (_v: string, prev: number) => prev + 1, 0)
    .option('-q, --quiet', 'only errors on stderr')
    .option('--no-color', 'no colour, even on a terminal (also: NO_COLOR)')
    .usage('[global options] <command> [options] [arguments]')
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    .helpCommand(false)
    .configureHelp({ subcommandTerm: (c) => [c.name(), ...c.aliases()].join(', ') })
    .exitOverride()
    .configureOutput(output);
  program.addHelpText('after', `
Exit status: 0 ok, 1 the operation failed, 2 usage error or invalid config, 130 cancelled.
Run 'txl help COMMAND' for a command's options and examples.`);

  // `txl help` lists the commands by group, groups in a fixed order, the table's order within each
  const ordered = [...commands].sort((a, b) => GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group));
  for (const def of ordered) program.addCommand(toCommander(def, program, output, run).helpGroup(GROUP_HEADINGS[def.group]), def.hidden ? { hidden: true } : {});
  program.addCommand(helpCommand(program, output));
  return program;
}

const GROUP_HEADINGS: Record<CommandDef['group'], string> = {
  lifecycle: 'Domain lifecycle:',
  information: 'Information:',
  resources: 'Resources (vCPUs, memory, scheduling):',
  devices: 'Devices:',
  config: 'Domain configs:',
  formats: 'Config formats:',
  host: 'Host:',
  shell: 'Shell and help:',
  testing: 'Testing (simulator):',
};
const GROUPS = Object.keys(GROUP_HEADINGS) as CommandDef['group'][];

// Our own `help`, so that `txl help crate` is an error with a suggestion rather than the full list.
function helpCommand(program: Command, output: OutputConfiguration): Command {
  return new Command('help')
    .summary('show help for a command, or list the commands')
    .description('Shows a command\'s usage, options and examples; without a command, lists every command by group.')
    .argument('[command]', 'the command to explain')
    .helpGroup(GROUP_HEADINGS.shell)
    .exitOverride()
    .configureOutput(output)
    .action(async (name?: string) => {
      if (!name) return void program.outputHelp();
      const sub = program.commands.find((c) => c.name() === name || c.aliases().includes(name));
      if (sub) return void sub.outputHelp();
      const { suggest } = await import('../../parsers/suggest.js');
      const names = program.commands.filter((c) => !(c as unknown as { _hidden: boolean })._hidden).flatMap((c) => [c.name(), ...c.aliases()]);
      const near = suggest(name, names);
      throw new UsageError(`unknown command '${name}'`, near ? `did you mean ${near}?` : "run 'txl help' to list the commands");
    });
}

function toCommander(def: CommandDef, program: Command, output: OutputConfiguration, run?: ProgramIo): Command {
  const cmd = new Command(def.name)
    .description(def.description ? `${def.summary}\n\n${def.description}` : def.summary)
    .summary(def.summary)
    .exitOverride()
    .configureOutput(output)
    .showSuggestionAfterError(true);
  for (const alias of def.aliases ?? []) cmd.alias(alias);
  for (const a of def.args) {
    const name = a.variadic ? `${a.name}...` : a.name;
    cmd.argument(a.required === false ? `[${name}]` : `<${name}>`, a.summary);
  }
  for (const o of def.options ?? []) cmd.addOption(toOption(o));
  if (def.examples?.length) cmd.addHelpText('after', '\nExamples:\n' + def.examples.map((e) => `  ${e}`).join('\n'));
  cmd.addHelpText('after', `\nGlobal options (-c URI, -o FORMAT, -N, -y, -v, -q) go before the command name; see 'txl --help'.${def.dryRun ? '\nWith -N (--dry-run) nothing is changed.' : ''}`);
  cmd.action(async (...params: unknown[]) => {
    const positional = params.slice(0, def.args.length);
    const opts = (params[def.args.length] ?? {}) as Record<string, unknown>;
    const args: Record<string, unknown> = {};
    def.args.forEach((a, i) => (args[a.name] = positional[i]));
    // without `run` (tests of the parsing): the process's own streams, and no one to tell the code
    const ctx = run ? makeContext(program.opts(), run.io) : makeContext(program.opts());
    const code = await runCommand(def, ctx, args, opts);
    run?.done(code);
  });
  return cmd;
}

function toOption(o: OptDef): Option {
  const opt = new Option(o.flags, o.summary);
  if (o.choices) opt.choices(o.choices as string[]);
  if (o.default !== undefined) opt.default(o.default);
  if (o.hidden) opt.hideHelp();
  if (o.type === 'number') opt.argParser(numberArg);
  if (o.type === 'count') opt.argParser((_v: string, prev: number) => (prev ?? 0) + 1).default(0);
  if (o.type === 'list') opt.argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
  return opt;
}

export { runCommand };

/**
 * commander writes to process.stdout and process.stderr and asks process.env about colour;
 * a run writes to its own streams and asks its own environment, as commander would.
 */
function outputConfig(io?: CliIo): OutputConfiguration {
  const outputError = (str: string, write: (s: string) => void) => write(commanderMessage(str));
  if (!io) return { outputError };
  const tty = (s: NodeJS.WritableStream) => s as Partial<NodeJS.WriteStream>;
  const env = io.env;
  // commander's own rule (useColor in commander/lib/command.js)
  const forced = () => {
    if (env.NO_COLOR || env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false;
    if (env.FORCE_COLOR || env.CLICOLOR_FORCE !== undefined) return true;
    return undefined;
  };
  return {
    outputError,
    writeOut: (str) => void io.stdout.write(str),
    writeErr: (str) => void io.stderr.write(str),
    // undefined: commander's 80 columns, as for a pipe
    getOutHelpWidth: () => (tty(io.stdout).isTTY ? tty(io.stdout).columns : undefined) as number,
    getErrHelpWidth: () => (tty(io.stderr).isTTY ? tty(io.stderr).columns : undefined) as number,
    getOutHasColors: () => forced() ?? Boolean(tty(io.stdout).isTTY && tty(io.stdout).hasColors?.()),
    getErrHasColors: () => forced() ?? Boolean(tty(io.stderr).isTTY && tty(io.stderr).hasColors?.()),
  };
}

function numberArg(v: string): number {
  if (!/^-?(0x[0-9a-f]+|\d+)$/i.test(v.trim())) throw new InvalidArgumentError(`'${v}' is not a number`);
  return Number(v.trim());
}

function outputArg(v: string): string {
  try {
    return parseOutputFormat(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

// Commander says "error: unknown option '-x'"; we say it the txl way, with the same prefix as every error.
function commanderMessage(str: string): string {
  const msg = str.replace(/^error: /, 'txl: error: ').replace(/\n\(Did you mean (.*)\?\)/, '\n  hint: did you mean $1?');
  if (/^txl: error: unknown command/.test(msg) && !msg.includes('hint:')) return msg.replace(/\n?$/, "\n  hint: run 'txl help' to list the commands\n");
  return msg;
}

/** Prints an error the one txl way and returns the exit code for it. */
export function report(err: unknown, stderr: NodeJS.WritableStream): number {
  if (err instanceof CommanderError) {
    // help and version are "errors" to commander's exitOverride, but not to us
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return err.exitCode === 0 ? 0 : 2;
  }
  return reportError(err, stderr);
}

export { UsageError };
