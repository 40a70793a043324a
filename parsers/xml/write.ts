// The model -> libvirt domain XML, in libvirt's own layout and element order. Everything
// libvirt can say is said with libvirt's elements, so that virsh (and libvirt's libxl
// driver) builds the same guest; what it cannot say goes to txl's <metadata> (meta.ts), and
// a leading comment names it. Devices: write-devices.ts.
//
// Where the model leaves a field to libxl's default, the writer states that default in
// libvirt's terms, because libvirt's absence means libvirt's default, which differs:
//   HVM ACPI, APIC, PAE: libxl on; libvirt's driver off without <acpi/>, <apic/> -> written
//   HVM boot order: libxl "cda"; libvirt "hd" alone without <boot> -> written
//   HVM video card: libxl cirrus (8 MiB on qemu-xen, 4 MiB on qemu-xen-traditional);
//     libvirt none without <video> and no display -> written
//   memory: libxl 32 MiB; libvirt has no default (<memory> is required) -> written
// The metadata then records that the model had left them unset, so txl reads back the
// model as it was.
import type { BuildInfo, DomainConfig, DomainType, ShutdownAction } from '../../src/core/model.js';
import { cpuidFeatures } from './cpuid.js';
import { el, fromSide, keyName, serialize, walk, type XNode } from './dom.js';
import { HYPERV_BASE, HYPERV_BITS, VIRIDIAN_WIDTH } from './read-cpu.js';
import { XEN_NS, xmlToModel } from './read.js';
import { delta, lostFields } from '../delta.js';
import { deltaElement } from './meta.js';
import { formatCpuset, type XmlSide } from './reader.js';
import { writeDevices } from './write-devices.js';
import { getPath } from '../xlcfg/model-path.js';
import { textElements } from './key-table.js';

/** <kernel>, <initrd>, <cmdline> */
const OS_TEXT = textElements('os');

export function modelToXml(cfg: DomainConfig): string {
  const root = libvirtElements(cfg);
  // what libvirt's elements alone read back as; the rest goes to txl's <metadata> (meta.ts)
  const entries = delta(cfg, xmlToModel(serialize(root), '<txl: domain XML as written>').config);
  if (entries.length) {
    let meta = root.children.find((n) => n.name === 'metadata');
    if (!meta) {
      meta = el('metadata');
      const at = root.children.findIndex((n) => !['name', 'uuid', 'genid', 'title', 'description'].includes(n.name));
      root.children.splice(at < 0 ? root.children.length : at, 0, meta);
    }
    meta.children.push(deltaElement(entries));
  }
  const lost = lostFields(entries);
  const note = lost.length
    ? `<!--\ntxl: libvirt has no element for these settings; they are kept in txl's <metadata>, which only txl reads:\n  ${lost.join('\n  ')}\n-->\n`
    : '';
  return note + serialize(root);
}

/** The domain in libvirt's own elements only. */
function libvirtElements(cfg: DomainConfig): XNode {
  const side = (cfg.side?.xml ?? {}) as XmlSide;
  const type: DomainType = cfg.c_info.type ?? 'pv';
  const b = cfg.b_info;
  const root = el('domain', { type: 'xen' });
  if (b.extra?.length) root.attrs.push(['xmlns:xen', XEN_NS]);
  const add = (n: XNode | undefined) => n && root.children.push(n);
  const text = (name: string, t: string | number | undefined, attrs: Record<string, string> = {}) => (t === undefined ? undefined : el(name, attrs, [], String(t)));

  add(text('name', cfg.c_info.name));
  add(text('uuid', cfg.c_info.uuid));
  add(text('title', side.title));
  add(text('description', side.description));
  if (side.metadata) add(el('metadata', {}, side.metadata.map(fromSide)));
  // libvirt refuses a current size above the maximum, which xl takes (maxmem < memory)
  const max = Math.max(b.max_memkb ?? 0, b.target_memkb ?? 0) || LIBXL_DEFAULT_MEMKB;
  add(text('memory', max, { unit: 'KiB' }));
  add(text('currentMemory', b.target_memkb ?? max, { unit: 'KiB' }));
  writeVcpus(b, add);
  const pv = b['type.pv'];
  if (type !== 'hvm') {
    add(text('bootloader', b.bootloader ?? pv?.bootloader));
    const args = b.bootloader_args ?? pv?.bootloader_args;
    if (args?.length) add(text('bootloader_args', args.join(' ')));
  }
  add(writeOs(cfg, type));
  add(writeFeatures(cfg, type));
  add(writeCpu(cfg, type));
  add(writeClock(cfg, type, !!side.attrs?.some((a) => a.at === 'clock[0]' && a.name === 'offset')));
  add(text('on_poweroff', action(cfg.on_poweroff)));
  add(text('on_reboot', action(cfg.on_reboot)));
  add(text('on_crash', action(cfg.on_crash)));
  add(writeDevices(cfg, type, side));
  if (cfg.c_info.ssid_label) add(el('seclabel', { type: 'static', model: 'xen', relabel: 'no' }, [el('label', {}, [], cfg.c_info.ssid_label)]));
  if (b.extra?.length) add(el('xen:commandline', {}, b.extra.map((v) => el('xen:arg', { value: v }))));
  mergeSide(root, side);
  return root;
}

