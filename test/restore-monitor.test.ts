// A domain brought back by restore, or received by migrate-receive, gets its monitor as a
// created one does (xl forks the same monitor for all three), unless -e: its on_reboot is
// then applied after a reboot. Without a monitor the rebooted domain stays shut down, as
// with xl. On the simulator, whose monitor runs inside the state change.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { guestJson, SIM_BIN, simHost, type SimHost } from './support/inproc.js';

type Dom = { name: string; domid: number; status: string; monitor: boolean };
const find = (h: SimHost, name: string) => (h.state().domains as Dom[]).find((d) => d.name === name);
const run = (h: SimHost, args: string[]) => {
  const r = h.run(args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};

function saved(h: SimHost): string {
  run(h, ['create', h.file('g.json', guestJson('g', 128, { on_reboot: 'restart' }))]);
  const file = join(h.dir, 'g.save');
  run(h, ['save', 'g', file]);
  return file;
}

describe('restore: the monitor, as after create', () => {
  it('restarts the restored domain on reboot (on_reboot = restart)', () => {
    const h = simHost();
    run(h, ['restore', saved(h)]);
    const restored = find(h, 'g')!;
    expect(restored.monitor).toBe(true);
    run(h, ['reboot', 'g']);
    const after = find(h, 'g')!;
    expect(after.status).toBe('running');
    expect(after.domid).toBeGreaterThan(restored.domid);
  });

  it('-e: no monitor, so a reboot leaves it shut down', () => {
    const h = simHost();
    run(h, ['restore', '-e', saved(h)]);
    expect(find(h, 'g')!.monitor).toBe(false);
    const domid = find(h, 'g')!.domid;
    run(h, ['reboot', 'g']);
    expect(find(h, 'g')).toMatchObject({ domid, status: 'shutdown' });
    expect(run(h, ['domstate', '--reason', 'g']).stdout).toMatch(/no monitor/);
  });
});

describe('migrate-receive: the monitor, as after create', () => {
  const receiver = (h: SimHost, flags = '') => `'${process.execPath}' '${SIM_BIN}' --connect '${h.uri}' migrate-receive${flags}`;
  const moved = (noMonitor: boolean) => {
    const h = simHost();
    run(h, ['create', h.file('g.json', guestJson('g', 128, { on_reboot: 'restart' }))]);
    run(h, ['migrate', ...(noMonitor ? ['-e'] : []), '-s', '', 'g', receiver(h, noMonitor ? ' -e' : '')]);
    return h;
  };

  it('the received domain restarts on reboot', () => {
    const h = moved(false);
    const d = find(h, 'g')!;
    expect(d.monitor).toBe(true);
    run(h, ['reboot', 'g']);
    expect(find(h, 'g')!.domid).toBeGreaterThan(d.domid);
    expect(find(h, 'g')!.status).toBe('running');
  });

  it('-e at both ends: none, and a reboot leaves it shut down', () => {
    const h = moved(true);
    expect(find(h, 'g')!.monitor).toBe(false);
    run(h, ['reboot', 'g']);
    expect(find(h, 'g')!.status).toBe('shutdown');
  });
});
