// Ctrl-C where a person meets it: a prompt answered with Ctrl-C while the handler is
// installed, Ctrl-C typed on a real terminal (tmux: the whole foreground process group gets
// SIGINT, as from a keyboard), and a batch create stopped half-way. The per-step proofs are
// in atomicity-interrupt.test.ts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { makeContext } from '../src/context.js';
import { CancelledError, exitCodeFor } from '../src/core/errors.js';
import { checkInterrupt, explain, installInterruptHandler, InterruptedError, interruptRequested, interruptSignal, resetInterruptState, settleAndCheck, undoing } from '../src/interrupt.js';
import { confirm } from '../src/prompt.js';
import { SIM_BIN, simHost } from './support/sim.js';

const cfg = (name: string) => `name = "${name}"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 128\ndisk = [ "vdev=xvda, target=/dev/vg/${name}" ]\n`;
const names = (h: ReturnType<typeof simHost>) => (h.state().domains as { name: string }[]).map((d) => d.name).sort();

describe('prompts with the interrupt handler installed', () => {
  afterEach(() => resetInterruptState());

  it('Ctrl-C at a prompt is still the prompt\'s: CancelledError (exit 130), no interrupt recorded', async () => {
    installInterruptHandler();
    const tty = () => Object.assign(new PassThrough(), { isTTY: true, columns: 60 });
    const io = { stdin: tty(), stdout: tty(), stderr: tty() };
    let shown = '';
    io.stdout.on('data', (d) => (shown += d));
    const ctx = makeContext({}, io as never);
    const answer = confirm(ctx, 'Destroy?', { io: { input: io.stdin } });
    const t = setInterval(() => {
      if (shown.includes('?')) {
        clearInterval(t);
        io.stdin.write('\x03');
      }
    }, 10);
    await expect(answer).rejects.toBeInstanceOf(CancelledError);
    expect(interruptRequested()).toBe(false);
  });
});

describe('interrupt.ts: safe points, undoing, explanations', () => {
  afterEach(() => resetInterruptState());

  it('the first signal only sets the flag; safe points throw InterruptedError (130) except while undoing', async () => {
    installInterruptHandler();
    const waits = interruptSignal();
    expect(() => checkInterrupt()).not.toThrow();
    process.emit('SIGINT', 'SIGINT');
    expect(interruptRequested()).toBe(true);
    expect(waits.aborted).toBe(true);
    let thrown: unknown;
    try {
      checkInterrupt();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InterruptedError);
    expect(exitCodeFor(thrown)).toBe(130);
    await expect(settleAndCheck()).rejects.toBeInstanceOf(InterruptedError);
    // clean-up work is not interrupted at its own safe points
    await expect(undoing(async () => (checkInterrupt(), await settleAndCheck(), 'undone'))).resolves.toBe('undone');
    // the innermost explanation wins
    explain(thrown, "domain 'g1' was destroyed");
    explain(thrown, 'something vaguer');
    expect((thrown as Error).message).toBe("interrupted: domain 'g1' was destroyed");
  });
});

describe('txl create -j 1 a b c, stopped while b is being created', () => {
  it('a is kept, b is not created, c is not started; one line says so; exit 130', async () => {
    const h = simHost();
    for (const n of ['a', 'b', 'c']) h.file(`${n}.cfg`, cfg(n));
    expect(h.run(['list']).code).toBe(0);
    const release = join(h.dir, 'release');
    const env: Record<string, string> = { ...(process.env as Record<string, string>), ...h.env, TXL_SIM_DELAY: 'domain-create:2:60000', TXL_SIM_DELAY_UNTIL: release };
    for (const k of Object.keys(env)) if (env[k] === '' && k.startsWith('TXL_')) delete env[k];
    const p = spawn(process.execPath, [SIM_BIN, '--connect', h.uri, 'create', '-j', '1', 'a.cfg', 'b.cfg', 'c.cfg'], { cwd: h.dir, env });
    let stderr = '';
    // the second create's first step is held: signal it there, then let it go on
    p.stderr.on('data', (c) => {
      stderr += c;
      if (/holding step 'domain-create:2'/.test(stderr) && !existsSync(release)) {
        p.kill('SIGINT');
        writeFileSync(release, '');
      }
    });
    const code = await new Promise<number | null>((resolve) => p.on('close', resolve));
    const r = { code, stderr };
    expect(r.code, r.stderr).toBe(130);
    const last = r.stderr.trim().split('\n').pop();
    expect(last).toBe("txl: interrupted: b.cfg: domain 'b' was not created; not started: c.cfg; created before the signal and kept: 'a'");
    expect(names(h)).toEqual(['Domain-0', 'a']);
  });
});

const HAVE_TMUX = spawnSync('sh', ['-c', 'command -v tmux']).status === 0;

describe.skipIf(!HAVE_TMUX)('Ctrl-C typed on a terminal', () => {
  it('during txl create: a note, then one line saying what was undone; exit 130; no domain', async () => {
    const h = simHost();
    h.file('g1.cfg', cfg('g1'));
    expect(h.run(['list']).code).toBe(0);
    const release = join(h.dir, 'release');
    const codeFile = join(h.dir, 'code');
    const server = `txl-intr-${process.pid}`;
    const tmux = (...a: string[]) => spawnSync('tmux', ['-L', server, ...a], { encoding: 'utf8' });
    const env = `env HOME=${h.dir} NO_COLOR=1 TXL_SIM_STATE=${join(h.dir, 'state.json')} TXL_SIM_DELAY=disk-attach:1:60000 TXL_SIM_DELAY_UNTIL=${release}`;
    const cmd = `cd ${h.dir} && ${env} ${process.execPath} ${SIM_BIN} -c test:///default create g1.cfg; echo $? > ${codeFile}; sleep 30`;
    tmux('new-session', '-d', '-s', 'p', '-x', '150', '-y', '20', cmd);
    const screen = () => tmux('capture-pane', '-p', '-t', 'p').stdout;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    try {
      for (let n = 0; n < 300 && !/holding step 'disk-attach:1'/.test(screen()); n++) await sleep(100);
      tmux('send-keys', '-t', 'p', 'C-c');
      // the held step is synchronous: the handler (and its note) runs once the hold ends
      await sleep(300);
      writeFileSync(release, '');
      for (let n = 0; n < 300 && !existsSync(codeFile); n++) await sleep(100);
      await sleep(100);
      const text = screen();
      expect(readFileSync(codeFile, 'utf8').trim(), text).toBe('130');
      expect(text).toContain('txl: interrupted: stopping at the next safe point and undoing (Ctrl-C again stops at once)');
      expect(text).toContain("txl: interrupted: domain 'g1' was not created");
      expect(names(h)).toEqual(['Domain-0']);
    } finally {
      tmux('kill-server');
    }
  });
});
