// <graphics>, <video>, <input>, <sound>, and the character devices (<serial>, <console>,
// <channel>, <parallel>), as libvirt's libxl driver maps them (libxlMakeVfb,
// libxlMakeBuildInfoVfb, libxlMakeVideo, libxlMakeChrdevStr, libxlMakeChannel).
import type { Channel, DomainConfig, HvmInfo, Vfb } from '../../src/core/model.js';
import type { XNode } from './dom.js';
import type { Reader } from './reader.js';

export const VNC_PORT_MIN = 5900;

export function readDisplay(r: Reader, devs: XNode, cfg: DomainConfig) {
  const h = cfg.b_info['type.hvm'];
  if (h) {
    // libvirt switches both off until a <graphics> turns one on
    h.vnc = { enable: 'False' };
    h.sdl = { enable: 'False' };
  }
  const graphics = readGraphics(r, devs, cfg);
  if (h) {
    readVideo(r, devs, cfg, h, graphics);
    readInputs(r, devs, h);
    const sound = devs.children.find((n) => n.name === 'sound');
    const model = sound && r.peek(sound, 'model');
    if (sound && model) {
      sound.used = true;
      r.skipAttrs(sound, 'model');
      h.soundhw = model === 'ich6' ? 'hda' : model;
    }
    readSerials(r, devs, h);
  } else {
    for (const n of devs.children) {
      if (n.name === 'input' && ['mouse', 'keyboard'].includes(r.peek(n, 'type') ?? '') && [undefined, 'xen'].includes(r.peek(n, 'bus'))) r.implicit(n);
      if (n.name === 'video' && onlyModel(n, ['xen'])) r.implicit(n);
    }
  }
  for (const n of devs.children.filter((x) => x.name === 'console')) {
    const target = n.children.find((x) => x.name === 'target');
    const ttype = target && r.peek(target, 'type');
    // the PV console every Xen guest has, or (HVM) libvirt's echo of the first serial port
    const pvConsole = r.peek(n, 'type') === 'pty' && !n.children.some((x) => x.name === 'source') && (ttype === undefined || ttype === 'xen');
    if (pvConsole || (h && ttype === 'serial')) r.implicit(n);
  }
  for (const n of devs.children.filter((x) => x.name === 'parallel')) r.explain(n, 'parallel ports are not supported by libxl; kept in side.xml');
  readChannels(r, devs, cfg);
}

function onlyModel(video: XNode, types: string[]): boolean {
  const m = video.children.find((x) => x.name === 'model');
  return video.children.length === 1 && !!m && types.includes(m.attrs.find(([k]) => k === 'type')?.[1] ?? '');
}

/** Reads the <listen> address: the attribute, or the first address-type <listen> child. */
function listenAddress(r: Reader, g: XNode): { address?: string; present: boolean } {
  const attr = r.attr(g, 'listen');
  const ls = g.children.filter((x) => x.name === 'listen');
  let address = attr;
  for (const l of ls) {
    const lt = r.peek(l, 'type');
    if (lt !== 'address') continue;
    l.used = true;
    r.skipAttrs(l, 'type');
    const a = r.attr(l, 'address');
    address ??= a;
  }
  return { address, present: attr !== undefined || ls.length > 0 };
}

function readGraphics(r: Reader, devs: XNode, cfg: DomainConfig): number {
  const h = cfg.b_info['type.hvm'];
  const vfbs: Vfb[] = [];
  let spiceDone = false;
  let count = 0;
  for (const g of devs.children.filter((n) => n.name === 'graphics')) {
    const t = r.peek(g, 'type');
    if (t === 'vnc') {
      const port = r.int(g, 'port', { min: -1, max: 65535 });
      const auto = r.bool(g, 'autoport');
      const vnc: NonNullable<Vfb['vnc']> = { enable: 'True' };
      const { address } = listenAddress(r, g);
      if (address) vnc.listen = address;
      const passwd = r.attr(g, 'passwd');
      if (passwd !== undefined) vnc.passwd = passwd;
      // libvirt's driver allocates the port itself; without that daemon, libxl finds a free one
      if (auto === true || port === undefined || port < VNC_PORT_MIN) vnc.findunused = 'True';
      else {
        vnc.display = port - VNC_PORT_MIN;
        vnc.findunused = 'False';
      }
      const vfb: Vfb = { vnc, sdl: { enable: 'False' } };
      const keymap = r.attr(g, 'keymap');
      if (keymap) vfb.keymap = keymap;
      vfbs.push(vfb);
    } else if (t === 'sdl') {
      const gl = g.children.find((x) => x.name === 'gl');
      const opengl = gl ? r.bool(r.child(g, 'gl')!, 'enable') ?? false : false;
      const sdl: NonNullable<Vfb['sdl']> = { enable: 'True', opengl: opengl ? 'True' : 'False' };
      const display = r.attr(g, 'display');
      const xauth = r.attr(g, 'xauth');
      if (display) sdl.display = display;
      if (xauth) sdl.xauthority = xauth;
      vfbs.push({ sdl, vnc: { enable: 'False' } });
    } else if (t === 'spice' && h) {
      if (!spiceDone) readSpice(r, g, h);
      else r.explain(g, 'only the first SPICE display is used; kept in side.xml');
      vfbs.push({});
      spiceDone = true;
    } else {
      r.explain(g, `${t ?? 'this'} graphics ${t === 'spice' ? 'needs an HVM domain' : 'is not supported by libxl'}; kept in side.xml`);
      continue;
    }
    g.used = true;
    r.skipAttrs(g, 'type');
    count++;
  }
  if (vfbs.length) {
    cfg.vfbs = vfbs;
    cfg.vkbs = vfbs.map(() => ({}));
  }
  if (h && !spiceDone && vfbs.length) {
    const first = vfbs[0];
    if (first.vnc?.enable === 'True') h.vnc = { ...first.vnc };
    else if (first.sdl?.enable === 'True') h.sdl = { ...first.sdl };
    if (first.keymap) h.keymap = first.keymap;
  }
  return count;
}

