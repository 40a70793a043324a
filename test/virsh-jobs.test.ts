// virsh's jobs, displays and power management on the simulator: domjobinfo and domjobabort
// (a save held in TXL_SIM_DELAY seen and stopped from another process), vncdisplay and
// domdisplay (VNC and SPICE, passwords only when asked), dompmsuspend and dompmwakeup (S3
// of HVM guests only; disk, hybrid and a duration refused as libvirt's Xen driver does).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIM_BIN, simHost, type SimHost } from './support/inproc.js';
import { boot, dom, fails, ok } from './support/simcheck.js';

const PV = (name: string, vfb: string) => `name = "${name}"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 128\n${vfb ? `vfb = [ "${vfb}" ]\n` : ''}`;
const HVM = (name: string, extra = '') => `name = "${name}"\ntype = "hvm"\nmemory = 256\n${extra}`;

const json = (h: SimHost, args: string[]) => JSON.parse(ok(h, ['-o', 'json', ...args]).stdout);
/** exits with code, one line on stderr, nothing on stdout */
const oneLine = (h: SimHost, args: string[], code: number, msg: RegExp) => {
  const r = fails(h, args, code, msg);
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stdout).toBe('');
};

describe('vncdisplay and domdisplay', () => {
  it('VNC: the listen address and display, as virsh prints them; ports taken in order', () => {
    const h = simHost();
    boot(h, PV('a', 'vnc=1,vnclisten=127.0.0.1,vncpasswd=s3cret'), 'a.cfg');
    boot(h, PV('b', 'vnc=1,vnclisten=0.0.0.0'), 'b.cfg');
    boot(h, PV('c', 'vnc=1,vncdisplay=7'), 'c.cfg');
    expect(ok(h, ['vncdisplay', 'a']).stdout).toBe('127.0.0.1:0\n');
    // an address meaning "any" is left out by vncdisplay and is localhost in a URI
    expect(ok(h, ['vncdisplay', 'b']).stdout).toBe(':1\n');
    expect(ok(h, ['domdisplay', 'b']).stdout).toBe('vnc://localhost:1\n');
    expect(ok(h, ['vncdisplay', 'c']).stdout).toBe('127.0.0.1:7\n');
    // the password only when asked for, in text and JSON
    expect(ok(h, ['domdisplay', 'a']).stdout).toBe('vnc://127.0.0.1:0\n');
    expect(ok(h, ['domdisplay', '--include-password', 'a']).stdout).toBe('vnc://:s3cret@127.0.0.1:0\n');
    expect(json(h, ['domdisplay', 'a'])).toEqual({ type: 'vnc', listen: '127.0.0.1', port: 5900, uri: 'vnc://127.0.0.1:0' });
    expect(JSON.stringify(json(h, ['domdisplay', 'a']))).not.toContain('s3cret');
    expect(json(h, ['domdisplay', '--include-password', 'a']).passwd).toBe('s3cret');
    expect(json(h, ['vncdisplay', 'b'])).toEqual({ name: 'b', listen: '0.0.0.0', port: 5901, display: 1 });
    // a display freed by a domain that went is taken by the next one
    ok(h, ['destroy', 'a']);
    expect(ok(h, ['vncdisplay', 'b']).stdout).toBe(':1\n');
    boot(h, PV('d', 'vnc=1,vnclisten=127.0.0.1'), 'd.cfg');
    expect(ok(h, ['vncdisplay', 'd']).stdout).toBe('127.0.0.1:0\n');
  });

  it('SPICE: host, port and TLS port from the config; --type and --all choose', () => {
    const h = simHost();
    boot(h, HVM('w', 'vnc = 1\nvnclisten = "127.0.0.1"\nspice = 1\nspiceport = 6000\nspicetls_port = 6001\nspicehost = "192.0.2.1"\nspicepasswd = "pw"\n'), 'w.cfg');
    expect(ok(h, ['domdisplay', 'w']).stdout).toBe('vnc://127.0.0.1:0\n');
    expect(ok(h, ['domdisplay', '--type', 'spice', 'w']).stdout).toBe('spice://192.0.2.1:6000?tls-port=6001\n');
    expect(ok(h, ['domdisplay', '--all', '--include-password', 'w']).stdout).toBe('vnc://127.0.0.1:0\nspice://:pw@192.0.2.1:6000?tls-port=6001\n');
    expect(json(h, ['domdisplay', '--all', 'w']).map((d: { type: string }) => d.type)).toEqual(['vnc', 'spice']);
  });

  it('no display, no such type, no such domain: one line each', () => {
    const h = simHost();
    boot(h, PV('plain', ''), 'p.cfg');
    boot(h, HVM('s', 'vnc = 0\nspice = 1\nspiceport = 6100\n'), 's.cfg');
    oneLine(h, ['vncdisplay', 'plain'], 1, /domain 'plain' has no VNC display/);
    oneLine(h, ['domdisplay', 'plain'], 1, /domain 'plain' has no graphical display/);
    oneLine(h, ['vncdisplay', 's'], 1, /has no VNC display/);
    oneLine(h, ['domdisplay', '--type', 'vnc', 's'], 1, /domain 's' has no VNC display/);
    expect(ok(h, ['domdisplay', 's']).stdout).toBe('spice://localhost:6100\n');
    fails(h, ['vncdisplay', 'nosuch'], 1, /nosuch/);
    fails(h, ['domdisplay', '--type', 'rdp', 's'], 2, /rdp/);
  });
});

