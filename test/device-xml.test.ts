// attach-device, detach-device, update-device, domif-setlink/-getlink on a simulated host:
// each device kind, --live/--config/--persistent/--current, and the refusals (bad XML with
// its position, unknown device, missing device, --config on a transient domain).
import { describe, it, expect, beforeEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simHost, type SimHost } from './support/inproc.js';
import { ok, fails, dom, boot } from './support/simcheck.js';
import { readDeviceXml, scopeOf } from '../src/ops/device-xml.js';

const GUEST = `name = "guest"
type = "pv"
kernel = "/boot/vmlinuz"
memory = 512
disk = [ "vdev=xvda, target=/srv/guest.img", "vdev=xvdc, devtype=cdrom, target=/srv/iso/a.iso" ]
vif = [ "mac=00:16:3e:00:00:01, bridge=xenbr0" ]
`;

const DISK = `<disk type='file' device='disk'>
  <driver name='qemu' type='raw'/>
  <source file='/srv/data.img'/>
  <target dev='xvdb' bus='xen'/>
</disk>
`;
const NIC = `<interface type='bridge'>
  <mac address='00:16:3e:00:00:09'/>
  <source bridge='xenbr1'/>
</interface>
`;
const CDROM = (src?: string) => `<disk type='file' device='cdrom'>${src ? `<source file='${src}'/>` : ''}<target dev='xvdc'/></disk>`;

type Dev = { kind: string; devid: number; config: Record<string, any> };
const devs = (h: SimHost, kind: string, name = 'guest'): Dev[] => dom(h, name).devices.filter((x: Dev) => x.kind === kind);
const managed = (h: SimHost, name = 'guest') => JSON.parse(readFileSync(join(h.dir, 'managed', `${name}.json`), 'utf8'));

function defineGuest(h: SimHost, run = true) {
  ok(h, ['define', h.file('guest.cfg', GUEST)]);
  if (run) ok(h, ['start', 'guest']);
}

describe('readDeviceXml: the domain reader on one device', () => {
  it('reads each kind into the model', async () => {
    expect((await readDeviceXml(DISK, 'd.xml', 'pv')).device).toEqual({ kind: 'disk', dev: { pdev_path: '/srv/data.img', vdev: 'xvdb', backend: 'qdisk', format: 'raw', removable: 1, readwrite: 1 } });
    expect((await readDeviceXml(NIC, 'n.xml', 'pv')).device).toEqual({ kind: 'nic', dev: { nictype: 'vif', mac: '00:16:3e:00:00:09', bridge: 'xenbr1' }, link: undefined });
    expect((await readDeviceXml(`<interface type='bridge'><source bridge='xenbr0'/><link state='down'/></interface>`, 'n.xml', 'pv')).device).toMatchObject({ kind: 'nic', link: 'down' });
    expect((await readDeviceXml(CDROM(), 'c.xml', 'pv')).device).toMatchObject({ kind: 'disk', dev: { vdev: 'xvdc', format: 'empty', is_cdrom: 1 } });
    expect((await readDeviceXml(`<hostdev mode='subsystem' type='pci'><source><address domain='0' bus='0x03' slot='0x00' function='0x1'/></source></hostdev>`, 'h.xml', 'hvm')).device).toEqual({ kind: 'pci', dev: { bus: 3, func: 1 } });
    expect((await readDeviceXml(`<controller type='usb' index='0' model='qusb2' ports='4'/>`, 'u.xml', 'hvm')).device).toEqual({ kind: 'usbctrl', dev: { type: 'qusb', devid: 0, version: 2, ports: 4 } });
    expect((await readDeviceXml(`<controller type='xenbus' maxGrantFrames='64'/>`, 'x.xml', 'pv')).device).toMatchObject({ kind: 'xenbus', dev: { max_grant_frames: 64 } });
    expect((await readDeviceXml(`<input type='tablet' bus='usb'/>`, 'i.xml', 'hvm')).device).toEqual({ kind: 'input', dev: { usb: 'tablet' } });
    expect((await readDeviceXml(`<console type='pty'><target type='xen' port='0'/></console>`, 'c.xml', 'pv')).device).toMatchObject({ kind: 'console' });
    expect((await readDeviceXml(`<channel type='pty'><target type='xen' name='org.qemu.guest_agent.0'/></channel>`, 'ch.xml', 'pv')).device).toEqual({ kind: 'channel', dev: { name: 'org.qemu.guest_agent.0', 'connection.pty': {} } });
  });

  it('refuses bad XML at its position, unknown devices, and what libxl cannot be given', async () => {
    await expect(readDeviceXml(`<disk type='file'>\n  <target dev='xvdb'>\n</disk>`, 'bad.xml', 'pv')).rejects.toThrow(/^bad\.xml:3:/);
    await expect(readDeviceXml(`<sound model='ich6'/>`, 's.xml', 'hvm')).rejects.toThrow(/s\.xml:1:1: unknown device type 'sound'/);
    await expect(readDeviceXml(`<disk type='file'><source file='/x'/></disk>`, 'd.xml', 'pv')).rejects.toThrow(/no <target dev/);
    await expect(readDeviceXml(`<interface type='user'/>`, 'n.xml', 'pv')).rejects.toThrow(/interface type 'user' is not supported by libxl$/);
    await expect(readDeviceXml(`<interface type='bridge'><source bridge='b'/><link state='sideways'/></interface>`, 'n.xml', 'pv')).rejects.toThrow(/n\.xml:1:\d+: .*expected one of up, down/);
  });

  it('warns of what it ignores, not of side.xml', async () => {
    const { warnings } = await readDeviceXml(`<disk type='file'><source file='/x'/><target dev='xvdb'/><serial>abc</serial></disk>`, 'd.xml', 'pv');
    expect(warnings.map((w) => w.message)).toEqual(['<serial> is not mapped to libxl; ignored']);
  });
});

