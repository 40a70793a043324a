// The xl.cfg key table: every key xl 4.17 reads from a domain config (parse_config_data in
// tools/xl/xl_parse.c), declared once, with
//   - its value form, the guest types xl reads it for, its architecture, its deprecation and
//     its one-line documentation (for checkKeys, `txl new` and completion),
//   - for a simple key (one model field, a plain conversion): the model path and the
//     conversion both ways, which the generic reader (map-keys.ts) and writer (write-keys.ts)
//     apply; where it is read and written among the other keys is xl's order (key-order.ts),
//   - for a structural key (devices, cpuid, vnuma, displays, enums with their own messages):
//     `by`, the functions that read and write it,
//   - the libvirt domain XML element or attribute it corresponds to, where there is one;
//     parsers/xml reads and writes the plain text elements from here (xmlText), the rest
//     with its own code,
//   - the words it takes, for completing `key=value` (src/cfgkeys.ts).
// Nothing here imports more than types and libxl's names: the completion path loads it.

import { PASSTHROUGH } from '../libxl-idl.js';

export type KeyType = 'string' | 'number' | 'bool' | 'list' | 'string-or-list' | 'number-or-string' | 'bool-or-list';
export type GuestType = 'pv' | 'pvh' | 'hvm';

/**
 * How a simple key becomes one model field and back:
 *   string   xlu_cfg_get_string, written quoted
 *   defbool  any number, non-zero is "True"; written 1 or 0
 *   i32/u32  a C long cut to int / uint32_t; u32s is written back as the signed number
 *   mib      a size in MiB, held in KiB; a size that is not whole MiB is written rounded with a note
 *   list     a list of strings
 *   enum     one of `words`: libxl's names matched case-insensitively (a list), or xl's own words
 *            for model values matched exactly (a record); anything else is refused with `bad`
 */
export type Conversion = 'string' | 'defbool' | 'i32' | 'u32' | 'u32s' | 'mib' | 'list' | 'enum';

export interface SimpleMapping {
  /** the model field, '/'-separated from the DomainConfig root (as in parsers/delta.ts) */
  path: string;
  conv: Conversion;
  /** the number xl fills in by itself: the writer leaves the key out for it */
  default?: number;
  /** mib: what the writer's note calls the size; list: what each item must be */
  label?: string;
  /** enum: the values; a record maps xl's word to the model's value */
  words?: readonly string[] | Readonly<Record<string, string>>;
  /** enum: the error for another word, with {key} and {v}; and its hint (default: the words) */
  bad?: string;
  hint?: string;
  /** enum: the word xl takes when the key is absent */
  absent?: string;
  /** enum: the model value an unset field means, for the writer */
  unset?: string;
  /** enum: model values the writer leaves out (xl's default), or the only ones it writes */
  omit?: readonly string[];
  only?: readonly string[];
  /** set when only one direction is generic: the function doing the other one */
  read?: string;
  write?: string;
}

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
  /** a simple key: read and written by the table */
  model?: SimpleMapping;
  /** a structural key: the functions that read it (map-*.ts) / write it (write*.ts) */
  by?: string;
  /** the libvirt domain XML that says the same thing */
  xml?: string;
  /**
   * set when `xml` is an element whose text is a model field (`path`, by default the simple
   * mapping's), which parsers/xml then reads and writes from this table; `alt` is a
   * deprecated field the writer falls back to
   */
  xmlText?: { path?: string; alt?: string };
  /** the words the key takes, for completion */
  values?: readonly string[];
}

const ALL: GuestType[] = ['pv', 'pvh', 'hvm'];
const T: Record<string, GuestType[]> = { all: ALL, pv: ['pv'], pvh: ['pvh'], hvm: ['hvm'], 'pv+hvm': ['pv', 'hvm'], 'pv+pvh': ['pv', 'pvh'], 'hvm+pvh': ['hvm', 'pvh'] };

const str = (path: string): SimpleMapping => ({ path, conv: 'string' });
const defbool = (path: string): SimpleMapping => ({ path, conv: 'defbool' });
const i32 = (path: string, dflt?: number): SimpleMapping => ({ path, conv: 'i32', default: dflt });
const u32 = (path: string, dflt?: number, signed = false): SimpleMapping => ({ path, conv: signed ? 'u32s' : 'u32', default: dflt });
const mib = (path: string, label: string): SimpleMapping => ({ path, conv: 'mib', label });
const list = (path: string, label: string): SimpleMapping => ({ path, conv: 'list', label });
const oneOf = (path: string, words: SimpleMapping['words'], bad: string, more: Partial<SimpleMapping> = {}): SimpleMapping => ({ path, conv: 'enum', words, bad, ...more });

