// libvirt domain XML -> the model, as libvirt's libxl driver builds libxl_domain_config
// (libvirt 9, src/libxl/libxl_conf.c), with libvirt's own parse-time defaults applied.
// Where the driver only reflects its own policy (its VNC port allocator, libxl's shadow
// memory estimate), txl leaves the decision to libxl, as xl does. Devices: read-devices.ts.
import { ConfigError, type Diagnostic } from '../../src/core/errors.js';
import type { BuildInfo, DomainConfig, DomainType, ShutdownAction } from '../../src/core/model.js';
import { parseXml, toSide, type XNode } from './dom.js';
import { readCpu, readFeatures } from './read-cpu.js';
import { readDevices } from './read-devices.js';
import { applyDelta } from '../delta.js';
import { isDeltaElement, readDeltaElement } from './meta.js';
import { memoryKiB, parseCpuset, Reader, type ReadOptions } from './reader.js';
import { setPath } from '../xlcfg/model-path.js';
import { textElements } from './key-table.js';

export type { ReadOptions, XmlSide } from './reader.js';

export const XEN_NS = 'http://libvirt.org/schemas/domain/xen/1.0';

export function xmlToModel(text: string, file: string, opts: ReadOptions = {}): { config: DomainConfig; warnings: Diagnostic[] } {
  const { root, map } = parseXml(text, file);
  const r = new Reader(file, map, opts);
  if (root.name !== 'domain') {
    throw new ConfigError([map.diag(root.pos, `the root element is <${root.name}>, expected <domain>`, file, 'error', 'is this a libvirt domain XML?')]);
  }
  const virt = r.attr(root, 'type');
  if (virt !== 'xen') {
    r.errorAttr(root, 'type', virt === undefined ? "<domain> has no type; txl runs Xen domains (type='xen')" : `domain type '${virt}' is not Xen`, "use <domain type='xen'>");
  }
  r.skipAttrs(root, 'id'); // the running domain's id in dumpxml output; not configuration

  const cfg: DomainConfig = { c_info: {}, b_info: {} };
  const type = readOs(r, root, cfg);
  readGeneral(r, root, cfg);
  readFeatures(r, root, cfg, type);
  readClock(r, root, cfg, type);
  readCpu(r, root, cfg, type);
  readDevices(r, root, cfg, type);
  readXenNamespace(r, root, cfg);
  r.sweep(root);

  if (Object.keys(r.side).length) cfg.side = { xml: { ...r.side } };
  if (r.errors.length) throw new ConfigError([...r.errors, ...r.warnings]);
  const config = prune(cfg) as DomainConfig;
  // txl's metadata last: it corrects the libvirt reading of fields libvirt cannot express
  applyDelta(config, r.delta, (message) => r.warn(r.deltaAt ?? root, message, 'the libvirt elements win; remove the entry from <metadata> to silence this'));
  return { config, warnings: r.warnings };
}

/** Drops undefined values and empty objects (but keeps list entries, which count). */
export function prune(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x && typeof x === 'object' && !Array.isArray(x) ? prune(x) : x));
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    const p = prune(x);
    // an empty keyed-union variant ("type.pv": {}) still says which variant it is
    if (p && typeof p === 'object' && !Array.isArray(p) && !Object.keys(p).length && !k.includes('.')) continue;
    if (Array.isArray(p) && !p.length && k !== 'msr') continue;
    out[k] = p;
  }
  return out;
}

/** <kernel>, <initrd>, <cmdline> */
const OS_TEXT = textElements('os');

const roundMiB = (kib: number) => Math.ceil(kib / 1024) * 1024;

