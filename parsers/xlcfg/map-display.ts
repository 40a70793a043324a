// The device model (device_model_*, stubdomain_*), the consoles and displays (vnc, sdl,
// spice, vga, serial, usb, sound) and the last few arch keys, in xl's order.

import type { SdlInfo, VncInfo } from '../../src/core/model.js';
import { getLong } from './access.js';
import {
  choices, defbool, failAt, hvm, libxlEnum, listAtoms, numberOrString, setting, str, toI32, warnAt, type Ctx,
} from './map-ctx.js';
import { readSlot } from './map-keys.js';

export function mapDeviceModel(c: Ctx): void {
  const b = c.m.b_info;
  const dm = str(c, 'device_model');
  if (dm !== undefined) {
    const stub = dm.includes('stubdom-dm')
      ? c.type === 'hvm' ? '; or use device_model_stubdomain_override to enable stubdomains' : '; stubdomains are not for PV guests'
      : '';
    warnAt(c, 'device_model', 'ignoring device_model directive', `use device_model_override if you really want a non-default device model${stub}`);
  }
  readSlot(c, 'dm.a');
  const ver = str(c, 'device_model_version');
  if (ver !== undefined) {
    const versions: Record<string, 'qemu_xen_traditional' | 'qemu_xen'> = { 'qemu-xen-traditional': 'qemu_xen_traditional', 'qemu-xen': 'qemu_xen' };
    b.device_model_version = versions[ver] ?? failAt(c, 'device_model_version', `unknown device_model_version "${ver}" specified`, 'use "qemu-xen" or "qemu-xen-traditional"');
  } else if (b.device_model !== undefined) {
    warnAt(c, 'device_model_override', 'device model override given without specific DM version', 'add device_model_version = "qemu-xen" (or "qemu-xen-traditional")');
  }
  readSlot(c, 'dm.b');
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
  readSlot(c, 'display');
  if (c.type === 'hvm') hvmDisplay(c);
  readSlot(c, 'arm');
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
  h.spice = {};
  readSlot(c, 'hvm-display.a');
  const gfx = numberOrString(c, 'gfx_passthru');
  if (gfx && 'n' in gfx) h.gfx_passthru = gfx.n ? 'True' : 'False';
  else if (gfx) {
    h.gfx_passthru_kind = libxlEnum(gfx.s, ['default', 'igd'] as const) ?? failAt(c, 'gfx_passthru', `invalid value "${gfx.s}" for "gfx_passthru"`, 'use 0, 1, "default" or "igd"');
    h.gfx_passthru = 'True';
  }
  const serial = setting(c, 'serial');
  if (serial?.value.kind === 'list') h.serial_list = listAtoms(c, 'serial')!.map((a) => a.text);
  else h.serial = str(c, 'serial');
  readSlot(c, 'hvm-display.b');
  const usbdevice = setting(c, 'usbdevice');
  if (usbdevice?.value.kind === 'list') h.usbdevice_list = listAtoms(c, 'usbdevice')!.map((a) => a.text);
  else h.usbdevice = str(c, 'usbdevice');
  readSlot(c, 'hvm-display.c');
  if (h.vnc?.listen?.includes(':') && h.vnc.display) {
    failAt(c, 'vncdisplay', 'display specified both in vnclisten and vncdisplay', 'give the display in only one of them');
  }
  readSlot(c, 'hvm-display.d');
}

/** The keys xl reads after the devices: xend_suspend_evtchn_compat, msr_relaxed, vpmu. */
export function mapTail(c: Ctx): void {
  readSlot(c, 'tail.a');
  const relaxed = defbool(c, 'msr_relaxed');
  if (relaxed !== undefined) {
    (c.m.b_info.arch_x86 ??= {}).msr_relaxed = relaxed;
    warnAt(c, 'msr_relaxed', 'msr_relaxed will be removed in future versions', 'if it fixes an issue you are having, please report to xen-devel@lists.xenproject.org');
  }
  readSlot(c, 'tail.b');
  readSlot(c, 'rest');
}