function readSpice(r: Reader, g: XNode, h: HvmInfo) {
  const s: NonNullable<HvmInfo['spice']> = (h.spice = { enable: 'True' });
  const auto = r.bool(g, 'autoport');
  const port = r.int(g, 'port', { min: -1, max: 65535 });
  const tls = r.int(g, 'tlsPort', { min: -1, max: 65535 });
  if (auto !== true && port !== undefined && port > 0) s.port = port;
  if (auto !== true && tls !== undefined && tls > 0) s.tls_port = tls;
  const { address, present } = listenAddress(r, g);
  if (address) s.host = address;
  else if (present) s.host = '127.0.0.1';
  const keymap = r.attr(g, 'keymap');
  if (keymap) h.keymap = keymap;
  const passwd = r.attr(g, 'passwd');
  if (passwd !== undefined) s.passwd = passwd;
  s.disable_ticketing = passwd !== undefined ? 'False' : 'True';
  const mouse = r.child(g, 'mouse');
  const mode = mouse && r.oneOf(mouse, 'mode', ['client', 'server'] as const);
  s.agent_mouse = mode === 'server' ? 'False' : 'True';
  const clip = r.child(g, 'clipboard');
  const copy = clip && r.bool(clip, 'copypaste');
  s.vdagent = s.clipboard_sharing = copy ? 'True' : 'False';
}

const VGA: Record<string, { kind: string; min: [number, number]; def: [number, number] }> = {
  // minimum and default video RAM in KiB: [qemu-xen, qemu-xen-traditional]
  vga: { kind: 'std', min: [16384, 8192], def: [16384, 8192] },
  xen: { kind: 'std', min: [16384, 8192], def: [16384, 8192] },
  cirrus: { kind: 'cirrus', min: [8192, 4096], def: [8192, 4096] },
  qxl: { kind: 'qxl', min: [131072, 131072], def: [131072, 131072] },
};

function readVideo(r: Reader, devs: XNode, cfg: DomainConfig, h: HvmInfo, graphics: number) {
  const trad = cfg.b_info.device_model_version === 'qemu_xen_traditional' ? 1 : 0;
  const videos = devs.children.filter((n) => n.name === 'video');
  const first = videos[0];
  const model = first?.children.find((x) => x.name === 'model');
  if (!first || !model) {
    if (first) r.explain(first, '<video> without <model>; kept in side.xml');
    if (graphics) {
      // libvirt adds a video card for a display: cirrus, with its default video RAM
      h.vga = { kind: 'cirrus' };
      cfg.b_info.video_memkb = VGA.cirrus.def[trad];
    } else {
      h.nographic = 'True';
      h.vga = { kind: 'none' };
    }
    return;
  }
  first.used = true;
  model.used = true;
  const type = r.peek(model, 'type') ?? 'cirrus';
  if (type === 'none') {
    r.skipAttrs(model, 'type');
    h.nographic = 'True';
    h.vga = { kind: 'none' };
    return;
  }
  const spec = VGA[type];
  if (!spec) {
    r.errorAttr(model, 'type', `video type '${type}' is not supported by libxl`, 'use cirrus, vga or qxl');
    return;
  }
  r.skipAttrs(model, 'type');
  if (r.peek(model, 'heads') === '1') r.skipAttrs(model, 'heads');
  if (r.peek(model, 'primary') === 'yes') r.skipAttrs(model, 'primary');
  const vram = r.int(model, 'vram', { min: 0 }) || spec.def[trad];
  if (vram < spec.min[trad]) {
    r.errorAttr(model, 'vram', `video RAM must be at least ${spec.min[trad] / 1024} MiB for ${type}`);
    return;
  }
  h.vga = { kind: spec.kind };
  cfg.b_info.video_memkb = vram;
}