describe('scopeOf: virsh --live/--config/--persistent/--current', () => {
  it('follows virsh', () => {
    expect(scopeOf({}, true, true, 'g')).toEqual({ live: true, config: false });
    expect(scopeOf({}, false, true, 'g')).toEqual({ live: false, config: true });
    expect(scopeOf({ persistent: true }, true, true, 'g')).toEqual({ live: true, config: true });
    expect(scopeOf({ persistent: true }, false, true, 'g')).toEqual({ live: false, config: true });
    expect(scopeOf({ live: true, config: true }, true, true, 'g')).toEqual({ live: true, config: true });
    expect(() => scopeOf({ current: true, live: true }, true, true, 'g')).toThrow('Options --current and --live are mutually exclusive');
    expect(() => scopeOf({ current: true, persistent: true }, true, true, 'g')).toThrow('mutually exclusive');
    expect(() => scopeOf({ live: true }, false, true, 'g')).toThrow("domain 'g' is not running");
    expect(() => scopeOf({ config: true }, true, false, 'g')).toThrow('transient domain');
  });
});

describe('attach-device / detach-device', () => {
  let h: SimHost;
  beforeEach(() => {
    h = simHost();
  });

  it('hot-plugs and unplugs a disk and an interface (the default is live on a running domain)', () => {
    boot(h, GUEST);
    const disk = h.file('disk.xml', DISK);
    expect(ok(h, ['attach-device', 'guest', disk]).stdout).toBe('Device attached successfully\n\n');
    expect(devs(h, 'disk').map((d) => d.config.vdev)).toEqual(['xvda', 'xvdc', 'xvdb']);
    expect(devs(h, 'disk')[2]!.config).toMatchObject({ pdev_path: '/srv/data.img', backend: 'qdisk' });
    const nic = h.file('nic.xml', NIC);
    const j = JSON.parse(ok(h, ['-o', 'json', 'attach-device', 'guest', '--file', nic, '--live']).stdout);
    expect(j).toMatchObject({ name: 'guest', live: true, config: false, kind: 'nic', devid: 1 });
    expect(devs(h, 'nic').map((d) => d.config.bridge)).toEqual(['xenbr0', 'xenbr1']);
    expect(ok(h, ['detach-device', 'guest', disk]).stdout).toBe('Device detached successfully\n\n');
    ok(h, ['detach-device', 'guest', nic, '--live']);
    expect(devs(h, 'disk').map((d) => d.config.vdev)).toEqual(['xvda', 'xvdc']);
    expect(devs(h, 'nic')).toHaveLength(1);
  });

  it('--config changes the stored config only; --persistent both; --current an inactive one', () => {
    defineGuest(h);
    const disk = h.file('disk.xml', DISK);
    ok(h, ['attach-device', 'guest', disk, '--config']);
    expect(managed(h).disks.map((d: { vdev: string }) => d.vdev)).toEqual(['xvda', 'xvdc', 'xvdb']);
    expect(devs(h, 'disk')).toHaveLength(2);
    ok(h, ['detach-device', 'guest', disk, '--config']);
    ok(h, ['attach-device', 'guest', disk, '--persistent']);
    expect(managed(h).disks).toHaveLength(3);
    expect(devs(h, 'disk')).toHaveLength(3);
    ok(h, ['detach-device', 'guest', disk, '--persistent']);
    expect(managed(h).disks).toHaveLength(2);
    expect(devs(h, 'disk')).toHaveLength(2);
    ok(h, ['attach-device', 'guest', h.file('nomac.xml', `<interface type='bridge'><source bridge='xenbr2'/></interface>`), '--persistent']);
    const made = devs(h, 'nic')[1]!.config.mac;
    expect(made).toMatch(/^00:16:3e:/);
    expect(managed(h).nics[1]).toMatchObject({ bridge: 'xenbr2', mac: made });
    ok(h, ['detach-device', 'guest', h.file('mac.xml', `<interface type='bridge'><mac address='${made}'/><source bridge='xenbr2'/></interface>`), '--persistent']);
    expect(managed(h).nics).toHaveLength(1);
    ok(h, ['destroy', 'guest']);
    ok(h, ['attach-device', 'guest', h.file('nic.xml', NIC), '--current']);
    expect(managed(h).nics.map((n: { bridge: string }) => n.bridge)).toEqual(['xenbr0', 'xenbr1']);
    ok(h, ['start', 'guest']);
    expect(devs(h, 'nic').map((d) => d.config.bridge)).toEqual(['xenbr0', 'xenbr1']);
  });

  it('adds a channel, USB controller, PCI device and tablet to the stored config', () => {
    defineGuest(h, false);
    ok(h, ['attach-device', 'guest', h.file('c.xml', `<channel type='pty'><target type='xen' name='org.qemu.guest_agent.0'/></channel>`)]);
    ok(h, ['attach-device', 'guest', h.file('u.xml', `<controller type='usb' index='0' model='qusb2'/>`)]);
    ok(h, ['attach-device', 'guest', h.file('p.xml', `<hostdev mode='subsystem' type='pci'><source><address domain='0' bus='3' slot='0' function='0'/></source></hostdev>`)]);
    ok(h, ['attach-device', 'guest', h.file('x.xml', `<controller type='xenbus' maxEventChannels='2048'/>`)]);
    const m = managed(h);
    expect(m.channels).toEqual([{ name: 'org.qemu.guest_agent.0', 'connection.pty': {} }]);
    expect(m.usbctrls).toEqual([{ type: 'qusb', devid: 0, version: 2, ports: 8 }]);
    expect(m.pcidevs).toEqual([{ bus: 3 }]);
    expect(m.b_info.event_channels).toBe(2048);
    fails(h, ['attach-device', 'guest', h.file('c2.xml', `<channel type='pty'><target type='xen' name='org.qemu.guest_agent.0'/></channel>`)], 1, /already has channel 'org.qemu.guest_agent.0'/);
    fails(h, ['attach-device', 'guest', h.file('i.xml', `<input type='mouse' bus='xen'/>`)], 1, /already: libxl gives every domain its keyboard and mouse/);
    ok(h, ['detach-device', 'guest', h.file('c3.xml', `<channel type='pty'><target type='xen' name='org.qemu.guest_agent.0'/></channel>`)]);
    expect(managed(h).channels).toBeUndefined();
  });

  it('refuses what libxl cannot hot-plug, with nothing changed', () => {
    defineGuest(h);
    const before = JSON.stringify(managed(h));
    const ndev = dom(h).devices.length;
    fails(h, ['attach-device', 'guest', h.file('i.xml', `<input type='mouse' bus='xen'/>`), '--persistent'], 1, /^txl: error: libxl cannot hot-plug <input> devices into a running domain; --config changes the stored config$/m);
    fails(h, ['attach-device', 'guest', h.file('c.xml', `<channel type='pty'><target type='xen' name='a'/></channel>`)], 1, /cannot hot-plug <channel> devices/);
    fails(h, ['attach-device', 'guest', h.file('k.xml', `<console type='pty'/>`), '--live'], 1, /cannot hot-plug <console> devices/);
    fails(h, ['attach-device', 'guest', h.file('x.xml', `<controller type='xenbus' maxGrantFrames='64'/>`)], 1, /libxl cannot hot-plug <controller type='xenbus'> devices/);
    fails(h, ['attach-device', 'guest', h.file('u.xml', `<hostdev mode='subsystem' type='usb'><source><address bus='1' device='3'/></source></hostdev>`), '--persistent'], 1, /txl cannot hot-plug <hostdev type='usb'> devices/);
    fails(h, ['detach-device', 'guest', h.file('c.xml', `<channel type='pty'><target type='xen' name='a'/></channel>`)], 1, /libxl cannot hot-unplug <channel> devices from a running domain/);
    expect(JSON.stringify(managed(h))).toBe(before);
    expect(dom(h).devices).toHaveLength(ndev);
  });

  it('hot-plugs a PCI device and a USB controller into a running HVM domain, and unplugs them', () => {
    boot(h, 'name = "hvm"\ntype = "hvm"\nmemory = 256\n');
    const pci = h.file('p.xml', `<hostdev mode='subsystem' type='pci' managed='no'><source><address domain='0x0000' bus='0x03' slot='0x00' function='0x1'/></source></hostdev>`);
    const usb = h.file('u.xml', `<controller type='usb' index='0' model='qusb2' ports='4'/>`);
    ok(h, ['attach-device', 'hvm', pci]);
    ok(h, ['attach-device', 'hvm', usb, '--live']);
    expect(ok(h, ['pci-list', 'hvm']).stdout).toMatch(/0000:03:00\.1/);
    expect(devs(h, 'usbctrl', 'hvm').map((d) => d.config)).toMatchObject([{ version: 2, ports: 4 }]);
    fails(h, ['attach-device', 'hvm', h.file('i.xml', `<input type='tablet' bus='usb'/>`)], 1, /cannot hot-plug <input> devices/);
    ok(h, ['detach-device', 'hvm', pci]);
    ok(h, ['detach-device', 'hvm', usb]);
    expect(ok(h, ['pci-list', 'hvm']).stdout).toBe('');
    expect(devs(h, 'usbctrl', 'hvm')).toHaveLength(0);
  });

  it('an HVM config takes a USB tablet and a serial console, and gives the tablet back', () => {
    ok(h, ['define', h.file('hvm.cfg', 'name = "hvm"\ntype = "hvm"\nmemory = 256\n')]);
    const tablet = h.file('i.xml', `<input type='tablet' bus='usb'/>`);
    ok(h, ['attach-device', 'hvm', tablet]);
    ok(h, ['attach-device', 'hvm', h.file('c.xml', `<console type='pty'><target type='serial' port='0'/></console>`)]);
    expect(managed(h, 'hvm').b_info['type.hvm']).toMatchObject({ usbdevice_list: ['tablet'], serial: 'pty' });
    ok(h, ['detach-device', 'hvm', tablet]);
    expect(managed(h, 'hvm').b_info['type.hvm'].usbdevice_list).toBeUndefined();
    fails(h, ['detach-device', 'hvm', tablet], 1, /domain 'hvm' has no USB tablet device in its config/);
  });

  it('errors: bad XML, unknown device, missing device, transient --config, option clashes', () => {
    boot(h, GUEST);
    const r = fails(h, ['attach-device', 'guest', h.file('bad.xml', `<disk type='file'>\n  <target dev='xvdb'>\n</disk>\n`)], 2, /bad\.xml:3:\d+:/);
    expect(r.stderr).toMatch(/bad\.xml/);
    fails(h, ['attach-device', 'guest', h.file('s.xml', `<sound model='ich6'/>`)], 2, /s\.xml:1:1: unknown device type 'sound'/);
    fails(h, ['detach-device', 'guest', h.file('d.xml', DISK)], 1, /domain 'guest' has no disk with target xvdb/);
    fails(h, ['detach-device', 'guest', h.file('n.xml', NIC)], 1, /no interface with MAC 00:16:3e:00:00:09/);
    fails(h, ['attach-device', 'guest', h.file('d.xml', DISK), '--config'], 1, /cannot change the persistent config of transient domain 'guest'/);
    fails(h, ['attach-device', 'guest', h.file('d.xml', DISK), '--current', '--live'], 2, /Options --current and --live are mutually exclusive/);
    fails(h, ['attach-device', 'guest'], 2, /which device XML file/);
    fails(h, ['attach-device', 'guest', '/nonexistent.xml'], 1, /no such file/);
    fails(h, ['attach-device', 'ghost', h.file('d.xml', DISK)], 1, /ghost/);
    expect(devs(h, 'disk')).toHaveLength(2);
  });

  it('-N says what it would do and changes nothing', () => {
    boot(h, GUEST);
    const r = ok(h, ['-N', 'attach-device', 'guest', h.file('d.xml', DISK)]);
    expect(r.stderr).toMatch(/dry run: would attach a <disk> to 'guest' \(live\)/);
    expect(devs(h, 'disk')).toHaveLength(2);
  });
});

