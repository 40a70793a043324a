// <devices>: disks, network interfaces, host devices, controllers (libxlMakeDisk,
// libxlMakeNic, libxlMakePCI/USB, the xenbus and USB controllers). Displays, inputs and
// character devices are in read-display.ts.
import type { DomainConfig, DomainType, Disk, Nic, Pci, UsbCtrl } from '../../src/core/model.js';
import type { XNode } from './dom.js';
import { readDisplay } from './read-display.js';
import type { Reader } from './reader.js';

export function readDevices(r: Reader, root: XNode, cfg: DomainConfig, type: DomainType) {
  const devs = r.child(root, 'devices');
  if (!devs) return;
  const b = cfg.b_info;
  const emu = r.child(devs, 'emulator');
  if (emu) {
    if (type === 'hvm') {
      b.device_model = r.text(emu);
      // libvirt asks the binary itself; by name, qemu-dm is the old traditional device model
      b.device_model_version = /(^|\/)qemu-dm$/.test(b.device_model) ? 'qemu_xen_traditional' : 'qemu_xen';
    } else {
      r.explain(emu, `<emulator> is used for HVM domains only; kept in side.xml`);
      emu.used = false;
    }
  }
  const disks = devs.children.filter((n) => n.name === 'disk').map((d) => readDisk(r, d)).filter((d): d is Disk => !!d);
  if (disks.length) cfg.disks = disks;
  readControllers(r, devs, cfg);
  readNets(r, devs, cfg, type);
  readHostdevs(r, devs, cfg);
  readDisplay(r, devs, cfg);
  const balloon = devs.children.find((n) => n.name === 'memballoon');
  if (balloon && r.peek(balloon, 'model') === 'xen' && balloon.attrs.length === 1 && !balloon.children.length) r.implicit(balloon);
}

const FORMATS = ['raw', 'qcow', 'qcow2', 'vhd', 'qed'] as const;
type Format = (typeof FORMATS)[number];

function readDisk(r: Reader, d: XNode): Disk | undefined {
  d.used = true;
  const dtype = r.oneOf(d, 'type', ['file', 'block', 'network'] as const) ?? 'file';
  const device = r.oneOf(d, 'device', ['disk', 'cdrom', 'floppy'] as const) ?? 'disk';
  const disk: Disk = {};
  const src = r.child(d, 'source');
  const drv = r.child(d, 'driver');
  let name = drv && r.attr(drv, 'name');
  const fmtRaw = drv && r.attr(drv, 'type');
  if (fmtRaw !== undefined && !(FORMATS as readonly string[]).includes(fmtRaw)) {
    r.errorAttr(drv!, 'type', `disk format '${fmtRaw}' is not one libxl handles`, `use one of ${FORMATS.join(', ')}`);
    return undefined;
  }
  if (drv && r.peek(drv, 'cache') === 'default') r.skipAttrs(drv, 'cache');
  if (dtype === 'network') {
    name ??= 'qemu';
    if (name !== 'qemu') r.errorAttr(drv!, 'name', "only the 'qemu' driver can be used with network disks");
    if (src) disk.pdev_path = networkSource(r, src);
  } else if (src) {
    const path = r.attr(src, dtype === 'block' ? 'dev' : 'file');
    if (path !== undefined) disk.pdev_path = path;
  }
  const target = r.child(d, 'target');
  const vdev = target && r.attr(target, 'dev');
  if (!vdev) r.error(target ?? d, 'the disk has no <target dev=...>', "e.g. <target dev='xvda'/>");
  else disk.vdev = vdev;
  if (target) {
    const bus = r.peek(target, 'bus');
    if (bus === undefined || bus === busOf(vdev ?? '')) r.skipAttrs(target, 'bus');
  }
  const fmt = (fmtRaw ?? 'raw') as Format;
  const pair = diskBackend(name, fmt);
  if (typeof pair === 'string') {
    r.errorAttr(drv!, pair === 'driver' ? 'name' : 'type', pair === 'driver' ? `libxl does not support disk driver '${name}'` : `libxl does not support disk format '${fmt}' with disk driver '${name}'`, "drivers: 'qemu' (qdisk), 'phy', 'tap', 'file'");
    return undefined;
  }
  if (pair[0]) disk.backend = pair[0];
  disk.format = pair[1];
  const ro = !!r.child(d, 'readonly') || device === 'cdrom'; // libvirt makes every CD-ROM read-only
  disk.removable = 1; // libvirt marks every disk removable
  if (!ro) disk.readwrite = 1;
  if (device === 'cdrom') disk.is_cdrom = 1;
  if (device === 'cdrom' && disk.pdev_path === undefined) disk.format = 'empty';
  const discard = drv && r.oneOf(drv, 'discard', ['unmap', 'ignore'] as const);
  if (discard && !ro) disk.discard_enable = discard === 'unmap' ? 'True' : 'False';
  const be = r.child(d, 'backenddomain');
  if (be) disk.backend_domname = r.attr(be, 'name');
  if (r.child(d, 'transient')) r.error(d, 'libxl does not support transient disks');
  const addr = d.children.find((n) => n.name === 'address' && n.attrs.some(([k, v]) => k === 'type' && v === 'drive'));
  if (addr) r.implicit(addr); // libvirt derives drive addresses from the target name
  return disk;
}

