// The simulator in-process: libxl's rules, lifecycle, on_* actions, rollback on injected faults.
import { describe, it, expect, beforeEach } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, openSync, closeSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimBackend } from '../src/sim/backend.js';
import { SimStore } from '../src/sim/store.js';
import { simPaths } from '../src/sim/paths.js';
import { populateHost } from '../src/sim/populate.js';
import { Faults } from '../src/sim/faults.js';
import { NotFoundError, OperationError } from '../src/core/errors.js';
import type { DomainConfig } from '../src/core/model.js';
import { guest } from './support/sim.js';

delete process.env.TXL_SIM_STATE;
delete process.env.TXL_SIM_FAIL;

let dir: string;
function host(yaml = 'memory: 4g\ndom0: {memory: 1g, vcpus: 2}\ncpus: 4\n', env: Record<string, string | undefined> = { ...process.env }): { be: SimBackend; store: SimStore; statePath: string } {
  dir = mkdtempSync(join(tmpdir(), 'txl-simcore-'));
  const file = join(dir, 'host.yaml');
  writeFileSync(file, yaml);
  const store = new SimStore(simPaths(file, env), env, populateHost);
  return { be: new SimBackend(`test://${file}`, store), store, statePath: store.paths.state };
}

function fullGuest(name: string): DomainConfig {
  return guest(name, 256, {
    disks: [{ pdev_path: '/dev/vg/a', vdev: 'xvda', format: 'raw', readwrite: 1 }, { pdev_path: '/dev/vg/b', vdev: 'xvdb', format: 'raw', readwrite: 1 }],
    nics: [{ bridge: 'xenbr0' }],
    pcidevs: [{ domain: 0, bus: 3, dev: 0, func: 0 }],
    vfbs: [{ vnc: { enable: 'True' } }],
    vkbs: [{}],
    vtpms: [{}],
    channels: [{ name: 'org.qemu.guest_agent.0', 'connection.pty': {} }],
    usbctrls: [{ type: 'pv', version: 2, ports: 4 }],
  });
}

