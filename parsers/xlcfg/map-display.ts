// The device model (device_model_*, stubdomain_*), the consoles and displays (vnc, sdl,
// spice, vga, serial, usb, sound) and the last few arch keys, in xl's order.

import type { SdlInfo, VncInfo } from '../../src/core/model.js';
import { getLong } from './access.js';
import {
  choices, defbool, failAt, hvm, libxlEnum, listAtoms, mibKey, numberOrString, setting, str, toI32, warnAt, type Ctx,
} from './map-ctx.js';

export function mapDeviceModel(c: Ctx): void {
  const b = c.m.b_info;
  const dm = str(c, 'device_model');
  if (dm !== undefined) {
    const stub = dm.includes('stubdom-dm')
      ? c.type === 'hvm' ? '; or use device_model_stubdomain_override to enable stubdomains' : '; stubdomains are not for PV guests'
      : '';
    warnAt(c, 'device_model', 'ignoring device_model directive', `use device_model_override if you really want a non-default device model${stub}`);
  }
  b.device_model = str(c, 'device_model_override');
  const ver = str(c, 'device_model_version');
  if (ver !== undefined) {
    const versions: Record<string, 'qemu_xen_traditional' | 'qemu_xen'> = { 'qemu-xen-traditional': 'qemu_xen_traditional', 'qemu-xen': 'qemu_xen' };
    b.device_model_version = versions[ver] ?? failAt(c, 'device_model_version', `unknown device_model_version "${ver}" specified`, 'use "qemu-xen" or "qemu-xen-traditional"');
  } else if (b.device_model !== undefined) {
    warnAt(c, 'device_model_override', 'device model override given without specific DM version', 'add device_model_version = "qemu-xen" (or "qemu-xen-traditional")');
  }
  b.device_model_stubdomain = defbool(c, 'device_model_stubdomain_override');
  b.device_model_ssid_label = str(c, 'device_model_stubdomain_seclabel');
  b.device_model_user = str(c, 'device_model_user');
  b.stubdomain_kernel = str(c, 'stubdomain_kernel');
  b.stubdomain_cmdline = str(c, 'stubdomain_cmdline');
  b.stubdomain_ramdisk = str(c, 'stubdomain_ramdisk');
  b.stubdomain_memkb = mibKey(c, 'stubdomain_memory');
  for (const [key, field] of [['device_model_args', 'extra'], ['device_model_args_pv', 'extra_pv'], ['device_model_args_hvm', 'extra_hvm']] as const) {
    const items = listAtoms(c, key, 'an argument string');
    if (items) b[field] = items.map((a) => a.text);
  }
}

function topVnc(c: Ctx): VncInfo {
  const display = getLong(c.cfg, 'vncdisplay');
  return {
    enable: defbool(c, 'vnc'), listen: str(c, 'vnclisten'), passwd: str(c, 'vncpasswd'),
    display: display === undefined ? undefined : toI32(display), findunused: defbool(c, 'vncunused'),
  };
}

function topSdl(c: Ctx): SdlInfo {
  return { enable: defbool(c, 'sdl'), opengl: defbool(c, 'opengl'), display: str(c, 'display'), xauthority: str(c, 'xauthority') };
}

export function mapDisplay(c: Ctx): void {
  const m = c.m;
  if (c.type === 'pv' && !m.vfbs?.length) {
    // a PV guest without vfb= gets one framebuffer (and keyboard) from the top-level vnc keys
    const on = getLong(c.cfg, 'vnc');
    if (on) {
      m.vfbs = [{ devid: 0, vnc: topVnc(c), sdl: topSdl(c), keymap: str(c, 'keymap') }];
      (m.vkbs ??= []).push({ devid: m.vkbs.length });
    }
  } else if (c.type === 'hvm') {
    // xl writes these into the HVM part of b_info for every guest; only an HVM guest has one
    hvm(c).vnc = topVnc(c);
    hvm(c).sdl = topSdl(c);
  } else {
    topVnc(c);
    topSdl(c);
  }
  m.b_info.dm_restrict = defbool(c, 'dm_restrict');
  if (c.type === 'hvm') hvmDisplay(c);
  for (const [key, names, field] of [['gic_version', ['default', 'v2', 'v3'], 'gic'], ['tee', ['none', 'optee'], 'tee']] as const) {
    const v = str(c, key);
    if (v === undefined) continue;
    const e = libxlEnum(v, names) ?? failAt(c, key, `unknown ${key} "${v}" specified`, `use one of ${choices(names)}`);
    if (field === 'gic') (m.b_info.arch_arm ??= {}).gic_version = e;
    else m.b_info.tee = e as 'none' | 'optee';
  }
}