/** Disk driver name and format -> libxl backend and format, or which attribute is wrong. */
export function diskBackend(name: string | undefined, fmt: Format): [Disk['backend'] | undefined, Format] | 'driver' | 'format' {
  switch (name) {
    case undefined:
      return [undefined, fmt]; // libxl picks the backend
    case 'tap':
    case 'tap2':
      return fmt === 'vhd' || fmt === 'raw' ? ['tap', fmt] : ['qdisk', fmt];
    case 'qemu':
      return ['qdisk', fmt];
    case 'file':
      return fmt === 'raw' ? ['qdisk', 'raw'] : 'format';
    case 'phy':
      return fmt === 'raw' ? ['phy', 'raw'] : 'format';
    default:
      return 'driver';
  }
}

export function busOf(vdev: string): string | undefined {
  if (vdev.startsWith('xvd')) return 'xen';
  if (vdev.startsWith('hd')) return 'ide';
  if (vdev.startsWith('sd')) return 'scsi';
  if (vdev.startsWith('vd')) return 'virtio';
  if (vdev.startsWith('fd')) return 'fdc';
  return undefined;
}

/** <source protocol='rbd' name='pool/image'><host .../></source> -> qemu's rbd: string. */
function networkSource(r: Reader, src: XNode): string | undefined {
  const proto = r.attr(src, 'protocol');
  if (proto !== 'rbd') {
    r.errorAttr(src, 'protocol', `network disk protocol '${proto ?? ''}' is not supported`, "libxl reaches network storage through qemu's 'rbd' only");
    return undefined;
  }
  const name = r.attr(src, 'name') ?? '';
  if (!name.includes('/') || name.split('/').slice(1).join('/').includes(':')) {
    r.errorAttr(src, 'name', `'${name}' is not an RBD 'pool/image' name (':' is not allowed)`);
    return undefined;
  }
  if (r.child(src, 'auth')) {
    r.error(src, 'RBD authentication needs a secret from libvirt; txl cannot look it up', 'give the key in an xl.cfg disk target instead');
  }
  const hosts = r.children(src, 'host').map((h) => ({ name: r.attr(h, 'name') ?? '', port: r.attr(h, 'port') }));
  const conf = r.child(src, 'config');
  return buildRbd(name, hosts, conf && (r.attr(conf, 'file') ?? ''));
}

const esc = (s: string) => s.replace(/:/g, '\\:');

/** The qemu rbd: string libvirt builds for a disk without authentication. */
export function buildRbd(name: string, hosts: { name: string; port?: string }[], conf?: string): string {
  let s = `rbd:${name}:auth_supported=none`;
  const mons = hosts.map((h) => (h.name.includes(':') ? esc(`[${h.name}]`) : h.name) + (h.port ? `\\:${h.port}` : ''));
  if (mons.length) s += `:mon_host=${mons.join('\\;')}`;
  if (conf !== undefined) s += `:conf=${esc(conf)}`;
  return s;
}

/** An rbd: string back as <source protocol='rbd'>, when buildRbd would give the same string. */
export function rbdSource(path: string): XNode | undefined {
  const parts = path.slice(4).split(/(?<!\\):/);
  const name = parts.shift() ?? '';
  const opts = new Map(parts.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  const hosts = (opts.get('mon_host') ?? '').split('\\;').filter(Boolean).map((h) => {
    const m = /^(\[.*\]|[^\\]*)(?:\\:(\d+))?$/.exec(h.replace(/\\:(?=[^\]]*\])/g, ':'));
    return { name: (m?.[1] ?? h).replace(/^\[(.*)\]$/, '$1'), port: m?.[2] };
  });
  const conf = opts.get('conf')?.replace(/\\:/g, ':');
  if (buildRbd(name, hosts, conf) !== path) return undefined;
  const src: XNode = { name: 'source', attrs: [['protocol', 'rbd'], ['name', name]], children: [], text: '', pos: -1 };
  for (const h of hosts) src.children.push({ name: 'host', attrs: h.port ? [['name', h.name], ['port', h.port]] : [['name', h.name]], children: [], text: '', pos: -1 });
  if (conf !== undefined) src.children.push({ name: 'config', attrs: [['file', conf]], children: [], text: '', pos: -1 });
  return src;
}