describe('dompmsuspend and dompmwakeup', () => {
  it('an HVM guest sleeps in S3 and wakes up; each only once', () => {
    const h = simHost();
    boot(h, HVM('w'), 'w.cfg');
    expect(ok(h, ['dompmsuspend', 'w', 'mem']).stdout).toBe("Domain 'w' successfully suspended\n");
    expect(dom(h, 'w').detail).toMatch(/S3/);
    oneLine(h, ['dompmsuspend', 'w', 'mem'], 1, /domain 'w' is already suspended to RAM/);
    expect(ok(h, ['dompmwakeup', 'w']).stdout).toBe("Domain 'w' successfully woken up\n");
    expect(dom(h, 'w').detail).toBeUndefined();
    oneLine(h, ['dompmwakeup', 'w'], 1, /domain 'w' is not suspended to RAM/);
    expect(json(h, ['dompmsuspend', 'w', 'mem', '--duration', '0'])).toMatchObject({ name: 'w', target: 'mem' });
    expect(json(h, ['dompmwakeup', 'w'])).toMatchObject({ name: 'w' });
  });

  it('PV and PVH guests, disk, hybrid, a duration, acpi_s3 = 0, a paused guest: refused in one line', () => {
    const h = simHost();
    boot(h, PV('p', ''), 'p.cfg');
    boot(h, HVM('w'), 'w.cfg');
    boot(h, HVM('nos3', 'acpi_s3 = 0\n'), 'n.cfg');
    oneLine(h, ['dompmsuspend', 'p', 'mem'], 1, /domain 'p' is a PV guest: ACPI S3 needs an HVM guest/);
    oneLine(h, ['dompmsuspend', 'w', 'disk'], 1, /target 'disk' is not supported on Xen/);
    oneLine(h, ['dompmsuspend', 'w', 'hybrid'], 1, /target 'hybrid' is not supported on Xen/);
    oneLine(h, ['dompmsuspend', 'w', 'mem', '--duration', '60'], 1, /duration is not supported/);
    oneLine(h, ['dompmsuspend', 'w', 'sleep'], 2, /invalid target 'sleep'/);
    oneLine(h, ['dompmsuspend', 'nos3', 'mem'], 1, /S3 disabled/);
    ok(h, ['pause', 'w']);
    oneLine(h, ['dompmsuspend', 'w', 'mem'], 1, /not running/);
    oneLine(h, ['dompmwakeup', 'p'], 1, /not suspended to RAM/);
    // a dry run says what it would do and does nothing
    ok(h, ['unpause', 'w']);
    ok(h, ['--dry-run', 'dompmsuspend', 'w', 'mem']);
    expect(dom(h, 'w').detail).toBeUndefined();
  });
});