function hvmDisplay(c: Ctx): void {
  const h = hvm(c);
  const vga = str(c, 'vga');
  if (vga !== undefined) {
    const kinds: Record<string, string> = { stdvga: 'std', cirrus: 'cirrus', none: 'none', qxl: 'qxl' };
    h.vga = { kind: kinds[vga] ?? failAt(c, 'vga', `unknown vga "${vga}" specified`, `use one of ${choices(Object.keys(kinds))}`) };
  } else {
    const std = getLong(c.cfg, 'stdvga');
    if (std !== undefined) h.vga = { kind: std ? 'std' : 'cirrus' };
  }
  const hd = str(c, 'hdtype');
  if (hd !== undefined) h.hdtype = libxlEnum(hd, ['ide', 'ahci'] as const) ?? failAt(c, 'hdtype', `invalid value "${hd}" for "hdtype"`, 'use "ide" or "ahci"');
  h.keymap = str(c, 'keymap');
  const num = (key: string) => {
    const l = getLong(c.cfg, key);
    return l === undefined ? undefined : toI32(l);
  };
  h.spice = {
    enable: defbool(c, 'spice'), port: num('spiceport'), tls_port: num('spicetls_port'), host: str(c, 'spicehost'),
    disable_ticketing: defbool(c, 'spicedisable_ticketing'), passwd: str(c, 'spicepasswd'),
    agent_mouse: defbool(c, 'spiceagent_mouse'), vdagent: defbool(c, 'spicevdagent'),
    clipboard_sharing: defbool(c, 'spice_clipboard_sharing'), usbredirection: num('spiceusbredirection'),
    image_compression: str(c, 'spice_image_compression'), streaming_video: str(c, 'spice_streaming_video'),
  };
  h.nographic = defbool(c, 'nographic');
  const gfx = numberOrString(c, 'gfx_passthru');
  if (gfx && 'n' in gfx) h.gfx_passthru = gfx.n ? 'True' : 'False';
  else if (gfx) {
    h.gfx_passthru_kind = libxlEnum(gfx.s, ['default', 'igd'] as const) ?? failAt(c, 'gfx_passthru', `invalid value "${gfx.s}" for "gfx_passthru"`, 'use 0, 1, "default" or "igd"');
    h.gfx_passthru = 'True';
  }
  const serial = setting(c, 'serial');
  if (serial?.value.kind === 'list') h.serial_list = listAtoms(c, 'serial')!.map((a) => a.text);
  else h.serial = str(c, 'serial');
  h.boot = str(c, 'boot');
  h.usb = defbool(c, 'usb');
  h.usbversion = num('usbversion');
  const usbdevice = setting(c, 'usbdevice');
  if (usbdevice?.value.kind === 'list') h.usbdevice_list = listAtoms(c, 'usbdevice')!.map((a) => a.text);
  else h.usbdevice = str(c, 'usbdevice');
  h.vkb_device = defbool(c, 'vkb_device');
  h.soundhw = str(c, 'soundhw');
  h.xen_platform_pci = defbool(c, 'xen_platform_pci');
  if (h.vnc?.listen?.includes(':') && h.vnc.display) {
    failAt(c, 'vncdisplay', 'display specified both in vnclisten and vncdisplay', 'give the display in only one of them');
  }
  const vendor = str(c, 'vendor_device');
  if (vendor !== undefined) {
    h.vendor_device = libxlEnum(vendor, ['none', 'xenserver'] as const) ?? failAt(c, 'vendor_device', `unknown vendor_device "${vendor}"`, 'use "none" or "xenserver"');
  }
}

/** The keys xl reads after the devices: xend_suspend_evtchn_compat, msr_relaxed, vpmu. */
export function mapTail(c: Ctx): void {
  c.m.c_info.xend_suspend_evtchn_compat = defbool(c, 'xend_suspend_evtchn_compat');
  const relaxed = defbool(c, 'msr_relaxed');
  if (relaxed !== undefined) {
    (c.m.b_info.arch_x86 ??= {}).msr_relaxed = relaxed;
    warnAt(c, 'msr_relaxed', 'msr_relaxed will be removed in future versions', 'if it fixes an issue you are having, please report to xen-devel@lists.xenproject.org');
  }
  c.m.b_info.vpmu = defbool(c, 'vpmu');
}
