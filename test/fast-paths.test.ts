// The fast paths give the answers of the full path: `--version` and `--help` from dist/fast.cjs,
// plain command lines parsed by src/fast-parse.ts instead of commander, and completion, which
// reads the global options from fast-parse.ts instead of commander's program. Each is
// compared with commander.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { COMMANDS } from '../commands/table.js';
import type { CommandDef } from '../src/command.js';
import { buildProgram } from '../src/cli/commander.js';
import { completions, formatAnswer } from '../src/cli/complete.js';
import { makeContext } from '../src/context.js';
import { fastParse, GLOBAL_FLAGS, VERSION_FLAG } from '../src/cli/fast-parse.js';
import { ROOT, tempDir, txl } from './support/txl.js';

const BUILT = existsSync(join(ROOT, 'dist/fast.cjs'));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** dist/cli.cjs's main without bin/txl, i.e. without dist/fast.cjs (nor the code cache). */
function fullPath(args: string[], env: Record<string, string> = {}) {
  const code = `require(${JSON.stringify(join(ROOT, 'dist/cli.cjs'))}).main(${JSON.stringify(args)})`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!BUILT)('--version and --help (dist/fast.cjs)', () => {
  it("--version is package.json's version, as commander prints it", () => {
    const fast = txl(['--version']);
    expect(fast).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    expect(fullPath(['--version'])).toEqual(fast);
  });

  it('--help, -h and help print what commander prints', () => {
    const full = fullPath(['--help']);
    expect(full.stdout).toMatch(/^Usage: txl /);
    for (const c of COMMANDS.filter((d) => !d.hidden)) expect(full.stdout).toContain(`  ${c.name}`);
    for (const flag of ['--help', '-h', 'help']) expect(txl([flag])).toEqual(full);
  });

  it('leaves a terminal (commander wraps to its width) and any other line to the full path', () => {
    const { answer } = createRequire(import.meta.url)(join(ROOT, 'dist/fast.cjs')) as { answer: (a: string[], out: unknown) => boolean };
    const written: string[] = [];
    const out = (isTTY: boolean) => ({ isTTY, once: () => undefined, write: (s: string) => written.push(s) });
    expect(answer(['--help'], out(true))).toBe(false);
    expect(answer(['--version', 'list'], out(false))).toBe(false);
    expect(answer(['list'], out(false))).toBe(false);
    expect(written).toEqual([]);
    expect(answer(['--version'], out(true))).toBe(true);
    expect(written).toEqual([`${pkg.version}\n`]);
  });
});

/** What commander hands a command for argv: its args, options and context; or 'error'. */
async function viaCommander(argv: string[]): Promise<unknown> {
  let got: unknown = 'not run';
  const stubs: CommandDef[] = COMMANDS.map((d) => ({ ...d, run: async ({ ctx, args, opts }) => void (got = { name: d.name, args, opts, ctx: ctxFields(ctx) }) }));
  const program = buildProgram(stubs);
  for (const c of [program, ...program.commands]) c.configureOutput({ writeErr: () => undefined, writeOut: () => undefined, outputError: () => undefined });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return 'error';
    throw e;
  }
  return got;
}

const ctxFields = (c: ReturnType<typeof makeContext>) => ({ connect: c.connect, output: c.output, dryRun: c.dryRun, yes: c.yes, verbose: c.verbose, quiet: c.quiet, color: c.color });

function viaFast(argv: string[]): unknown {
  const p = fastParse(argv, COMMANDS);
  return p && { name: p.def.name, args: p.args, opts: p.opts, ctx: ctxFields(makeContext(p.globals)) };
}

