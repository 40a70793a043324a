// autostart, managedsave, managedsave-remove, start from a managed save, and the boot unit's
// host-start / host-stop, on a private simulated host (a host reboot is the state file going
// away while the managed configs and save images stay, as they do on disk).
import { describe, it, expect } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simHost, guestJson, type SimHost } from './support/inproc.js';

/** A host with no xendomains, whatever the machine running the tests has in /etc. */
function host(yaml?: string): SimHost & { env2: Record<string, string> } {
  const h = simHost(yaml);
  const env2 = { TXL_XENDOMAINS_DEFAULTS: join(h.dir, 'xendomains') };
  writeFileSync(env2.TXL_XENDOMAINS_DEFAULTS, `XENDOMAINS_AUTO=${join(h.dir, 'auto')}\n`);
  const run = h.run.bind(h);
  return Object.assign(h, { env2, run: (args: string[], opts: { env?: Record<string, string>; input?: string } = {}) => run(args, { ...opts, env: { ...env2, ...opts.env } }) });
}

function define(h: SimHost, name: string, memMiB = 256): void {
  const r = h.run(['define', h.file(`${name}.json`, guestJson(name, memMiB))]);
  expect(r.code, r.stderr).toBe(0);
}

const dominfo = (h: SimHost, name: string) => Object.fromEntries(h.run(['dominfo', name]).stdout.trimEnd().split('\n').map((l) => [l.slice(0, 15).trim(), l.slice(16)]));
const names = (h: SimHost, args: string[]) => JSON.parse(h.run(['-o', 'json', 'list', ...args]).stdout).map((d: { name: string }) => d.name);
const live = (h: SimHost) => JSON.parse(h.run(['-o', 'json', 'list']).stdout).filter((d: { domid: number }) => d.domid !== 0);

describe('autostart', () => {
  const h = host();
  define(h, 'web');
  define(h, 'db');

  it('marks and unmarks a managed domain, as dominfo shows', () => {
    expect(dominfo(h, 'web')['Autostart:']).toBe('disable');
    expect(h.run(['autostart', 'web'])).toMatchObject({ code: 0, stdout: "Domain 'web' marked as autostarted\n" });
    expect(dominfo(h, 'web')['Autostart:']).toBe('enable');
    expect(JSON.parse(h.run(['-o', 'json', 'dominfo', 'web']).stdout).autostart).toBe(true);
    expect(h.run(['autostart', 'web']).code).toBe(0); // again: still marked
    expect(h.run(['autostart', '--disable', 'db'])).toMatchObject({ code: 0, stdout: "Domain 'db' unmarked as autostarted\n" });
  });

  it('list --autostart / --no-autostart filter as virsh does', () => {
    expect(names(h, ['--all', '--autostart'])).toEqual(['web']);
    expect(names(h, ['--all', '--no-autostart'])).toEqual(['Domain-0', 'db']);
    expect(h.run(['list', '--all', '--autostart']).stdout).toMatch(/^Name .*\nweb +- +256 +1 +------ +-\n$/);
  });

  it('refuses a transient domain, as virsh does', () => {
    expect(h.run(['create', h.file('tr.json', guestJson('tr'))]).code).toBe(0);
    const r = h.run(['autostart', 'tr']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^txl: error: cannot set autostart for transient domain 'tr'\n  hint: .*txl define/);
    expect(h.run(['autostart', 'nosuch']).code).toBe(1);
  });

  it('survives a new define; undefine removes it', () => {
    define(h, 'web');
    expect(dominfo(h, 'web')['Autostart:']).toBe('enable');
    expect(h.run(['undefine', 'web']).code).toBe(0);
    define(h, 'web');
    expect(dominfo(h, 'web')['Autostart:']).toBe('disable');
  });

  it('a running domain that is renamed keeps its mark', () => {
    expect(h.run(['autostart', 'db']).code).toBe(0);
    expect(h.run(['start', 'db']).code).toBe(0);
    expect(h.run(['rename', 'db', 'db2']).code).toBe(0);
    expect(dominfo(h, 'db2')['Autostart:']).toBe('enable');
    expect(existsSync(join(h.dir, 'managed', 'autostart', 'db'))).toBe(false);
  });
});

