// Each family of domain XML elements: what it maps to in the model, and that modelToXml
// writes it so that reading the output gives the same model back (side.xml included).
import { describe, expect, it } from 'vitest';
import type { DomainConfig } from '../src/core/model.js';
import { CORPUS_HOST } from '../parsers/host.js';
import { diffValues, formatDifference } from '../parsers/xml/diff.js';
import { xmlToModel, type ReadOptions } from '../parsers/xml/read.js';
import { modelToXml } from '../parsers/xml/write.js';

const dom = (os: string, devices = '', extra = '') =>
  `<domain type='xen'>\n  <name>g</name>\n  <uuid>2147d5999cc6c0dc92ab4064b5446e9b</uuid>\n  <memory unit='MiB'>1024</memory>\n  <vcpu>2</vcpu>\n  <os><type>${os}</type></os>\n${extra}\n  <devices>\n${devices}\n  </devices>\n</domain>\n`;
const hvm = (devices = '', extra = '') => dom('hvm', devices, extra);
const pv = (devices = '', extra = '') => dom('xen', devices, extra);

/** Reads, writes, reads again: the two models must be the same. Returns the first. */
function roundTrip(xml: string, opts: ReadOptions = { host: CORPUS_HOST }): { config: DomainConfig; warnings: string[]; out: string } {
  const a = xmlToModel(xml, 'in.xml', opts);
  const out = modelToXml(a.config);
  const b = xmlToModel(out, 'out.xml', opts);
  expect(diffValues(b.config, a.config).map(formatDifference), out).toEqual([]);
  return { config: a.config, warnings: a.warnings.map((w) => w.message), out };
}

describe('domain-wide elements', () => {
  it('name, uuid, memory units and rounding, vcpus', () => {
    const xml = pv().replace("<memory unit='MiB'>1024</memory>", "<memory unit='GiB'>2</memory><currentMemory unit='KiB'>1000000</currentMemory>").replace('<vcpu>2</vcpu>', "<vcpu current='1'>4</vcpu>");
    const { config } = roundTrip(xml);
    expect(config.c_info).toMatchObject({ type: 'pv', name: 'g', uuid: '2147d599-9cc6-c0dc-92ab-4064b5446e9b' });
    expect(config.b_info).toMatchObject({ max_memkb: 2097152, target_memkb: 1000448, max_vcpus: 4, avail_vcpus: [0] });
  });

  it('lifecycle actions', () => {
    const { config } = roundTrip(pv('', '<on_poweroff>preserve</on_poweroff><on_reboot>rename-restart</on_reboot><on_crash>coredump-destroy</on_crash>'));
    expect(config).toMatchObject({ on_poweroff: 'preserve', on_reboot: 'restart_rename', on_crash: 'coredump_destroy' });
  });

  it('cputune shares and pins, vcpu cpuset', () => {
    const pins = roundTrip(hvm('', "<cputune><shares>512</shares><vcpupin vcpu='1' cpuset='2-3'/></cputune>")).config.b_info;
    expect(pins).toMatchObject({ sched_params: { weight: 512 }, vcpu_hard_affinity: [[0, 1, 2, 3, 4, 5, 6, 7], [2, 3]], numa_placement: 'False' });
    const set = roundTrip(hvm().replace('<vcpu>2</vcpu>', "<vcpu cpuset='0-2,^1'>2</vcpu>")).config.b_info;
    expect(set.vcpu_hard_affinity).toEqual([[0, 2], [0, 2]]);
    expect(set.numa_placement).toBeUndefined();
  });

  it('title, description, metadata and the security label', () => {
    const extra = "<title>T</title><description>D &amp; d</description><metadata><app:x xmlns:app='urn:a' k='v'>t</app:x></metadata><seclabel type='static' model='xen' relabel='no'><label>system_u:system_r:domU_t</label></seclabel>";
    const { config, warnings } = roundTrip(pv('', extra));
    expect(config.side?.xml).toMatchObject({ title: 'T', description: 'D & d', metadata: [{ name: 'app:x', attrs: [['xmlns:app', 'urn:a'], ['k', 'v']], text: 't' }] });
    expect(config.c_info.ssid_label).toBe('system_u:system_r:domU_t');
    expect(warnings).toEqual([]);
  });

  it('device model arguments in the xen namespace', () => {
    const xml = hvm('', "<xen:commandline><xen:arg value='-debugcon'/><xen:arg value='file:/tmp/d.log'/></xen:commandline>").replace("<domain type='xen'>", "<domain type='xen' xmlns:xen='http://libvirt.org/schemas/domain/xen/1.0'>");
    expect(roundTrip(xml).config.b_info.extra).toEqual(['-debugcon', 'file:/tmp/d.log']);
  });
});

