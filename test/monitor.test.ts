// The monitor's decisions, against a fake hypervisor that records every call: what it does
// for each on_* action and shutdown reason, reboot loops, suspend, hooks, failures.
import { describe, expect, it } from 'vitest';
import { runMonitor, type MonitorEvent, type MonitorHost, type MonitorOptions } from '../src/monitor/loop.js';
import { actionFor, reasonFromCode, RebootLoopGuard, renameSuffix } from '../src/monitor/policy.js';
import { parseRebootLimit } from '../src/core/reboot-limit.js';
import type { DomainConfig, ShutdownAction } from '../src/core/model.js';
import type { ShutdownReason } from '../src/core/backend-types.js';

type Reason = ShutdownReason | 'unknown';
const CODE: Record<Reason, number> = { poweroff: 0, reboot: 1, suspend: 2, crash: 3, watchdog: 4, soft_reset: 5, unknown: 255 };
const shutdown = (reason: Reason): MonitorEvent => ({ type: 'shutdown', reason, code: CODE[reason] });

function cfg(extra: Partial<DomainConfig> = {}): DomainConfig {
  return { c_info: { type: 'pv', name: 'web', uuid: '11111111-2222-3333-4444-555555555555' }, b_info: { max_memkb: 131072 }, ...extra };
}

/** A scripted hypervisor: each domid gets the events listed for it, in order. */
class FakeHost implements MonitorHost {
  calls: string[] = [];
  nextDomid = 10;
  watching: number | null = null;
  /** events per domain generation: the first list for the first domid watched, and so on */
  script: MonitorEvent[][];
  private gen = -1;
  private queue: MonitorEvent[] = [];
  userdata?: DomainConfig;
  live?: DomainConfig;
  states: ({ name: string; shutdown: boolean } | null)[] = [];
  fail: Partial<Record<'create' | 'preserve' | 'coreDump' | 'reload' | 'softReset', Error>> = {};

  constructor(script: MonitorEvent[][]) {
    this.script = script;
  }
  async watch(domid: number) {
    this.calls.push(`watch ${domid}`);
    if (this.watching !== domid) {
      this.gen++;
      this.queue = [...(this.script[this.gen] ?? [])];
    }
    this.watching = domid;
  }
  async unwatch() {
    this.calls.push('unwatch');
  }
  async next(): Promise<MonitorEvent> {
    const ev = this.queue.shift();
    if (!ev) throw new Error(`no more events scripted (calls: ${this.calls.join(', ')})`);
    return ev;
  }
  async state(domid: number) {
    this.calls.push(`state ${domid}`);
    return this.states.length ? this.states.shift()! : null;
  }
  async reloadConfig(domid: number) {
    this.calls.push(`reload ${domid}`);
    if (this.fail.reload) throw this.fail.reload;
    if (this.userdata) return { config: this.userdata, source: 'xl' };
    // libxl's live config: the one the domain runs with, its domid filled in
    const live = this.live ?? cfg();
    return { config: { ...live, c_info: { ...live.c_info, domid } }, source: 'libxl' };
  }
  async destroy(domid: number) {
    this.calls.push(`destroy ${domid}`);
  }
  async coreDump(domid: number, file: string) {
    this.calls.push(`core ${domid} ${file}`);
    if (this.fail.coreDump) throw this.fail.coreDump;
  }
  async preserve(domid: number, c: DomainConfig, suffix: string) {
    this.calls.push(`preserve ${domid} ${c.c_info.name}${suffix}`);
    if (this.fail.preserve) throw this.fail.preserve;
  }
  async create(c: DomainConfig) {
    if (this.fail.create) throw this.fail.create;
    const id = this.nextDomid++;
    this.calls.push(`create ${c.c_info.name} -> ${id}${c.c_info.domid !== undefined ? ` (asked for ${c.c_info.domid})` : ''}`);
    return id;
  }
  async softReset(domid: number) {
    this.calls.push(`soft-reset ${domid}`);
    if (this.fail.softReset) throw this.fail.softReset;
  }
}

function opts(config: DomainConfig, extra: Partial<MonitorOptions> = {}, host?: FakeHost): MonitorOptions & { lines: string[] } {
  if (host) host.live = config;
  const lines: string[] = [];
  let t = Date.UTC(2026, 10, 21, 21, 30, 0);
  return {
    domid: 5,
    config,
    log: (m) => lines.push(m),
    restartDelayMs: 0,
    now: () => (t += 1000),
    sleep: async () => {},
    dumpDir: '/var/lib/xen/dump',
    lines,
    ...extra,
  };
}