/** Starts txl; resolves `marked` once `marker` shows on its stderr, `done` when it exits. */
function started(h: SimHost, args: string[], marker: RegExp, env: Record<string, string> = {}) {
  const full: Record<string, string> = { ...(process.env as Record<string, string>), ...h.env, ...env };
  for (const k of Object.keys(full)) if (full[k] === '' && k.startsWith('TXL_')) delete full[k];
  const p = spawn(process.execPath, [SIM_BIN, '--connect', h.uri, ...args], { cwd: h.dir, env: full });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (c) => (stdout += c));
  const marked = new Promise<void>((resolve) => {
    p.stderr.on('data', (c) => {
      stderr += c;
      if (marker.test(stderr)) resolve();
    });
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => p.on('close', (code) => resolve({ code, stdout, stderr })));
  return { pid: p.pid!, marked, done };
}

describe('domjobinfo and domjobabort', { timeout: 120_000 }, () => {
  it('no job: "Job type: None", and domjobabort says so in one line', () => {
    const h = simHost();
    boot(h, PV('g1', ''), 'g1.cfg');
    expect(ok(h, ['domjobinfo', 'g1']).stdout).toBe('Job type:         None        \n');
    expect(json(h, ['domjobinfo', 'g1'])).toEqual({ domid: 1, name: 'g1', type: 'none' });
    oneLine(h, ['domjobabort', 'g1'], 1, /no job is active on domain 'g1'/);
    fails(h, ['domjobinfo', 'nosuch'], 1, /nosuch/);
  });

  it('a record left by a process that died is ignored and removed', () => {
    const h = simHost();
    boot(h, PV('g1', ''), 'g1.cfg');
    const dir = join(h.dir, 'jobs');
    mkdirSync(dir, { recursive: true });
    // pid 2^22 + 1 is above Linux's pid_max: no process has it
    writeFileSync(join(dir, '1.json'), JSON.stringify({ pid: 4194305, domid: 1, name: 'g1', operation: 'save', since: Date.now() }));
    expect(ok(h, ['domjobinfo', 'g1']).stdout).toMatch(/^Job type: +None/);
    expect(readdirSync(dir)).toEqual([]);
    oneLine(h, ['domjobabort', 'g1'], 1, /no job is active/);
  });

  it('a save is seen from another process while it runs, and domjobabort stops it: the domain runs on, no image', async () => {
    const h = simHost();
    boot(h, PV('g1', ''), 'g1.cfg');
    const file = join(h.dir, 'g1.save');
    const release = join(h.dir, 'release');
    // held in its image write until the test releases it: no clock decides what happens first
    const save = started(h, ['save', 'g1', file], /holding step 'save-write:1'/, { TXL_SIM_DELAY: 'save-write:1:60000', TXL_SIM_DELAY_UNTIL: release });
    await save.marked;
    // the saver holds the simulator's lock: these read only the job's record
    const info = ok(h, ['domjobinfo', 'g1']).stdout;
    expect(info).toMatch(/^Job type: +Unbounded *\nOperation: +Save *\nTime elapsed: +\d+ +ms\n/);
    expect(info).toMatch(/Data total: +128\.000 MiB/);
    const j = json(h, ['domjobinfo', '1']);
    expect(j).toMatchObject({ domid: 1, name: 'g1', type: 'unbounded', operation: 'save', pid: save.pid, data_total: 128 * 1024 * 1024 });
    expect(j.time_elapsed_ms).toBeGreaterThanOrEqual(0);
    // the abort waits for the save to unwind; the hold ends once the signal is on its way
    // the abort waits for the save to unwind, which it can only do once its hold ends: the
    // hold is released once the signal is sent
    const abort = started(h, ['domjobabort', 'g1'], /Aborting the save of domain 'g1'/);
    await abort.marked;
    writeFileSync(release, '');
    const r = await abort.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`Aborting the save of domain 'g1' (process ${save.pid})...\n`);
    const saved = await save.done;
    expect(saved.code, saved.stderr).toBe(130);
    expect(saved.stderr).toMatch(/interrupted: domain 'g1' was not saved and keeps running; no image written/);
    expect(dom(h, 'g1').status).toBe('running');
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(h.dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(join(h.dir, 'jobs'))).toEqual([]);
    expect(ok(h, ['domjobinfo', 'g1']).stdout).toMatch(/^Job type: +None/);
    // and the same save, unheld, works
    ok(h, ['save', 'g1', file]);
    expect(existsSync(file)).toBe(true);
  });
});