describe('os', () => {
  it('HVM: direct kernel boot, boot order, SLIC table, custom hvmloader', () => {
    const os = "<os><type>hvm</type><loader type='rom'>/opt/xen/firmware</loader><kernel>/k</kernel><initrd>/i</initrd><cmdline>ro quiet</cmdline><acpi><table type='slic'>/slic.dat</table></acpi><boot dev='network'/><boot dev='cdrom'/><boot dev='hd'/></os>";
    const { config } = roundTrip(hvm().replace('<os><type>hvm</type></os>', os));
    expect(config.b_info).toMatchObject({ kernel: '/k', ramdisk: '/i', cmdline: 'ro quiet', apic: 'False', acpi: 'False' });
    expect(config.b_info['type.hvm']).toMatchObject({ boot: 'ndc', acpi_firmware: '/slic.dat', firmware: '/opt/xen/firmware', pae: 'True' });
  });

  it('OVMF, with and without a path', () => {
    const pflash = roundTrip(hvm().replace('<os><type>hvm</type></os>', "<os><type>hvm</type><loader readonly='yes' type='pflash'>/ovmf.bin</loader></os>")).config;
    expect(pflash.b_info['type.hvm']).toMatchObject({ bios: 'ovmf', system_firmware: '/ovmf.bin' });
    const efi = roundTrip(hvm().replace('<os><type>hvm</type></os>', "<os firmware='efi'><type>hvm</type></os>")).config;
    expect(efi.b_info['type.hvm']?.bios).toBe('ovmf');
    expect(efi.b_info['type.hvm']?.system_firmware).toBeUndefined();
  });

  it('PV bootloader, its arguments, and the pygrub default', () => {
    const bl = roundTrip(pv('', '<bootloader>/usr/bin/pygrub</bootloader><bootloader_args>-q  --entry=1</bootloader_args>')).config.b_info;
    expect(bl).toMatchObject({ bootloader: '/usr/bin/pygrub', bootloader_args: ['-q', '--entry=1'] });
    expect(roundTrip(pv()).config.b_info.bootloader).toBe('pygrub');
    expect(roundTrip(pv().replace('<type>xen</type>', '<type>xen</type><kernel>/vmlinuz</kernel>')).config.b_info.bootloader).toBeUndefined();
  });

  it('PVH', () => {
    const { config } = roundTrip(dom('xenpvh').replace('<type>xenpvh</type>', "<type arch='x86_64' machine='xenpvh'>xenpvh</type><kernel>/k</kernel>"));
    expect(config.c_info.type).toBe('pvh');
    expect(config.b_info).toMatchObject({ kernel: '/k', 'type.pvh': {} });
  });
});

