// How the guest boots (kernel, cmdline, bootloader, firmware) and the HVM platform keys
// that xl reads in its per-type switch: bios, ACPI, viridian, mmio hole, MCA...

import { getLong } from './access.js';
import {
  abbreviates, choices, defbool, failAt, failValue, hvm, libxlEnum, listAtoms, MiB, missingKey, numberOrString, setting,
  str, warnAt, type Ctx,
} from './map-ctx.js';
import { BIOS_TYPES, TIMER_MODES, VIRIDIAN_ENLIGHTENMENTS } from '../libxl-idl.js';
import { readSlot } from './map-keys.js';

/** upstream Xen's XENFIRMWAREDIR, used when the host description does not say */
const DEFAULT_FIRMWARE_DIR = '/usr/lib/xen/boot';

export function mapBoot(c: Ctx): void {
  const b = c.m.b_info;
  readSlot(c, 'boot.a');
  b.cmdline = cmdline(c);
  readSlot(c, 'boot.b');
  const args = setting(c, 'bootloader_args');
  if (args?.value.kind === 'list') {
    b.bootloader_args = listAtoms(c, 'bootloader_args')!.map((a) => a.text);
  } else if (args) {
    warnAt(c, 'bootloader_args', 'specifying "bootloader_args" as a string is deprecated', 'use a list of arguments, e.g. [ "--arg1", "--arg2" ]');
    b.bootloader_args = args.value.text.split(/[ \t\n]+/).filter((w) => w !== '');
  }
  const tm = numberOrString(c, 'timer_mode');
  if (tm) {
    if (c.type === 'pv') failAt(c, 'timer_mode', '"timer_mode" option is not supported for PV guests', 'remove timer_mode, or use type = "hvm" / "pvh"');
    const modes = TIMER_MODES.slice(1);
    if ('n' in tm) {
      const name = modes[tm.n];
      warnAt(c, 'timer_mode', 'specifying "timer_mode" as an integer is deprecated', name ? `write timer_mode = "${name}"` : undefined);
      if (!name) failAt(c, 'timer_mode', `invalid value ${tm.n} for "timer_mode"`, `use one of ${choices(modes)}`);
      b.timer_mode = name;
    } else {
      b.timer_mode = libxlEnum(tm.s, TIMER_MODES) ?? failAt(c, 'timer_mode', `invalid value "${tm.s}" for "timer_mode"`, `use one of ${choices(modes)}`);
    }
  }
  readSlot(c, 'boot.c');
  if (c.type === 'hvm') mapHvmPlatform(c);
  else pvFirmware(c);
}

function cmdline(c: Ctx): string | undefined {
  const cmd = str(c, 'cmdline');
  const root = str(c, 'root');
  const extra = str(c, 'extra');
  if (cmd !== undefined) {
    if (root !== undefined || extra !== undefined) {
      warnAt(c, root !== undefined ? 'root' : 'extra', 'ignoring root= and extra= in favour of cmdline=', 'put everything in cmdline, or use only root and extra');
    }
    return cmd;
  }
  if (root !== undefined) return extra !== undefined ? `root=${root} ${extra}` : `root=${root}`;
  return extra;
}

function pvFirmware(c: Ctx): void {
  const b = c.m.b_info;
  const fw = str(c, 'firmware');
  if (fw !== undefined) {
    if (b.kernel !== undefined) failAt(c, 'firmware', 'both kernel and firmware specified', 'remove one of them');
    if (!abbreviates(fw, 'pvgrub32') && !abbreviates(fw, 'pvgrub64')) {
      failAt(c, 'firmware', `only pvgrub32 or pvgrub64 can be the firmware of a ${c.type.toUpperCase()} guest`, 'use kernel = "PATH" for anything else');
    }
    b.kernel = `${c.host.firmware_dir ?? DEFAULT_FIRMWARE_DIR}/${fw}.bin`;
  }
  if (b.bootloader === undefined && b.kernel === undefined) {
    throw missingKey(c, 'neither kernel nor bootloader specified',
      `a ${c.type.toUpperCase()} guest needs kernel = "PATH" or bootloader = "pygrub" (or type = "hvm" for a guest with its own firmware)`);
  }
}

const HVM_BELOW_4G_MMIO_LENGTH = 2 ** 32 - 0xf0000000;
const HVM_BELOW_4G_MMIO_START = 0xf0000000;
const VIRIDIAN_WIDTH = 64;

