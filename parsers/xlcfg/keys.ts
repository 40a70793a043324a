// Every key xl 4.17 reads from a domain config (parse_config_data in tools/xl/xl_parse.c),
// with the guest types it is read for, and what xl.cfg(5) says is deprecated. xl ignores
// keys it does not know, so everything checkKeys reports is a warning.

import type { Diagnostic } from '../../src/core/errors.js';
import { suggest } from '../suggest.js';
import { diagAt, parseCLong } from './access.js';
import type { CfgFile, Setting } from './syntax.js';

export type KeyType = 'string' | 'number' | 'bool' | 'list' | 'string-or-list' | 'number-or-string' | 'bool-or-list';
export type GuestType = 'pv' | 'pvh' | 'hvm';

export interface KeyInfo {
  name: string;
  type: KeyType;
  /** guest types xl reads the key for (elsewhere it is ignored) */
  applies: readonly GuestType[];
  /** set for keys that only mean something on one architecture */
  arch?: 'x86' | 'arm';
  summary: string;
  /** the key itself is deprecated or ignored; `use` names its replacement */
  deprecated?: { use?: string; note: string };
}

const ALL: GuestType[] = ['pv', 'pvh', 'hvm'];
const T: Record<string, GuestType[]> = { all: ALL, pv: ['pv'], pvh: ['pvh'], hvm: ['hvm'], 'pv+hvm': ['pv', 'hvm'], 'pv+pvh': ['pv', 'pvh'], 'hvm+pvh': ['hvm', 'pvh'] };

// name, type, guest types, summary[, extra]
type Row = [string, KeyType, keyof typeof T, string, Partial<KeyInfo>?];
const x86 = { arch: 'x86' } as const;
const arm = { arch: 'arm' } as const;