describe('managedsave and start', () => {
  const h = host();
  define(h, 'web');

  it('saves a running managed domain into an owner-only image and stops it', () => {
    expect(h.run(['start', 'web']).code).toBe(0);
    const r = h.run(['managedsave', 'web']);
    expect(r).toMatchObject({ code: 0, stdout: "\nDomain 'web' state saved by txl\n\n" });
    const image = join(h.dir, 'save', 'web.save');
    expect(statSync(image).mode & 0o777).toBe(0o600);
    expect(statSync(join(h.dir, 'save')).mode & 0o777).toBe(0o700);
    expect(live(h)).toEqual([]);
    expect(dominfo(h, 'web')).toMatchObject({ 'State:': 'shut off', 'Managed save:': 'yes' });
  });

  it('list --with-managed-save, --without-managed-save and --managed-save', () => {
    expect(names(h, ['--all', '--with-managed-save'])).toEqual(['web']);
    expect(names(h, ['--all', '--without-managed-save'])).toEqual(['Domain-0']);
    expect(h.run(['list', '--all', '--managed-save']).stdout).toMatch(/\nweb +- +256 +1 +saved  +-\n$/);
    expect(JSON.parse(h.run(['-o', 'json', 'list', '--all', '--managed-save']).stdout)[1]).toMatchObject({ name: 'web', state: 'saved', managed_save: true });
  });

  it('undefine is refused while the image exists', () => {
    const r = h.run(['undefine', 'web']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Refusing to undefine while domain managed save image exists/);
  });

  it('start restores from the image and removes it', () => {
    const r = h.run(['-o', 'json', 'start', 'web']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).restored).toBe(join(h.dir, 'save', 'web.save'));
    expect(existsSync(join(h.dir, 'save', 'web.save'))).toBe(false);
    expect(h.state().events.filter((e: { type: string }) => e.type === 'restore').map((e: { name: string }) => e.name)).toEqual(['web']);
    expect(dominfo(h, 'web')).toMatchObject({ 'State:': 'running', 'Managed save:': 'no' });
  });

  it('start --force-boot boots afresh and drops the image; managedsave-remove drops it too', () => {
    expect(h.run(['managedsave', 'web']).code).toBe(0);
    expect(h.run(['start', '--force-boot', 'web']).code).toBe(0);
    expect(existsSync(join(h.dir, 'save', 'web.save'))).toBe(false);
    expect(h.state().events.filter((e: { type: string }) => e.type === 'restore')).toHaveLength(1);
    expect(h.run(['managedsave', 'web']).code).toBe(0);
    expect(h.run(['managedsave-remove', 'web'])).toMatchObject({ code: 0, stdout: "Removed managedsave image for domain 'web'\n" });
    expect(h.run(['managedsave-remove', 'web'])).toMatchObject({ code: 0, stdout: "Domain 'web' has no manage save image; removal skipped\n" });
    expect(h.run(['start', 'web']).code).toBe(0);
    expect(h.state().events.filter((e: { type: string }) => e.type === 'restore')).toHaveLength(1);
  });

  it('a paused domain is saved (running for its save, as libxl needs) and comes back paused', () => {
    expect(h.run(['pause', 'web']).code).toBe(0);
    expect(h.run(['managedsave', 'web']).code).toBe(0);
    expect(existsSync(join(h.dir, 'save', 'web.save.paused'))).toBe(true);
    expect(h.run(['start', 'web']).code).toBe(0);
    expect(live(h).map((d: { name: string; state: string }) => [d.name, d.state])).toEqual([['web', 'paused']]);
    expect(existsSync(join(h.dir, 'save', 'web.save.paused'))).toBe(false);
    expect(h.run(['unpause', 'web']).code).toBe(0);
  });

  it('a failed save leaves no image and the domain running', () => {
    const r = h.run(['managedsave', 'web'], { env: { TXL_SIM_FAIL: 'save-write' } });
    expect(r.code).toBe(1);
    expect(existsSync(join(h.dir, 'save', 'web.save'))).toBe(false);
    expect(live(h).map((d: { name: string; state: string }) => [d.name, d.state])).toEqual([['web', 'blocked']]);
  });

  it('undefine --managed-save removes the image with the config', () => {
    define(h, 'gone');
    expect(h.run(['start', 'gone']).code).toBe(0);
    expect(h.run(['managedsave', 'gone']).code).toBe(0);
    expect(h.run(['undefine', 'gone']).stderr).toMatch(/hint: .*undefine --managed-save gone/);
    expect(h.run(['undefine', '--managed-save', 'gone'])).toMatchObject({ code: 0, stdout: "Domain 'gone' has been undefined\n" });
    expect(existsSync(join(h.dir, 'save', 'gone.save'))).toBe(false);
    expect(names(h, ['--all'])).not.toContain('gone');
  });

  it('refuses a transient or stopped domain', () => {
    expect(h.run(['create', h.file('tr.json', guestJson('tr'))]).code).toBe(0);
    expect(h.run(['managedsave', 'tr']).stderr).toMatch(/cannot do managed save for transient domain 'tr'/);
    expect(h.run(['destroy', 'web']).code).toBe(0);
    expect(h.run(['managedsave', 'web'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/domain 'web' is not running/) });
  });
});