function mapHvmPlatform(c: Ctx): void {
  const b = c.m.b_info;
  const h = hvm(c);
  if (b.kernel !== undefined && b.kernel.split('/').at(-1) === 'hvmloader') {
    warnAt(c, 'kernel', '"kernel" seems to override the HVM firmware; ignored', 'use firmware_override if you really want a non-default firmware');
    b.kernel = undefined;
  }
  readSlot(c, 'hvm.a');
  const bios = str(c, 'bios');
  if (bios !== undefined) {
    h.bios = (libxlEnum(bios, BIOS_TYPES) ?? failAt(c, 'bios', `invalid value "${bios}" for "bios"`, `use one of ${choices(BIOS_TYPES.slice(1))}`)) as typeof h.bios;
  } else if (h.system_firmware !== undefined) {
    warnAt(c, 'bios_path_override', 'bios_path_override given without specific bios name', 'add bios = "seabios" (or "rombios", "ovmf")');
  }
  readSlot(c, 'hvm.b');
  viridian(c);
  const hole = getLong(c.cfg, 'mmio_hole');
  if (hole !== undefined) {
    const bytes = hole * 1024 * 1024;
    if (bytes < HVM_BELOW_4G_MMIO_LENGTH || bytes > HVM_BELOW_4G_MMIO_START) {
      failAt(c, 'mmio_hole', `invalid value ${hole} for "mmio_hole"`, `the MMIO hole is from ${HVM_BELOW_4G_MMIO_LENGTH >> 20} to ${HVM_BELOW_4G_MMIO_START / 2 ** 20} MiB`);
    }
    h.mmio_hole_memkb = MiB(hole);
  }
  h.altp2m = defbool(c, 'altp2mhvm');
  if (h.altp2m !== undefined) warnAt(c, 'altp2mhvm', 'specifying "altp2mhvm" is deprecated', 'use altp2m = "mixed" (or another altp2m mode) instead');
  readSlot(c, 'hvm.c');
  const genid = str(c, 'ms_vm_genid');
  if (genid === 'generate') {
    // a new random ID belongs to the moment the domain is created, not to reading its config
    (c.m.side ??= {}).xl = { ...c.m.side?.xl, ms_vm_genid: 'generate' };
  } else if (genid !== undefined && genid !== 'none') {
    failAt(c, 'ms_vm_genid', '"ms_vm_genid" option must be "generate" or "none"', 'xl cannot take a fixed generation ID');
  }
  readSlot(c, 'hvm.d');
  for (const a of listAtoms(c, 'mca_caps') ?? []) {
    {
      if (a.text !== 'lmce') failValue(c, a, `unrecognized MCA capability "${a.text}"`, 'the only one is "lmce"');
      h.mca_caps = 1;
    }
  }
  const fw = str(c, 'firmware');
  if (fw !== undefined) {
    const asBios = libxlEnum(fw, BIOS_TYPES);
    if (asBios) h.bios = asBios as typeof h.bios;
    else if (abbreviates(fw, 'uefi')) h.bios = 'ovmf';
    else if (!abbreviates(fw, 'bios')) h.firmware = fw;
  }
}

function viridian(c: Ctx): void {
  const s = setting(c, 'viridian');
  if (!s) return;
  const h = hvm(c);
  if (s.value.kind !== 'list') {
    h.viridian = defbool(c, 'viridian');
    return;
  }
  const items = listAtoms(c, 'viridian')!;
  if (!items.length) return;
  const enable = new Set<number>();
  const disable = new Set<number>();
  for (const a of items) {
    if (a.text === 'all') for (let i = 0; i < VIRIDIAN_WIDTH; i++) enable.add(i);
    else if (a.text === 'defaults') h.viridian = 'True';
    else {
      const neg = a.text.startsWith('!');
      const name = neg ? a.text.slice(1) : a.text;
      const v = VIRIDIAN_ENLIGHTENMENTS.findIndex((n) => n === name.toLowerCase());
      if (v < 0) failValue(c, a, `unknown viridian enlightenment "${name}"`, `use "all", "defaults" or one of ${choices(VIRIDIAN_ENLIGHTENMENTS)}, optionally with a leading "!"`);
      (neg ? disable : enable).add(v);
      (neg ? enable : disable).delete(v);
    }
  }
  h.viridian_enable = [...enable].sort((x, y) => x - y);
  h.viridian_disable = [...disable].sort((x, y) => x - y);
}

/** ioports, irqs and iomem: raw hardware resources handed to the guest. */
export function mapResources(c: Ctx): void {
  const b = c.m.b_info;
  const UINT32_MAX = 0xffffffff;
  const ioports = listAtoms(c, 'ioports');
  if (ioports) {
    b.ioports = ioports.map((a) => {
      const m = /^\s*(?:0[xX])?([0-9a-fA-F]+)(?:-(?:0[xX])?([0-9a-fA-F]+))?$/.exec(a.text);
      if (!m) failValue(c, a, `invalid ioport range "${a.text}"`, 'write a hex port or range, e.g. "2f8-2ff"');
      const first = parseInt(m[1], 16);
      const last = m[2] === undefined ? first : parseInt(m[2], 16);
      if (first >= UINT32_MAX || last >= UINT32_MAX) failValue(c, a, `ioport ${(first >= UINT32_MAX ? first : last).toString(16)} too big`, 'I/O ports are 32-bit numbers');
      if (last < first) failValue(c, a, `invalid ioport range "${a.text}": the end is below the start`, 'write FIRST-LAST with FIRST <= LAST, in hex');
      return { first, number: last - first + 1 };
    });
  }
  const irqs = listAtoms(c, 'irqs');
  if (irqs) {
    b.irqs = irqs.map((a) => {
      if (!/^\s*\+?\d+$/.test(a.text)) failValue(c, a, `invalid irq "${a.text}"`, 'write a decimal IRQ number');
      const n = Number(a.text.trim());
      if (n >= UINT32_MAX) failValue(c, a, `irq ${n} too big`, 'IRQs are 32-bit numbers');
      return n;
    });
  }
  const iomem = listAtoms(c, 'iomem');
  if (iomem) {
    const hex = '\\s*(?:0[xX])?([0-9a-fA-F]+)';
    const re = new RegExp(`^${hex},${hex}(?:@${hex})?$`);
    b.iomem = iomem.map((a) => {
      const m = re.exec(a.text);
      if (!m) failValue(c, a, `invalid iomem "${a.text}"`, 'write "START,NUMBER[@GFN]" in hex page frame numbers, e.g. "fed40,5"');
      const big = [m[1], m[2], m[3]].find((x) => x !== undefined && !Number.isSafeInteger(parseInt(x, 16)));
      if (big !== undefined) failValue(c, a, `iomem value ${big} is too large`, 'iomem takes page frame numbers, not byte addresses');
      const r: { start: number; number: number; gfn?: number } = { start: parseInt(m[1], 16), number: parseInt(m[2], 16) };
      if (m[3] !== undefined) r.gfn = parseInt(m[3], 16);
      return r;
    });
  }
}
