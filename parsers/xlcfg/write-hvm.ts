// The HVM part of the xl.cfg writer: firmware, platform switches, viridian, displays,
// serial, USB and sound.

import type { DomainConfig } from '../../src/core/model.js';
import { VIRIDIAN_ENLIGHTENMENTS } from '../libxl-idl.js';
import { writeSlot } from './write-keys.js';
import { mib, type Out } from './write-out.js';

export function writeHvm(out: Out, cfg: DomainConfig): void {
  const h = cfg.b_info['type.hvm'] ?? {};
  writeSlot(out, cfg, 'hvm.a');
  if (h.bios !== undefined && h.bios !== 'unknown' as string) out.set('bios', h.bios);
  writeSlot(out, cfg, 'hvm.b');
  writeViridian(out, h.viridian, h.viridian_enable, h.viridian_disable);
  out.set('mmio_hole', mib(out, 'mmio hole', h.mmio_hole_memkb));
  out.defbool('altp2mhvm', h.altp2m);
  if (cfg.side?.xl?.ms_vm_genid === 'generate') out.set('ms_vm_genid', 'generate');
  if (h.ms_vm_genid) out.note('a fixed ms_vm_genid (xl can only generate a new one)');
  if (h.rdm && (h.rdm.strategy || h.rdm.policy)) {
    const parts = [];
    if (h.rdm.strategy && h.rdm.strategy !== 'ignore') parts.push(`strategy=${h.rdm.strategy}`);
    if (h.rdm.policy && h.rdm.policy !== 'invalid') parts.push(`policy=${h.rdm.policy}`);
    if (parts.length) out.set('rdm', parts.join(','));
  }
  writeSlot(out, cfg, 'hvm.c');
  if (h.mca_caps) {
    if (h.mca_caps !== 1) out.note(`mca_caps ${h.mca_caps} (xl knows only lmce)`);
    out.list('mca_caps', ['lmce']);
  }
  for (const k of ['acpi', 'apic', 'timer_mode', 'nested_hvm', 'timeoffset'] as const) {
    if (h[k] !== undefined && h[k] !== 'unknown') out.note(`b_info.type.hvm.${k} (xl sets ${k === 'timeoffset' ? 'rtc_timeoffset' : `the b_info ${k}`} instead)`);
  }

  out.section();
  const vnc = h.vnc ?? {};
  out.defbool('vnc', vnc.enable);
  out.set('vnclisten', vnc.listen);
  out.set('vncpasswd', vnc.passwd);
  if (vnc.display) out.set('vncdisplay', vnc.display);
  out.defbool('vncunused', vnc.findunused);
  const sdl = h.sdl ?? {};
  out.defbool('sdl', sdl.enable);
  out.defbool('opengl', sdl.opengl);
  out.set('display', sdl.display);
  out.set('xauthority', sdl.xauthority);
  writeSlot(out, cfg, 'hvm-display.a');
  const vga = { std: 'stdvga', cirrus: 'cirrus', none: 'none', qxl: 'qxl' }[h.vga?.kind ?? ''];
  out.set('vga', vga);
  writeSlot(out, cfg, 'hvm-display.b');
  if (h.gfx_passthru_kind !== undefined && h.gfx_passthru_kind !== 'default') {
    if (h.gfx_passthru !== 'True') out.note(`gfx_passthru_kind "${h.gfx_passthru_kind}" with gfx_passthru not on`);
    out.set('gfx_passthru', h.gfx_passthru_kind);
  } else out.defbool('gfx_passthru', h.gfx_passthru);
  if (h.serial_list) {
    out.list('serial', h.serial_list);
    if (h.serial !== undefined) out.note(`serial "${h.serial}" besides a serial list`);
  } else out.set('serial', h.serial);
  writeSlot(out, cfg, 'hvm-display.c');
  if (h.usbdevice_list) {
    out.list('usbdevice', h.usbdevice_list);
    if (h.usbdevice !== undefined) out.note(`usbdevice "${h.usbdevice}" besides a usbdevice list`);
  } else out.set('usbdevice', h.usbdevice);
  writeSlot(out, cfg, 'hvm-display.d');
}

function writeViridian(out: Out, viridian: 'True' | 'False' | undefined, enable: number[] = [], disable: number[] = []): void {
  if (!enable.length && !disable.length) {
    out.defbool('viridian', viridian);
    return;
  }
  const names = VIRIDIAN_ENLIGHTENMENTS;
  const items: string[] = [];
  if (viridian === 'True') items.push('defaults');
  else if (viridian === 'False') out.note('viridian "False" together with a list of enlightenments');
  const unnamed = Array.from({ length: 64 - names.length }, (_, i) => names.length + i);
  const all = unnamed.every((b) => enable.includes(b));
  if (all) {
    items.push('all');
    names.forEach((n, i) => {
      if (disable.includes(i)) items.push(`!${n}`);
      else if (!enable.includes(i)) out.note(`viridian: "${n}" neither enabled nor disabled next to "all"`);
    });
  } else {
    for (const b of enable) (b < names.length ? items.push(names[b]!) : out.note(`viridian enlightenment bit ${b}`));
    for (const b of disable) (b < names.length ? items.push(`!${names[b]}`) : out.note(`viridian enlightenment bit ${b}`));
  }
  out.list('viridian', items);
}