describe('simulator: domains', () => {
  let be: SimBackend;
  let statePath: string;
  beforeEach(() => ({ be, statePath } = host()));

  it('has Domain-0 and gives monotonic domids that are never reused', async () => {
    const list0 = await be.listDomains();
    expect(list0.map((d) => [d.domid, d.name])).toEqual([[0, 'Domain-0']]);
    const a = await be.create(guest('a'));
    const b = await be.create(guest('b'));
    await be.destroy(a);
    const c = await be.create(guest('c'));
    expect([a, b, c]).toEqual([1, 2, 3]);
    const again = await be.create(guest('a'));
    expect(again).toBe(4);
    expect((await be.listDomains()).map((d) => d.name)).toEqual(['Domain-0', 'b', 'c', 'a']);
  });

  it('resolves by name, domid and UUID, and says no domain otherwise', async () => {
    const id = await be.create(guest('web'));
    const info = await be.domainInfo(id);
    expect(await be.resolve('web')).toBe(id);
    expect(await be.resolve(String(id))).toBe(id);
    expect(await be.resolve(info.uuid.toUpperCase())).toBe(id);
    await expect(be.resolve('nope')).rejects.toThrow(NotFoundError);
    await expect(be.resolve('nope')).rejects.toThrow("no domain 'nope'");
    await expect(be.resolve('99')).rejects.toThrow("no domain '99'");
  });

  it('refuses duplicate names and UUIDs', async () => {
    await be.create(guest('x', 128, { c_info: { type: 'pv', name: 'x', uuid: '11111111-2222-3333-4444-555555555555' } }));
    await expect(be.create(guest('x'))).rejects.toThrow('domain with name "x" already exists');
    await expect(be.create(guest('y', 128, { c_info: { type: 'pv', name: 'y', uuid: '11111111-2222-3333-4444-555555555555' } }))).rejects.toThrow('already has UUID');
    await expect(be.create(guest('42'))).rejects.toThrow('taken for a domain id');
  });

  it('accounts free memory and refuses a domain that does not fit, saying how much', async () => {
    const h0 = await be.hostInfo();
    expect(h0.physinfo.total_memkb).toBe(4096 * 1024);
    expect(h0.physinfo.free_memkb).toBe(3072 * 1024);
    await be.create(guest('big', 2048));
    expect((await be.hostInfo()).physinfo.free_memkb).toBe(1024 * 1024);
    const before = readFileSync(statePath, 'utf8');
    const err = await be.create(guest('huge', 2048)).catch((e) => e);
    expect(err).toBeInstanceOf(OperationError);
    expect(err.message).toBe("not enough free memory for domain 'huge': it needs 2048 MiB and the host has 1024 MiB free");
    expect(readFileSync(statePath, 'utf8')).toBe(before);
    await be.create(guest('fits', 1024));
    expect((await be.hostInfo()).physinfo.free_memkb).toBe(0);
  });

  it('fills devids, MACs and backend states; the live config carries them', async () => {
    const id = await be.create(fullGuest('full'));
    const disks = await be.listDevices(id, 'disk');
    expect(disks.map((d) => [d.config.vdev, d.devid, d.backend_state])).toEqual([['xvda', 51712], ['xvdb', 51728]].map((x) => [...x, 4]));
    const nics = await be.listDevices(id, 'nic');
    expect(nics[0].devid).toBe(0);
    expect(nics[0].config.mac).toMatch(/^00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}$/);
    expect(nics[0].rref).toHaveLength(2);
    const cfg = await be.domainConfig(id);
    expect(cfg.nics?.[0].mac).toBe(nics[0].config.mac);
    expect(cfg.disks).toHaveLength(2);
    expect(cfg.channels?.[0].devid).toBe(0);
    // the PCI function is now held: another domain cannot have it
    await expect(be.create(guest('other', 128, { pcidevs: [{ bus: 3 }] }))).rejects.toThrow("already assigned to domain 'full'");
    await expect(be.create(guest('other', 128, { pcidevs: [{ bus: 9 }] }))).rejects.toThrow('is not assignable');
  });

  it('a domain created paused has its devices waiting, and connects them when unpaused', async () => {
    const id = await be.create(guest('p', 128, { disks: [{ vdev: 'xvda', pdev_path: '/x' }] }), { paused: true });
    expect((await be.domainInfo(id)).state).toBe('paused');
    expect((await be.listDevices(id, 'disk'))[0].backend_state).toBe(2);
    await be.unpause(id);
    expect((await be.listDevices(id, 'disk'))[0].backend_state).toBe(4);
    await expect(be.unpause(id)).rejects.toThrow("domain 'p' is not paused");
  });
});

describe('simulator: rollback of every create step', () => {
  const steps = ['domain-create', 'memory-alloc', 'vcpu-setup', 'disk-attach:1', 'disk-attach:2', 'nic-attach', 'pci-attach', 'vfb-attach',
    'vkb-attach', 'vtpm-attach', 'channel-attach', 'usbctrl-attach', 'console-setup', 'domain-unpause', 'state-write'];
  for (const step of steps) {
    it(`${step} failing leaves no domain, no device, no state change`, async () => {
      const { be, store, statePath } = host();
      await be.create(guest('existing'));
      const before = readFileSync(statePath, 'utf8');
      store.faults = new Faults(step);
      const err = await be.create(fullGuest('victim')).catch((e) => e);
      expect(err).toBeInstanceOf(OperationError);
      expect(err.message).toContain(step.split(':')[0]);
      expect(readFileSync(statePath, 'utf8')).toBe(before);
      store.faults = new Faults('');
      expect((await be.listDomains()).map((d) => d.name)).toEqual(['Domain-0', 'existing']);
      expect(existsSync(join(store.paths.console, '2.log'))).toBe(false);
      // the same PCI function and name are free again: nothing was left half-made
      expect(await be.create(fullGuest('victim'))).toBe(2);
    });
  }

  it('a failed hot attach changes nothing', async () => {
    const { be, store, statePath } = host();
    const id = await be.create(guest('g', 128, { disks: [{ vdev: 'xvda', pdev_path: '/a' }] }));
    const before = readFileSync(statePath, 'utf8');
    store.faults = new Faults('disk-attach,nic-attach');
    await expect(be.attachDevice(id, 'disk', { vdev: 'xvdb', pdev_path: '/b' })).rejects.toThrow('simulated fault');
    await expect(be.attachDevice(id, 'nic', {})).rejects.toThrow('simulated fault');
    expect(readFileSync(statePath, 'utf8')).toBe(before);
  });
});