function readControllers(r: Reader, devs: XNode, cfg: DomainConfig) {
  const b = cfg.b_info;
  const usb: UsbCtrl[] = [];
  for (const c of devs.children.filter((n) => n.name === 'controller')) {
    const type = r.peek(c, 'type');
    if (type === 'xenbus') {
      c.used = true;
      r.skipAttrs(c, 'type');
      if (r.peek(c, 'index') === '0') r.skipAttrs(c, 'index');
      const ev = r.int(c, 'maxEventChannels', { min: 0 });
      const gnt = r.int(c, 'maxGrantFrames', { min: 0 });
      if (ev) b.event_channels = ev;
      if (gnt) b.max_grant_frames = gnt;
    } else if (type === 'usb') {
      const model = r.peek(c, 'model');
      if (model !== undefined && model !== 'qusb1' && model !== 'qusb2') {
        r.explain(c, `USB controller model '${model}' is not one libxl provides (qusb1, qusb2); kept in side.xml`);
        continue;
      }
      c.used = true;
      r.skipAttrs(c, 'type', 'model');
      const devid = r.int(c, 'index', { min: 0 }) ?? usb.length;
      const ports = r.int(c, 'ports', { min: -1, max: 31 });
      usb.push({ type: 'qusb', devid, version: model === 'qusb1' ? 1 : 2, ports: ports === undefined || ports === -1 ? 8 : ports });
    } else if (type === 'ide' && ['0', undefined].includes(r.peek(c, 'index')) && c.attrs.length <= 2 && !c.children.length) {
      r.implicit(c); // libvirt adds it for IDE disks; qemu always has one
    }
  }
  // USB host devices without a controller: libvirt adds 8-port qusb2 controllers for them
  const usbdevs = devs.children.filter((n) => n.name === 'hostdev' && n.attrs.some(([k, v]) => k === 'type' && v === 'usb')).length;
  if (!usb.length && usbdevs) {
    for (let i = 0; i < Math.ceil(usbdevs / 8); i++) usb.push({ type: 'qusb', devid: i, version: 2, ports: 8 });
  }
  if (usb.length) cfg.usbctrls = usb;
}

const NIC_TYPES = ['bridge', 'ethernet', 'network', 'hostdev'] as const;

function readNets(r: Reader, devs: XNode, cfg: DomainConfig, type: DomainType) {
  const nics: Nic[] = [];
  const pcis: Pci[] = [];
  for (const n of devs.children.filter((x) => x.name === 'interface')) {
    const t = r.peek(n, 'type');
    if (!(NIC_TYPES as readonly string[]).includes(t ?? '')) {
      r.explain(n, `interface type '${t ?? ''}' is not supported by libxl; kept in side.xml`, 'type');
      r.explain(n, `interface type '${t ?? ''}' is not supported by libxl; kept in side.xml`);
      continue;
    }
    n.used = true;
    r.skipAttrs(n, 'type');
    const macNode = r.child(n, 'mac');
    const mac = macNode && r.attr(macNode, 'address')?.toLowerCase();
    if (mac !== undefined && !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac)) r.errorAttr(macNode!, 'address', `'${mac}' is not a MAC address`);
    if (t === 'hostdev') {
      const pci = readPciSource(r, n);
      if (pci) {
        (r.side.netHostdevs ??= []).push({ pci: pcis.length, mac });
        pcis.push(pci);
      }
      if (r.peek(n, 'managed') !== 'yes') r.skipAttrs(n, 'managed');
      else r.explain(n, "managed='yes': txl does not move the device off its host driver; make it assignable first (xl pci-assignable-add)", 'managed');
      const drv = r.child(n, 'driver');
      if (drv && r.attr(drv, 'name') !== 'xen') drv.used = false;
      continue;
    }
    const nic: Nic = { devid: nics.length };
    const model = r.child(n, 'model');
    const modelType = model && r.attr(model, 'type');
    if (modelType) {
      if (type !== 'hvm' && modelType !== 'netfront') r.errorAttr(model!, 'type', "only model 'netfront' is supported for Xen PV(H) domains");
      nic.model = modelType;
      nic.nictype = modelType === 'netfront' ? 'vif' : 'vif_ioemu';
    } else nic.nictype = type === 'hvm' ? 'vif_ioemu' : 'vif';
    if (mac) nic.mac = mac;
    const ips = r.children(n, 'ip').map((ip) => {
      r.skipAttrs(ip, 'family');
      return r.attr(ip, 'address') ?? '';
    });
    if (ips.length && t !== 'hostdev') nic.ip = ips.join(' ');
    const src = r.child(n, 'source');
    const scriptNode = r.child(n, 'script');
    let script = scriptNode && r.attr(scriptNode, 'path');
    if (script !== undefined && t !== 'bridge' && t !== 'ethernet') r.error(scriptNode!, 'a script can be given for bridge and ethernet interfaces only');
    if (t === 'bridge') {
      let bridge = (src && r.attr(src, 'bridge')) ?? '';
      const vp = r.child(n, 'virtualport');
      if (vp && r.attr(vp, 'type') === 'openvswitch') {
        script ??= 'vif-openvswitch';
        const vlan = r.child(n, 'vlan');
        const tags = vlan ? r.children(vlan, 'tag').map((tg) => r.attr(tg, 'id') ?? '') : [];
        const trunk = vlan && r.bool(vlan, 'trunk');
        if (tags.length) bridge += trunk ? tags.map((x) => `:${x}`).join('') : `.${tags[0]}`;
      } else if (vp) vp.used = false;
      nic.bridge = bridge;
    } else if (t === 'network') {
      r.explain(n, "a libvirt network's bridge is known to libvirt only; the interface gets no bridge", 'type');
      (n.usedAttrs ??= new Set()).delete('type');
      if (src) src.used = false;
    }
    if (script !== undefined) nic.script = script;
    const target = r.child(n, 'target');
    const ifname = target && r.attr(target, 'dev');
    if (ifname) nic.ifname = ifname;
    const be = r.child(n, 'backenddomain');
    if (be) nic.backend_domname = r.attr(be, 'name');
    const mtu = r.child(n, 'mtu');
    const size = mtu && r.int(mtu, 'size', { min: 68, max: 65535 });
    if (size) nic.mtu = size;
    const bw = r.child(n, 'bandwidth');
    const out = bw && r.child(bw, 'outbound');
    const avg = out && r.int(out, 'average', { min: 0 });
    if (avg) {
      // xl's rate limiting over 50 ms intervals, from libvirt's KiB/s average
      nic.rate_bytes_per_interval = Math.floor((avg * 1024 * 50000) / 1e6);
      nic.rate_interval_usecs = 50000;
    }
    nics.push(nic);
  }
  if (nics.length) cfg.nics = nics;
  if (pcis.length) cfg.pcidevs = [...pcis, ...(cfg.pcidevs ?? [])];
}