/** xl's shutdown actions and libxl's names for them */
const ACTION_WORDS: Record<string, string> = {
  destroy: 'destroy', restart: 'restart', 'rename-restart': 'restart_rename', preserve: 'preserve',
  'coredump-destroy': 'coredump_destroy', 'coredump-restart': 'coredump_restart', 'soft-reset': 'soft_reset',
};
const ACTIONS = Object.keys(ACTION_WORDS);
const action = (key: string, absent: string, omit: string): SimpleMapping =>
  oneOf(key, ACTION_WORDS, 'unknown {key} action "{v}" specified', { absent, unset: 'destroy', omit: [omit] });
const GIC = ['default', 'v2', 'v3'];
const TEE = ['none', 'optee'];
const HDTYPE = ['ide', 'ahci'];

// name, type, guest types, summary, the rest
type Row = [string, KeyType, keyof typeof T, string, Omit<KeyInfo, 'name' | 'type' | 'applies' | 'summary'>];

const ROWS: Row[] = [
  // identity and type
  ['name', 'string', 'all', 'domain name (required)', { by: 'map-domain.ts mapCreateInfo (required) / write.ts plainXlcfg', xml: "name" }],
  ['uuid', 'string', 'all', 'domain UUID; a random one is made when absent', { by: 'map-domain.ts mapCreateInfo (checked, lower-cased) / write.ts plainXlcfg', xml: "uuid" }],
  ['type', 'string', 'all', 'guest type: "pv", "pvh" or "hvm" (x86 default pv, Arm default pvh)', { by: 'map-domain.ts domainType / write.ts plainXlcfg', values: ['pv', 'pvh', 'hvm'] }],
  ['builder', 'string', 'all', 'old way to pick the guest type ("generic" = pv, "hvm")', { deprecated: { use: 'type', note: 'deprecated since Xen 4.10' }, by: 'map-domain.ts domainType', values: ['generic', 'hvm'] }],
  ['pool', 'string', 'all', 'CPU pool to create the domain in', { model: str('c_info/pool_name') }],
  ['seclabel', 'string', 'all', 'XSM/FLASK security label of the domain', { by: 'map-domain.ts mapCreateInfo (with init_seclabel) / write.ts plainXlcfg', xml: "seclabel/label" }],
  ['init_seclabel', 'string', 'all', 'XSM label used while building, before switching to seclabel', { by: 'map-domain.ts mapCreateInfo (with seclabel) / write.ts plainXlcfg' }],
  ['driver_domain', 'bool', 'all', 'domain acts as a backend (driver) domain', { model: defbool('c_info/driver_domain') }],
  ['passthrough', 'string', 'all', 'IOMMU page-table mode for passthrough: disabled, enabled, sync_pt, share_pt, default', { model: oneOf('c_info/passthrough', PASSTHROUGH, 'unknown passthrough option "{v}"'), xml: "features/xen/passthrough" }],
  // CPUs
  ['vcpus', 'number', 'all', 'number of vCPUs online at boot', { by: 'map-domain.ts mapSchedAndMemory (avail_vcpus) / write.ts writeCpuAndMemory', xml: "vcpu@current" }],
  ['maxvcpus', 'number', 'all', 'maximum vCPUs (hot-pluggable up to this)', { by: 'map-domain.ts mapSchedAndMemory, mapVcpuLimitsAndAffinity / write.ts writeCpuAndMemory', xml: "vcpu" }],
  ['cpus', 'string-or-list', 'all', 'hard affinity: a cpu list for all vCPUs, or one list entry per vCPU', { by: 'map-domain.ts affinity / write.ts writeCpuAndMemory', xml: "vcpu@cpuset, cputune/vcpupin" }],
  ['cpus_soft', 'string-or-list', 'all', 'soft affinity, same forms as cpus', { by: 'map-domain.ts affinity / write.ts writeCpuAndMemory' }],
  ['cpu_weight', 'number', 'all', 'scheduler weight (credit/credit2)', { model: i32('b_info/sched_params/weight', -1), xml: "cputune/shares" }],
  ['cap', 'number', 'all', 'CPU cap in percent of one physical CPU (credit)', { model: i32('b_info/sched_params/cap', -1) }],
  ['period', 'number', 'all', 'scheduler period (RTDS/ARINC653), microseconds', { model: i32('b_info/sched_params/period', -1) }],
  ['slice', 'number', 'all', 'scheduler time slice, microseconds', { model: i32('b_info/sched_params/slice', -1) }],
  ['latency', 'number', 'all', 'scheduler latency hint', { model: i32('b_info/sched_params/latency', -1) }],
  ['extratime', 'number', 'all', 'may use idle CPU time beyond its budget (RTDS)', { model: i32('b_info/sched_params/extratime', -1) }],
  ['vnuma', 'list', 'all', 'virtual NUMA nodes: a list of [ "pnode=..", "size=..", "vcpus=..", "vdistances=.." ] lists', { by: 'map-vnuma.ts mapVnuma / write.ts writeCpuAndMemory', xml: "cpu/numa" }],
  // memory
  ['memory', 'number', 'all', 'memory at boot, MiB', { model: mib('b_info/target_memkb', 'memory'), xml: "currentMemory" }],
  ['maxmem', 'number', 'all', 'maximum memory, MiB (balloon up to this)', { model: { ...mib('b_info/max_memkb', 'maxmem'), write: 'write.ts writeCpuAndMemory: left out when it equals memory' }, xml: "memory" }],
  ['shadow_memory', 'number', 'hvm+pvh', 'shadow page-table memory, MiB', { model: mib('b_info/shadow_memkb', 'shadow memory') }],
  ['hap', 'bool', 'hvm+pvh', 'use hardware-assisted paging (EPT/NPT)', { model: defbool('c_info/hap'), xml: "features/hap@state" }],
  ['oos', 'bool', 'hvm+pvh', 'out-of-sync shadow page tables', { model: defbool('c_info/oos') }],
  ['max_grant_frames', 'number', 'all', 'grant table size in frames (default from xl.conf or Xen)', { by: 'map-domain.ts mapLimitsAndActions (xl.conf default) / write.ts writeMisc' }],
  ['max_maptrack_frames', 'number', 'all', 'maptrack table size in frames', { by: 'map-domain.ts mapLimitsAndActions (xl.conf default) / write.ts writeMisc' }],
  ['max_grant_version', 'number', 'all', 'highest grant table version the guest may use', { by: 'map-domain.ts mapLimitsAndActions (xl.conf default) / write.ts writeMisc' }],
  ['max_event_channels', 'number', 'all', 'maximum number of event channels', { model: u32('b_info/event_channels', 0) }],
  // lifecycle
  ['on_poweroff', 'string', 'all', 'action when the guest powers off (destroy, restart, preserve, ...)', { model: action('on_poweroff', 'destroy', 'destroy'), xml: "on_poweroff", values: ACTIONS }],
  ['on_reboot', 'string', 'all', 'action when the guest reboots', { model: action('on_reboot', 'restart', 'restart'), xml: "on_reboot", values: ACTIONS }],
  ['on_watchdog', 'string', 'all', 'action when the watchdog fires', { model: action('on_watchdog', 'destroy', 'destroy'), values: ACTIONS }],
  ['on_crash', 'string', 'all', 'action when the guest crashes', { model: action('on_crash', 'destroy', 'destroy'), xml: "on_crash", values: ACTIONS }],
  ['on_soft_reset', 'string', 'all', 'action on a soft reset', { model: action('on_soft_reset', 'soft-reset', 'soft_reset'), values: ACTIONS }],
  ['nomigrate', 'bool', 'all', 'forbid migration (allows features that cannot migrate)', { model: defbool('b_info/disable_migrate') }],
  // boot
  ['kernel', 'string', 'all', 'kernel image path for direct boot', { model: str('b_info/kernel'), xml: 'os/kernel', xmlText: { alt: 'b_info/type.pv/kernel' } }],
  ['ramdisk', 'string', 'all', 'initrd path for direct boot', { model: str('b_info/ramdisk'), xml: 'os/initrd', xmlText: { alt: 'b_info/type.pv/ramdisk' } }],
  ['cmdline', 'string', 'all', 'kernel command line (overrides root and extra)', { by: 'map-boot.ts cmdline (with root, extra) / write.ts writeBoot', xml: 'os/cmdline', xmlText: { path: 'b_info/cmdline', alt: 'b_info/type.pv/cmdline' } }],
  ['root', 'string', 'all', 'adds root=<value> to the kernel command line', { by: 'map-boot.ts cmdline' }],
  ['extra', 'string', 'all', 'appended to the kernel command line', { by: 'map-boot.ts cmdline' }],
  ['firmware', 'string', 'all', 'HVM: bios, uefi, seabios, rombios, ovmf or a path; PV/PVH: pvgrub32 or pvgrub64', { by: 'map-boot.ts pvFirmware, mapHvmPlatform / (written as kernel, bios or firmware_override)' }],
  ['bootloader', 'string', 'pv+pvh', 'program run in dom0 to find the kernel (e.g. pygrub)', { model: str('b_info/bootloader'), xml: "bootloader" }],
  ['bootloader_args', 'string-or-list', 'pv+pvh', 'arguments for the bootloader', { by: 'map-boot.ts mapBoot (list or string) / write.ts writeBoot', xml: "bootloader_args" }],
  ['device_tree', 'string', 'all', 'device tree fragment to merge into the guest tree', { arch: 'arm', model: str('b_info/device_tree') }],
  // PVH
  ['pvshim', 'bool', 'pvh', 'run a PV guest inside a PVH shim', { model: defbool('b_info/type.pvh/pvshim') }],
  ['pvshim_path', 'string', 'pvh', 'shim binary to use', { model: str('b_info/type.pvh/pvshim_path') }],
  ['pvshim_cmdline', 'string', 'pvh', 'shim command line', { model: str('b_info/type.pvh/pvshim_cmdline') }],
  ['pvshim_extra', 'string', 'pvh', 'appended to the shim command line', { model: str('b_info/type.pvh/pvshim_extra') }],
  // PV
  ['e820_host', 'bool', 'pv', 'give the guest the host memory map (for PCI passthrough)', { model: { ...defbool('b_info/type.pv/e820_host'), write: 'write.ts writeMisc: xl turns it on for a PV guest with PCI devices' }, xml: "features/xen/e820_host@state" }],
  ['xend_suspend_evtchn_compat', 'bool', 'all', 'xend-compatible suspend event channel for old PV guests', { model: defbool('c_info/xend_suspend_evtchn_compat') }],
  // devices
  ['disk', 'list', 'all', 'virtual disks, one disk spec string each', { by: 'map-devices.ts mapDevices / write-devices.ts writeDevices', xml: "devices/disk" }],
  ['vif', 'list', 'all', 'virtual network interfaces, one vif spec string each', { by: 'map-devices.ts mapDevices / write-devices.ts writeDevices', xml: "devices/interface" }],
  ['vif2', 'list', 'all', 'netchannel2 interfaces', { deprecated: { use: 'vif', note: 'netchannel2 is not supported; xl ignores it' }, by: 'map-devices.ts mapDevices (ignored with a warning)' }],
  ['vtpm', 'list', 'all', 'virtual TPMs', { by: 'map-devices.ts mapDevices / write-devices.ts writeDevices', xml: "devices/tpm" }],
  ['p9', 'list', 'all', '9pfs shares', { by: 'map-devices.ts mapDevices / write-devices.ts writeDevices', xml: "devices/filesystem" }],
  ['pvcalls', 'list', 'all', 'PV calls backends', { by: 'map-devices.ts mapDevices / write-devices.ts writeDevices' }],
  ['vfb', 'list', 'all', 'virtual framebuffers (VNC/SDL) with their keyboards', { by: 'map-devices.ts mapDevices / write-devices.ts writeDevices', xml: "devices/graphics" }],
  ['vkb', 'list', 'all', 'virtual keyboard/pointer devices', { by: 'map-devices.ts mapVkbs / write-devices.ts writeDevices', xml: "devices/input" }],
  ['vdispl', 'list', 'all', 'virtual displays', { by: 'map-devices.ts mapDevices / write-devices.ts writeDevices' }],
  ['vsnd', 'list', 'all', 'virtual sound cards: a list of lists of CARD/PCM/STREAM strings', { by: 'map-devices.ts mapVsnd / write-devices.ts writeDevices' }],
  ['channel', 'list', 'all', 'virtual serial channels (PV console protocol)', { by: 'map-devices.ts mapDevices / write-devices.ts writeDevices', xml: "devices/channel" }],
  ['usbctrl', 'list', 'all', 'USB controllers', { by: 'map-devices.ts mapDevices / write-devices.ts writeDevices', xml: "devices/controller" }],
  ['usbdev', 'list', 'all', 'USB devices passed through from the host', { by: 'map-devices.ts mapDevices / write-devices.ts writeDevices', xml: "devices/hostdev" }],
  ['pci', 'list', 'all', 'PCI devices passed through from the host', { by: 'map-devices.ts mapPci / write-devices.ts writeDevices', xml: "devices/hostdev" }],
  ['pci_permissive', 'bool', 'all', 'default for PCI devices: allow writes to all config space', { by: 'map-devices.ts mapPci (pci defaults)' }],
  ['pci_msitranslate', 'bool', 'all', 'default for PCI devices: translate MSI to INTx', { by: 'map-devices.ts mapPci (pci defaults)' }],
  ['pci_seize', 'bool', 'all', 'default for PCI devices: take them from dom0 drivers', { by: 'map-devices.ts mapPci (pci defaults)' }],
  ['pci_power_mgmt', 'bool', 'all', 'default for PCI devices: allow power management', { by: 'map-devices.ts mapPci (pci defaults)' }],
  ['rdm', 'string', 'hvm', 'reserved device memory policy, e.g. "strategy=host,policy=relaxed"', { by: 'map-devices.ts mapPci / write-hvm.ts writeHvm' }],
  ['rdm_mem_boundary', 'number', 'hvm', 'RDM boundary, MiB', { model: mib('b_info/type.hvm/rdm_mem_boundary_memkb', 'rdm_mem_boundary') }],
  ['dtdev', 'list', 'all', 'device tree nodes to pass through', { arch: 'arm', by: 'map-devices.ts mapPci / write-devices.ts writeDevices' }],
  ['ioports', 'list', 'all', 'I/O port ranges to pass through (hex)', { arch: 'x86', by: 'map-boot.ts mapResources / write-devices.ts writeDevices' }],
  ['iomem', 'list', 'all', 'machine memory ranges to map: "START,NUM[@GFN]" in pages, hex', { by: 'map-boot.ts mapResources / write-devices.ts writeDevices' }],
  ['irqs', 'list', 'all', 'physical IRQs to pass through', { by: 'map-boot.ts mapResources / write-devices.ts writeDevices' }],
  // graphics and device model
  ['vnc', 'bool', 'pv+hvm', 'enable a VNC display (PV: creates a vfb unless vfb= is set)', { by: 'map-display.ts topVnc, mapDisplay (PV: a vfb) / write-hvm.ts writeHvm', xml: "devices/graphics[@type='vnc']" }],
  ['vnclisten', 'string', 'pv+hvm', 'VNC listen address[:display]', { by: 'map-display.ts topVnc / write-hvm.ts writeHvm' }],
  ['vncdisplay', 'number', 'pv+hvm', 'VNC display number', { by: 'map-display.ts topVnc, hvmDisplay / write-hvm.ts writeHvm' }],
  ['vncunused', 'bool', 'pv+hvm', 'find an unused VNC display', { by: 'map-display.ts topVnc / write-hvm.ts writeHvm' }],
  ['vncpasswd', 'string', 'pv+hvm', 'VNC password', { by: 'map-display.ts topVnc / write-hvm.ts writeHvm' }],
  ['vncviewer', 'number', 'all', 'start a VNC viewer', { deprecated: { note: 'xl ignores it: use xl create -V' }, by: 'map-domain.ts mapMisc (ignored with a warning)' }],
  ['sdl', 'bool', 'pv+hvm', 'enable an SDL display', { by: 'map-display.ts topSdl / write-hvm.ts writeHvm', xml: "devices/graphics[@type='sdl']" }],
  ['opengl', 'bool', 'pv+hvm', 'use OpenGL for SDL', { by: 'map-display.ts topSdl / write-hvm.ts writeHvm' }],
  ['display', 'string', 'pv+hvm', 'X display for SDL', { by: 'map-display.ts topSdl / write-hvm.ts writeHvm' }],
  ['xauthority', 'string', 'pv+hvm', 'Xauthority file for SDL', { by: 'map-display.ts topSdl / write-hvm.ts writeHvm' }],
  ['keymap', 'string', 'pv+hvm', 'keyboard layout for VNC/SDL (e.g. "en-us")', { model: str('b_info/type.hvm/keymap'), xml: "devices/graphics@keymap" }],
  ['dm_restrict', 'bool', 'all', 'run the device model deprivileged', { model: defbool('b_info/dm_restrict') }],
  ['device_model', 'string', 'all', 'old device model path', { deprecated: { use: 'device_model_override', note: 'xl ignores it' }, by: 'map-display.ts mapDeviceModel (ignored with a warning)' }],
  ['device_model_override', 'string', 'all', 'path of a non-default device model binary', { model: str('b_info/device_model'), xml: "devices/emulator" }],
  ['device_model_version', 'string', 'all', 'device model: "qemu-xen" or "qemu-xen-traditional"', { by: 'map-display.ts mapDeviceModel (enum) / write.ts writeDeviceModel', values: ['qemu-xen', 'qemu-xen-traditional'] }],
  ['device_model_stubdomain_override', 'bool', 'hvm', 'run the device model in a stub domain', { model: defbool('b_info/device_model_stubdomain') }],
  ['device_model_stubdomain_seclabel', 'string', 'hvm', 'XSM label of the stub domain', { model: str('b_info/device_model_ssid_label') }],
  ['device_model_user', 'string', 'all', 'user the device model runs as', { model: str('b_info/device_model_user') }],
  ['device_model_args', 'list', 'all', 'extra device model arguments', { model: list('b_info/extra', 'an argument string'), xml: "xen:commandline/xen:arg" }],
  ['device_model_args_pv', 'list', 'pv', 'extra device model arguments for PV guests', { model: list('b_info/extra_pv', 'an argument string') }],
  ['device_model_args_hvm', 'list', 'hvm', 'extra device model arguments for HVM guests', { model: list('b_info/extra_hvm', 'an argument string') }],
  ['stubdomain_kernel', 'string', 'hvm', 'stub domain kernel image', { model: str('b_info/stubdomain_kernel') }],
  ['stubdomain_cmdline', 'string', 'hvm', 'stub domain command line', { model: str('b_info/stubdomain_cmdline') }],
  ['stubdomain_ramdisk', 'string', 'hvm', 'stub domain initrd', { model: str('b_info/stubdomain_ramdisk') }],
  ['stubdomain_memory', 'number', 'hvm', 'stub domain memory, MiB', { model: mib('b_info/stubdomain_memkb', 'stubdomain memory') }],
  // HVM
  ['firmware_override', 'string', 'hvm', 'path of a non-default hvmloader', { model: str('b_info/type.hvm/firmware'), xml: "os/loader" }],
  ['bios', 'string', 'hvm', 'BIOS: rombios, seabios or ovmf', { by: 'map-boot.ts mapHvmPlatform (enum) / write-hvm.ts writeHvm', xml: "os@firmware, os/loader@type", values: ['rombios', 'seabios', 'ovmf'] }],
  ['bios_path_override', 'string', 'hvm', 'path of the BIOS image', { model: str('b_info/type.hvm/system_firmware'), xml: "os/loader[@type='pflash']" }],
  ['pae', 'bool', 'hvm', 'expose PAE', { model: defbool('b_info/type.hvm/pae'), xml: "features/pae" }],
  ['acpi', 'bool', 'hvm+pvh', 'expose ACPI tables', { model: defbool('b_info/acpi'), xml: "features/acpi" }],
  ['acpi_s3', 'bool', 'hvm', 'expose ACPI S3 (suspend to RAM)', { model: defbool('b_info/type.hvm/acpi_s3') }],
  ['acpi_s4', 'bool', 'hvm', 'expose ACPI S4 (suspend to disk)', { model: defbool('b_info/type.hvm/acpi_s4') }],
  ['acpi_laptop_slate', 'bool', 'hvm', 'expose a laptop/slate mode switch', { model: defbool('b_info/type.hvm/acpi_laptop_slate') }],
  ['acpi_firmware', 'string', 'hvm', 'extra ACPI tables file', { model: str('b_info/type.hvm/acpi_firmware'), xml: "os/acpi/table[@type='slic']" }],
  ['smbios_firmware', 'string', 'hvm', 'extra SMBIOS structures file', { model: str('b_info/type.hvm/smbios_firmware') }],
  ['apic', 'bool', 'hvm', 'expose local APICs', { model: defbool('b_info/apic'), xml: "features/apic" }],
  ['nx', 'bool', 'hvm', 'expose the no-execute bit', { model: defbool('b_info/type.hvm/nx') }],
  ['hpet', 'bool', 'hvm', 'emulate an HPET', { model: defbool('b_info/type.hvm/hpet'), xml: "clock/timer[@name='hpet']@present" }],
  ['vpt_align', 'bool', 'hvm', 'align periodic timer interrupts', { model: defbool('b_info/type.hvm/vpt_align') }],
  ['viridian', 'bool-or-list', 'hvm', 'Hyper-V enlightenments: 1/0, or a list of groups ("all", "!freq", ...)', { arch: 'x86', by: 'map-boot.ts viridian / write-hvm.ts writeViridian', xml: "features/hyperv" }],
  ['mmio_hole', 'number', 'hvm', 'size of the MMIO hole below 4 GiB, MiB', { by: 'map-boot.ts mapHvmPlatform (range) / write-hvm.ts writeHvm' }],
  ['altp2m', 'number-or-string', 'hvm+pvh', 'alternate p2m mode: disabled, mixed, external, limited', { by: 'map-domain.ts mapAltp2m / write.ts writeMisc' }],
  ['altp2mhvm', 'bool', 'hvm', 'old switch for altp2m', { deprecated: { use: 'altp2m', note: 'use altp2m="mixed" (or "disabled")' }, by: 'map-boot.ts mapHvmPlatform (deprecated) / write-hvm.ts writeHvm' }],
  ['nestedhvm', 'bool', 'hvm+pvh', 'expose hardware virtualisation to the guest', { model: defbool('b_info/nested_hvm'), xml: "cpu/feature[@name='vmx']" }],
  ['ms_vm_genid', 'string', 'hvm', 'Microsoft VM generation ID: "generate" or "none"', { by: 'map-boot.ts mapHvmPlatform (side.xl) / write-hvm.ts writeHvm' }],
  ['mca_caps', 'list', 'hvm', 'machine-check capabilities (only "lmce")', { arch: 'x86', by: 'map-boot.ts mapHvmPlatform / write-hvm.ts writeHvm' }],
  ['cpuid', 'string-or-list', 'all', 'CPUID policy: a "host,..." string or a list of xend-style leaf strings', { arch: 'x86', by: 'map-cpuid.ts mapCpuid / write-cpuid.ts writeCpuid', xml: "cpu/feature" }],
  ['tsc_mode', 'number-or-string', 'all', 'TSC mode: default, always_emulate, native, native_paravirt', { arch: 'x86', by: 'map-domain.ts mapMisc (number or name) / write.ts writeMisc', xml: "clock/timer[@name='tsc']@mode", values: ['default', 'always_emulate', 'native', 'native_paravirt'] }],
  ['localtime', 'bool', 'all', 'RTC keeps local time instead of UTC', { model: defbool('b_info/localtime'), xml: "clock@offset" }],
  ['rtc_timeoffset', 'number', 'all', 'RTC offset from UTC, seconds', { model: u32('b_info/rtc_timeoffset', 0, true), xml: "clock@adjustment" }],
  ['timer_mode', 'number-or-string', 'hvm+pvh', 'virtual timer mode (no_delay_for_missed_ticks, ...)', { by: 'map-boot.ts mapBoot (number or name) / write.ts writeMisc', values: ['delay_for_missed_ticks', 'no_delay_for_missed_ticks', 'no_missed_ticks_pending', 'one_missed_tick_pending'] }],
  ['videoram', 'number', 'hvm', 'video memory, MiB', { model: mib('b_info/video_memkb', 'video memory'), xml: "devices/video/model@vram" }],
  ['stdvga', 'bool', 'hvm', 'emulate a standard VGA card', { deprecated: { use: 'vga', note: 'use vga="stdvga"' }, by: 'map-display.ts hvmDisplay (as vga)' }],
  ['vga', 'string', 'hvm', 'emulated graphics card: none, stdvga, cirrus or qxl', { by: 'map-display.ts hvmDisplay (enum) / write-hvm.ts writeHvm', xml: "devices/video/model@type", values: ['stdvga', 'cirrus', 'none', 'qxl'] }],
  ['nographic', 'bool', 'hvm', 'no emulated graphics output', { model: defbool('b_info/type.hvm/nographic') }],
  ['gfx_passthru', 'number-or-string', 'hvm', 'make a passed-through GPU primary: 0, 1, "default" or "igd"', { by: 'map-display.ts hvmDisplay (number or kind) / write-hvm.ts writeHvm' }],
  ['hdtype', 'string', 'hvm', 'emulated disk controller: ide or ahci', { model: oneOf('b_info/type.hvm/hdtype', HDTYPE, 'invalid value "{v}" for "{key}"', { hint: 'use "ide" or "ahci"', only: ['ahci'] }), values: HDTYPE }],
  ['boot', 'string', 'hvm', 'boot order: c (disk), d (cdrom), n (network)', { model: str('b_info/type.hvm/boot'), xml: "os/boot@dev" }],
  ['serial', 'string-or-list', 'hvm', 'emulated serial ports (e.g. "pty")', { by: 'map-display.ts hvmDisplay (string or list) / write-hvm.ts writeHvm', xml: "devices/serial" }],
  ['soundhw', 'string', 'hvm', 'emulated sound card', { model: str('b_info/type.hvm/soundhw'), xml: "devices/sound" }],
  ['usb', 'bool', 'hvm', 'emulated USB bus (qemu); usbctrl/usbdev are the newer way', { model: defbool('b_info/type.hvm/usb') }],
  ['usbversion', 'number', 'hvm', 'emulated USB controller version: 1, 2 or 3', { model: i32('b_info/type.hvm/usbversion', 0) }],
  ['usbdevice', 'string-or-list', 'hvm', 'devices on the emulated USB bus (e.g. "tablet")', { by: 'map-display.ts hvmDisplay (string or list) / write-hvm.ts writeHvm', xml: "devices/input" }],
  ['vkb_device', 'bool', 'hvm', 'give the guest a PV keyboard device', { model: defbool('b_info/type.hvm/vkb_device') }],
  ['xen_platform_pci', 'bool', 'hvm', 'Xen platform PCI device (needed for PV drivers)', { model: defbool('b_info/type.hvm/xen_platform_pci') }],
  ['vendor_device', 'string', 'hvm', 'vendor platform device: none or xenserver', { model: oneOf('b_info/type.hvm/vendor_device', ['none', 'xenserver'], 'unknown {key} "{v}"', { hint: 'use "none" or "xenserver"', only: ['xenserver'] }) }],
  ['spice', 'bool', 'hvm', 'enable SPICE', { model: defbool('b_info/type.hvm/spice/enable'), xml: "devices/graphics[@type='spice']" }],
  ['spicehost', 'string', 'hvm', 'SPICE listen address', { model: str('b_info/type.hvm/spice/host') }],
  ['spiceport', 'number', 'hvm', 'SPICE port', { model: i32('b_info/type.hvm/spice/port', 0) }],
  ['spicetls_port', 'number', 'hvm', 'SPICE TLS port', { model: i32('b_info/type.hvm/spice/tls_port', 0) }],
  ['spicedisable_ticketing', 'bool', 'hvm', 'SPICE without a password', { model: defbool('b_info/type.hvm/spice/disable_ticketing') }],
  ['spicepasswd', 'string', 'hvm', 'SPICE password', { model: str('b_info/type.hvm/spice/passwd') }],
  ['spiceagent_mouse', 'bool', 'hvm', 'SPICE agent mouse mode', { model: defbool('b_info/type.hvm/spice/agent_mouse') }],
  ['spicevdagent', 'bool', 'hvm', 'SPICE vdagent channel', { model: defbool('b_info/type.hvm/spice/vdagent') }],
  ['spice_clipboard_sharing', 'bool', 'hvm', 'SPICE clipboard sharing', { model: defbool('b_info/type.hvm/spice/clipboard_sharing') }],
  ['spiceusbredirection', 'number', 'hvm', 'number of SPICE USB redirection channels', { model: i32('b_info/type.hvm/spice/usbredirection', 0) }],
  ['spice_image_compression', 'string', 'hvm', 'SPICE image compression', { model: str('b_info/type.hvm/spice/image_compression') }],
  ['spice_streaming_video', 'string', 'hvm', 'SPICE video streaming', { model: str('b_info/type.hvm/spice/streaming_video') }],
  // misc
  ['vmtrace_buf_kb', 'number', 'hvm', 'processor trace buffer per vCPU, KiB', { by: 'map-domain.ts mapAltp2m / write.ts writeMisc' }],
  ['vpmu', 'bool', 'all', 'virtual performance counters', { model: defbool('b_info/vpmu') }],
  ['msr_relaxed', 'bool', 'all', 'relaxed MSR access policy (to be removed)', { arch: 'x86', model: { ...defbool('b_info/arch_x86/msr_relaxed'), read: 'map-display.ts mapTail: warns that it will go away' } }],
  ['vuart', 'string', 'all', 'emulated UART for the guest ("sbsa_uart")', { arch: 'arm', model: oneOf('b_info/arch_arm/vuart', ['sbsa_uart'], 'invalid value "{v}" for "{key}"', { hint: 'the only vuart is "sbsa_uart" (Arm guests)', omit: ['unknown'] }) }],
  ['gic_version', 'string', 'all', 'interrupt controller version: v2, v3 or default', { arch: 'arm', model: oneOf('b_info/arch_arm/gic_version', GIC, 'unknown {key} "{v}" specified', { omit: ['default'] }) }],
  ['tee', 'string', 'all', 'trusted execution environment mediator: none or optee', { arch: 'arm', model: oneOf('b_info/tee', TEE, 'unknown {key} "{v}" specified', { omit: ['none'] }), values: TEE }],

];

export const KEY_TABLE: readonly KeyInfo[] = ROWS.map(([name, type, applies, summary, rest]) => ({ name, type, applies: T[applies], summary, ...rest }));