describe('-N managedsave and -N start', () => {
  const h = host();
  define(h, 'web');

  it('say what they would do and change nothing', () => {
    expect(h.run(['start', 'web']).code).toBe(0);
    const r = h.run(['-N', 'managedsave', 'web']);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toBe(`txl: dry run: would save domain 'web' (id 1) to ${join(h.dir, 'save', 'web.save')} and stop it\n`);
    expect(live(h).map((d: { name: string }) => d.name)).toEqual(['web']);
    expect(h.run(['managedsave', 'web']).code).toBe(0);
    const s = h.run(['-N', 'start', 'web']);
    expect(s.stderr).toBe(`txl: dry run: would restore domain 'web' from ${join(h.dir, 'save', 'web.save')} and remove it\n`);
    expect(live(h)).toEqual([]);
    expect(existsSync(join(h.dir, 'save', 'web.save'))).toBe(true);
  });
});

describe('host-start and host-stop', () => {
  const h = host();
  for (const n of ['a', 'b', 'c']) define(h, n);
  define(h, 'huge', 64 * 1024 * 1024);
  h.run(['autostart', 'a']);
  h.run(['autostart', 'b']);

  it('host-start starts the autostart domains, one line each, and is idempotent', () => {
    const r = h.run(['host-start', '-j', '2']);
    expect(r).toMatchObject({ code: 0, stdout: "Domain 'a' started\nDomain 'b' started\n", stderr: '' });
    expect(h.run(['host-start'])).toMatchObject({ code: 0, stdout: "Domain 'a' is already running\nDomain 'b' is already running\n" });
  });

  it('a domain that fails to start gives one line and exit 1; the others still start', () => {
    expect(h.run(['autostart', 'huge']).code).toBe(0);
    expect(h.run(['destroy', 'b']).code).toBe(0);
    const r = h.run(['host-start']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("Domain 'a' is already running\nDomain 'b' started\n");
    expect(r.stderr.split('\n').filter((l) => l.startsWith('txl: error:'))).toEqual([expect.stringMatching(/^txl: error: domain 'huge': not enough free memory/)]);
    expect(h.run(['autostart', '--disable', 'huge']).code).toBe(0);
  });

  it('a host reboot (host-stop, the host starts afresh, host-start) brings everything back where it was', () => {
    expect(h.run(['start', 'c']).code).toBe(0);
    expect(h.run(['create', h.file('t.json', guestJson('t'))]).code).toBe(0); // transient: left alone
    const before = live(h).map((d: { name: string }) => d.name).sort();
    const stop = h.run(['host-stop', '-j', '3']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toBe(['a', 'b', 'c'].map((n) => `Domain '${n}' saved to ${join(h.dir, 'save', `${n}.save`)}`).join('\n') + '\n');
    expect(live(h).map((d: { name: string }) => d.name)).toEqual(['t']);
    expect(h.run(['host-stop'])).toMatchObject({ code: 0, stdout: '' });
    // the reboot: the hypervisor's state is gone, the files under /var/lib/txl stay
    rmSync(join(h.dir, 'state.json'));
    const start = h.run(['host-start']);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toBe(['a', 'b', 'c'].map((n) => `Domain '${n}' restored from ${join(h.dir, 'save', `${n}.save`)}`).join('\n') + '\n');
    expect(live(h).map((d: { name: string }) => d.name).sort()).toEqual(before.filter((n: string) => n !== 't'));
    expect(h.state().events.filter((e: { type: string }) => e.type === 'restore')).toHaveLength(3);
    expect(existsSync(join(h.dir, 'save', 'a.save'))).toBe(false);
    expect(h.run(['host-start']).stdout).toBe("Domain 'a' is already running\nDomain 'b' is already running\n");
  });

  it('-o json says what happened to each domain; -N changes nothing', () => {
    const r = h.run(['-o', 'json', 'host-stop', '--mode', 'shutdown']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((o: { name: string; action: string }) => [o.name, o.action])).toEqual([['a', 'shutdown'], ['b', 'shutdown'], ['c', 'shutdown']]);
    const n = h.run(['-N', 'host-start']);
    expect(n).toMatchObject({ code: 0, stdout: "Domain 'a': would start it\nDomain 'b': would start it\n" });
    expect(live(h)).toEqual([]); // the transient 't' went with the reboot
  });

  it('leaves the domains xendomains owns (XENDOMAINS_AUTO) alone, with a note', () => {
    mkdirSync(join(h.dir, 'auto'), { recursive: true });
    writeFileSync(join(h.dir, 'auto', 'b.cfg'), 'name = "b"\nmemory = 256\n');
    const r = h.run(['host-start']);
    expect(r.stdout).toBe(`Domain 'a' started\nDomain 'b' skipped: xendomains starts it (${join(h.dir, 'auto', 'b.cfg')})\n`);
    expect(h.run(['autostart', 'b']).stderr).toMatch(/warning: xendomains starts 'b' at boot/);
    expect(h.run(['start', 'b']).code).toBe(0);
    expect(h.run(['host-stop']).stdout).toBe(`Domain 'a' saved to ${join(h.dir, 'save', 'a.save')}\nDomain 'b' skipped: xendomains stops it (${join(h.dir, 'auto', 'b.cfg')})\n`);
  });

  it('rejects bad -j and --timeout', () => {
    expect(h.run(['host-start', '-j', '0']).code).toBe(2);
    expect(h.run(['host-stop', '--timeout', '-1']).code).toBe(2);
    expect(h.run(['host-stop', '--mode', 'sleep']).code).toBe(2);
  });
});

describe('host-stop --mode shutdown with a guest that takes too long', () => {
  const h = host('shutdown_delay: 60000\n');
  define(h, 'slow');

  it('destroys it after --timeout, with a warning, and exits 0', () => {
    expect(h.run(['start', 'slow']).code).toBe(0);
    const t0 = Date.now();
    const r = h.run(['host-stop', '--mode', 'shutdown', '--timeout', '1']);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toBe("txl: warning: domain 'slow' was destroyed: it did not shut down within 1 s\n");
    expect(live(h)).toEqual([]);
  });

  it('a save that fails falls back to a shutdown, and counts as failed', () => {
    expect(h.run(['start', 'slow']).code).toBe(0);
    const r = h.run(['host-stop', '--timeout', '0'], { env: { TXL_SIM_FAIL: 'save-write' } });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^txl: error: domain 'slow': could not be saved \(.*\); it was destroyed \(it did not shut down within 0 s\) instead$/)]);
    expect(existsSync(join(h.dir, 'save', 'slow.save'))).toBe(false);
  });
});

