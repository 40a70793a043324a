// Many txl processes on one simulated host: no lost update, no duplicate, clear errors for the
// losers; an interrupted state write and a dead lock holder leave the host usable and intact.
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, writeFileSync, utimesSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { simHost, guestJson, SIM_BIN, type SimHost } from './support/sim.js';
import { BIN } from './support/txl.js';
import { runInProcess } from './support/inproc-run.js';

/**
 * A command line that prepares or inspects the host, in this process (test/support/inproc.ts);
 * h.run and h.start, which spawn, stay for the processes under test.
 */
function setup(h: SimHost, args: string[]) {
  if (SIM_BIN !== BIN) return h.run(args);
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...h.env };
  for (const k of Object.keys(env)) if (env[k] === '' && k.startsWith('TXL_')) delete env[k];
  return runInProcess(['--connect', h.uri, ...args], env, h.dir);
}

describe('concurrent creates', () => {
  it('20 creates at once end with exactly the domains that fit', async () => {
    const h = simHost('memory: 4g\ndom0: {memory: 1g}\n');
    const files = Array.from({ length: 20 }, (_, i) => h.file(`g${i}.json`, guestJson(`g${String(i).padStart(2, '0')}`, 384)));
    const runs = await Promise.all(files.map((f) => h.start(['create', f])));
    const won = runs.filter((r) => r.code === 0);
    const lost = runs.filter((r) => r.code !== 0);
    expect(won).toHaveLength(8);
    expect(lost).toHaveLength(12);
    for (const r of lost) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/txl: error: not enough free memory for domain 'g\d\d': it needs 384 MiB and the host has 0 MiB free/);
    }
    const st = h.state();
    const guests = st.domains.filter((d: any) => d.domid !== 0);
    expect(guests.map((d: any) => d.domid).sort((a: number, b: number) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(guests.map((d: any) => d.name)).size).toBe(8);
    expect(st.next_domid).toBe(9);
    // every winner's domain is there: no update was lost
    const winners = won.map((r) => /Parsing config from .*g(\d+)\.json/.exec(r.stderr)![1]).map((i) => `g${i.padStart(2, '0')}`);
    expect(guests.map((d: any) => d.name).sort()).toEqual(winners.sort());
    expect(setup(h, ['info', 'free_memory']).stdout).toBe('0\n');
  });

  it('10 creates of one name: one domain, nine clear refusals', async () => {
    const h = simHost();
    const f = h.file('same.json', guestJson('same', 128));
    const runs = await Promise.all(Array.from({ length: 10 }, () => h.start(['create', f])));
    expect(runs.filter((r) => r.code === 0)).toHaveLength(1);
    for (const r of runs.filter((x) => x.code !== 0)) expect(r.stderr).toContain('txl: error: domain with name "same" already exists');
    expect(h.state().domains.map((d: any) => d.name)).toEqual(['Domain-0', 'same']);
  });

  it('creates and destroys interleaved from many processes keep the books straight', async () => {
    const h = simHost();
    for (let i = 0; i < 6; i++) setup(h, ['create', h.file(`d${i}.json`, guestJson(`d${i}`, 128))]);
    const ops = [
      ...Array.from({ length: 6 }, (_, i) => h.start(['destroy', '-f', `d${i}`])),
      ...Array.from({ length: 6 }, (_, i) => h.start(['create', h.file(`e${i}.json`, guestJson(`e${i}`, 128))])),
    ];
    const runs = await Promise.all(ops);
    expect(runs.every((r) => r.code === 0)).toBe(true);
    const st = h.state();
    expect(st.domains.map((d: any) => d.name).sort()).toEqual(['Domain-0', 'e0', 'e1', 'e2', 'e3', 'e4', 'e5']);
    expect(new Set(st.domains.map((d: any) => d.domid)).size).toBe(7);
    expect(Math.min(...st.domains.filter((d: any) => d.domid).map((d: any) => d.domid))).toBeGreaterThanOrEqual(7);
  });
});

describe('faults and interruptions', () => {
  it('a create whose 2nd disk attach fails rolls back, saying so', () => {
    const h = simHost();
    setup(h, ['create', h.file('a.json', guestJson('a', 128))]);
    const before = readFileSync(join(h.dir, 'state.json'), 'utf8');
    const f = h.file('b.json', guestJson('b', 128, { disks: [{ vdev: 'xvda', pdev_path: '/a' }, { vdev: 'xvdb', pdev_path: '/b' }], nics: [{}] }));
    const r = h.run(['create', f], { env: { TXL_SIM_FAIL: 'disk-attach:2' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("txl: error: disk attach #2 for domain 'b' failed (simulated fault 'disk-attach:2' from TXL_SIM_FAIL)");
    expect(readFileSync(join(h.dir, 'state.json'), 'utf8')).toBe(before);
    expect(h.run(['create', f], { env: { TXL_SIM_FAIL: 'disk-attach:3' } }).code).toBe(0);
  });

  it('a txl killed in the middle of writing the state leaves the old state intact and the host usable', () => {
    const h = simHost();
    setup(h, ['create', h.file('a.json', guestJson('a', 128))]);
    const statePath = join(h.dir, 'state.json');
    const before = readFileSync(statePath, 'utf8');
    const r = h.run(['create', h.file('b.json', guestJson('b', 128))], { env: { TXL_SIM_FAIL: 'state-write-crash' } });
    expect(r.code).not.toBe(0);
    expect(readFileSync(statePath, 'utf8')).toBe(before);
    // the dead process still "holds" the lock; the next txl sees its owner is gone
    expect(existsSync(statePath + '.lock')).toBe(true);
    const list = h.run(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('\na ');
    expect(list.stdout).not.toContain('\nb ');
    expect(h.run(['create', join(h.dir, 'b.json')]).code).toBe(0);
    expect(h.run(['domid', 'b']).stdout).toBe('2\n');
  });

  it('a failing state write reports it and changes nothing', () => {
    const h = simHost();
    setup(h, ['list']);
    const before = readFileSync(join(h.dir, 'state.json'), 'utf8');
    const r = h.run(['create', h.file('b.json', guestJson('b', 128))], { env: { TXL_SIM_FAIL: 'state-write' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot write the simulator state');
    expect(readFileSync(join(h.dir, 'state.json'), 'utf8')).toBe(before);
  });

  it('a lock held by a live process times out with a clear error', () => {
    const h = simHost();
    setup(h, ['list']);
    writeFileSync(join(h.dir, 'state.json.lock'), `${process.pid} ${hostname()} ${Date.now()} abcdef\n`);
    const r = h.run(['list'], { env: { TXL_SIM_LOCK_TIMEOUT: '300' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`txl: error: the simulator is busy: '.*state\\.json\\.lock' has been locked by process ${process.pid} since .* for more than 0 s`));
    expect(r.stderr).toContain('hint: if no txl is running, remove');
  });

  it('an empty lock file left for a while is taken as stale', () => {
    const h = simHost();
    const lock = join(h.dir, 'state.json.lock');
    writeFileSync(lock, '');
    const old = new Date(Date.now() - 10_000);
    utimesSync(lock, old, old);
    expect(h.run(['list'], { env: { TXL_SIM_LOCK_TIMEOUT: '5000' } }).code).toBe(0);
  });
});