describe('monitor: one action per reason', () => {
  it('on_poweroff = destroy (the default): destroys the domain and exits 0', async () => {
    const host = new FakeHost([[shutdown('poweroff')]]);
    const o = opts(cfg());
    const out = await runMonitor(host, o);
    expect(out).toMatchObject({ code: 0, why: 'destroyed', restarts: 0 });
    expect(host.calls).toEqual(['watch 5', 'unwatch', 'destroy 5']);
    expect(o.lines).toContain('Domain 5 has shut down, reason code 0 0x0');
    expect(o.lines).toContain('Action for shutdown reason code 0 is destroy');
  });

  it('on_reboot = restart: reloads the config, destroys, creates anew and follows the new domid', async () => {
    const host = new FakeHost([[shutdown('reboot')], [{ type: 'death' }]]);
    const o = opts(cfg({ on_reboot: 'restart' }));
    const out = await runMonitor(host, o);
    expect(host.calls).toEqual(['watch 5', 'unwatch', 'reload 5', 'destroy 5', 'create web -> 10', 'watch 10', 'unwatch']);
    expect(out).toMatchObject({ code: 0, domid: 10, restarts: 1, why: 'destroyed' });
    expect(o.lines).toContain('Domain web restarted as domid 10');
    expect(o.lines).toContain('Domain 10 has been destroyed.');
  });

  it('restarts from the "xl" userdata when present (xl config-update)', async () => {
    const host = new FakeHost([[shutdown('reboot')], [shutdown('poweroff')]]);
    host.userdata = cfg({ c_info: { type: 'pv', name: 'web2' }, on_poweroff: 'preserve' });
    const o = opts(cfg({ on_reboot: 'restart' }));
    const out = await runMonitor(host, o);
    expect(host.calls).toContain('create web2 -> 10');
    // the reloaded config's actions apply from then on
    expect(out.why).toBe('preserved');
    expect(o.lines).toContain('"xl" configuration found, using it');
  });

  it('never asks for the old domid again on restart', async () => {
    const host = new FakeHost([[shutdown('reboot')], [{ type: 'death' }]]);
    await runMonitor(host, opts(cfg({ on_reboot: 'restart' })));
    expect(host.calls.find((c) => c.startsWith('create'))).toBe('create web -> 10');
  });

  it('on_crash = rename-restart: keeps the crashed domain under a time-suffixed name, starts a new one', async () => {
    const host = new FakeHost([[shutdown('crash')], [{ type: 'death' }]]);
    const o = opts(cfg({ on_crash: 'restart_rename' }));
    await runMonitor(host, o);
    const suffix = renameSuffix(Date.UTC(2026, 10, 21, 21, 30, 1));
    expect(suffix).toBe('-20261121T2130Z');
    expect(host.calls).toEqual(['watch 5', 'unwatch', 'reload 5', `preserve 5 web${suffix}`, 'create web -> 10', 'watch 10', 'unwatch']);
    expect(o.lines).toContain('Action for shutdown reason code 3 is rename-restart');
  });

  it('rename-restart that cannot preserve the old domain restarts nothing', async () => {
    const host = new FakeHost([[shutdown('crash')]]);
    host.fail.preserve = new Error('name taken');
    const out = await runMonitor(host, opts(cfg({ on_crash: 'restart_rename' })));
    expect(out.code).toBe(1);
    expect(host.calls.some((c) => c.startsWith('create') || c.startsWith('destroy'))).toBe(false);
  });

  it('on_crash = preserve: leaves the domain shut down and exits', async () => {
    const host = new FakeHost([[shutdown('crash')]]);
    const out = await runMonitor(host, opts(cfg({ on_crash: 'preserve' })));
    expect(out).toMatchObject({ code: 0, why: 'preserved' });
    expect(host.calls).toEqual(['watch 5', 'unwatch']);
  });

  it('coredump-destroy dumps to DUMPDIR/NAME, then destroys', async () => {
    const host = new FakeHost([[shutdown('crash')]]);
    const o = opts(cfg({ on_crash: 'coredump_destroy' }));
    await runMonitor(host, o);
    expect(host.calls).toEqual(['watch 5', 'unwatch', 'core 5 /var/lib/xen/dump/web', 'destroy 5']);
    expect(o.lines).toContain('dumping core to /var/lib/xen/dump/web');
  });

  it('coredump-restart restarts even when the dump fails', async () => {
    const host = new FakeHost([[shutdown('watchdog')], [{ type: 'death' }]]);
    host.fail.coreDump = new Error('disk full');
    const o = opts(cfg({ on_watchdog: 'coredump_restart' }));
    const out = await runMonitor(host, o);
    expect(host.calls).toEqual(['watch 5', 'unwatch', 'core 5 /var/lib/xen/dump/web', 'reload 5', 'destroy 5', 'create web -> 10', 'watch 10', 'unwatch']);
    expect(out.restarts).toBe(1);
    expect(o.lines).toContain('core dump failed: disk full');
  });

  it('soft-reset rebuilds in place and keeps following the same domid', async () => {
    const host = new FakeHost([[shutdown('soft_reset'), { type: 'death' }]]);
    const out = await runMonitor(host, opts(cfg({ on_soft_reset: 'soft_reset' })));
    expect(host.calls).toEqual(['watch 5', 'unwatch', 'reload 5', 'soft-reset 5', 'watch 5', 'unwatch']);
    expect(out).toMatchObject({ domid: 5, restarts: 1 });
  });

  it('an unknown reason code is destroyed, as xl does', async () => {
    const host = new FakeHost([[shutdown('unknown')]]);
    const o = opts(cfg({ on_poweroff: 'restart', on_reboot: 'restart', on_crash: 'restart' }));
    await runMonitor(host, o);
    expect(host.calls).toEqual(['watch 5', 'unwatch', 'destroy 5']);
    expect(o.lines).toContain('Unknown shutdown reason code 255. Destroying domain.');
  });

  it('a domain destroyed from outside ends the monitor', async () => {
    const host = new FakeHost([[{ type: 'death' }]]);
    expect(await runMonitor(host, opts(cfg()))).toMatchObject({ code: 0, why: 'destroyed' });
  });

  it('a failed restart is reported with exit 1 (the old domain is already gone)', async () => {
    const host = new FakeHost([[shutdown('reboot')]]);
    host.fail.create = new Error('not enough memory');
    const out = await runMonitor(host, opts(cfg({ on_reboot: 'restart' })));
    expect(out.code).toBe(1);
    expect(out.why).toBe('restart of web failed: not enough memory');
  });

  it('reuses the config it has when libxl cannot give the live one', async () => {
    const host = new FakeHost([[shutdown('reboot')], [{ type: 'death' }]]);
    host.fail.reload = new Error('gone');
    const o = opts(cfg({ on_reboot: 'restart' }));
    await runMonitor(host, o);
    expect(host.calls).toContain('create web -> 10');
    expect(o.lines.some((l) => /reusing the old one/.test(l))).toBe(true);
  });
});