const ROWS: Row[] = [
  // identity and type
  ['name', 'string', 'all', 'domain name (required)'],
  ['uuid', 'string', 'all', 'domain UUID; a random one is made when absent'],
  ['type', 'string', 'all', 'guest type: "pv", "pvh" or "hvm" (x86 default pv, Arm default pvh)'],
  ['builder', 'string', 'all', 'old way to pick the guest type ("generic" = pv, "hvm")', { deprecated: { use: 'type', note: 'deprecated since Xen 4.10' } }],
  ['pool', 'string', 'all', 'CPU pool to create the domain in'],
  ['seclabel', 'string', 'all', 'XSM/FLASK security label of the domain'],
  ['init_seclabel', 'string', 'all', 'XSM label used while building, before switching to seclabel'],
  ['driver_domain', 'bool', 'all', 'domain acts as a backend (driver) domain'],
  ['passthrough', 'string', 'all', 'IOMMU page-table mode for passthrough: disabled, enabled, sync_pt, share_pt, default'],
  // CPUs
  ['vcpus', 'number', 'all', 'number of vCPUs online at boot'],
  ['maxvcpus', 'number', 'all', 'maximum vCPUs (hot-pluggable up to this)'],
  ['cpus', 'string-or-list', 'all', 'hard affinity: a cpu list for all vCPUs, or one list entry per vCPU'],
  ['cpus_soft', 'string-or-list', 'all', 'soft affinity, same forms as cpus'],
  ['cpu_weight', 'number', 'all', 'scheduler weight (credit/credit2)'],
  ['cap', 'number', 'all', 'CPU cap in percent of one physical CPU (credit)'],
  ['period', 'number', 'all', 'scheduler period (RTDS/ARINC653), microseconds'],
  ['slice', 'number', 'all', 'scheduler time slice, microseconds'],
  ['latency', 'number', 'all', 'scheduler latency hint'],
  ['extratime', 'number', 'all', 'may use idle CPU time beyond its budget (RTDS)'],
  ['vnuma', 'list', 'all', 'virtual NUMA nodes: a list of [ "pnode=..", "size=..", "vcpus=..", "vdistances=.." ] lists'],
  // memory
  ['memory', 'number', 'all', 'memory at boot, MiB'],
  ['maxmem', 'number', 'all', 'maximum memory, MiB (balloon up to this)'],
  ['shadow_memory', 'number', 'hvm+pvh', 'shadow page-table memory, MiB'],
  ['hap', 'bool', 'hvm+pvh', 'use hardware-assisted paging (EPT/NPT)'],
  ['oos', 'bool', 'hvm+pvh', 'out-of-sync shadow page tables'],
  ['max_grant_frames', 'number', 'all', 'grant table size in frames (default from xl.conf or Xen)'],
  ['max_maptrack_frames', 'number', 'all', 'maptrack table size in frames'],
  ['max_grant_version', 'number', 'all', 'highest grant table version the guest may use'],
  ['max_event_channels', 'number', 'all', 'maximum number of event channels'],
  // lifecycle
  ['on_poweroff', 'string', 'all', 'action when the guest powers off (destroy, restart, preserve, ...)'],
  ['on_reboot', 'string', 'all', 'action when the guest reboots'],
  ['on_watchdog', 'string', 'all', 'action when the watchdog fires'],
  ['on_crash', 'string', 'all', 'action when the guest crashes'],
  ['on_soft_reset', 'string', 'all', 'action on a soft reset'],
  ['nomigrate', 'bool', 'all', 'forbid migration (allows features that cannot migrate)'],
  // boot
  ['kernel', 'string', 'all', 'kernel image path for direct boot'],
  ['ramdisk', 'string', 'all', 'initrd path for direct boot'],
  ['cmdline', 'string', 'all', 'kernel command line (overrides root and extra)'],
  ['root', 'string', 'all', 'adds root=<value> to the kernel command line'],
  ['extra', 'string', 'all', 'appended to the kernel command line'],
  ['firmware', 'string', 'all', 'HVM: bios, uefi, seabios, rombios, ovmf or a path; PV/PVH: pvgrub32 or pvgrub64'],
  ['bootloader', 'string', 'pv+pvh', 'program run in dom0 to find the kernel (e.g. pygrub)'],
  ['bootloader_args', 'string-or-list', 'pv+pvh', 'arguments for the bootloader'],
  ['device_tree', 'string', 'all', 'device tree fragment to merge into the guest tree', arm],
  // PVH
  ['pvshim', 'bool', 'pvh', 'run a PV guest inside a PVH shim'],
  ['pvshim_path', 'string', 'pvh', 'shim binary to use'],
  ['pvshim_cmdline', 'string', 'pvh', 'shim command line'],
  ['pvshim_extra', 'string', 'pvh', 'appended to the shim command line'],
  // PV
  ['e820_host', 'bool', 'pv', 'give the guest the host memory map (for PCI passthrough)'],
  ['xend_suspend_evtchn_compat', 'bool', 'all', 'xend-compatible suspend event channel for old PV guests'],
  // devices
  ['disk', 'list', 'all', 'virtual disks, one disk spec string each'],
  ['vif', 'list', 'all', 'virtual network interfaces, one vif spec string each'],
  ['vif2', 'list', 'all', 'netchannel2 interfaces', { deprecated: { use: 'vif', note: 'netchannel2 is not supported; xl ignores it' } }],
  ['vtpm', 'list', 'all', 'virtual TPMs'],
  ['p9', 'list', 'all', '9pfs shares'],
  ['pvcalls', 'list', 'all', 'PV calls backends'],
  ['vfb', 'list', 'all', 'virtual framebuffers (VNC/SDL) with their keyboards'],
  ['vkb', 'list', 'all', 'virtual keyboard/pointer devices'],
  ['vdispl', 'list', 'all', 'virtual displays'],
  ['vsnd', 'list', 'all', 'virtual sound cards: a list of lists of CARD/PCM/STREAM strings'],
  ['channel', 'list', 'all', 'virtual serial channels (PV console protocol)'],
  ['usbctrl', 'list', 'all', 'USB controllers'],
  ['usbdev', 'list', 'all', 'USB devices passed through from the host'],
  ['pci', 'list', 'all', 'PCI devices passed through from the host'],
  ['pci_permissive', 'bool', 'all', 'default for PCI devices: allow writes to all config space'],
  ['pci_msitranslate', 'bool', 'all', 'default for PCI devices: translate MSI to INTx'],
  ['pci_seize', 'bool', 'all', 'default for PCI devices: take them from dom0 drivers'],
  ['pci_power_mgmt', 'bool', 'all', 'default for PCI devices: allow power management'],
  ['rdm', 'string', 'hvm', 'reserved device memory policy, e.g. "strategy=host,policy=relaxed"'],
  ['rdm_mem_boundary', 'number', 'hvm', 'RDM boundary, MiB'],
  ['dtdev', 'list', 'all', 'device tree nodes to pass through', arm],
  ['ioports', 'list', 'all', 'I/O port ranges to pass through (hex)', x86],
  ['iomem', 'list', 'all', 'machine memory ranges to map: "START,NUM[@GFN]" in pages, hex'],
  ['irqs', 'list', 'all', 'physical IRQs to pass through'],
  // graphics and device model
  ['vnc', 'bool', 'pv+hvm', 'enable a VNC display (PV: creates a vfb unless vfb= is set)'],
  ['vnclisten', 'string', 'pv+hvm', 'VNC listen address[:display]'],
  ['vncdisplay', 'number', 'pv+hvm', 'VNC display number'],
  ['vncunused', 'bool', 'pv+hvm', 'find an unused VNC display'],
  ['vncpasswd', 'string', 'pv+hvm', 'VNC password'],
  ['vncviewer', 'number', 'all', 'start a VNC viewer', { deprecated: { note: 'xl ignores it: use xl create -V' } }],
  ['sdl', 'bool', 'pv+hvm', 'enable an SDL display'],
  ['opengl', 'bool', 'pv+hvm', 'use OpenGL for SDL'],
  ['display', 'string', 'pv+hvm', 'X display for SDL'],
  ['xauthority', 'string', 'pv+hvm', 'Xauthority file for SDL'],
  ['keymap', 'string', 'pv+hvm', 'keyboard layout for VNC/SDL (e.g. "en-us")'],
  ['dm_restrict', 'bool', 'all', 'run the device model deprivileged'],
  ['device_model', 'string', 'all', 'old device model path', { deprecated: { use: 'device_model_override', note: 'xl ignores it' } }],
  ['device_model_override', 'string', 'all', 'path of a non-default device model binary'],
  ['device_model_version', 'string', 'all', 'device model: "qemu-xen" or "qemu-xen-traditional"'],
  ['device_model_stubdomain_override', 'bool', 'hvm', 'run the device model in a stub domain'],
  ['device_model_stubdomain_seclabel', 'string', 'hvm', 'XSM label of the stub domain'],
  ['device_model_user', 'string', 'all', 'user the device model runs as'],
  ['device_model_args', 'list', 'all', 'extra device model arguments'],
  ['device_model_args_pv', 'list', 'pv', 'extra device model arguments for PV guests'],
  ['device_model_args_hvm', 'list', 'hvm', 'extra device model arguments for HVM guests'],
  ['stubdomain_kernel', 'string', 'hvm', 'stub domain kernel image'],
  ['stubdomain_cmdline', 'string', 'hvm', 'stub domain command line'],
  ['stubdomain_ramdisk', 'string', 'hvm', 'stub domain initrd'],
  ['stubdomain_memory', 'number', 'hvm', 'stub domain memory, MiB'],
  // HVM
  ['firmware_override', 'string', 'hvm', 'path of a non-default hvmloader'],
  ['bios', 'string', 'hvm', 'BIOS: rombios, seabios or ovmf'],
  ['bios_path_override', 'string', 'hvm', 'path of the BIOS image'],
  ['pae', 'bool', 'hvm', 'expose PAE'],
  ['acpi', 'bool', 'hvm+pvh', 'expose ACPI tables'],
  ['acpi_s3', 'bool', 'hvm', 'expose ACPI S3 (suspend to RAM)'],
  ['acpi_s4', 'bool', 'hvm', 'expose ACPI S4 (suspend to disk)'],
  ['acpi_laptop_slate', 'bool', 'hvm', 'expose a laptop/slate mode switch'],
  ['acpi_firmware', 'string', 'hvm', 'extra ACPI tables file'],
  ['smbios_firmware', 'string', 'hvm', 'extra SMBIOS structures file'],
  ['apic', 'bool', 'hvm', 'expose local APICs'],
  ['nx', 'bool', 'hvm', 'expose the no-execute bit'],
  ['hpet', 'bool', 'hvm', 'emulate an HPET'],
  ['vpt_align', 'bool', 'hvm', 'align periodic timer interrupts'],
  ['viridian', 'bool-or-list', 'hvm', 'Hyper-V enlightenments: 1/0, or a list of groups ("all", "!freq", ...)', x86],
  ['mmio_hole', 'number', 'hvm', 'size of the MMIO hole below 4 GiB, MiB'],
  ['altp2m', 'number-or-string', 'hvm+pvh', 'alternate p2m mode: disabled, mixed, external, limited'],
  ['altp2mhvm', 'bool', 'hvm', 'old switch for altp2m', { deprecated: { use: 'altp2m', note: 'use altp2m="mixed" (or "disabled")' } }],
  ['nestedhvm', 'bool', 'hvm+pvh', 'expose hardware virtualisation to the guest'],
  ['ms_vm_genid', 'string', 'hvm', 'Microsoft VM generation ID: "generate" or "none"'],
  ['mca_caps', 'list', 'hvm', 'machine-check capabilities (only "lmce")', x86],
  ['cpuid', 'string-or-list', 'all', 'CPUID policy: a "host,..." string or a list of xend-style leaf strings', x86],
  ['tsc_mode', 'number-or-string', 'all', 'TSC mode: default, always_emulate, native, native_paravirt', x86],
  ['localtime', 'bool', 'all', 'RTC keeps local time instead of UTC'],
  ['rtc_timeoffset', 'number', 'all', 'RTC offset from UTC, seconds'],
  ['timer_mode', 'number-or-string', 'hvm+pvh', 'virtual timer mode (no_delay_for_missed_ticks, ...)'],
  ['videoram', 'number', 'hvm', 'video memory, MiB'],
  ['stdvga', 'bool', 'hvm', 'emulate a standard VGA card', { deprecated: { use: 'vga', note: 'use vga="stdvga"' } }],
  ['vga', 'string', 'hvm', 'emulated graphics card: none, stdvga, cirrus or qxl'],
  ['nographic', 'bool', 'hvm', 'no emulated graphics output'],
  ['gfx_passthru', 'number-or-string', 'hvm', 'make a passed-through GPU primary: 0, 1, "default" or "igd"'],
  ['hdtype', 'string', 'hvm', 'emulated disk controller: ide or ahci'],
  ['boot', 'string', 'hvm', 'boot order: c (disk), d (cdrom), n (network)'],
  ['serial', 'string-or-list', 'hvm', 'emulated serial ports (e.g. "pty")'],
  ['soundhw', 'string', 'hvm', 'emulated sound card'],
  ['usb', 'bool', 'hvm', 'emulated USB bus (qemu); usbctrl/usbdev are the newer way'],
  ['usbversion', 'number', 'hvm', 'emulated USB controller version: 1, 2 or 3'],
  ['usbdevice', 'string-or-list', 'hvm', 'devices on the emulated USB bus (e.g. "tablet")'],
  ['vkb_device', 'bool', 'hvm', 'give the guest a PV keyboard device'],
  ['xen_platform_pci', 'bool', 'hvm', 'Xen platform PCI device (needed for PV drivers)'],
  ['vendor_device', 'string', 'hvm', 'vendor platform device: none or xenserver'],
  ['spice', 'bool', 'hvm', 'enable SPICE'],
  ['spicehost', 'string', 'hvm', 'SPICE listen address'],
  ['spiceport', 'number', 'hvm', 'SPICE port'],
  ['spicetls_port', 'number', 'hvm', 'SPICE TLS port'],
  ['spicedisable_ticketing', 'bool', 'hvm', 'SPICE without a password'],
  ['spicepasswd', 'string', 'hvm', 'SPICE password'],
  ['spiceagent_mouse', 'bool', 'hvm', 'SPICE agent mouse mode'],
  ['spicevdagent', 'bool', 'hvm', 'SPICE vdagent channel'],
  ['spice_clipboard_sharing', 'bool', 'hvm', 'SPICE clipboard sharing'],
  ['spiceusbredirection', 'number', 'hvm', 'number of SPICE USB redirection channels'],
  ['spice_image_compression', 'string', 'hvm', 'SPICE image compression'],
  ['spice_streaming_video', 'string', 'hvm', 'SPICE video streaming'],
  // misc
  ['vmtrace_buf_kb', 'number', 'hvm', 'processor trace buffer per vCPU, KiB'],
  ['vpmu', 'bool', 'all', 'virtual performance counters'],
  ['msr_relaxed', 'bool', 'all', 'relaxed MSR access policy (to be removed)', x86],
  ['vuart', 'string', 'all', 'emulated UART for the guest ("sbsa_uart")', arm],
  ['gic_version', 'string', 'all', 'interrupt controller version: v2, v3 or default', arm],
  ['tee', 'string', 'all', 'trusted execution environment mediator: none or optee', arm],
];

