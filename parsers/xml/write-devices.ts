// <devices> for modelToXml: the inverse of read-devices.ts and read-display.ts, in
// libvirt's device order, including the devices libvirt adds by itself (marked implicit).
import type { Disk, DomainConfig, DomainType, HvmInfo, Nic, Pci, Vfb } from '../../src/core/model.js';
import { el, type XNode } from './dom.js';
import { busOf, rbdSource } from './read-devices.js';
import { VNC_PORT_MIN } from './read-display.js';
import type { XmlSide } from './reader.js';

const implicit = (n: XNode): XNode => ((n.implicit = true), n);

export function writeDevices(cfg: DomainConfig, type: DomainType, side: XmlSide): XNode {
  const b = cfg.b_info;
  const h = b['type.hvm'];
  const devs = el('devices');
  const add = (...ns: (XNode | undefined)[]) => ns.forEach((n) => n && devs.children.push(n));
  if (h && b.device_model) add(el('emulator', {}, [], b.device_model));
  for (const d of cfg.disks ?? []) add(writeDisk(d));
  add(implicit(el('controller', { type: 'xenbus', index: 0, maxGrantFrames: b.max_grant_frames, maxEventChannels: b.event_channels })));
  if (cfg.disks?.some((d) => d.vdev?.startsWith('hd'))) add(implicit(el('controller', { type: 'ide', index: 0 })));
  for (const u of cfg.usbctrls ?? []) {
    if (u.type === 'pv' || u.type === 'devicemodel') continue; // no libvirt form
    add(el('controller', { type: 'usb', index: u.devid ?? 0, model: u.version === 1 ? 'qusb1' : 'qusb2', ports: u.ports ?? 8 }));
  }
  for (const n of cfg.nics ?? []) add(writeNic(n, type));
  const netPci = new Map((side.netHostdevs ?? []).map((x) => [x.pci, x.mac]));
  for (const [i, mac] of netPci) {
    const p = cfg.pcidevs?.[i];
    if (!p) continue;
    const kids = [el('driver', { name: 'xen' }), el('source', {}, [pciAddress(p, true)])];
    if (mac) kids.unshift(el('mac', { address: mac }));
    add(el('interface', { type: 'hostdev', managed: 'no' }, kids));
  }
  if (h) add(...writeSerials(h));
  else add(implicit(el('console', { type: 'pty' }, [el('target', { type: 'xen', port: 0 })])));
  for (const c of cfg.channels ?? []) {
    const sock = c['connection.socket'];
    const kids = sock ? [el('source', { mode: 'bind', path: sock.path })] : [];
    add(el('channel', { type: sock ? 'unix' : 'pty' }, [...kids, el('target', { type: 'xen', name: c.name })]));
  }
  const usbInputs = h ? (h.usbdevice_list ?? (h.usbdevice ? [h.usbdevice] : [])).filter((d) => d === 'mouse' || d === 'tablet') : [];
  for (const d of usbInputs) add(el('input', { type: d, bus: 'usb' }));
  const bus = h ? 'ps2' : 'xen';
  add(implicit(el('input', { type: 'mouse', bus })), implicit(el('input', { type: 'keyboard', bus })));
  const graphics = writeGraphics(cfg, h);
  add(...graphics);
  if (h?.soundhw) add(el('sound', { model: h.soundhw === 'hda' ? 'ich6' : h.soundhw }));
  if (h) add(writeVideo(cfg, h, graphics.length > 0));
  (cfg.pcidevs ?? []).forEach((p, i) => {
    if (netPci.has(i)) return;
    add(el('hostdev', { mode: 'subsystem', type: 'pci', managed: 'no' }, [el('driver', { name: 'xen' }), el('source', { writeFiltering: p.permissive ? 'no' : undefined }, [pciAddress(p, false)])]));
  });
  for (const u of cfg.usbdevs ?? []) {
    const hd = u['type.hostdev'];
    if (hd) add(el('hostdev', { mode: 'subsystem', type: 'usb', managed: 'no' }, [el('source', {}, [el('address', { bus: hd.hostbus, device: hd.hostaddr })])]));
  }
  add(implicit(el('memballoon', { model: 'xen' })));
  return devs;
}

const hex = (v: number | undefined, width: number) => `0x${(v ?? 0).toString(16).padStart(width, '0')}`;

function pciAddress(p: Pci, typed: boolean): XNode {
  return el('address', { type: typed ? 'pci' : undefined, domain: hex(p.domain, 4), bus: hex(p.bus, 2), slot: hex(p.dev, 2), function: hex(p.func, 1) });
}

const DRIVER: Record<string, string> = { qdisk: 'qemu', phy: 'phy', tap: 'tap' };

