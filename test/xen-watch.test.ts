// Events on xen:///system come from the difference between two looks at the host
// (src/xen/eventdiff.ts), and top's and domstats' I/O figures from Domain-0's sysfs
// (src/xen/iostats.ts): both pure enough to prove here, with libxl's own sequences
// (a create, a destroy) played as series of looks.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BUILD_MAX_MS, DOOMED_MAX_MS, initialState, MADE_HOLD_MS, step, type NewEvent, type SeenDevice, type SeenDomain, type WatchState } from '../src/xen/eventdiff.js';
import { readDeviceIo, vifOwner } from '../src/xen/iostats.js';
import { balloonDone } from '../src/xen/stats.js';
import { watch } from '../src/xen/events.js';
import { OperationError } from '../src/core/errors.js';
import type { Libxl } from '../bindings/context.js';
import type { XenstoreReader } from '../bindings/xenstore.js';
import { eventLine } from '../src/ops/events.js';
import { ioLines } from '../src/ops/top.js';

const disk = (vdev: string, devid: number, online = true): SeenDevice => ({ key: `vbd/${devid}`, kind: 'disk', devid, label: vdev, online });
const nic = (mac: string, devid: number, online = true): SeenDevice => ({ key: `vif/${devid}`, kind: 'nic', devid, label: mac, online });
const dom0: SeenDomain = { domid: 0, name: 'Domain-0', uuid: '00000000-0000-0000-0000-000000000000', paused: false, shutdown: false, dying: false, cpu_time: 9e9, vcpu_online: 2, devices: [] };
function guest(over: Partial<SeenDomain> = {}): SeenDomain {
  return { domid: 5, name: 'g', uuid: '11111111-2222-3333-4444-555555555555', paused: false, shutdown: false, dying: false, cpu_time: 1e9, vcpu_online: 1, target_kb: 131072, devices: [disk('xvda', 51712), nic('00:16:3e:00:00:01', 0)], ...over };
}

/** Plays looks 500 ms apart from an initial one; returns every event as "type detail/reason". */
function play(first: SeenDomain[], ...looks: SeenDomain[][]): { events: NewEvent[]; state: WatchState; words: string[] } {
  let t = 1_000_000;
  let state = initialState(first, t);
  const events: NewEvent[] = [];
  for (const l of looks) {
    t += 500;
    const r = step(state, l, t);
    state = r.state;
    events.push(...r.events);
  }
  return { events, state, words: events.map((e) => [e.type, e.reason, e.detail].filter(Boolean).join(' ')) };
}
const times = (n: number, l: SeenDomain[]) => Array.from({ length: n }, () => l);