/** libxl's max_memkb when nothing sets it (libxl__domain_build_info_setdefault). */
const LIBXL_DEFAULT_MEMKB = 32 * 1024;
/** libxl's HVM boot order when nothing sets it: disk, CD-ROM, floppy. */
const LIBXL_DEFAULT_BOOT = 'cda';

const ACTIONS: Record<ShutdownAction, string | undefined> = {
  destroy: 'destroy', restart: 'restart', restart_rename: 'rename-restart', preserve: 'preserve',
  coredump_destroy: 'coredump-destroy', coredump_restart: 'coredump-restart', soft_reset: undefined,
};
const action = (a: ShutdownAction | undefined) => ACTIONS[a ?? 'destroy'] ?? 'destroy';

function writeVcpus(b: BuildInfo, add: (n: XNode) => void) {
  const max = b.max_vcpus ?? b.avail_vcpus?.length ?? 1;
  const cur = b.avail_vcpus?.length ?? max;
  const aff = b.vcpu_hard_affinity ?? [];
  const same = aff.length === max && aff.every((a) => formatCpuset(a) === formatCpuset(aff[0]));
  const byCpuset = aff.length > 0 && same && b.numa_placement !== 'False';
  const attrs: Record<string, string | number | undefined> = { placement: 'static', cpuset: byCpuset ? formatCpuset(aff[0]) : undefined };
  if (cur !== max) attrs.current = cur;
  add(el('vcpu', attrs, [], String(max)));
  const tune: XNode[] = [];
  if (b.sched_params?.weight !== undefined) tune.push(el('shares', {}, [], String(b.sched_params.weight)));
  if (!byCpuset) aff.forEach((a, i) => tune.push(el('vcpupin', { vcpu: i, cpuset: formatCpuset(a) })));
  if (tune.length) add(el('cputune', {}, tune));
}

const BOOT: Record<string, string> = { a: 'fd', c: 'hd', d: 'cdrom', n: 'network' };

function writeOs(cfg: DomainConfig, type: DomainType): XNode {
  const b = cfg.b_info;
  const h = b['type.hvm'];
  const os = el('os');
  const [machine, word] = type === 'hvm' ? ['xenfv', 'hvm'] : type === 'pvh' ? ['xenpvh', 'xenpvh'] : ['xenpv', 'linux'];
  os.children.push(el('type', { arch: 'x86_64', machine }, [], word));
  if (h) {
    if (h.bios === 'ovmf') {
      if (h.system_firmware) os.children.push(el('loader', { readonly: 'yes', type: 'pflash' }, [], h.system_firmware));
      else os.attrs.push(['firmware', 'efi']);
    } else os.children.push(el('loader', { type: 'rom' }, [], h.firmware ?? '/usr/lib/xen/boot/hvmloader'));
  }
  for (const e of OS_TEXT) {
    const v = (getPath(cfg, e.path) ?? (e.alt && getPath(cfg, e.alt))) as string | undefined;
    if (v) os.children.push(el(e.name, {}, [], v));
  }
  if (h?.acpi_firmware) os.children.push(el('acpi', {}, [el('table', { type: 'slic' }, [], h.acpi_firmware)]));
  if (h) for (const c of h.boot ?? LIBXL_DEFAULT_BOOT) os.children.push(el('boot', { dev: BOOT[c] ?? 'hd' }));
  return os;
}

const on = (v: string | undefined) => v === 'True';

function writeFeatures(cfg: DomainConfig, type: DomainType): XNode | undefined {
  const b = cfg.b_info;
  const h = b['type.hvm'];
  const f = el('features');
  if (h) {
    // unset is libxl's default, on
    if ((b.acpi ?? h.acpi) !== 'False') f.children.push(el('acpi'));
    if ((b.apic ?? h.apic) !== 'False') f.children.push(el('apic'));
    if (h.pae !== 'False') f.children.push(el('pae'));
  }
  if (type !== 'pv' && cfg.c_info.hap) f.children.push(el('hap', { state: on(cfg.c_info.hap) ? 'on' : 'off' }));
  if (h) {
    const hv = writeHyperv(h.viridian, h.viridian_enable, h.viridian_disable);
    if (hv) f.children.push(hv);
  }
  const xen = el('xen');
  const e820 = b['type.pv']?.e820_host;
  if (type === 'pv' && e820) xen.children.push(el('e820_host', { state: on(e820) ? 'on' : 'off' }));
  const pt = cfg.c_info.passthrough;
  if (pt && pt !== 'default') {
    xen.children.push(el('passthrough', pt === 'disabled' ? { state: 'off' } : { state: 'on', mode: pt === 'enabled' ? undefined : pt }));
  }
  if (xen.children.length) f.children.push(xen);
  return f.children.length ? f : undefined;
}

/** libvirt's order of the Hyper-V features txl maps. */
const HYPERV_ORDER = ['vapic', 'synic', 'stimer', 'frequencies', 'tlbflush', 'ipi'];