describe('simulator: guest shutdown, reboot, crash and the on_* actions', () => {
  it('poweroff destroys by default; reboot restarts with a new domid, same name and UUID', async () => {
    const { be } = host();
    const id = await be.create(guest('g'));
    const uuid = (await be.domainInfo(id)).uuid;
    await be.reboot(id);
    const after = await be.listDomains();
    const g = after.find((d) => d.name === 'g')!;
    expect(g.domid).toBe(id + 1);
    expect(g.uuid).toBe(uuid);
    await be.shutdown(g.domid);
    expect((await be.listDomains()).map((d) => d.name)).toEqual(['Domain-0']);
  });

  it('preserve leaves a crashed domain crashed; coredump-destroy writes a core and destroys', async () => {
    const { be, store } = host();
    const a = await be.create(guest('a', 128, { on_crash: 'preserve' }));
    await be.guestAction!(a, 'crash');
    const info = await be.domainInfo(a);
    expect(info.state).toBe('crashed');
    expect(info.shutdown_reason).toBe('crash');
    await expect(be.pause(a)).rejects.toThrow('shut down');
    const b = await be.create(guest('b', 128, { on_crash: 'coredump_destroy' }));
    await be.guestAction!(b, 'crash');
    await expect(be.domainInfo(b)).rejects.toThrow(NotFoundError);
    expect(readdirSync(store.paths.dump)).toEqual(['b.core']);
  });

  it('rename-restart keeps the old domain under a dated name and starts a new one', async () => {
    const { be } = host();
    const id = await be.create(guest('r', 128, { on_reboot: 'restart_rename' }));
    await be.guestAction!(id, 'reboot');
    const list = await be.listDomains();
    const old = list.find((d) => d.domid === id)!;
    expect(old.name).toMatch(/^r-\d{8}T\d{4}Z$/);
    expect(old.shutdown).toBe(true);
    expect(list.find((d) => d.name === 'r')!.domid).toBe(id + 1);
  });

  it('watchdog follows on_watchdog', async () => {
    const { be } = host();
    const id = await be.create(guest('w', 128, { on_watchdog: 'restart' }));
    await be.guestAction!(id, 'watchdog');
    expect((await be.listDomains()).find((d) => d.name === 'w')!.domid).toBe(id + 1);
  });

  it('suppresses a reboot loop: more than N reboots in M seconds leaves it shut down, saying why', async () => {
    const { be } = host('memory: 4g\nreboot_limit: {count: 3, seconds: 60}\n');
    await be.create(guest('loop'));
    for (let i = 0; i < 3; i++) await be.guestAction!(await be.resolve('loop'), 'reboot');
    const before = await be.domainInfo(await be.resolve('loop'));
    expect(before.state).toBe('blocked');
    await be.guestAction!(before.domid, 'reboot');
    const after = await be.domainInfo(before.domid);
    expect(after.shutdown).toBe(true);
    expect(after.state_detail).toBe('reboot loop: restarted 4 times within 60 s, left shut down');
  });

  it('without a monitor (create -e) the domain is left shut down', async () => {
    const { be } = host();
    const id = await be.create(guest('nm'), { noMonitor: true });
    await be.shutdown(id);
    const info = await be.domainInfo(id);
    expect([info.shutdown, info.shutdown_reason]).toEqual([true, 'poweroff']);
  });

  it('a shutdown request takes the host\'s shutdown_delay to complete', async () => {
    const { be } = host('memory: 4g\nshutdown_delay: 300\n');
    const id = await be.create(guest('slow'));
    await be.shutdown(id);
    expect((await be.domainInfo(id)).state).toBe('blocked');
    await new Promise((r) => setTimeout(r, 350));
    await expect(be.domainInfo(id)).rejects.toThrow(NotFoundError);
  });

  it('an HVM guest without PV drivers needs -F (ACPI) to be shut down', async () => {
    const { be } = host();
    const cfg: DomainConfig = { c_info: { type: 'hvm', name: 'win' }, b_info: { max_memkb: 262144, target_memkb: 262144, 'type.hvm': { xen_platform_pci: 'False' } } };
    const id = await be.create(cfg);
    await expect(be.shutdown(id)).rejects.toThrow('PV control interface not available');
    await be.shutdown(id, { fallbackAcpi: true });
    await expect(be.domainInfo(id)).rejects.toThrow(NotFoundError);
  });

  it('Domain-0 cannot be destroyed, paused or shut down', async () => {
    const { be } = host();
    await expect(be.destroy(0)).rejects.toThrow('Domain-0');
    await expect(be.pause(0)).rejects.toThrow('Domain-0');
    await expect(be.shutdown(0)).rejects.toThrow('Domain-0');
  });
});