describe('update-device', () => {
  let h: SimHost;
  beforeEach(() => {
    h = simHost();
    defineGuest(h);
  });

  it("changes a CD-ROM's media live: eject, insert", () => {
    expect(ok(h, ['update-device', 'guest', h.file('e.xml', CDROM())]).stdout).toBe('Device updated successfully\n\n');
    expect(devs(h, 'disk')[1]!.config.format).toBe('empty');
    ok(h, ['update-device', 'guest', h.file('i.xml', CDROM('/srv/iso/b.iso')), '--live']);
    expect(devs(h, 'disk')[1]!.config.pdev_path).toBe('/srv/iso/b.iso');
    expect(managed(h).disks[1].pdev_path).toBe('/srv/iso/a.iso');
    ok(h, ['update-device', 'guest', h.file('i.xml', CDROM('/srv/iso/c.iso')), '--config']);
    expect(managed(h).disks[1].pdev_path).toBe('/srv/iso/c.iso');
    fails(h, ['update-device', 'guest', h.file('d.xml', DISK)], 1, /only the media of a CD-ROM can be changed/);
  });

  it('moves a NIC to another bridge in the stored config; refuses it live, with nothing changed', () => {
    const nic = h.file('n.xml', `<interface type='bridge'><mac address='00:16:3e:00:00:01'/><source bridge='xenbr1'/></interface>`);
    fails(h, ['update-device', 'guest', nic, '--persistent'], 1, /^txl: error: libxl cannot move the interface of running domain 'guest' to bridge 'xenbr1'/m);
    expect(managed(h).nics[0].bridge).toBe('xenbr0');
    ok(h, ['update-device', 'guest', nic, '--config']);
    expect(managed(h).nics[0]).toMatchObject({ mac: '00:16:3e:00:00:01', bridge: 'xenbr1' });
    expect(devs(h, 'nic')[0]!.config.bridge).toBe('xenbr0');
    fails(h, ['update-device', 'guest', h.file('down.xml', `<interface type='bridge'><mac address='00:16:3e:00:00:01'/><source bridge='xenbr0'/><link state='down'/></interface>`)], 1, /libxl has no link state for a vif/);
    fails(h, ['update-device', 'guest', h.file('ch.xml', `<channel type='pty'><target type='xen' name='a'/></channel>`)], 1, /a <channel> cannot be updated/);
  });
});

