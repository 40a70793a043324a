// The device lists of the xl.cfg writer and the raw resources (ioports, irqs, iomem).
// xl numbers most devices by their position in the list, so a devid that is not the
// position has no xl.cfg form (except for vifs, whose spec takes devid=).

import type { DomainConfig } from '../../src/core/model.js';
import {
  formatChannel, formatDisk, formatP9, formatPci, formatPvcalls, formatUsbctrl, formatUsbdev, formatVdispl, formatVfb, formatVif,
  formatVkb, formatVsnd, formatVtpm,
} from '../devices/index.js';
import { writeCpuid } from './write-cpuid.js';
import { Out } from './write-out.js';

type Positional = { devid?: number };

/** Fields a spec may be unable to say that are not worth losing the whole device for. */
const DROPPABLE = ['backend_domid', 'trusted', 'colo_restore_enable', 'irq', 'base', 'transport', 'direct_io_safe'];

/**
 * Formats one device; when the spec language cannot say some minor field, the device is
 * written without it (and a note says so) rather than left out.
 */
function device<T extends object>(out: Out, what: string, d: T, fmt: (d: T) => string): string | undefined {
  const quiet = new Out();
  const s = quiet.tryFormat(what, () => fmt(d));
  if (s !== undefined) return s;
  const rec = d as Record<string, unknown>;
  const drop = DROPPABLE.filter((k) => rec[k] !== undefined);
  // libvirt marks every disk removable; xl.cfg sets that only for cdroms
  if ('removable' in rec && rec.removable && !rec.is_cdrom) drop.push('removable');
  const relaxed = Object.fromEntries(Object.entries(rec).filter(([k]) => !drop.includes(k))) as T;
  const r = drop.length ? quiet.tryFormat(what, () => fmt(relaxed)) : undefined;
  if (r === undefined) return out.tryFormat(what, () => fmt(d));
  out.note(`${what}: ${drop.map((k) => `${k}=${JSON.stringify(rec[k])}`).join(', ')}`);
  return r;
}

/** Formats a list whose devids xl assigns by position; another devid becomes a note (unset is fine: libxl picks). */
function positional<T extends Positional>(out: Out, what: string, items: T[] | undefined, fmt: (d: T) => string, firstDevid = 0): string[] | undefined {
  if (!items?.length) return undefined;
  const specs: string[] = [];
  items.forEach((d, i) => {
    if (d.devid !== undefined && d.devid !== -1 && d.devid !== i + firstDevid) out.note(`${what} ${i}: devid ${d.devid} (xl numbers them by position)`);
    const s = device(out, `${what} ${i}`, d, fmt);
    if (s !== undefined) specs.push(s);
  });
  return specs;
}

export function writeDevices(out: Out, cfg: DomainConfig, type: string): void {
  const b = cfg.b_info;
  out.list('disk', cfg.disks?.map((d, i) => device(out, `disk ${i}`, d, formatDisk)).filter((s): s is string => s !== undefined));
  out.list('vif', cfg.nics?.map((n, i) => {
    const plain = n.devid === i || n.devid === -1 ? { ...n, devid: undefined } : n;
    return device(out, `vif ${i}`, plain, formatVif);
  }).filter((s): s is string => s !== undefined));

  const h = b['type.hvm'];
  // the rdm policy xl copies into every pci device before reading its spec
  const rdmPolicy = (type === 'hvm' ? h?.rdm?.policy ?? 'invalid' : 'strict') as 'strict' | 'relaxed' | 'invalid';
  out.list('pci', cfg.pcidevs?.map((p, i) => device(out, `pci ${i}`, p, (x) => formatPci(x, { rdm_policy: rdmPolicy }))).filter((s): s is string => s !== undefined));
  out.list('dtdev', cfg.dtdevs?.map((d) => d.path ?? ''));
  if (cfg.rdms?.length) out.note('reserved device memory regions (b_info rdms)');

  const vfbs = positional(out, 'vfb', cfg.vfbs, formatVfb);
  if (vfbs) out.list('vfb', vfbs);
  const vkbs = cfg.vkbs ?? [];
  const nvfb = cfg.vfbs?.length ?? 0;
  vkbs.slice(0, nvfb).forEach((k, i) => {
    const extra = Object.keys(k).filter((f) => f !== 'devid');
    const devidOk = k.devid === undefined || k.devid === -1 || k.devid === i;
    if (!devidOk || extra.length) out.note(`vkb ${i}: xl makes a plain keyboard for each vfb (devid ${i}), this one has ${extra.join(', ') || `devid ${k.devid}`}`);
  });
  if (vkbs.length < nvfb) out.note('fewer vkbs than vfbs (xl adds a keyboard to each framebuffer)');
  out.list('vkb', positional(out, 'vkb', vkbs.slice(nvfb), formatVkb, nvfb));

  out.list('vtpm', positional(out, 'vtpm', cfg.vtpms, formatVtpm));
  out.list('p9', cfg.p9s?.map((p, i) => {
    if (p.devid !== undefined) out.note(`p9 ${i}: devid ${p.devid} (xl leaves p9 devids to libxl)`);
    return device(out, `p9 ${i}`, p, formatP9);
  }).filter((s): s is string => s !== undefined));
  out.list('pvcalls', positional(out, 'pvcalls', cfg.pvcallsifs, formatPvcalls));
  out.list('vdispl', positional(out, 'vdispl', cfg.vdispls, formatVdispl));
  const cards = cfg.vsnds?.map((v, i) => {
    if (v.devid !== undefined && v.devid !== -1 && v.devid !== i) out.note(`vsnd ${i}: devid ${v.devid} (xl numbers them by position)`);
    return out.tryFormat(`vsnd ${i}`, () => formatVsnd(v));
  }).filter((s): s is string[] => s !== undefined);
  if (cards?.length) out.list('vsnd', cards);
  out.list('channel', positional(out, 'channel', cfg.channels, formatChannel));
  out.list('usbctrl', positional(out, 'usbctrl', cfg.usbctrls, formatUsbctrl));
  out.list('usbdev', cfg.usbdevs?.map((d, i) => device(out, `usbdev ${i}`, d, formatUsbdev)).filter((s): s is string => s !== undefined));

  out.section();
  const hex = (n: number) => n.toString(16);
  out.list('ioports', b.ioports?.map((r) => ((r.number ?? 0) <= 1 ? hex(r.first ?? 0) : `${hex(r.first ?? 0)}-${hex((r.first ?? 0) + (r.number ?? 0) - 1)}`)));
  if (b.ioports?.some((r) => !r.number)) out.note('an ioport range of zero ports');
  out.list('irqs', b.irqs?.map(String));
  out.list('iomem', b.iomem?.map((r) => `${hex(r.start ?? 0)},${hex(r.number ?? 0)}${r.gfn !== undefined ? `@${hex(r.gfn)}` : ''}`));
  writeCpuid(out, cfg);
}