describe("Xen's managed store (/var/lib/txl): the autostart mark and the managed save image", () => {
  it('lists, follows a rename, refuses an undefine that would orphan an image, forgets the mark on undefine', async () => {
    const { ManagedStore } = await import('../src/xen/managed.js');
    const { guest } = await import('./support/sim.js');
    const dir = mkdtempSync(join(tmpdir(), 'txl-xenstore-'));
    const store = new ManagedStore(join(dir, 'managed'), join(dir, 'save'));
    store.define(guest('web'));
    expect(store.get('web')).toMatchObject({ autostart: false, managed_save: undefined });
    store.marks.setAutostart('web', true);
    expect(statSync(join(dir, 'managed', 'autostart', 'web')).mode & 0o777).toBe(0o600);
    expect(store.get('web')?.autostart).toBe(true);
    store.define(guest('web')); // a new define keeps it
    expect(store.get('web')?.autostart).toBe(true);
    store.rename('web', 'www');
    expect(store.get('www')?.autostart).toBe(true);
    mkdirSync(join(dir, 'save'), { mode: 0o700 });
    writeFileSync(store.marks.savePath('www'), 'image', { mode: 0o600 });
    expect(store.get('www')?.managed_save).toBe(join(dir, 'save', 'www.save'));
    expect(() => store.undefine('www')).toThrow(/Refusing to undefine while domain managed save image exists/);
    rmSync(store.marks.savePath('www'));
    store.undefine('www');
    expect(existsSync(join(dir, 'managed', 'autostart', 'www'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an autostart mark others could have made', async () => {
    const { ManagedStore } = await import('../src/xen/managed.js');
    const { guest } = await import('./support/sim.js');
    const dir = mkdtempSync(join(tmpdir(), 'txl-xenstore-'));
    const store = new ManagedStore(join(dir, 'managed'), join(dir, 'save'));
    store.define(guest('web'));
    store.marks.setAutostart('web', true);
    chmodSync(join(dir, 'managed', 'autostart', 'web'), 0o666);
    expect(() => store.list()).toThrow(/refusing to use the autostart mark .*writable by group and others/);
    rmSync(dir, { recursive: true, force: true });
  });
});