describe('events from looks at a Xen host', () => {
  it('reports nothing for what was there already', () => {
    expect(play([dom0, guest()], [dom0, guest()]).words).toEqual([]);
  });

  it('a create as libxl does it (paused, devices one by one, made, then unpaused) is one create', () => {
    const building = (devices: SeenDevice[], made = false) => guest({ paused: true, cpu_time: 0, devices, made });
    const r = play([dom0], [dom0, building([])], [dom0, building([disk('xvda', 51712)])], [dom0, building(guest().devices)], [dom0, building(guest().devices, true)], [dom0, guest()]);
    expect(r.words).toEqual(['create']);
    expect(r.events[0]).toMatchObject({ domid: 5, name: 'g', uuid: guest().uuid });
    // however slowly its hotplug scripts run
    const slow = play([dom0], ...times(40, [dom0, building([disk('xvda', 51712)])]), [dom0, building(guest().devices)], [dom0, guest()]);
    expect(slow.words).toEqual(['create']);
  });

  it('create -p is announced as paused once libxl has made it and it stays paused', () => {
    const made = guest({ paused: true, cpu_time: 0, made: true });
    const n = Math.ceil(MADE_HOLD_MS / 500) + 1;
    expect(play([dom0], ...times(n, [dom0, made])).words).toEqual(['create paused']);
    // and its unpause afterwards is the admin's
    expect(play([dom0], ...times(n, [dom0, made]), [dom0, guest()]).words).toEqual(['create paused', 'unpause']);
    // made, then unpaused by xl a moment later: a plain create
    expect(play([dom0], [dom0, made], [dom0, guest()]).words).toEqual(['create']);
    // without libxl's mark (another toolstack), after BUILD_MAX_MS
    const unmarked = guest({ paused: true, cpu_time: 0 });
    expect(play([dom0], ...times(BUILD_MAX_MS / 500 - 1, [dom0, unmarked])).words).toEqual([]);
    expect(play([dom0], ...times(BUILD_MAX_MS / 500 + 1, [dom0, unmarked])).words).toEqual(['create paused']);
  });

  it('a destroy (pause, devices taken offline, gone) is one destroy', () => {
    const offline = guest({ paused: true, devices: [disk('xvda', 51712, false), nic('00:16:3e:00:00:01', 0, false)] });
    expect(play([dom0, guest()], [dom0, guest({ paused: true })], [dom0, offline], [dom0, offline], [dom0]).words).toEqual(['destroy']);
    // even when the devices go in the same look as the pause
    expect(play([dom0, guest()], [dom0, offline], [dom0]).words).toEqual(['destroy']);
  });

  it('a pause that lasts a look is reported, with the time it was seen', () => {
    const r = play([dom0, guest()], [dom0, guest({ paused: true })], [dom0, guest({ paused: true })], [dom0, guest()]);
    expect(r.words).toEqual(['pause', 'unpause']);
    expect(r.events[0].time).toBeLessThan(r.events[1].time);
    // a short one too, when the unpause comes first
    expect(play([dom0, guest()], [dom0, guest({ paused: true })], [dom0, guest()]).words).toEqual(['pause', 'unpause']);
  });

  it('a paused domain whose devices go but that runs again was not being destroyed', () => {
    const less = guest({ paused: true, devices: [disk('xvda', 51712)] });
    const r = play([dom0, guest()], [dom0, guest({ paused: true })], [dom0, less], [dom0, guest({ devices: less.devices })]);
    expect(r.words).toEqual(['pause', 'device-detach nic 00:16:3e:00:00:01', 'unpause']);
    // nor one that stays so for long
    const n = Math.ceil(DOOMED_MAX_MS / 500) + 1;
    expect(play([dom0, guest()], [dom0, guest({ paused: true })], ...times(n, [dom0, less])).words).toEqual(['pause', 'device-detach nic 00:16:3e:00:00:01']);
  });

  it('devices attached and detached, named as the simulator names them', () => {
    const more = guest({ devices: [...guest().devices, disk('xvdb', 51728)] });
    expect(play([dom0, guest()], [dom0, more], [dom0, guest()]).words).toEqual(['device-attach disk xvdb', 'device-detach disk xvdb']);
    // a detach starts when libxl takes the backend offline
    expect(play([dom0, more], [dom0, guest({ devices: [...guest().devices, disk('xvdb', 51728, false)] })]).words).toEqual(['device-detach disk xvdb']);
  });

  it('rename, memory target and online vCPUs', () => {
    expect(play([dom0, guest()], [dom0, guest({ name: 'h' })]).events[0]).toMatchObject({ type: 'rename', name: 'h', detail: "from 'g'" });
    expect(play([dom0, guest()], [dom0, guest({ target_kb: 98304 })]).words).toEqual(['memory target 98304 KiB']);
    expect(play([dom0, guest()], [dom0, guest({ vcpu_online: 2 })]).words).toEqual(['vcpus 2 online']);
  });

  it('shutdown by reason, and the teardown after it is not news', () => {
    const down = (reason: SeenDomain['shutdown_reason']) => guest({ shutdown: true, shutdown_reason: reason });
    const gone = guest({ shutdown: true, shutdown_reason: 'poweroff', paused: true, devices: [] });
    expect(play([dom0, guest()], [dom0, down('poweroff')], [dom0, gone], [dom0]).words).toEqual(['shutdown poweroff', 'destroy']);
    expect(play([dom0, guest()], [dom0, down('crash')]).words).toEqual(['crash crash']);
    expect(play([dom0, guest()], [dom0, down('watchdog')]).words).toEqual(['watchdog watchdog']);
    expect(play([dom0, guest()], [dom0, down('suspend')]).words).toEqual(['shutdown suspend']);
    expect(play([dom0, guest()], [dom0, down('soft_reset')]).words).toEqual(['shutdown soft_reset']);
  });

  it('a reboot its monitor answers (a new domid, the same name) is a restart', () => {
    const again = guest({ domid: 6, uuid: '66666666-2222-3333-4444-555555555555' });
    const r = play([dom0, guest()], [dom0, guest({ shutdown: true, shutdown_reason: 'reboot' })], [dom0], [dom0, { ...again, paused: true, cpu_time: 0 }], [dom0, again]);
    expect(r.words).toEqual(['reboot reboot', 'destroy', 'restart from domid 5']);
    expect(r.events[2].domid).toBe(6);
    // after a poweroff, a domain of the same name is a new create
    const p = play([dom0, guest()], [dom0, guest({ shutdown: true, shutdown_reason: 'poweroff' })], [dom0], [dom0, again]);
    expect(p.words).toEqual(['shutdown poweroff', 'destroy', 'create']);
  });

  it('a domid used again by another domain is a destroy and a create', () => {
    expect(play([dom0, guest()], [dom0, guest({ uuid: '99999999-2222-3333-4444-555555555555' })]).words).toEqual(['destroy', 'create']);
  });

  it('events print as the simulator\'s do', () => {
    const e = { seq: 1, ...play([dom0, guest()], [dom0, guest({ shutdown: true, shutdown_reason: 'poweroff' })]).events[0] };
    expect(eventLine(e)).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z shutdown g 5 reason=poweroff$/);
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({ seq: 1, type: 'shutdown', domid: 5, name: 'g', reason: 'poweroff' });
  });
});