function readPciSource(r: Reader, n: XNode): Pci | undefined {
  const src = r.child(n, 'source');
  const addr = src && r.child(src, 'address');
  if (!addr) {
    r.error(n, 'the PCI device has no <source><address .../></source>');
    return undefined;
  }
  const atype = r.attr(addr, 'type');
  if (atype !== undefined && atype !== 'pci') r.errorAttr(addr, 'type', "expected a PCI address (type='pci')");
  const pci: Pci = {};
  const domain = r.int(addr, 'domain', { min: 0, max: 0xffff });
  const bus = r.int(addr, 'bus', { min: 0, max: 0xff });
  const dev = r.int(addr, 'slot', { min: 0, max: 0x1f });
  const func = r.int(addr, 'function', { min: 0, max: 7 });
  if (func) pci.func = func;
  if (dev) pci.dev = dev;
  if (bus) pci.bus = bus;
  if (domain) pci.domain = domain;
  if (r.bool(src!, 'writeFiltering') === false) pci.permissive = true;
  return pci;
}

function readHostdevs(r: Reader, devs: XNode, cfg: DomainConfig) {
  for (const h of devs.children.filter((n) => n.name === 'hostdev')) {
    const mode = r.peek(h, 'mode') ?? 'subsystem';
    const type = r.peek(h, 'type');
    if (mode !== 'subsystem' || (type !== 'pci' && type !== 'usb')) {
      r.explain(h, `hostdev ${mode === 'subsystem' ? `type '${type ?? ''}'` : `mode '${mode}'`} is not supported by libxl; kept in side.xml`);
      continue;
    }
    if (type === 'usb') {
      const addr = h.children.find((n) => n.name === 'source')?.children.find((n) => n.name === 'address');
      if (!addr) {
        r.explain(h, 'USB host devices by vendor/product need a host lookup txl cannot do; give <address bus= device=>');
        continue;
      }
      h.used = true;
      const src = r.child(h, 'source')!;
      r.child(src, 'address');
      const hostbus = r.int(addr, 'bus', { min: 1 });
      const hostaddr = r.int(addr, 'device', { min: 1 });
      (cfg.usbdevs ??= []).push({ 'type.hostdev': { hostbus, hostaddr } });
    } else {
      h.used = true;
      const pci = readPciSource(r, h);
      if (pci) (cfg.pcidevs ??= []).push(pci);
      const drv = r.child(h, 'driver');
      if (drv && r.attr(drv, 'name') !== 'xen') drv.used = false;
    }
    r.skipAttrs(h, 'mode', 'type');
    if (r.peek(h, 'managed') !== 'yes') r.skipAttrs(h, 'managed');
    else r.explain(h, "managed='yes': txl does not move the device off its host driver; make it assignable first (xl pci-assignable-add)", 'managed');
  }
}