function writeHyperv(viridian: string | undefined, enable: number[] | undefined, disable: number[] | undefined): XNode | undefined {
  const en = new Set(enable ?? []);
  if (en.size >= VIRIDIAN_WIDTH) return el('hyperv', { mode: 'passthrough' });
  // xl's viridian=1 means libxl's default group: base, freq, time_ref_count, apic_assist, crash_ctl
  if (viridian === 'True') [0, 1, 2, 5, 6].forEach((x) => en.add(x));
  if (!en.size && !disable?.length) return undefined;
  const off = new Set(disable ?? []);
  const hv = el('hyperv', { mode: 'custom' });
  for (const name of HYPERV_ORDER) {
    const bit = HYPERV_BITS[name];
    if (en.has(bit)) hv.children.push(el(name, { state: 'on' }));
    else if (off.has(bit)) hv.children.push(el(name, { state: 'off' }));
  }
  if (!hv.children.length && !HYPERV_BASE.some((x) => en.has(x))) return undefined;
  return hv;
}

function writeCpu(cfg: DomainConfig, type: DomainType): XNode | undefined {
  const b = cfg.b_info;
  const nested = b.nested_hvm ?? b['type.hvm']?.nested_hvm;
  const feats = cpuidFeatures(b.cpuid);
  const cpu = el('cpu');
  if (type !== 'pv' && (nested !== undefined || feats.length)) {
    cpu.attrs.push(['mode', 'host-passthrough']);
    for (const f of feats) cpu.children.push(el('feature', { policy: f.value === '1' ? 'force' : 'disable', name: f.name }));
    if (nested === 'False') cpu.children.push(el('feature', { policy: 'disable', name: 'vmx' }));
  }
  const nodes = b.vnuma_nodes ?? [];
  if (nodes.length) {
    const cells = nodes.map((n, i) => {
      const dist = (n.distances ?? []).map((v, j) => el('sibling', { id: j, value: v }));
      return el('cell', { id: i, cpus: formatCpuset(n.vcpus ?? []), memory: n.memkb ?? 0, unit: 'KiB' }, dist.length ? [el('distances', {}, dist)] : []);
    });
    cpu.children.push(el('numa', {}, cells));
  }
  return cpu.attrs.length || cpu.children.length ? cpu : undefined;
}

const TSC: Record<string, string | undefined> = { always_emulate: 'emulate', native: 'native', native_paravirt: 'paravirt' };

function writeClock(cfg: DomainConfig, type: DomainType, offsetKept: boolean): XNode {
  const b = cfg.b_info;
  const local = on(b.localtime);
  // an offset txl does not map (timezone, absolute) comes back from side.xml with its attributes
  const clock = offsetKept
    ? el('clock')
    : type === 'hvm' || b.rtc_timeoffset
      ? el('clock', { offset: 'variable', adjustment: b.rtc_timeoffset ?? 0, basis: local ? 'localtime' : 'utc' })
      : el('clock', { offset: local ? 'localtime' : 'utc', adjustment: 'reset' });
  const tsc = b.tsc_mode && TSC[b.tsc_mode];
  if (tsc) clock.children.push(el('timer', { name: 'tsc', present: 'yes', mode: tsc }));
  const hpet = b['type.hvm']?.hpet;
  if (type === 'hvm' && hpet) clock.children.push(el('timer', { name: 'hpet', present: on(hpet) ? 'yes' : 'no' }));
  return clock;
}

/** Puts side.xml's elements and attributes back where the reader found them. */
function mergeSide(root: XNode, side: XmlSide) {
  const byPath = new Map<string, XNode>();
  walk(root, (n, path) => void byPath.set(path, n));
  // an element the writer had no reason to emit (a <cpu> holding only kept parts) is made
  const ensure = (path: string): XNode => {
    const found = byPath.get(path);
    if (found || !path) return found ?? root;
    const cut = path.lastIndexOf('/');
    const parent = ensure(cut < 0 ? '' : path.slice(0, cut));
    const m = /^([^:[]+)(?::([^[]*))?\[\d+\]$/.exec(path.slice(cut + 1));
    const node = el(m?.[1] ?? 'unknown', m?.[2] && m[1] !== 'input' ? { type: m[2] } : {});
    parent.children.push(node);
    byPath.set(path, node);
    return node;
  };
  for (const a of side.attrs ?? []) {
    const n = ensure(a.at);
    const i = n.attrs.findIndex(([k]) => k === a.name);
    if (i >= 0) n.attrs[i] = [a.name, a.value];
    else n.attrs.push([a.name, a.value]);
  }
  for (const e of side.elements ?? []) {
    const parent = ensure(e.at);
    const node = fromSide(e.node);
    // a kept element replaces the plain one libvirt would add by itself
    const same = (c: XNode) => keyName(c) === keyName(node) && c.attrs.find(([x]) => x === 'type')?.[1] === node.attrs.find(([x]) => x === 'type')?.[1];
    parent.children = parent.children.filter((c) => !(c.implicit && same(c)));
    parent.children.push(node);
  }
}