describe('the watcher on xen:///system', () => {
  // a host with no domains at all: libxl_list_domain gives NULL without an error logged
  const lx = { ctx: 0n, fn: { libxl_list_domain: () => null }, log: { mark: () => 0, since: () => [] } } as unknown as Libxl;
  const xs = { directory: () => undefined, read: () => undefined } as unknown as XenstoreReader;

  it('refuses --since: Xen keeps no history', async () => {
    await expect(watch(lx, xs, { since: 3 }).next()).rejects.toThrow(OperationError);
    await expect(watch(lx, xs, { since: 3 }).next()).rejects.toThrow(/keeps no event history/);
  });

  it('ends as soon as its signal aborts, mid-wait, with nothing left pending', async () => {
    const ac = new AbortController();
    const it = watch(lx, xs, { signal: ac.signal });
    const next = it.next();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 50);
    await expect(next).resolves.toEqual({ done: true, value: undefined });
    expect(Date.now() - t0).toBeLessThan(400);
  });
});

describe('I/O counters from sysfs', () => {
  let root = '';
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });
  const put = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  const iface = (name: string, c: Record<string, number>, nodename?: string) => {
    for (const [k, v] of Object.entries(c)) put(`class/net/${name}/statistics/${k}`, `${v}\n`);
    if (nodename) put(`class/net/${name}/device/nodename`, `${nodename}\n`);
  };

  it('finds a vif by its backend nodename, else by its name', () => {
    expect(vifOwner('vif3.1', undefined)).toEqual({ domid: 3, devid: 1 });
    expect(vifOwner('myguest0', 'backend/vif/7/0\n')).toEqual({ domid: 7, devid: 0 });
    expect(vifOwner('vif3.1-emu', undefined)).toEqual({ domid: 3, devid: 1 });
    expect(vifOwner('eth0', undefined)).toBeUndefined();
  });

  it('reads vifs (turned to the guest\'s view) and blkback disks, by domid', () => {
    root = mkdtempSync(join(tmpdir(), 'txl-sysfs-'));
    iface('vif4.0', { rx_bytes: 100, tx_bytes: 2048, rx_packets: 1, tx_packets: 20, rx_errors: 0, tx_errors: 0, rx_dropped: 3, tx_dropped: 0 }, 'backend/vif/4/0');
    iface('web1', { rx_bytes: 7, tx_bytes: 9 }, 'backend/vif/4/1');
    iface('eth0', { rx_bytes: 1e6, tx_bytes: 1e6 });
    iface('xenbr0', { rx_bytes: 5, tx_bytes: 5 });
    for (const [k, v] of Object.entries({ oo_req: 1, rd_req: 30, wr_req: 4, rd_sect: 480, wr_sect: 8 })) put(`bus/xen-backend/devices/vbd-4-51712/statistics/${k}`, `${v}\n`);
    put('bus/xen-backend/devices/vif-4-0/uevent', '');
    put('bus/xen-backend/devices/vbd-9-51728/statistics/rd_req', '2\n');
    const io = readDeviceIo(root, (domid, devid) => (domid === 4 && devid === 51712 ? 'xvda' : undefined));
    expect([...io.keys()].sort()).toEqual([4, 9]);
    expect(io.get(4)!.net).toEqual([
      { devid: 0, name: 'vif4.0', rx_bytes: 2048, rx_pkts: 20, rx_errs: 0, rx_drop: 0, tx_bytes: 100, tx_pkts: 1, tx_errs: 0, tx_drop: 3 },
      { devid: 1, name: 'web1', rx_bytes: 9, rx_pkts: 0, rx_errs: 0, rx_drop: 0, tx_bytes: 7, tx_pkts: 0, tx_errs: 0, tx_drop: 0 },
    ]);
    expect(io.get(4)!.block).toEqual([{ devid: 51712, name: 'xvda', oo_reqs: 1, rd_reqs: 30, rd_sectors: 480, wr_reqs: 4, wr_sectors: 8 }]);
    // a counter that cannot be read is 0, a disk without a name keeps its devid
    expect(io.get(9)!.block).toEqual([{ devid: 51728, name: '51728', oo_reqs: 0, rd_reqs: 2, rd_sectors: 0, wr_reqs: 0, wr_sectors: 0 }]);
  });

  it('a host without these folders has no counters', () => {
    root = mkdtempSync(join(tmpdir(), 'txl-sysfs-'));
    expect(readDeviceIo(root).size).toBe(0);
  });

  it('domstats prints them with virsh\'s keys', () => {
    const lines = ioLines({
      domid: 4, name: 'g', memory: { target_kb: 1, actual_kb: 1, max_kb: 1, balloon_done: 1 }, shadow_kb: 0, cpu_time: 0, vcpus: [],
      net: [{ devid: 0, name: 'vif4.0', rx_bytes: 2048, rx_pkts: 20, rx_errs: 0, rx_drop: 0, tx_bytes: 100, tx_pkts: 1, tx_errs: 0, tx_drop: 3 }],
      block: [{ devid: 51712, name: 'xvda', oo_reqs: 1, rd_reqs: 30, rd_sectors: 480, wr_reqs: 4, wr_sectors: 8 }],
    }).map((l) => l.trim());
    expect(lines).toContain('net.count=1');
    expect(lines).toContain('net.0.name=vif4.0');
    expect(lines).toContain('net.0.rx.bytes=2048');
    expect(lines).toContain('net.0.tx.drop=3');
    expect(lines).toContain('block.count=1');
    expect(lines).toContain('block.0.name=xvda');
    expect(lines).toContain('block.0.rd.reqs=30');
    expect(lines).toContain('block.0.rd.bytes=245760');
    expect(lines).toContain('block.0.wr.bytes=4096');
    expect(lines).toContain('block.0.errors=1');
  });

  it('balloon progress is 1 at the target', () => {
    expect(balloonDone(98304, 98304)).toBe(1);
    expect(balloonDone(98304, 131072)).toBeCloseTo(0.75);
    expect(balloonDone(0, 0)).toBe(1);
  });
});