describe('simulator: resources, devices, managed configs, images', () => {
  it('vCPUs, affinity, memory and scheduler follow libxl\'s limits', async () => {
    const { be } = host();
    const id = await be.create(guest('v', 256, { b_info: { max_vcpus: 4, avail_vcpus: [0, 1], max_memkb: 524288, target_memkb: 262144, 'type.pv': {} } }));
    expect((await be.vcpuList(id)).map((v) => v.online)).toEqual([true, true, false, false]);
    await be.setVcpus(id, 4);
    await expect(be.setVcpus(id, 5)).rejects.toThrow('its maximum is 4');
    await be.pinVcpu(id, 'all', [1, 2]);
    expect((await be.vcpuList(id)).every((v) => v.cpumap.join() === '1,2')).toBe(true);
    await expect(be.pinVcpu(id, 0, [9])).rejects.toThrow('CPU 9 does not exist');
    await be.setMemoryTarget(id, 524288);
    await expect(be.setMemoryTarget(id, 524289)).rejects.toThrow('its maximum is 512 MiB');
    await expect(be.setMaxMemory(id, 1024)).rejects.toMatchObject({ message: "cannot set the maximum memory of 'v' to 1 MiB: it uses 512 MiB now", hint: "lower it first with 'txl mem-set'" });
    await be.schedSet(id, { weight: 512, cap: 50 });
    expect(await be.schedGet(id)).toMatchObject({ sched: 'credit2', weight: 512, cap: 50 });
    await expect(be.schedSet(id, { weight: 0 })).rejects.toThrow('out of range');
  });

  it('devices: duplicate vdev refused, busy root disk kept unless forced, CD media changes', async () => {
    const { be } = host();
    const id = await be.create(guest('d', 128, { disks: [{ vdev: 'xvda', pdev_path: '/a' }, { vdev: 'hdc', is_cdrom: 1, removable: 1, format: 'empty' }] }));
    await expect(be.attachDevice(id, 'disk', { vdev: 'xvda', pdev_path: '/b' })).rejects.toThrow('already has a disk xvda');
    expect(await be.attachDevice(id, 'disk', { vdev: 'xvdb', pdev_path: '/b' })).toBe(51728);
    await expect(be.detachDevice(id, 'disk', 'xvda')).rejects.toThrow('did not release');
    await be.detachDevice(id, 'disk', 'xvdb');
    await be.detachDevice(id, 'disk', 51712, { force: true });
    await expect(be.detachDevice(id, 'disk', 'xvdz')).rejects.toThrow("has no disk 'xvdz'");
    await be.changeMedia(id, 'hdc', { pdev_path: '/iso/debian.iso', format: 'raw' });
    expect((await be.listDevices(id, 'disk'))[0].config.pdev_path).toBe('/iso/debian.iso');
    await be.changeMedia(id, 'hdc', null);
    expect((await be.listDevices(id, 'disk'))[0].config.pdev_path).toBeUndefined();
  });

  it('managed configs: define, lookup while shut off, start, undefine', async () => {
    const { be } = host();
    expect(await be.define(guest('m'))).toBe(false);
    const ref = await be.lookup('m');
    expect(ref).toMatchObject({ domid: null, name: 'm', managed: true });
    expect(await be.define(guest('m', 512))).toBe(true);
    expect((await be.lookup(ref.uuid)).name).toBe('m');
    const m = (await be.getManaged('m'))!;
    const id = await be.create(m.config);
    expect((await be.domainInfo(id)).uuid).toBe(ref.uuid);
    expect(await be.lookup('m')).toMatchObject({ domid: id, managed: true });
    await be.undefine('m');
    expect(await be.lookup('m')).toMatchObject({ domid: id, managed: false });
    await expect(be.undefine('m')).rejects.toThrow("no managed domain 'm'");
  });

  it('suspend writes an image that create can restore from', async () => {
    const { be } = host();
    const id = await be.create(guest('s', 128, { b_info: { max_vcpus: 2, max_memkb: 131072, target_memkb: 131072, 'type.pv': {} } }));
    await be.setVcpus(id, 1);
    const file = join(dir, 'img');
    const fd = openSync(file, 'w');
    await be.suspend(id, fd);
    closeSync(fd);
    expect((await be.domainInfo(id)).shutdown_reason).toBe('suspend');
    const cfg = await be.domainConfig(id);
    await be.destroy(id);
    const rfd = openSync(file, 'r');
    const nid = await be.create(cfg, { restoreFd: rfd });
    closeSync(rfd);
    const info = await be.domainInfo(nid);
    expect([info.name, info.vcpu_online, info.state]).toEqual(['s', 1, 'blocked']);
  });

  it('a host file creates its initial domains once and rejects unknown keys', async () => {
    const { be } = host('memory: 8g\ndomains:\n  - {name: web, memory: 512, vcpus: 2}\n  - {name: db, memory: 1g, type: hvm}\n');
    expect((await be.listDomains()).map((d) => [d.name, d.vcpu_online])).toEqual([['Domain-0', 4], ['web', 2], ['db', 1]]);
    expect((await be.listDomains()).length).toBe(3);
    const bad = host('memroy: 8g\n');
    await expect(bad.be.listDomains()).rejects.toThrow("unknown key 'memroy'");
  });
});