describe('monitor: reboot loops', () => {
  it('stops restarting once the limit is passed within the window, leaving the domain shut down', async () => {
    const reboots = Array.from({ length: 5 }, () => [shutdown('reboot')]);
    const host = new FakeHost([...reboots, [shutdown('reboot')]]);
    const o = opts(cfg({ on_reboot: 'restart' }), { rebootLimit: { count: 3, seconds: 60 } }, host);
    const out = await runMonitor(host, o);
    expect(out).toMatchObject({ code: 0, why: 'reboot loop', restarts: 3 });
    expect(host.calls.filter((c) => c.startsWith('create'))).toHaveLength(3);
    // the looping domain is left as it is, not destroyed
    expect(host.calls.at(-1)).toBe('unwatch');
    expect(o.lines.some((l) => /reboot loop \(restarted 3 times within 60 s\)/.test(l))).toBe(true);
  });

  it('restarts spread out in time are not a loop', async () => {
    const host = new FakeHost([[shutdown('reboot')], [shutdown('reboot')], [shutdown('reboot')], [{ type: 'death' }]]);
    let t = 0;
    const o = opts(cfg({ on_reboot: 'restart' }), { rebootLimit: { count: 1, seconds: 10 }, now: () => (t += 20_000) }, host);
    expect(await runMonitor(host, o)).toMatchObject({ restarts: 3, why: 'destroyed' });
  });

  it('the guard counts within a sliding window', () => {
    const g = new RebootLoopGuard({ count: 2, seconds: 10 });
    expect([g.allow(0), g.allow(1000), g.allow(2000)]).toEqual([true, true, false]);
    expect(g.allow(10_500)).toBe(true); // the first one left the window
    expect(g.recent(10_500)).toBe(2);
  });

  it('parses "count/seconds"', () => {
    expect(parseRebootLimit('5/60')).toEqual({ count: 5, seconds: 60 });
    expect(parseRebootLimit(' 2 / 30 ')).toEqual({ count: 2, seconds: 30 });
    for (const bad of ['', '5', '0/60', '5/0', 'a/b', undefined]) expect(parseRebootLimit(bad)).toBeUndefined();
  });
});

