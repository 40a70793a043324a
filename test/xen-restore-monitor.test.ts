// On Xen, restore and migrate-receive build the domain through XenBackend.create with a
// restoreFd: the monitor must start there as after a plain create (xl forks the same one
// in create_domain for all three), and not with -e. libxl and the process spawn are stubbed.
import { describe, it, expect, vi, beforeEach } from 'vitest';

const calls = vi.hoisted(() => ({ create: [] as unknown[], monitors: [] as unknown[] }));
vi.mock('../src/xen/create.js', () => ({
  createDomain: async (_lx: unknown, cfg: unknown, opts: unknown) => {
    calls.create.push({ cfg, opts });
    return 7;
  },
}));
vi.mock('../src/backend/monitor-spawn.js', () => ({
  startMonitor: (domid: number, name: string) => {
    calls.monitors.push([domid, name]);
    return { pid: 1, log: '/dev/null' };
  },
}));

const { XenBackend } = await import('../src/backend/xen.js');
const be = () => new XenBackend('xen:///system', {} as never, {} as never);
const cfg = { c_info: { name: 'g', type: 'pv' as const } } as never;

describe('XenBackend.create from a saved image', () => {
  beforeEach(() => {
    calls.create.length = 0;
    calls.monitors.length = 0;
  });

  it('starts the monitor of a restored domain', async () => {
    expect(await be().create(cfg, { restoreFd: 3 })).toBe(7);
    expect(calls.create).toEqual([{ cfg, opts: { restoreFd: 3 } }]);
    expect(calls.monitors).toEqual([[7, 'g']]);
  });

  it('a received one too, paused, under its incoming name', async () => {
    await be().create({ c_info: { name: 'g--incoming', type: 'pv' } } as never, { restoreFd: 0, paused: true });
    expect(calls.monitors).toEqual([[7, 'g--incoming']]);
  });

  it('none with -e (noMonitor), as xl restore -e and migrate-receive -e', async () => {
    await be().create(cfg, { restoreFd: 3, noMonitor: true });
    expect(calls.monitors).toEqual([]);
  });
});