describe('simulator: read-only transactions', () => {
  const settleChanges = (store: SimStore) => store.transact((tx) => { tx.st.dmesg.push('changed by settle'); }, () => true, { readOnly: true });
  /** A read-only transaction that breaks its promise, under TXL_SIM_CHECK_READONLY=check; the state file before and after. */
  async function mutateReadOnly(check: string) {
    // the store reads the variable from the environment it was made with
    const { be, store, statePath } = host(undefined, { ...process.env, TXL_SIM_CHECK_READONLY: check });
    await be.listDomains(); // the first transaction writes the fresh host
    const before = readFileSync(statePath, 'utf8');
    const outcome = await store.transact((tx) => { tx.st.dmesg.push('changed'); }, () => false, { readOnly: true }).then(() => 'ok', (e: Error) => e.message);
    return { outcome, before, after: readFileSync(statePath, 'utf8') };
  }

  it('are not serialised again: what a read-only fn changed is never written', async () => {
    const r = await mutateReadOnly('');
    expect(r.outcome).toBe('ok');
    expect(r.after).toBe(r.before);
  });

  it('are checked under TXL_SIM_CHECK_READONLY=1: a change is an internal error, and not written', async () => {
    const r = await mutateReadOnly('1');
    expect(r.outcome).toBe('internal: a read-only simulator transaction changed the state');
    expect(r.after).toBe(r.before);
  });

  it('still commit what settle changed (a guest that was due to shut down)', async () => {
    const { be, store, statePath } = host();
    await be.listDomains();
    await settleChanges(store);
    expect(JSON.parse(readFileSync(statePath, 'utf8')).dmesg).toContain('changed by settle');
  });
});