export const KNOWN_KEYS: ReadonlyMap<string, KeyInfo> = new Map(
  ROWS.map(([name, type, applies, summary, extra]) => [name, { name, type, applies: T[applies], summary, ...extra }]),
);

// keys of the old xm/xend toolstack (and libvirt's xl writer) that xl never reads
const XM_ONLY: Record<string, string> = {
  parallel: 'xl has no parallel port option',
  vscsi: 'xl 4.17 has no vscsi devices',
  vncconsole: 'use xl create -V to start a viewer',
  monitor: 'xl has no qemu monitor option',
  on_xend_start: 'there is no xend with xl',
  on_xend_stop: 'there is no xend with xl',
  bootargs: 'use bootloader_args',
  vcpu_avail: 'use vcpus and maxvcpus',
};

export function keyInfo(name: string): KeyInfo | undefined {
  return KNOWN_KEYS.get(name);
}

/** The guest type xl will build for this config, as xl reads `type` and `builder`. */
export function guestTypeOf(cfg: CfgFile, arch: 'x86' | 'arm' = 'x86'): GuestType | undefined {
  const pick = (key: string, names: Array<[string, GuestType]>): GuestType | null | undefined => {
    const s = cfg.settings.get(key);
    if (!s) return undefined;
    if (s.value.kind !== 'atom') return null;
    const text = s.value.text;
    // xl compares with strncmp over the given length, so a prefix ("h", even "") matches
    for (const [n, t] of names) if (n.startsWith(text)) return t;
    return null;
  };
  const type = pick('type', [['hvm', 'hvm'], ['pv', 'pv'], ['pvh', 'pvh']]);
  if (type === null) return undefined;
  const builder = pick('builder', [['hvm', 'hvm'], ['generic', 'pv']]);
  if (builder === null) return undefined;
  return type ?? builder ?? (arch === 'arm' ? 'pvh' : 'pv');
}