describe('domif-setlink / domif-getlink', () => {
  it('reads up; sets up; refuses down in the stored config in one line', () => {
    const h = simHost();
    defineGuest(h);
    expect(ok(h, ['domif-getlink', 'guest', 'vif1.0']).stdout).toBe('vif1.0 up\n\n');
    expect(JSON.parse(ok(h, ['-o', 'json', 'domif-getlink', 'guest', '00:16:3e:00:00:01']).stdout)).toMatchObject({ interface: '00:16:3e:00:00:01', state: 'up' });
    expect(ok(h, ['domif-getlink', 'guest', '00:16:3e:00:00:01', '--config']).stdout).toBe('00:16:3e:00:00:01 up\n\n');
    expect(ok(h, ['domif-setlink', 'guest', 'vif1.0', 'up']).stdout).toBe('Device updated successfully\n\n');
    expect(ok(h, ['domif-setlink', 'guest', '00:16:3e:00:00:01', 'up', '--config']).stdout).toBe('Device updated successfully\n\n');
    const r = fails(h, ['domif-setlink', 'guest', '00:16:3e:00:00:01', 'down', '--config'], 1, /libxl's config has no link state for a vif/);
    expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('txl:'))).toHaveLength(1);
    fails(h, ['domif-getlink', 'guest', 'vif1.7'], 1, /domain 'guest' has no interface 'vif1.7'/);
    fails(h, ['domif-setlink', 'guest', 'vif1.0', 'sideways'], 2, /invalid link state 'sideways'/);
  });
});