describe('monitor: suspend', () => {
  it('a saved domain that disappears ends the monitor without touching it', async () => {
    const host = new FakeHost([[shutdown('suspend')]]);
    host.states = [{ name: 'web', shutdown: true }, null];
    const out = await runMonitor(host, opts(cfg({ on_poweroff: 'destroy' })));
    expect(out).toMatchObject({ code: 0, why: 'destroyed after suspend' });
    expect(host.calls).toEqual(['watch 5', 'unwatch', 'state 5', 'state 5']);
  });

  it('a domain resumed after a checkpoint is watched again', async () => {
    const host = new FakeHost([[shutdown('suspend'), shutdown('poweroff')]]);
    host.states = [{ name: 'web', shutdown: false }];
    const out = await runMonitor(host, opts(cfg()));
    expect(host.calls).toEqual(['watch 5', 'unwatch', 'state 5', 'watch 5', 'unwatch', 'destroy 5']);
    expect(out.why).toBe('destroyed');
  });
});

describe('monitor: hooks', () => {
  it('runs pre-destroy and post-destroy around an on_poweroff destroy', async () => {
    const host = new FakeHost([[shutdown('poweroff')]]);
    const seen: string[] = [];
    await runMonitor(host, opts(cfg(), { hooks: async (phase, t) => void seen.push(`${phase} ${t.name} ${t.domid}`) }));
    expect(seen).toEqual(['pre-destroy web 5', 'post-destroy web 5']);
  });

  it('a failing pre-destroy hook leaves the domain shut down', async () => {
    const host = new FakeHost([[shutdown('poweroff')]]);
    const out = await runMonitor(host, opts(cfg(), { hooks: async () => { throw new Error('no'); } }));
    expect(out.code).toBe(1);
    expect(host.calls).not.toContain('destroy 5');
  });

  it('runs pre-reboot before a restart; a failing one stops the restart', async () => {
    const host = new FakeHost([[shutdown('reboot')]]);
    const seen: string[] = [];
    const out = await runMonitor(host, opts(cfg({ on_reboot: 'restart' }), {
      hooks: async (phase) => {
        seen.push(phase);
        throw new Error('maintenance window');
      },
    }));
    expect(seen).toEqual(['pre-reboot']);
    expect(out).toMatchObject({ code: 1, why: 'a pre-reboot hook failed' });
    expect(host.calls.some((c) => c.startsWith('destroy') || c.startsWith('create'))).toBe(false);
  });
});

describe('policy', () => {
  it('maps reasons to the config\'s actions; an absent key is libxl\'s default, destroy', () => {
    const c = cfg({ on_reboot: 'restart', on_crash: 'coredump_restart' });
    const got = (['poweroff', 'reboot', 'crash', 'watchdog', 'soft_reset', 'unknown'] as const).map((r) => actionFor(r, c));
    expect(got).toEqual<ShutdownAction[]>(['destroy', 'restart', 'coredump_restart', 'destroy', 'destroy', 'destroy']);
  });

  it('knows libxl\'s reason codes', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map(reasonFromCode)).toEqual(['poweroff', 'reboot', 'suspend', 'crash', 'watchdog', 'soft_reset', 'unknown']);
  });
});

describe('starting a monitor', () => {
  it('runs `txl domain-monitor DOMID` detached, cwd /, output to LOGDIR/txl-NAME.log, older logs rotated', async () => {
    const { mkdtempSync, writeFileSync, readFileSync, existsSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { startMonitor, monitorLogPath } = await import('../src/backend/monitor-spawn.js');
    const dir = mkdtempSync(join(tmpdir(), 'txl-monlog-'));
    const entry = join(dir, 'fake-txl.mjs');
    writeFileSync(entry, "console.log(JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), sid: process.pid }));\n");
    // the environment of the command that starts it (its Context's), not this process's
    const env = { ...process.env, TXL_MONITOR_ENTRY: entry, TXL_MONITOR_LOG_DIR: dir };
    writeFileSync(monitorLogPath('web', dir), 'an older monitor\n');
    const started = startMonitor(42, 'web', env);
    expect(started.log).toBe(join(dir, 'txl-web.log'));
    expect(readFileSync(`${started.log}.1`, 'utf8')).toBe('an older monitor\n');
    const deadline = Date.now() + 10_000;
    while (!(existsSync(started.log) && readFileSync(started.log, 'utf8').includes('argv')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const seen = JSON.parse(readFileSync(started.log, 'utf8'));
    expect(seen.argv).toEqual(['domain-monitor', '42']);
    expect(seen.cwd).toBe('/');
  });

  it('the hidden command wants a domid, and says plainly when there is no Xen to watch', async () => {
    const { txl } = await import('./support/txl.js');
    const bad = txl(['domain-monitor', 'web']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'web' is not a domain id");
    const { existsSync } = await import('node:fs');
    if (existsSync('/dev/xen/privcmd')) return; // a real Xen host: nothing to prove here
    const r = txl(['domain-monitor', '5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^txl: error: cannot connect to xen:\/\/\/system: /);
  });
});
