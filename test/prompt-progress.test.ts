// Confirmation prompts and progress display: asked or drawn only where a person is watching,
// plain (or silent) everywhere else. The library helpers with fake terminals, then the real
// binary in a real terminal (tmux) and in a pipe.
import { describe, expect, it, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeContext, type ContextOptions } from '../src/context.js';
import { CancelledError } from '../src/core/errors.js';
import { confirm, confirmOrCancel } from '../src/prompt.js';
import { progress, withProgress } from '../src/progress.js';
import { COMMANDS } from '../commands/table.js';
import { BIN, tempDir, txl } from './support/txl.js';

function stream(tty: boolean): PassThrough & { text: () => string; isTTY?: boolean; columns?: number } {
  const s = new PassThrough() as PassThrough & { text: () => string; isTTY?: boolean; columns?: number };
  let out = '';
  s.on('data', (d) => (out += d));
  s.text = () => out;
  if (tty) Object.assign(s, { isTTY: true, columns: 60 });
  return s;
}

/** Types `keys` once the question is on the screen (the prompt module loads lazily). */
function typeWhenAsked(io: { stdin: PassThrough; stdout: { text: () => string } }, keys: string): void {
  const t = setInterval(() => {
    if (!io.stdout.text().includes('?')) return;
    clearInterval(t);
    io.stdin.write(keys);
  }, 10);
}

function ctxWith(tty: boolean, o: ContextOptions = {}) {
  const io = { stdin: stream(tty), stdout: stream(tty), stderr: stream(tty) };
  return { ctx: makeContext(o, io as never), io };
}

describe('confirm()', () => {
  it('says yes without asking when there is no terminal, or with -y', async () => {
    const pipe = ctxWith(false);
    expect(await confirm(pipe.ctx, 'Destroy?')).toBe(true);
    expect(pipe.io.stdout.text()).toBe('');
    const yes = ctxWith(true, { yes: true });
    expect(await confirm(yes.ctx, 'Destroy?')).toBe(true);
    expect(yes.io.stdout.text()).toBe('');
  });

  it('asks on a terminal and returns the answer', async () => {
    for (const [key, want] of [['y\r', true], ['n\r', false], ['\r', false]] as const) {
      const { ctx, io } = ctxWith(true);
      const answer = confirm(ctx, 'Destroy guest?', { io: { input: io.stdin } });
      typeWhenAsked(io, key);
      expect(await answer).toBe(want);
      expect(io.stdout.text()).toContain('Destroy guest?');
    }
  });

  it('turns Ctrl-C into CancelledError (exit 130), and "no" into one with confirmOrCancel', async () => {
    const { ctx, io } = ctxWith(true);
    const answer = confirm(ctx, 'Destroy?', { io: { input: io.stdin } });
    typeWhenAsked(io, '\x03');
    await expect(answer).rejects.toBeInstanceOf(CancelledError);
    const no = ctxWith(true);
    const cancelled = confirmOrCancel(no.ctx, 'Destroy?', { io: { input: no.io.stdin } });
    typeWhenAsked(no.io, 'n\r');
    await expect(cancelled).rejects.toThrow(/nothing was changed/);
  });
});