const TYPE_NAMES: Record<GuestType, string> = { pv: 'PV', pvh: 'PVH', hvm: 'HVM' };

export function checkKeys(cfg: CfgFile, opts: { arch?: 'x86' | 'arm' } = {}): Diagnostic[] {
  const arch = opts.arch ?? 'x86';
  const out: Diagnostic[] = [];
  const guest = guestTypeOf(cfg, arch);
  const warn = (s: Setting, message: string, hint?: string) =>
    out.push(diagAt(cfg, s.keyPos, message, hint, s.key.length, 'warning'));
  const valueWarn = (s: Setting, message: string, hint?: string) =>
    out.push(diagAt(cfg, s.value.pos, message, hint, s.value.end.line === s.value.pos.line ? s.value.end.offset - s.value.pos.offset : 1, 'warning'));

  for (const s of cfg.settings.values()) {
    const info = KNOWN_KEYS.get(s.key);
    if (!info) {
      const xm = XM_ONLY[s.key];
      if (xm) { warn(s, `\`${s.key}\` is an xm (xend) key that xl ignores`, xm); continue; }
      const near = suggest(s.key, KNOWN_KEYS.keys());
      warn(s, `unknown key \`${s.key}\``, near ? `did you mean \`${near}\`? (xl ignores unknown keys)` : 'xl ignores unknown keys');
      continue;
    }
    if (info.deprecated) {
      const d = info.deprecated;
      warn(s, `\`${s.key}\` is deprecated${d.use ? `; use \`${d.use}\`` : ''}`, d.note);
    }
    if (info.arch && info.arch !== arch) {
      warn(s, `\`${s.key}\` is only used on ${info.arch === 'arm' ? 'Arm' : 'x86'} hosts`, `xl on ${arch === 'arm' ? 'Arm' : 'x86'} ignores it or fails`);
    } else if (guest && !info.applies.includes(guest)) {
      const where = info.applies.map((t) => TYPE_NAMES[t]).join('/');
      warn(s, `\`${s.key}\` has no effect on a ${TYPE_NAMES[guest]} guest`, `it applies to ${where} guests; this config's type is ${guest}`);
    }
    checkForm(s, guest, valueWarn);
  }

  const cmdline = cfg.settings.get('cmdline');
  if (cmdline) for (const k of ['root', 'extra']) {
    const s = cfg.settings.get(k);
    if (s) warn(s, `\`${k}\` is ignored because \`cmdline\` is set`, `put everything in cmdline (line ${cmdline.keyPos.line})`);
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}

