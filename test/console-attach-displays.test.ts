// txl console attaches as xl console does (until Ctrl-] or the end of stdin), -t/-n pick the
// console, --log prints the log; list -l and dominfo report the VNC and SPICE ports (simulator).
import { afterAll, describe, expect, it } from 'vitest';
import { PassThrough, Writable } from 'node:stream';
import { rmSync } from 'node:fs';
import { makeContext } from '../src/context.js';
import { showConsole, type ConsoleInput, type ConsoleOptions } from '../src/ops/console.js';
import { simHost } from './support/inproc.js';

const h = simHost();
afterAll(() => rmSync(h.dir, { recursive: true, force: true }));

const PV = 'name = "pv1"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 128\n';
const HVM = (name: string, extra = '') =>
  `name = "${name}"\ntype = "hvm"\nkernel = "/boot/vmlinuz"\nextra = "console=ttyS0"\nmemory = 128\nserial = "pty"\nvnc = 1\nvnclisten = "127.0.0.1"\n${extra}`;

function created(args: string[]) {
  const r = h.run(args);
  expect(r.code, r.stderr).toBe(0);
}
created(['create', h.file('pv1.cfg', PV)]);
created(['create', h.file('hvm1.cfg', HVM('hvm1'))]);
created(['create', h.file('hvm2.cfg', HVM('hvm2', 'vncpasswd = "s3cret"\nspice = 1\nspicehost = "0.0.0.0"\nspiceport = 6000\nspicetls_port = 6001\nspicepasswd = "hush"\n'))]);

/** A terminal's stdin: keystrokes written by the test, raw mode recorded. */
function fakeTty(): ConsoleInput & PassThrough & { modes: boolean[] } {
  const s = new PassThrough() as PassThrough & { isTTY: boolean; modes: boolean[]; setRawMode(raw: boolean): void };
  s.isTTY = true;
  s.modes = [];
  s.setRawMode = (raw: boolean) => s.modes.push(raw);
  return s as never;
}

/** Runs txl console in this process against the test's host, with `stdin` as its input. */
async function attach(name: string, opts: ConsoleOptions, stdin: ConsoleInput, during?: () => void) {
  let out = '';
  const stdout = new Writable({ write(c, _e, done) { out += String(c); done(); } });
  const stderr = new Writable({ write(_c, _e, done) { done(); } });
  const ctx = makeContext({ connect: h.uri }, { stdout, stderr, stdin, env: { ...h.env, HOME: h.dir } });
  const running = showConsole(ctx, name, opts, { stdin });
  during?.();
  await running;
  return out;
}