function writeDisk(d: Disk): XNode {
  const path = d.pdev_path;
  const rbd = path?.startsWith('rbd:') ? rbdSource(path) : undefined;
  let name = d.backend ? DRIVER[d.backend] : undefined;
  // an empty CD-ROM reads back as format 'empty' whatever its type; libvirt writes raw
  const fmt = d.format === 'empty' ? 'raw' : d.format === 'unknown' ? undefined : d.format;
  // libvirt's phy driver takes raw images only; anything else lets libxl choose
  if (name === 'phy' && fmt && fmt !== 'raw') name = undefined;
  const type = rbd ? 'network' : name === 'phy' ? 'block' : 'file';
  const disk = el('disk', { type, device: d.is_cdrom ? 'cdrom' : 'disk' });
  const discard = d.discard_enable === undefined ? undefined : d.discard_enable === 'True' ? 'unmap' : 'ignore';
  if (name || fmt || discard) disk.children.push(el('driver', { name: rbd ? 'qemu' : name, type: fmt, discard }));
  if (rbd) disk.children.push(rbd);
  else if (path !== undefined) disk.children.push(el('source', type === 'block' ? { dev: path } : { file: path }));
  if (d.backend_domname) disk.children.push(el('backenddomain', { name: d.backend_domname }));
  disk.children.push(el('target', { dev: d.vdev, bus: busOf(d.vdev ?? '') }));
  if (!d.readwrite) disk.children.push(el('readonly'));
  const ide = /^hd([a-z])$/.exec(d.vdev ?? '');
  if (ide) {
    const i = ide[1].charCodeAt(0) - 97;
    disk.children.push(implicit(el('address', { type: 'drive', controller: 0, bus: i >> 1, target: 0, unit: i & 1 })));
  }
  return disk;
}

function writeNic(n: Nic, type: DomainType): XNode {
  const kids: XNode[] = [];
  if (n.mac) kids.push(el('mac', { address: n.mac }));
  const ovs = /openvswitch/.test(n.script ?? '');
  if (n.bridge !== undefined) {
    const m = ovs ? /^([^.:]*)(?:\.(\d+)|((?::\d+)+))?$/.exec(n.bridge) : null;
    kids.push(el('source', { bridge: m ? m[1] : n.bridge }));
    if (m?.[2]) kids.push(el('vlan', {}, [el('tag', { id: m[2] })]));
    if (m?.[3]) kids.push(el('vlan', { trunk: 'yes' }, m[3].slice(1).split(':').map((id) => el('tag', { id }))));
    if (m) kids.push(el('virtualport', { type: 'openvswitch' }));
  }
  for (const ip of (n.ip ?? '').split(/\s+/).filter(Boolean)) kids.push(el('ip', { address: ip, family: ip.includes(':') ? 'ipv6' : 'ipv4' }));
  if (n.rate_bytes_per_interval) {
    const usecs = n.rate_interval_usecs || 50000;
    kids.push(el('bandwidth', {}, [el('outbound', { average: Math.round((n.rate_bytes_per_interval * 1e6) / usecs / 1024) })]));
  }
  if (n.script) kids.push(el('script', { path: n.script }));
  if (n.ifname) kids.push(el('target', { dev: n.ifname }));
  // PV and PVH guests have netfront only (libvirt refuses other models there)
  const model = type !== 'hvm' ? (n.model === 'netfront' ? n.model : undefined) : n.model ?? (n.nictype === 'vif' ? 'netfront' : undefined);
  if (model) kids.push(el('model', { type: model }));
  if (n.backend_domname) kids.push(el('backenddomain', { name: n.backend_domname }));
  if (n.mtu) kids.push(el('mtu', { size: n.mtu }));
  return el('interface', { type: n.bridge !== undefined ? 'bridge' : 'ethernet' }, kids);
}

/** A libxl chardev string as libvirt's <serial> type and children, or undefined. */
export function chrdev(s: string): { type: string; kids: XNode[] } | undefined {
  if (['null', 'stdio', 'vc', 'pty'].includes(s)) return { type: s, kids: [] };
  let m = /^(file|pipe):(.+)$/.exec(s);
  if (m) return { type: m[1], kids: [el('source', { path: m[2] })] };
  if (s.startsWith('/')) return { type: 'dev', kids: [el('source', { path: s })] };
  m = /^udp:([^:@]*):([^@]*)@([^:]*):(.*)$/.exec(s);
  if (m) {
    const kids = [el('source', { mode: 'connect', host: m[1] || undefined, service: m[2] })];
    if (m[3] || m[4] !== '0') kids.unshift(el('source', { mode: 'bind', host: m[3] || undefined, service: m[4] }));
    return { type: 'udp', kids };
  }
  m = /^(tcp|telnet):([^:]*):([^,]*)(,server,nowait)?$/.exec(s);
  if (m) return { type: 'tcp', kids: [el('source', { mode: m[4] ? 'bind' : 'connect', host: m[2], service: m[3] }), el('protocol', { type: m[1] === 'telnet' ? 'telnet' : 'raw' })] };
  m = /^unix:([^,]+)(,server,nowait)?$/.exec(s);
  if (m) return { type: 'unix', kids: [el('source', { mode: m[2] ? 'bind' : 'connect', path: m[1] })] };
  return undefined;
}