function readOs(r: Reader, root: XNode, cfg: DomainConfig): DomainType {
  const os = r.child(root, 'os');
  const t = os && r.child(os, 'type');
  if (!os || !t) {
    r.error(os ?? root, 'the domain has no <os><type>', "add <os><type>hvm</type></os> (or 'xen' for PV, 'xenpvh' for PVH)");
    return 'pv';
  }
  const word = r.text(t);
  const type: DomainType | undefined = word === 'hvm' ? 'hvm' : word === 'xen' || word === 'linux' ? 'pv' : word === 'xenpvh' ? 'pvh' : undefined;
  if (!type) r.errorText(t, `OS type '${word}' is not one Xen runs`, "use 'hvm', 'xen' (PV) or 'xenpvh' (PVH)");
  const machine = t.attrs.find(([k]) => k === 'machine')?.[1];
  if (machine === undefined || machine === { hvm: 'xenfv', pv: 'xenpv', pvh: 'xenpvh' }[type ?? 'pv']) r.skipAttrs(t, 'machine');
  const arch = t.attrs.find(([k]) => k === 'arch')?.[1];
  if (arch === undefined || ['x86_64', 'i686', 'aarch64', 'armv7l'].includes(arch)) r.skipAttrs(t, 'arch');
  cfg.c_info.type = type ?? 'pv';
  const b = cfg.b_info;
  const hvm = type === 'hvm';

  const one = (name: string) => {
    const n = r.child(os, name);
    return n ? r.text(n) : undefined;
  };
  for (const e of OS_TEXT) setPath(cfg, e.path, one(e.name));
  const kernel = b.kernel;

  if (hvm) {
    const h: NonNullable<BuildInfo['type.hvm']> = (b['type.hvm'] = {});
    const loader = r.child(os, 'loader');
    const efi = r.attr(os, 'firmware');
    if (efi !== undefined && efi !== 'efi' && efi !== 'bios') r.errorAttr(os, 'firmware', `firmware '${efi}' is not one Xen boots`, "use 'efi' or 'bios'");
    if (loader) {
      const path = r.text(loader);
      const ltype = r.oneOf(loader, 'type', ['rom', 'pflash'] as const);
      if (r.attr(loader, 'secure') === 'yes') r.errorAttr(loader, 'secure', 'Secure boot is not supported on Xen');
      const fmt = r.attr(loader, 'format');
      if (fmt !== undefined && fmt !== 'raw') r.errorAttr(loader, 'format', `loader format '${fmt}' is not supported`, "Xen loads 'raw' firmware only");
      r.skipAttrs(loader, 'readonly', 'secure');
      if (ltype === 'pflash' || efi === 'efi') {
        h.bios = 'ovmf';
        if (path) h.system_firmware = path;
      } else if (path && !/(^|\/)hvmloader$/.test(path)) {
        h.firmware = path;
      }
    } else if (efi === 'efi') {
      h.bios = 'ovmf';
    }
    const slic = os && r.child(os, 'acpi');
    for (const table of slic ? r.children(slic, 'table') : []) {
      if (r.attr(table, 'type') === 'slic') h.acpi_firmware = r.text(table);
      else r.errorAttr(table, 'type', "only the 'slic' ACPI table can be given to Xen");
    }
    const devs = r.children(os, 'boot').map((n) => {
      const dev = r.oneOf(n, 'dev', ['hd', 'cdrom', 'fd', 'network'] as const);
      return dev === 'fd' ? 'a' : dev === 'cdrom' ? 'd' : dev === 'network' ? 'n' : 'c';
    });
    h.boot = devs.length ? devs.join('') : 'c';
  } else {
    const bl = r.child(root, 'bootloader');
    const args = r.child(root, 'bootloader_args');
    if (bl) b.bootloader = r.text(bl);
    else if (type === 'pv' && !kernel) b.bootloader = 'pygrub'; // libvirt's default for PV without a kernel
    if (args) b.bootloader_args = r.text(args).split(/[ \t\n]+/).filter(Boolean);
    b[type === 'pvh' ? 'type.pvh' : 'type.pv'] = {};
  }
  return cfg.c_info.type;
}

const ACTIONS: Record<string, ShutdownAction> = {
  destroy: 'destroy', restart: 'restart', 'rename-restart': 'restart_rename', preserve: 'preserve',
  'coredump-destroy': 'coredump_destroy', 'coredump-restart': 'coredump_restart',
};