/** Value forms that xl still accepts but xl.cfg(5) calls deprecated. */
function checkForm(s: Setting, guest: GuestType | undefined, warn: (s: Setting, m: string, h?: string) => void): void {
  const v = s.value;
  if (v.kind !== 'atom') return;
  const isNumber = parseCLong(v.text).ok;
  switch (s.key) {
    case 'tsc_mode':
    case 'timer_mode':
      if (isNumber && s.op === '=') warn(s, `\`${s.key}\` given as a number is deprecated`, 'use the named mode, e.g. ' + (s.key === 'tsc_mode' ? 'tsc_mode="default"' : 'timer_mode="no_delay_for_missed_ticks"'));
      break;
    case 'bootloader_args':
      warn(s, '`bootloader_args` as a single string is deprecated', 'use a list: bootloader_args = [ "arg1", "arg2" ]');
      break;
    case 'usbdevice':
      warn(s, '`usbdevice` as a single string is the old form', `use a list: usbdevice = [ ${JSON.stringify(v.text)} ]`);
      break;
    case 'kernel':
      if (guest === 'hvm' && /(^|\/)hvmloader$/.test(v.text)) warn(s, 'xl ignores kernel="…hvmloader" for HVM guests', 'use firmware_override for a non-default hvmloader');
      break;
  }
}