function writeSerials(h: HvmInfo): XNode[] {
  const list = (h.serial_list ?? (h.serial ? [h.serial] : [])).filter((s) => s !== 'none');
  const out: XNode[] = [];
  list.forEach((s, i) => {
    const c = chrdev(s);
    if (c) out.push(el('serial', { type: c.type }, [...c.kids, el('target', { port: i })]));
  });
  const first = out[0];
  if (first) {
    const kids = first.children.filter((k) => k.name !== 'target');
    out.push(implicit(el('console', { type: first.attrs[0][1] }, [...kids, el('target', { type: 'serial', port: 0 })])));
  }
  return out;
}

function vncGraphics(vnc: NonNullable<Vfb['vnc']>, keymap: string | undefined): XNode {
  const auto = vnc.findunused !== 'False' || vnc.display === undefined;
  const g = el('graphics', { type: 'vnc', port: auto ? -1 : VNC_PORT_MIN + vnc.display!, autoport: auto ? 'yes' : 'no', listen: vnc.listen, keymap, passwd: vnc.passwd });
  if (vnc.listen) g.children.push(el('listen', { type: 'address', address: vnc.listen }));
  return g;
}

function sdlGraphics(sdl: NonNullable<Vfb['sdl']>): XNode {
  return el('graphics', { type: 'sdl', display: sdl.display, xauth: sdl.xauthority }, sdl.opengl === 'True' ? [el('gl', { enable: 'yes' })] : []);
}

function spiceGraphics(s: NonNullable<HvmInfo['spice']>, keymap: string | undefined): XNode {
  const auto = !s.port && !s.tls_port;
  const g = el('graphics', { type: 'spice', port: s.port, tlsPort: s.tls_port, autoport: auto ? 'yes' : 'no', listen: s.host, keymap, passwd: s.passwd });
  if (s.host) g.children.push(el('listen', { type: 'address', address: s.host }));
  g.children.push(el('mouse', { mode: s.agent_mouse === 'False' ? 'server' : 'client' }));
  g.children.push(el('clipboard', { copypaste: s.clipboard_sharing === 'True' ? 'yes' : 'no' }));
  return g;
}

function writeGraphics(cfg: DomainConfig, h: HvmInfo | undefined): XNode[] {
  const out: XNode[] = [];
  const spice = h?.spice?.enable === 'True' ? h.spice : undefined;
  let spiceDone = false;
  if (cfg.vfbs?.length) {
    for (const v of cfg.vfbs) {
      if (v.vnc?.enable === 'True') out.push(vncGraphics(v.vnc, v.keymap));
      else if (v.sdl?.enable === 'True') out.push(sdlGraphics(v.sdl));
      else if (spice && !spiceDone) {
        out.push(spiceGraphics(spice, h!.keymap));
        spiceDone = true;
      }
    }
  } else if (h) {
    if (h.vnc?.enable === 'True') out.push(vncGraphics(h.vnc, h.keymap));
    if (h.sdl?.enable === 'True') out.push(sdlGraphics(h.sdl));
  }
  if (spice && !spiceDone) out.push(spiceGraphics(spice, h!.keymap));
  return out;
}

const VIDEO: Record<string, string> = { cirrus: 'cirrus', std: 'vga', qxl: 'qxl' };
/** libxl's video RAM when videoram is unset, in KiB: [qemu-xen, qemu-xen-traditional]. */
const VRAM_DEFAULT: Record<string, [number, number]> = { cirrus: [8192, 4096], std: [16384, 8192], qxl: [131072, 131072] };

function writeVideo(cfg: DomainConfig, h: HvmInfo, graphics: boolean): XNode | undefined {
  // an unset card is libxl's default, cirrus; libvirt would read no <video> as no card
  const kind = h.vga?.kind ?? 'cirrus';
  if (kind === 'none') return graphics ? el('video', {}, [el('model', { type: 'none' })]) : undefined;
  const type = VIDEO[kind];
  if (!type) return undefined;
  const trad = cfg.b_info.device_model_version === 'qemu_xen_traditional' ? 1 : 0;
  const vram = cfg.b_info.video_memkb ?? VRAM_DEFAULT[kind]?.[trad];
  // libvirt knows the device model from <emulator> only, and refuses less than qemu-xen's
  // minimum without one: a smaller size is left to the metadata
  const min = cfg.b_info.device_model && trad ? VRAM_DEFAULT[kind]?.[1] : VRAM_DEFAULT[kind]?.[0];
  return el('video', {}, [el('model', { type, vram: vram !== undefined && vram >= (min ?? 0) ? vram : undefined, heads: 1, primary: 'yes' })]);
}