describe('progress()', () => {
  it('prints plain lines without a terminal, one per change, and no escapes', async () => {
    const { ctx, io } = ctxWith(false);
    const p = progress(ctx, 'create', { total: 3 });
    p.tick('web1');
    p.tick('web2');
    p.update('web2');
    p.tick('db1');
    p.done('3 domains');
    p.done('again');
    expect(io.stderr.text()).toBe('create: 1/3 web1\ncreate: 2/3 web2\ncreate: 3/3 db1\ncreate: 3/3 3 domains\n');
    expect(io.stdout.text()).toBe('');
  });

  it('draws a bar in place on a terminal and leaves one final line', async () => {
    const { ctx, io } = ctxWith(true);
    const p = progress(ctx, 'save', { total: 4, intervalMs: 5 });
    p.update('writing memory', 2);
    await new Promise((r) => setTimeout(r, 30));
    p.done('saved');
    const text = io.stderr.text();
    expect(text).toContain('\r\x1b[2Ksave [');
    expect(text).toMatch(/#{5,}-+\] 2\/4 writing memory/);
    expect(text.endsWith('\r\x1b[2Ksave: 2/4 saved\n')).toBe(true);
    for (const line of text.split('\r')) expect(line.replace(/\x1b\[2K/, '').length).toBeLessThanOrEqual(60);
  });

  it('is silent with -q, and withProgress ends as failed when the work throws', async () => {
    const quiet = ctxWith(true, { quiet: true });
    await withProgress(quiet.ctx, 'wait', async (p) => p.update('still waiting'));
    expect(quiet.io.stderr.text()).toBe('');
    const plain = ctxWith(false);
    await expect(withProgress(plain.ctx, 'migrate', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(plain.io.stderr.text()).toBe('migrate: failed\n');
  });
});

// The real binary: `destroy` asks on a terminal, and acts at once in a pipe, as xl does.
const destroy = COMMANDS.find((c) => c.name === 'destroy');
const HAVE_TMUX = spawnSync('sh', ['-c', 'command -v tmux']).status === 0;

describe.skipIf(!destroy)('txl destroy, in a pipe and on a terminal', () => {
  const dir = tempDir('txl-prompt-');
  const env = { TXL_SIM_STATE: join(dir, 'state.json'), TXL_CONNECT: 'test:///default' };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const create = (name: string) => {
    writeFileSync(join(dir, `${name}.cfg`), `name = "${name}"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 128\n`);
    expect(txl(['create', join(dir, `${name}.cfg`)], { env }).code).toBe(0);
  };
  const alive = (name: string) => txl(['domid', name], { env }).code === 0;

  it('acts without asking when stdin is not a terminal', () => {
    create('piped');
    const r = txl(['destroy', 'piped'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(alive('piped')).toBe(false);
  });

  it.skipIf(!HAVE_TMUX)('asks on a terminal: "n" and Ctrl-C cancel with exit 130, "y" destroys', async () => {
    create('asked');
    const server = `txl-prompt-${process.pid}`;
    const tmux = (...a: string[]) => spawnSync('tmux', ['-L', server, ...a], { encoding: 'utf8' });
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const session = async (keys: string[]): Promise<{ screen: string; code: string }> => {
      const codeFile = join(dir, `code-${Date.now()}`);
      const cmd = `env TXL_SIM_STATE=${env.TXL_SIM_STATE} TXL_CONNECT=test:///default ${process.execPath} ${BIN} destroy asked; echo $? > ${codeFile}; sleep 30`;
      tmux('new-session', '-d', '-s', 'p', '-x', '120', '-y', '20', cmd);
      let screen = '';
      for (let n = 0; n < 100 && !/Destroy domain 'asked'/.test(screen); n++) {
        await sleep(100);
        screen = tmux('capture-pane', '-p', '-t', 'p').stdout;
      }
      tmux('send-keys', '-t', 'p', ...keys);
      let code = '';
      for (let n = 0; n < 100 && !code; n++) {
        await sleep(100);
        code = spawnSync('cat', [codeFile], { encoding: 'utf8' }).stdout.trim();
      }
      screen = tmux('capture-pane', '-p', '-t', 'p').stdout;
      tmux('kill-server');
      return { screen, code };
    };
    const no = await session(['n', 'Enter']);
    expect(no.screen).toContain("Destroy domain 'asked'");
    expect(no.code).toBe('130');
    expect(alive('asked')).toBe(true);
    const ctrlC = await session(['C-c']);
    expect(ctrlC.code).toBe('130');
    expect(alive('asked')).toBe(true);
    const yes = await session(['y', 'Enter']);
    expect(yes.code).toBe('0');
    expect(alive('asked')).toBe(false);
  });
});