describe('console attaches (simulator)', () => {
  it('shows the guest\'s output and ends at the end of stdin, the terminal put in raw mode and back', async () => {
    const tty = fakeTty();
    setTimeout(() => tty.end(), 300);
    const out = await attach('pv1', {}, tty);
    expect(out).toContain('Linux version');
    expect(out).toMatch(/pv1 login: \n$/);
    expect(tty.modes).toEqual([true, false]);
  });

  it('keeps showing what the guest prints, and ends with the domain', async () => {
    // preserved, so that its last lines are still there to read after it stops
    created(['create', h.file('pv2.cfg', PV.replace('pv1', 'pv2') + 'on_poweroff = "preserve"\n')]);
    const tty = fakeTty();
    const out = await attach('pv2', {}, tty, () => {
      // the guest powers off while the console is attached (h.run blocks until it is done)
      setTimeout(() => expect(h.run(['shutdown', 'pv2']).code).toBe(0), 300);
    });
    expect(out).toContain('pv2 login:');
    expect(out).toContain('reboot: Power down');
    expect(tty.modes).toEqual([true, false]);
  });

  it('Ctrl-] leaves it while the domain runs', async () => {
    const tty = fakeTty();
    const t0 = Date.now();
    setTimeout(() => tty.write('\x1d'), 300);
    expect(await attach('pv1', {}, tty)).toContain('pv1 login:');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(h.run(['domstate', 'pv1']).stdout).toBe('running\n');
  });

  it('an HVM guest\'s primary console is serial 0; -t pv attaches its silent PV console', async () => {
    const a = fakeTty();
    a.end();
    expect(await attach('hvm1', {}, a)).toContain('SeaBIOS');
    const b = fakeTty();
    b.end();
    expect(await attach('hvm1', { type: 'serial', num: 0 }, b)).toContain('SeaBIOS');
    const c = fakeTty();
    c.end();
    expect(await attach('hvm1', { type: 'pv' }, c)).toBe('');
  });

  it('a console that is not there is an error in one line', async () => {
    const none = async (name: string, o: ConsoleOptions) => {
      const t = fakeTty();
      t.end();
      return attach(name, o, t).then(() => 'attached', (e: Error) => e.message);
    };
    expect(await none('pv1', { type: 'serial' })).toBe("domain 'pv1' has no serial console 0 (a PVH guest has no emulated serial port)");
    expect(await none('pv1', { type: 'pv', num: 1 })).toMatch(/has no pv console 1/);
    expect(await none('hvm1', { type: 'serial', num: 1 })).toMatch(/has no serial console 1/);
    expect(await none('hvm1', { type: 'vuart' })).toMatch(/has no vuart console 0/);
  });

  it('from the command line: attaches until stdin ends; --log and -o json print the log', () => {
    const r = h.run(['console', 'pv1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/pv1 login: \n$/);
    const log = h.run(['console', '--log', 'hvm1']);
    expect(log.code, log.stderr).toBe(0);
    expect(log.stdout).toContain('SeaBIOS');
    const j = JSON.parse(h.run(['-o', 'json', 'console', 'pv1']).stdout);
    expect(j.log).toContain('Linux version');
    expect(h.run(['console', '-t', 'serial', 'pv1']).code).toBe(1);
    expect(h.run(['console', '-t', 'bogus', 'pv1']).code).toBe(2);
  });
});

describe('list -l and dominfo report the displays and their ports (simulator)', () => {
  it('-o json list -l: the VNC port QEMU took, the SPICE ports, no password', () => {
    const r = h.run(['-o', 'json', 'list', '-l']);
    expect(r.code, r.stderr).toBe(0);
    const byName = Object.fromEntries(JSON.parse(r.stdout).map((x: { config: { c_info: { name: string } } }) => [x.config.c_info.name, x]));
    expect(byName.hvm1.displays).toEqual([{ type: 'vnc', listen: '127.0.0.1', port: 5900 }]);
    expect(byName.hvm2.displays).toEqual([
      { type: 'vnc', listen: '127.0.0.1', port: 5901 },
      { type: 'spice', listen: '0.0.0.0', port: 6000, tls_port: 6001 },
    ]);
    expect(byName.pv1.displays).toEqual([]);
    expect(r.stdout).not.toMatch(/s3cret|hush/);
    // xl's own text of list -l stays xl's
    expect(h.run(['list', '-l', 'hvm1']).stdout).not.toContain('"displays"');
  });

  it('dominfo: JSON and text', () => {
    const j = JSON.parse(h.run(['-o', 'json', 'dominfo', 'hvm2']).stdout);
    expect(j.displays).toEqual([
      { type: 'vnc', listen: '127.0.0.1', port: 5901 },
      { type: 'spice', listen: '0.0.0.0', port: 6000, tls_port: 6001 },
    ]);
    const t = h.run(['dominfo', 'hvm2']).stdout;
    expect(t).toContain('Display:        vnc 127.0.0.1:5901\n');
    expect(t).toContain('Display:        spice 0.0.0.0:6000 (tls 6001)\n');
    expect(t).not.toMatch(/s3cret|hush/);
    expect(JSON.parse(h.run(['-o', 'json', 'dominfo', 'pv1']).stdout).displays).toEqual([]);
  });
});