describe('features, clock, cpu', () => {
  it('acpi/apic/pae/hap, viridian from hyperv, xen passthrough', () => {
    const f = "<features><acpi/><apic/><hap state='off'/><hyperv mode='custom'><vapic state='on'/><synic state='off'/></hyperv><xen><passthrough state='on' mode='sync_pt'/></xen></features>";
    const { config } = roundTrip(hvm('', f));
    expect(config.c_info).toMatchObject({ hap: 'False', passthrough: 'sync_pt' });
    expect(config.b_info).toMatchObject({ acpi: 'True', apic: 'True' });
    expect(config.b_info['type.hvm']).toMatchObject({ pae: 'True', viridian_enable: [0, 2, 3, 5, 6], viridian_disable: [7] });
    expect(roundTrip(hvm('', "<features><hyperv mode='passthrough'/></features>")).config.b_info['type.hvm']?.viridian_enable).toHaveLength(64);
  });

  it('PV e820_host', () => {
    expect(roundTrip(pv('', "<features><xen><e820_host state='on'/></xen></features>")).config.b_info['type.pv']).toEqual({ e820_host: 'True' });
  });

  it('clock offsets and timers', () => {
    const v = roundTrip(hvm('', "<clock offset='variable' adjustment='-30' basis='localtime'><timer name='tsc' mode='paravirt'/><timer name='hpet' present='no'/></clock>")).config.b_info;
    expect(v).toMatchObject({ localtime: 'True', rtc_timeoffset: -30, tsc_mode: 'native_paravirt' });
    expect(v['type.hvm']?.hpet).toBe('False');
    const u = roundTrip(pv('', "<clock offset='localtime' adjustment='reset'/>")).config.b_info;
    expect(u.localtime).toBe('True');
    expect(u.rtc_timeoffset).toBeUndefined();
  });

  it('host-passthrough features become a cpuid policy and nested HVM', () => {
    const cpu = "<cpu mode='host-passthrough'><feature policy='disable' name='tm'/><feature policy='force' name='pni'/><feature policy='optional' name='pdpe1gb'/><feature policy='forbid' name='vmx'/></cpu>";
    const { config } = roundTrip(hvm('', cpu));
    expect(config.b_info.cpuid).toEqual({ cpuid: [{ leaf: 1, edx: 'xx0xxxxxxxxxxxxxxxxxxxxxxxxxxxxx', ecx: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx1' }], msr: [] });
    expect(config.b_info.nested_hvm).toBe('False');
    expect(roundTrip(hvm('', "<cpu mode='host-passthrough'/>"), { nestedHvm: false }).config.b_info.nested_hvm).toBe('False');
  });

  it('NUMA cells become vNUMA nodes, with libvirt distance defaults', () => {
    const numa = "<cpu><numa><cell id='0' cpus='0' memory='512' unit='MiB'><distances><sibling id='1' value='21'/></distances></cell><cell id='1' cpus='1' memory='512' unit='MiB'/></numa></cpu>";
    const { config } = roundTrip(hvm('', numa));
    expect(config.b_info.vnuma_nodes).toEqual([
      { memkb: 524288, distances: [10, 21], vcpus: [0] },
      { memkb: 524288, distances: [21, 10], pnode: 1, vcpus: [1] },
    ]);
    expect(config.b_info.acpi).toBe('True');
    const small = xmlToModel(hvm('', numa), 'f', { host: { ...CORPUS_HOST, nodes: [[0]] } });
    expect(small.config.b_info.vnuma_nodes?.[1].pnode).toBeUndefined();
    expect(small.warnings[0].message).toContain('physical node 0');
  });
});

describe('devices', () => {
  it('disks: file, block, network rbd, empty CD-ROM, driver formats, discard, backend domain', () => {
    const disks = `
      <disk type='file' device='disk'><driver name='qemu' type='qcow2' discard='unmap'/><source file='/a.qcow2'/><target dev='xvda' bus='xen'/></disk>
      <disk type='block' device='disk'><driver name='phy' type='raw'/><source dev='/dev/vg/b'/><backenddomain name='dd'/><target dev='xvdb'/><readonly/></disk>
      <disk type='network' device='disk'><driver name='qemu' type='raw'/><source protocol='rbd' name='pool/img'><host name='m1' port='6789'/><host name='::1'/></source><target dev='xvdc'/></disk>
      <disk type='file' device='cdrom'><driver name='tap' type='vhd'/><target dev='hdc' bus='ide'/></disk>
      <disk type='file' device='disk'><driver type='qed'/><source file='/d.qed'/><target dev='xvdd'/></disk>`;
    const { config } = roundTrip(hvm(disks));
    expect(config.disks).toEqual([
      { pdev_path: '/a.qcow2', vdev: 'xvda', backend: 'qdisk', format: 'qcow2', removable: 1, readwrite: 1, discard_enable: 'True' },
      { pdev_path: '/dev/vg/b', vdev: 'xvdb', backend: 'phy', format: 'raw', removable: 1, backend_domname: 'dd' },
      { pdev_path: 'rbd:pool/img:auth_supported=none:mon_host=m1\\:6789\\;[\\:\\:1]', vdev: 'xvdc', backend: 'qdisk', format: 'raw', removable: 1, readwrite: 1 },
      { vdev: 'hdc', backend: 'tap', format: 'empty', removable: 1, is_cdrom: 1 },
      { pdev_path: '/d.qed', vdev: 'xvdd', format: 'qed', removable: 1, readwrite: 1 },
    ]);
  });

  it('interfaces: bridge, ethernet, openvswitch VLANs, addresses, rate, model, hostdev', () => {
    const nets = `
      <interface type='bridge'><mac address='00:16:3E:00:00:01'/><source bridge='br0'/><script path='vif-bridge'/><target dev='vif-g'/><model type='e1000'/><bandwidth><outbound average='1000'/></bandwidth></interface>
      <interface type='ethernet'><ip address='10.0.0.2' family='ipv4'/><ip address='fe80::2' family='ipv6'/><model type='netfront'/><mtu size='9000'/></interface>
      <interface type='bridge'><source bridge='ovs0'/><vlan trunk='yes'><tag id='10'/><tag id='20'/></vlan><virtualport type='openvswitch'/></interface>
      <interface type='hostdev' managed='no'><mac address='00:16:3e:00:00:09'/><source><address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x1'/></source></interface>`;
    const { config } = roundTrip(hvm(nets));
    expect(config.nics).toEqual([
      { devid: 0, model: 'e1000', nictype: 'vif_ioemu', mac: '00:16:3e:00:00:01', bridge: 'br0', script: 'vif-bridge', ifname: 'vif-g', rate_bytes_per_interval: 51200, rate_interval_usecs: 50000 },
      { devid: 1, model: 'netfront', nictype: 'vif', ip: '10.0.0.2 fe80::2', mtu: 9000 },
      { devid: 2, nictype: 'vif_ioemu', bridge: 'ovs0:10:20', script: 'vif-openvswitch' },
    ]);
    expect(config.pcidevs).toEqual([{ func: 1, bus: 3 }]);
    expect(config.side?.xml).toMatchObject({ netHostdevs: [{ pci: 0, mac: '00:16:3e:00:00:09' }] });
  });

  it('host devices: PCI with permissive, USB with the controller libvirt adds', () => {
    const hd = `
      <hostdev mode='subsystem' type='pci' managed='no'><source writeFiltering='no'><address domain='0x0001' bus='0x02' slot='0x1f' function='0x7'/></source></hostdev>
      <hostdev mode='subsystem' type='usb' managed='no'><source><address bus='1' device='3'/></source></hostdev>`;
    const { config } = roundTrip(pv(hd));
    expect(config.pcidevs).toEqual([{ func: 7, dev: 31, bus: 2, domain: 1, permissive: true }]);
    expect(config.usbdevs).toEqual([{ 'type.hostdev': { hostbus: 1, hostaddr: 3 } }]);
    expect(config.usbctrls).toEqual([{ type: 'qusb', devid: 0, version: 2, ports: 8 }]);
  });

  it('controllers: usb models and ports, xenbus limits', () => {
    const c = "<controller type='usb' index='1' model='qusb1' ports='4'/><controller type='xenbus' maxGrantFrames='40' maxEventChannels='1023'/>";
    const { config } = roundTrip(pv(c));
    expect(config.usbctrls).toEqual([{ type: 'qusb', devid: 1, version: 1, ports: 4 }]);
    expect(config.b_info).toMatchObject({ max_grant_frames: 40, event_channels: 1023 });
  });

  it('graphics: VNC by port and autoport, SDL, SPICE preferred for HVM', () => {
    const g = "<graphics type='vnc' port='5905' autoport='no' listen='0.0.0.0' passwd='pw' keymap='de'/><graphics type='sdl' display=':0' xauth='/x'/>";
    const v = roundTrip(pv(g)).config;
    expect(v.vfbs).toEqual([
      { vnc: { enable: 'True', listen: '0.0.0.0', passwd: 'pw', display: 5, findunused: 'False' }, sdl: { enable: 'False' }, keymap: 'de' },
      { sdl: { enable: 'True', opengl: 'False', display: ':0', xauthority: '/x' }, vnc: { enable: 'False' } },
    ]);
    expect(v.vkbs).toEqual([{}, {}]);
    const auto = roundTrip(hvm("<graphics type='vnc' port='-1' autoport='yes'/>")).config.b_info['type.hvm'];
    expect(auto?.vnc).toEqual({ enable: 'True', findunused: 'True' });
    const spice = "<graphics type='vnc' autoport='yes'/><graphics type='spice' port='5930' tlsPort='5931' autoport='no' passwd='s'><listen type='address' address='127.0.0.1'/><mouse mode='server'/><clipboard copypaste='yes'/></graphics>";
    const s = roundTrip(hvm(spice)).config.b_info['type.hvm'];
    expect(s?.spice).toEqual({ enable: 'True', port: 5930, tls_port: 5931, host: '127.0.0.1', passwd: 's', disable_ticketing: 'False', agent_mouse: 'False', vdagent: 'True', clipboard_sharing: 'True' });
    expect(s?.vnc).toEqual({ enable: 'False' });
  });

  it('video: default card for a display, types and video RAM, none', () => {
    expect(roundTrip(hvm("<graphics type='vnc'/>")).config.b_info).toMatchObject({ video_memkb: 8192, 'type.hvm': { vga: { kind: 'cirrus' } } });
    expect(roundTrip(hvm("<video><model type='vga' vram='32768'/></video>")).config.b_info).toMatchObject({ video_memkb: 32768, 'type.hvm': { vga: { kind: 'std' } } });
    expect(roundTrip(hvm("<graphics type='vnc'/><video><model type='none'/></video>")).config.b_info['type.hvm']).toMatchObject({ nographic: 'True', vga: { kind: 'none' } });
    expect(roundTrip(hvm()).config.b_info['type.hvm']).toMatchObject({ nographic: 'True', vga: { kind: 'none' } });
  });

  it('serial ports as chardev strings, the console echo, channels', () => {
    const chr = `<serial type='tcp'><source mode='bind' host='0.0.0.0' service='4555'/><protocol type='telnet'/><target port='0'/></serial>
      <serial type='udp'><source mode='bind' host='::' service='1'/><source mode='connect' host='h' service='2'/></serial>
      <serial type='file'><source path='/var/log/s'/></serial>
      <console type='tcp'><source mode='bind' host='0.0.0.0' service='4555'/><protocol type='telnet'/><target type='serial' port='0'/></console>
      <channel type='pty'><target type='xen' name='org.qemu.guest_agent.0'/></channel>
      <channel type='unix'><source mode='bind' path='/run/c.sock'/><target type='xen' name='c'/></channel>`;
    const { config, warnings } = roundTrip(hvm(chr));
    expect(config.b_info['type.hvm']?.serial_list).toEqual(['telnet:0.0.0.0:4555,server,nowait', 'udp:h:2@:::1', 'file:/var/log/s']);
    expect(config.channels).toEqual([
      { name: 'org.qemu.guest_agent.0', 'connection.pty': {} },
      { name: 'c', 'connection.socket': { path: '/run/c.sock' } },
    ]);
    expect(warnings).toEqual([]);
  });

  it('USB inputs, sound, and the implicit PS/2 and xen inputs', () => {
    const { config, warnings } = roundTrip(hvm("<input type='tablet' bus='usb'/><input type='mouse' bus='ps2'/><input type='keyboard' bus='ps2'/><sound model='ich6'/>"));
    expect(config.b_info['type.hvm']).toMatchObject({ usbdevice_list: ['tablet'], soundhw: 'hda' });
    expect(warnings).toEqual([]);
    expect(roundTrip(pv("<input type='mouse' bus='xen'/><input type='keyboard' bus='xen'/><console type='pty'><target type='xen' port='0'/></console>")).warnings).toEqual([]);
  });
});