function readInputs(r: Reader, devs: XNode, h: HvmInfo) {
  const usb: string[] = [];
  for (const n of devs.children.filter((x) => x.name === 'input')) {
    const type = r.peek(n, 'type');
    const bus = r.peek(n, 'bus');
    if (bus === 'usb' && (type === 'mouse' || type === 'tablet') && n.attrs.length === 2 && !n.children.length) {
      r.implicit(n);
      usb.push(type);
    } else if ((bus === undefined || bus === 'ps2') && (type === 'mouse' || type === 'keyboard') && !n.children.length) {
      r.implicit(n); // qemu's PS/2 mouse and keyboard are always there
    } else {
      r.explain(n, `${type ?? ''} input on bus '${bus ?? ''}' is not one libxl provides (USB mouse and tablet are); kept in side.xml`);
    }
  }
  if (usb.length) h.usbdevice_list = usb;
}

/** A libvirt character device source as the chardev string libxl hands to qemu. */
function chrdevString(r: Reader, n: XNode): string | undefined {
  const type = r.attr(n, 'type') ?? 'pty';
  const sources = r.children(n, 'source');
  const target = r.child(n, 'target');
  if (target) {
    r.skipAttrs(target, 'port');
    const tt = r.peek(target, 'type');
    if (tt === undefined || tt === 'isa-serial' || tt === 'serial') r.skipAttrs(target, 'type');
    const m = target.children.find((x) => x.name === 'model');
    if (m && r.peek(m, 'name') === 'isa-serial') r.implicit(m);
  }
  for (const s of sources) r.skipAttrs(s, 'mode');
  const path = () => {
    const s = sources[0];
    const p = s && r.attr(s, 'path');
    if (p === undefined) r.error(n, `a '${type}' character device needs <source path=...>`);
    return p ?? '';
  };
  switch (type) {
    case 'null':
    case 'stdio':
    case 'vc':
    case 'pty':
      return type;
    case 'file':
    case 'pipe':
      return `${type}:${path()}`;
    case 'dev':
      return path();
    case 'udp': {
      const c = sources.find((s) => (r.peek(s, 'mode') ?? 'connect') === 'connect');
      const b = sources.find((s) => r.peek(s, 'mode') === 'bind');
      const get = (s: XNode | undefined, a: string) => (s && r.attr(s, a)) ?? '';
      return `udp:${get(c, 'host')}:${get(c, 'service')}@${get(b, 'host')}:${get(b, 'service') || '0'}`;
    }
    case 'tcp': {
      const s = sources[0];
      const proto = r.child(n, 'protocol');
      const telnet = proto && r.attr(proto, 'type') === 'telnet';
      const server = s && r.peek(s, 'mode') === 'bind';
      return `${telnet ? 'telnet' : 'tcp'}:${(s && r.attr(s, 'host')) ?? ''}:${(s && r.attr(s, 'service')) ?? ''}${server ? ',server,nowait' : ''}`;
    }
    case 'unix': {
      const server = sources[0] !== undefined && r.peek(sources[0], 'mode') === 'bind';
      return `unix:${path()}${server ? ',server,nowait' : ''}`;
    }
    default:
      r.errorAttr(n, 'type', `character device type '${type}' is not supported by libxl`);
      return undefined;
  }
}

function readSerials(r: Reader, devs: XNode, h: HvmInfo) {
  let serials = devs.children.filter((n) => n.name === 'serial');
  if (!serials.length) {
    // with no <serial>, libvirt turns an HVM guest's serial-type <console> into serial port 0
    const con = devs.children.find((n) => n.name === 'console');
    const tt = con?.children.find((x) => x.name === 'target')?.attrs.find(([k]) => k === 'type')?.[1];
    if (con && (tt === undefined || tt === 'serial')) serials = [con];
  }
  const list: string[] = [];
  for (const s of serials) {
    s.used = true;
    const str = chrdevString(r, s);
    if (str !== undefined) list.push(str);
  }
  if (list.length === 1) h.serial = list[0];
  else if (list.length > 1) h.serial_list = list;
}

function readChannels(r: Reader, devs: XNode, cfg: DomainConfig) {
  const out: Channel[] = [];
  for (const n of devs.children.filter((x) => x.name === 'channel')) {
    const target = n.children.find((x) => x.name === 'target');
    const type = r.peek(n, 'type');
    if (!target || r.peek(target, 'type') !== 'xen' || (type !== 'pty' && type !== 'unix')) {
      r.explain(n, "only Xen channels (<target type='xen'>) over pty or unix sockets are supported by libxl; kept in side.xml");
      continue;
    }
    n.used = true;
    target.used = true;
    r.skipAttrs(n, 'type');
    r.skipAttrs(target, 'type');
    const name = r.attr(target, 'name');
    if (!name) r.error(target, 'the channel has no target name', "e.g. <target type='xen' name='org.qemu.guest_agent.0'/>");
    const ch: Channel = { name };
    if (type === 'pty') ch['connection.pty'] = {};
    else {
      const src = r.child(n, 'source');
      if (src && r.peek(src, 'mode') === 'bind') r.skipAttrs(src, 'mode');
      const path = src && r.attr(src, 'path');
      if (!path) r.warn(n, 'the unix channel has no socket path; libvirt would make one up, txl does not');
      ch['connection.socket'] = path ? { path } : {};
    }
    out.push(ch);
  }
  if (out.length) cfg.channels = out;
}