function readGeneral(r: Reader, root: XNode, cfg: DomainConfig) {
  const c = cfg.c_info;
  const b = cfg.b_info;
  const name = r.child(root, 'name');
  if (!name || !r.text(name)) r.error(name ?? root, 'the domain has no <name>');
  else c.name = r.text(name);
  const uuid = r.child(root, 'uuid');
  if (uuid) {
    const hex = r.text(uuid).replace(/-/g, '').toLowerCase();
    if (!/^[0-9a-f]{32}$/.test(hex)) r.errorText(uuid, `'${r.text(uuid)}' is not a UUID`);
    else c.uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  const title = r.child(root, 'title');
  if (title) r.side.title = r.text(title);
  const desc = r.child(root, 'description');
  if (desc) r.side.description = r.text(desc);
  const meta = r.child(root, 'metadata');
  if (meta) {
    r.implicit(meta);
    const own = meta.children.filter(isDeltaElement);
    for (const n of own) r.delta.push(...readDeltaElement(n, (at, message) => r.error(at, message)));
    if (own.length) r.deltaAt = own[0];
    // an empty <metadata/> of the source is kept; one that held only txl's part is not
    if (own.length < meta.children.length || !meta.children.length) r.side.metadata = meta.children.filter((n) => !isDeltaElement(n)).map(toSide);
  }
  const label = seclabel(r, root);
  if (label) c.ssid_label = label;

  const mem = r.child(root, 'memory');
  const cur = r.child(root, 'currentMemory');
  const maxKiB = mem ? memoryKiB(r, mem, r.text(mem)) : undefined;
  if (!mem) r.error(root, 'the domain has no <memory>', "add e.g. <memory unit='MiB'>1024</memory>");
  const curKiB = cur ? memoryKiB(r, cur, r.text(cur)) : maxKiB;
  if (maxKiB !== undefined) b.max_memkb = roundMiB(maxKiB);
  if (curKiB !== undefined) b.target_memkb = roundMiB(curKiB);
  if (b.max_memkb !== undefined && b.target_memkb !== undefined && b.target_memkb > b.max_memkb) {
    r.error(cur!, `<currentMemory> (${b.target_memkb} KiB) is larger than <memory> (${b.max_memkb} KiB)`);
  }

  const vcpu = r.child(root, 'vcpu');
  const max = vcpu ? r.intText(vcpu, { min: 1 }) : 1;
  if (max !== undefined) {
    const current = vcpu ? r.int(vcpu, 'current', { min: 1, max }) ?? max : max;
    b.max_vcpus = max;
    b.avail_vcpus = [...Array(current).keys()];
    const placement = vcpu?.attrs.find(([k]) => k === 'placement')?.[1];
    if (placement === 'static') r.skipAttrs(vcpu!, 'placement');
    const cpuset = vcpu && r.attr(vcpu, 'cpuset');
    const all = cpuset !== undefined ? parseCpuset(cpuset) : undefined;
    if (cpuset !== undefined && !all?.length) r.errorAttr(vcpu!, 'cpuset', `'${cpuset}' is not a CPU list`, "e.g. '0-3,^2'");
    readCputune(r, root, b, max, all);
  }

  for (const [el, field] of [['on_poweroff', 'on_poweroff'], ['on_reboot', 'on_reboot'], ['on_crash', 'on_crash']] as const) {
    const n = r.child(root, el);
    if (!n) {
      if (el === 'on_reboot') cfg.on_reboot = 'restart'; // libvirt's default when the element is absent
      continue;
    }
    const v = ACTIONS[r.text(n)];
    if (!v || (el !== 'on_crash' && v.startsWith('coredump'))) r.errorText(n, `<${el}>${r.text(n)}</${el}> is not a lifecycle action`);
    else if (v !== 'destroy') cfg[field] = v;
  }
}

function seclabel(r: Reader, root: XNode): string | undefined {
  const s = root.children.find((n) => n.name === 'seclabel');
  if (!s || s.attrs.find(([k]) => k === 'type')?.[1] !== 'static') return undefined;
  const label = s.children.find((n) => n.name === 'label');
  if (!label) return undefined;
  r.child(root, 'seclabel');
  r.skipAttrs(s, 'type', 'relabel');
  if ([undefined, 'xen'].includes(r.peek(s, 'model'))) r.skipAttrs(s, 'model');
  return r.text(label);
}

function readCputune(r: Reader, root: XNode, b: BuildInfo, maxVcpus: number, cpuset: number[] | undefined) {
  const tune = r.child(root, 'cputune');
  const shares = tune && r.child(tune, 'shares');
  if (shares) {
    const w = r.intText(shares, { min: 1 });
    if (w !== undefined) b.sched_params = { weight: w };
  }
  const pins = new Map<number, number[]>();
  for (const p of tune ? r.children(tune, 'vcpupin') : []) {
    const id = r.int(p, 'vcpu', { min: 0, max: maxVcpus - 1 });
    const set = r.attr(p, 'cpuset');
    const bits = set !== undefined ? parseCpuset(set) : undefined;
    if (!bits?.length) r.errorAttr(p, 'cpuset', `'${set ?? ''}' is not a CPU list`);
    else if (id !== undefined) pins.set(id, bits);
  }
  if (pins.size) {
    // unpinned vCPUs may run anywhere: every host CPU, or the <vcpu cpuset> if given
    const host = r.opts.host;
    const any = cpuset ?? (host ? [...Array(host.nr_cpus).keys()] : [...new Set([...pins.values()].flat())].sort((x, y) => x - y));
    const last = cpuset ? maxVcpus - 1 : Math.max(...pins.keys());
    b.vcpu_hard_affinity = [...Array(last + 1).keys()].map((i) => pins.get(i) ?? any);
    b.numa_placement = 'False';
  } else if (cpuset) {
    b.vcpu_hard_affinity = [...Array(maxVcpus).keys()].map(() => cpuset);
  }
}

function readClock(r: Reader, root: XNode, cfg: DomainConfig, type: DomainType) {
  const clock = r.child(root, 'clock');
  if (!clock) return;
  const b = cfg.b_info;
  const offset = clock.attrs.find(([k]) => k === 'offset')?.[1] ?? 'utc';
  if (['utc', 'localtime', 'variable'].includes(offset)) {
    r.skipAttrs(clock, 'offset');
    const adj = r.attr(clock, 'adjustment');
    let basis = offset === 'variable' ? r.oneOf(clock, 'basis', ['utc', 'localtime'] as const) ?? 'utc' : offset;
    if (offset === 'localtime') basis = 'localtime';
    if (basis === 'localtime') b.localtime = 'True';
    if (adj !== undefined && adj !== 'reset') {
      if (!/^[+-]?[0-9]+$/.test(adj)) r.errorAttr(clock, 'adjustment', `clock adjustment '${adj}' is not a number of seconds`);
      else if (Number(adj) !== 0) b.rtc_timeoffset = Number(adj);
    }
  }
  for (const t of clock.children.filter((n) => n.name === 'timer')) {
    const name = t.attrs.find(([k]) => k === 'name')?.[1];
    if (name === 'tsc') {
      t.used = true;
      r.skipAttrs(t, 'name', 'present');
      const mode = r.oneOf(t, 'mode', ['auto', 'native', 'emulate', 'paravirt', 'smpsafe'] as const);
      if (mode === 'native') b.tsc_mode = 'native';
      else if (mode === 'emulate') b.tsc_mode = 'always_emulate';
      else if (mode === 'paravirt') b.tsc_mode = 'native_paravirt';
    } else if (name === 'hpet') {
      t.used = true;
      r.skipAttrs(t, 'name');
      const present = r.bool(t, 'present');
      if (type !== 'hvm') r.error(t, 'the hpet timer exists for HVM domains only');
      else if (present !== undefined) b['type.hvm']!.hpet = present ? 'True' : 'False';
    }
  }
}

/** <xen:commandline><xen:arg value='...'/>: extra arguments for the device model. */
function readXenNamespace(r: Reader, root: XNode, cfg: DomainConfig) {
  const prefixes = root.attrs.filter(([k, v]) => k.startsWith('xmlns:') && v === XEN_NS).map(([k]) => k.slice(6));
  for (const p of prefixes) {
    const cmd = r.child(root, `${p}:commandline`);
    if (!cmd) continue;
    const args = r.children(cmd, `${p}:arg`).map((a) => r.attr(a, 'value') ?? '');
    if (args.length) cfg.b_info.extra = [...(cfg.b_info.extra ?? []), ...args];
  }
}
