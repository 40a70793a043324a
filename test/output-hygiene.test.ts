// What scripts see: no ANSI escape anywhere when stdout and stderr are pipes, even in a
// colour terminal's environment, and `-o json` / `-o yaml` that parse. Every read-only
// command of the table is run, so commands added later are covered without editing this.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { COMMANDS } from '../commands/table.js';
import type { ArgDef, CommandDef } from '../src/command.js';
import { BIN, ROOT, tempDir, type Run } from './support/txl.js';
import { runInProcess } from './support/inproc-run.js';

const ESC = /\x1b|\x9b/;
let dir: string;
let env: NodeJS.ProcessEnv;

/** Runs txl with pipes, in the environment of a colour terminal (but no NO_COLOR, no FORCE_COLOR). */
function run(args: string[], extra: NodeJS.ProcessEnv = {}, timeout = 20_000): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...env, ...extra }, timeout, input: '' });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** As run, without waiting: the spawned formats of a command run side by side. */
function runAsync(args: string[], timeout: number): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, timeout });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    p.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    p.stdin.end();
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * The same command line in this process (test/support/inproc.ts): its streams are pipes as
 * far as the command can tell. Commands that never end by themselves, and a few ordinary ones
 * (a write to the real fds that bypasses the Context would only show there), still spawn.
 */
const SPAWNED = new Set(['events', 'console', 'list', 'dominfo', 'info']);
async function runCommandLine(name: string, args: string[]): Promise<Run> {
  if (SPAWNED.has(name)) return runAsync(args, name === 'events' || name === 'console' ? 3_000 : 20_000);
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) e[k] = v;
  return runInProcess(args, e, ROOT);
}

function clean(r: Run, what: string) {
  expect(ESC.test(r.stdout), `ANSI escape on stdout of ${what}: ${JSON.stringify(r.stdout.slice(0, 200))}`).toBe(false);
  expect(ESC.test(r.stderr), `ANSI escape on stderr of ${what}: ${JSON.stringify(r.stderr.slice(0, 200))}`).toBe(false);
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    // a stream of events is one JSON object per line
    return text.trim().split('\n').every((l) => { try { JSON.parse(l); return true; } catch { return false; } });
  }
}

/** Words for a command's required arguments, or undefined if this test cannot invent them. */
function argsFor(c: CommandDef, cfg: string): string[] | undefined {
  const words: string[] = [];
  for (const a of c.args as ArgDef[]) {
    if (a.required === false) break;
    if (a.complete === 'domain' || a.complete === 'managed') words.push('web1');
    else if (a.complete === 'cfgfile') words.push(cfg);
    else if (Array.isArray(a.complete)) words.push(a.complete[0]);
    else return undefined;
  }
  return words;
}

beforeAll(() => {
  dir = tempDir('txl-hygiene-');
  env = { ...process.env, TERM: 'xterm-256color', COLORTERM: 'truecolor', TXL_SIM_STATE: join(dir, 'state.json'), TXL_CONNECT: 'test:///default', SHELL: '/bin/bash' };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  writeFileSync(join(dir, 'web1.cfg'), 'name = "web1"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 256\nvcpus = 2\n');
  writeFileSync(join(dir, 'bad.cfg'), 'name = "bad"\nmemory = "lots"\nvcpus = [1,\n');
  const r = run(['create', join(dir, 'web1.cfg')]);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('no ANSI escapes in pipes', () => {
  const readOnly = COMMANDS.filter((c) => !c.hidden && !c.modifies);

  it.each(readOnly.map((c) => [c.name, c] as const))('%s, in every output format', { timeout: 120_000 }, async (_n, c) => {
    const args = argsFor(c, join(dir, 'web1.cfg'));
    if (!args) return;
    const formats = ['text', 'table', 'json', 'yaml'];
    // streaming commands (events, console) never end by themselves: what they printed in
    // a few seconds is checked, and a process killed there (code -1) is not parsed. The
    // spawned formats wait side by side (events waits out its seconds four times otherwise);
    // the in-process ones run one after another all the same
    const runs = await Promise.all(formats.map((format) => runCommandLine(c.name, ['-o', format, c.name, ...args])));
    for (const [i, format] of formats.entries()) {
      const r = runs[i];
      const what = `txl -o ${format} ${c.name} ${args.join(' ')}`;
      clean(r, what);
      if (r.code !== 0 || !r.stdout.trim()) continue;
      if (format === 'json') expect(parsesAsJson(r.stdout), `${what} printed: ${r.stdout.slice(0, 200)}`).toBe(true);
      if (format === 'yaml') expect(() => YAML.parseAllDocuments(r.stdout).forEach((d) => { if (d.errors.length) throw d.errors[0]; }), what).not.toThrow();
    }
  });

  it('help, errors and diagnostics', async () => {
    const cases = [
      ['--help'], ['help', 'create'], ['create', '--help'], ['--version'],
      ['no-such-command'], ['create', '--no-such-option'], ['-o', 'xml', 'list'],
      ['check', join(dir, 'bad.cfg')], ['create', '-N', join(dir, 'bad.cfg')], ['dominfo', 'no-such-domain'],
      ['-c', 'xen:///system', 'list'], ['-v', '-v', 'list'],
    ];
    // side by side: each is a process start-up
    const runs = await Promise.all(cases.map((args) => runAsync(args, 20_000)));
    for (const [i, args] of cases.entries()) clean(runs[i], `txl ${args.join(' ')}`);
    // and the diagnostics really were printed (the check is not vacuous)
    const bad = run(['check', join(dir, 'bad.cfg')]);
    expect(bad.code).toBe(2);
    expect(bad.stdout + bad.stderr).toMatch(/bad\.cfg:\d+:\d+: error/);
  });

  it('-o json of list is an array of domains with libxl field names', () => {
    const r = run(['-o', 'json', 'list']);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout);
    const list = Array.isArray(data) ? data : data.domains;
    expect(list.map((d: { name: string }) => d.name)).toEqual(expect.arrayContaining(['Domain-0', 'web1']));
    expect(list.find((d: { name: string }) => d.name === 'web1')).toMatchObject({ domid: expect.any(Number) });
  });
});

// The control: on a terminal (through script(1)) colour is used, and NO_COLOR turns it off.
describe.skipIf(spawnSync('sh', ['-c', 'command -v script']).status !== 0)('colour on a terminal', () => {
  const onTty = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const cmd = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    return spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: { ...env, ...extra }, timeout: 20_000 }).stdout;
  };
  it('diagnostics are coloured on a TTY, plain with NO_COLOR or --no-color', () => {
    expect(onTty(['check', join(dir, 'bad.cfg')])).toMatch(ESC);
    expect(onTty(['check', join(dir, 'bad.cfg')], { NO_COLOR: '1' })).not.toMatch(ESC);
    expect(onTty(['--no-color', 'check', join(dir, 'bad.cfg')])).not.toMatch(ESC);
  });
});