/** Command lines for every command: bare, with each of its options, and after global options. */
function commandLines(): string[][] {
  const lines: string[][] = [];
  const sample = (o: NonNullable<CommandDef['options']>[number]) => (o.choices ? o.choices[0] : o.type === 'number' ? '3' : 'val');
  for (const d of COMMANDS) {
    const args = d.args.filter((a) => a.required !== false).map((a) => (a.variadic ? ['w1', 'w2'] : [`${a.name}1`])).flat();
    const all = [...args, ...d.args.filter((a) => a.required === false).map((a) => `${a.name}2`)];
    lines.push([d.name, ...args], [d.name, ...all], [d.name]);
    for (const o of d.options ?? []) {
      const names = o.flags.split(/[\s,|]+/).filter((f) => f.startsWith('-'));
      const value = /[<[]/.test(o.flags) ? [sample(o)] : [];
      for (const n of names) lines.push([d.name, n, ...value, ...args], [d.name, ...args, n, ...value]);
      const long = names.find((n) => n.startsWith('--'));
      if (long && value.length) lines.push([d.name, `${long}=${value[0]}`, ...args], [d.name, long, '-dash', ...args]);
      if (o.type === 'count' || o.type === 'list') lines.push([d.name, names[0], ...value, names[0], ...value, ...args]);
    }
  }
  const globals = [[], ['--connect=test:///x.yaml', '-o', 'json'], ['-c', 'test:///default', '-N', '-y', '-v', '-v', '-q', '--no-color', '--output', 'xl'],
    ['-o', 'bogus'], ['-Nv'], ['--version'], ['--yes=1'], ['-c'], ['--']];
  return globals.flatMap((g) => lines.map((l) => [...g, ...l])).concat([['list', '--'], ['list', '-h'], ['list', '-'], ['help', 'list'], ['nosuch'], []]);
}

describe('a plain command line: src/fast-parse.ts parses it as commander does', () => {
  it('has the global options of buildProgram, with their summaries', () => {
    const program = buildProgram([]);
    const fromCommander = program.options.filter((o) => o.long !== '--version').map((o) => ({ names: [o.short, o.long].filter(Boolean), value: o.required || o.optional, summary: o.description }));
    expect(GLOBAL_FLAGS.map((f) => ({ names: f.names, value: Boolean(f.value), summary: f.summary }))).toEqual(fromCommander);
    const version = program.options.find((o) => o.long === '--version')!;
    expect(VERSION_FLAG).toEqual({ names: [version.short, version.long].filter(Boolean), summary: version.description });
  });

  it('gives the same command, arguments, options and context, or leaves the line to commander', async () => {
    let same = 0;
    let left = 0;
    for (const argv of commandLines()) {
      const fast = viaFast(argv);
      if (fast === undefined) {
        left++;
        continue;
      }
      expect({ argv, got: fast }).toEqual({ argv, got: await viaCommander(argv) });
      same++;
    }
    // most lines are plain enough; the rest (help, errors, bundled flags) are commander's
    expect(same).toBeGreaterThan(1000);
    expect(left).toBeGreaterThan(100);
    console.log(`[fast-parse] ${same} command lines parsed as commander does, ${left} left to commander`);
  });

  it('leaves to commander every line commander rejects or answers itself', async () => {
    for (const argv of [['list', 'a', 'b'], ['destroy'], ['-x', 'list'], ['list', '--bogus'], ['--help'], ['list', '-h'], ['-o', 'bogus', 'list'],
      ['create', '-j', 'x', 'g.cfg'], ['convert', '--from', 'nope', 'a.cfg'], ['--version'], ['help'], ['list', '--long=1']]) {
      expect(viaFast(argv), argv.join(' ')).toBeUndefined();
    }
  });
});

describe('completion without commander: src/cli/complete.ts as bin/txl runs it', { timeout: 120_000 }, () => {
  let dir: string;
  const saved = process.env.TXL_SIM_STATE;
  beforeAll(() => {
    dir = tempDir('txl-fast-');
    process.env.TXL_SIM_STATE = join(dir, 'state.json');
    for (const [name, mem] of [['web', 128], ['web2', 256], ['db', 384]] as const) {
      const r = txl(['-q', '-c', 'test:///default', 'create', '-e', 'examples/guest.cfg', `name="${name}"`, `memory=${mem}`], { env: { TXL_SIM_STATE: process.env.TXL_SIM_STATE! } });
      expect(r.stderr).toBe('');
    }
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TXL_SIM_STATE;
    else process.env.TXL_SIM_STATE = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it("offers the global options in commander's order, with commander's summaries", async () => {
    const program = buildProgram([]);
    const expected = [...program.options.map((o) => `${o.long}\t${o.description}`), '--help\tshow help'];
    expect(formatAnswer(await completions(['--'], { env: {} })).trimEnd().split('\n')).toEqual(expected);
    expect(formatAnswer(await completions(['-o', ''], { env: {} }))).toBe('text\ntable\njson\nyaml\n');
  });

  const cases = [
    ['-c', 'test:///default', 'destroy', ''], ['--connect=test:///default', 'destroy', 'w'], ['-c', 'test:///default', 'pause', '1'],
    ['-c', 'test:///default', 'list', 'd'], ['-c', 'test:///default', '-o', 'json', 'vcpu-set', ''], ['-c', 'test:///default', 'li', 'we'],
    ['-c', 'test:///default', 'destroy', 'zz'], ['-c', 'test:///nosuch/host.yaml', 'destroy', ''], ['destroy', ''],
    ['-c', 'test:///default', 'block-detach', 'web', ''], ['-c', 'test:///default', 'destroy', '-'], ['-c', 'test:///default', ''],
    ['-c', 'test:///default', 'destroy', '--', ''], ['-ctest:///default', 'destroy', ''], ['-c', 'test:///default', 'vcpu-pin', 'web', ''],
    ['-c', 'test:///default', '--'], ['--output=j'], ['-c', 'test:///default', 'create', 'g.cfg', 'on_crash=re'],
  ];

  it('through bin/txl, the answer of completions() in this process', async () => {
    let domains = 0;
    for (const words of cases) {
      const r = txl(['__complete', ...words], { env: { TXL_SIM_STATE: process.env.TXL_SIM_STATE!, TXL_CONNECT: '' } });
      expect({ words, code: r.code, stderr: r.stderr }).toEqual({ words, code: 0, stderr: '' });
      // the same environment as the binary's: the state file that holds web and db
      const env = { TXL_SIM_STATE: process.env.TXL_SIM_STATE!, HOME: process.env.HOME };
      expect({ words, out: r.stdout }).toEqual({ words, out: formatAnswer(await completions(words, { env })) });
      if (/^(web|db)\tid \d+/m.test(r.stdout)) domains++;
    }
    expect(domains).toBeGreaterThanOrEqual(4);
  });
});
