// libxl_domain_config's types as libxl_types.idl declares them, for Xen 4.17 and 4.20: field
// order (which is the key order of libxl's JSON), value types, and the default each field
// has when libxl initialises it. The JSON writer leaves out every field at its default and
// always writes aggregates; the reader uses the same table to reject unknown keys and
// values of the wrong type.
//
// Between 4.17 and 4.20 libxl only added fields and enum values (nothing was renamed or
// removed: `git diff RELEASE-4.17.7 RELEASE-4.20.4 -- tools/libs/light/libxl_types.idl`).
// Each addition carries the version that brought it (`since`), so that one table serves
// both: a 4.20 field is refused for a 4.17 libxl instead of being silently ignored by it.

/** The libxl versions whose JSON txl reads and writes. */
export const LIBXL_VERSIONS = ['4.17', '4.20'] as const;
export type LibxlVersion = (typeof LIBXL_VERSIONS)[number];

export type IdlType =
  | { k: 'int'; min: number; max: number; init?: number }
  | { k: 'bool' }
  | { k: 'defbool' }
  | { k: 'string' }
  | { k: 'enum'; values: readonly string[]; init: string | undefined; since?: Readonly<Record<string, LibxlVersion>> }
  | { k: 'uuid' }
  | { k: 'mac' }
  | { k: 'bitmap' }
  | { k: 'cpuid' }
  | { k: 'strlist' }
  | { k: 'kvlist' }
  | { k: 'genid' }
  | { k: 'struct'; name: string; fields: IdlField[] }
  | { k: 'array'; of: IdlType };

/** A keyed union is written as one key "<key>.<variant>" whose value is the variant's struct. */
export interface IdlUnion { k: 'union'; key: string; variants: Record<string, IdlType | null> }
/** `since`: the libxl version that added the field (none: in every supported version). */
export type IdlField = [name: string, type: IdlType | IdlUnion, since?: LibxlVersion];

/** Whether a field (or an enum value added in `since`) exists in libxl `version`. */
export const inVersion = (since: LibxlVersion | undefined, version: LibxlVersion | undefined): boolean =>
  !since || !version || LIBXL_VERSIONS.indexOf(since) <= LIBXL_VERSIONS.indexOf(version);

const I32 = 2 ** 31;
const int = (init?: number): IdlType => ({ k: 'int', min: -I32, max: I32 - 1, init });
const uint = (bits: 8 | 16 | 32 | 64, init?: number): IdlType =>
  ({ k: 'int', min: 0, max: bits === 64 ? Number.MAX_SAFE_INTEGER : 2 ** bits - 1, init });
const uint8 = uint(8);
const uint32 = uint(32);
const uint64 = uint(64);
/** LIBXL_MEMKB_DEFAULT is ~0ULL, which no JSON number written by libxl equals. */
const memkb = uint(64, Number.POSITIVE_INFINITY);
const domid = uint32;
const devid = int(-1);
const bool: IdlType = { k: 'bool' };
const defbool: IdlType = { k: 'defbool' };
const string: IdlType = { k: 'string' };
const uuid: IdlType = { k: 'uuid' };
const mac: IdlType = { k: 'mac' };
const bitmap: IdlType = { k: 'bitmap' };
const strlist: IdlType = { k: 'strlist' };
const kvlist: IdlType = { k: 'kvlist' };
/** Enum names in libxl's JSON spelling (lower case); `init` is the default, first value if not given. */
const en = (values: readonly string[], init: string | null = values[0], since?: Record<string, LibxlVersion>): IdlType =>
  ({ k: 'enum', values, init: init ?? undefined, ...(since ? { since } : {}) });
const V420 = '4.20' as const;
const struct = (name: string, fields: IdlField[]): IdlType => ({ k: 'struct', name, fields });
const array = (of: IdlType): IdlType => ({ k: 'array', of });

const GRANT_DEFAULT_U32 = 2 ** 32 - 1; // LIBXL_MAX_GRANT_DEFAULT as a uint32_t
const SCHED_DEFAULT = -1;

export const ACTION_ON_SHUTDOWN = ['destroy', 'restart', 'restart_rename', 'preserve', 'coredump_destroy', 'coredump_restart', 'soft_reset'] as const;
export const DOMAIN_TYPES = ['invalid', 'hvm', 'pv', 'pvh'] as const;
export const TSC_MODES = ['default', 'always_emulate', 'native', 'native_paravirt'] as const;
export const TIMER_MODES = ['unknown', 'delay_for_missed_ticks', 'no_delay_for_missed_ticks', 'no_missed_ticks_pending', 'one_missed_tick_pending'] as const;
export const BIOS_TYPES = ['unknown', 'rombios', 'seabios', 'ovmf'] as const;
export const VIRIDIAN_ENLIGHTENMENTS = ['base', 'freq', 'time_ref_count', 'reference_tsc', 'hcall_remote_tlb_flush', 'apic_assist', 'crash_ctl', 'synic', 'stimer', 'hcall_ipi', 'ex_processor_masks', 'no_vp_limit', 'cpu_hotplug'] as const;
export const PASSTHROUGH = ['default', 'disabled', 'enabled', 'sync_pt', 'share_pt'] as const;
export const ALTP2M_MODES = ['disabled', 'mixed', 'external', 'limited'] as const;
export const SMBIOS_TYPES = [
  'bios_vendor', 'bios_version', 'system_manufacturer', 'system_product_name', 'system_version', 'system_serial_number',
  'baseboard_manufacturer', 'baseboard_product_name', 'baseboard_version', 'baseboard_serial_number', 'baseboard_asset_tag',
  'baseboard_location_in_chassis', 'enclosure_manufacturer', 'enclosure_serial_number', 'enclosure_asset_tag',
  'battery_manufacturer', 'battery_device_name', 'oem',
] as const;
/** Arm SVE vector lengths (4.20): "hw", "disabled" (the default) or a multiple of 128 bits. */
export const SVE_TYPES = ['hw', 'disabled', ...Array.from({ length: 16 }, (_, i) => String(128 * (i + 1)))] as const;
export const VSND_PCM_FORMATS = ['s8', 'u8', 's16_le', 's16_be', 'u16_le', 'u16_be', 's24_le', 's24_be', 'u24_le', 'u24_be', 's32_le', 's32_be', 'u32_le', 'u32_be', 'f32_le', 'f32_be', 'f64_le', 'f64_be', 'iec958_subframe_le', 'iec958_subframe_be', 'mu_law', 'a_law', 'ima_adpcm', 'mpeg', 'gsm'] as const;

const rdmPolicy = en(['invalid', 'strict', 'relaxed'], 'invalid');
const vnc = struct('vnc_info', [['enable', defbool], ['listen', string], ['passwd', string], ['display', int()], ['findunused', defbool]]);
const sdl = struct('sdl_info', [['enable', defbool], ['opengl', defbool], ['display', string], ['xauthority', string]]);
const spice = struct('spice_info', [
  ['enable', defbool], ['port', int()], ['tls_port', int()], ['host', string], ['disable_ticketing', defbool],
  ['passwd', string], ['agent_mouse', defbool], ['vdagent', defbool], ['clipboard_sharing', defbool],
  ['usbredirection', int()], ['image_compression', string], ['streaming_video', string],
]);

const cInfo = struct('domain_create_info', [
  ['type', en(DOMAIN_TYPES, 'invalid')], ['hap', defbool], ['oos', defbool], ['ssidref', uint32], ['ssid_label', string],
  ['name', string], ['domid', domid], ['uuid', uuid], ['xsdata', kvlist], ['platformdata', kvlist], ['poolid', uint32],
  ['pool_name', string], ['run_hotplug_scripts', defbool], ['driver_domain', defbool], ['passthrough', en(PASSTHROUGH)],
  ['xend_suspend_evtchn_compat', defbool],
]);

const schedParams = struct('domain_sched_params', [
  ['sched', en(['unknown', 'sedf', 'credit', 'credit2', 'arinc653', 'rtds', 'null'])],
  ['weight', int(SCHED_DEFAULT)], ['cap', int(SCHED_DEFAULT)], ['period', int(SCHED_DEFAULT)],
  ['budget', int(SCHED_DEFAULT)], ['extratime', int(SCHED_DEFAULT)], ['slice', int(SCHED_DEFAULT)], ['latency', int(SCHED_DEFAULT)],
]);

const hvm = struct('domain_build_info.hvm', [
  ['firmware', string], ['bios', en(BIOS_TYPES)], ['pae', defbool], ['apic', defbool], ['acpi', defbool],
  ['acpi_s3', defbool], ['acpi_s4', defbool], ['acpi_laptop_slate', defbool], ['nx', defbool], ['viridian', defbool],
  ['viridian_enable', bitmap], ['viridian_disable', bitmap], ['timeoffset', string], ['hpet', defbool],
  ['vpt_align', defbool], ['mmio_hole_memkb', memkb], ['timer_mode', en(TIMER_MODES, 'unknown')],
  ['nested_hvm', defbool], ['altp2m', defbool], ['system_firmware', string], ['smbios_firmware', string],
  ['smbios', array(struct('smbios', [['key', en(SMBIOS_TYPES, null)], ['value', string]])), V420],
  ['acpi_firmware', string], ['hdtype', en(['ide', 'ahci'], 'ide')], ['nographic', defbool],
  ['vga', struct('vga_interface_info', [['kind', en(['unknown', 'cirrus', 'std', 'none', 'qxl'], 'unknown')]])],
  ['vnc', vnc], ['keymap', string], ['sdl', sdl], ['spice', spice], ['gfx_passthru', defbool],
  ['gfx_passthru_kind', en(['default', 'igd'])], ['serial', string], ['boot', string], ['usb', defbool],
  ['usbversion', int()], ['usbdevice', string], ['vkb_device', defbool], ['soundhw', string],
  ['xen_platform_pci', defbool], ['usbdevice_list', strlist], ['vendor_device', en(['none', 'xenserver'])],
  ['ms_vm_genid', { k: 'genid' }], ['serial_list', strlist],
  ['rdm', struct('rdm_reserve', [['strategy', en(['ignore', 'host'])], ['policy', rdmPolicy]])],
  ['rdm_mem_boundary_memkb', memkb], ['mca_caps', uint64], ['pirq', defbool, V420],
]);

// `features` is const in the IDL: libxl neither writes nor reads it.
const pv = struct('domain_build_info.pv', [
  ['kernel', string], ['slack_memkb', memkb], ['bootloader', string], ['bootloader_args', strlist],
  ['cmdline', string], ['ramdisk', string], ['e820_host', defbool],
]);

const pvh = struct('domain_build_info.pvh', [['pvshim', defbool], ['pvshim_path', string], ['pvshim_cmdline', string], ['pvshim_extra', string]]);

const bInfo = struct('domain_build_info', [
  ['max_vcpus', int()], ['avail_vcpus', bitmap], ['cpumap', bitmap], ['nodemap', bitmap],
  ['vcpu_hard_affinity', array(bitmap)], ['vcpu_soft_affinity', array(bitmap)], ['numa_placement', defbool],
  ['tsc_mode', en(TSC_MODES)], ['max_memkb', memkb], ['target_memkb', memkb], ['video_memkb', memkb],
  ['shadow_memkb', memkb], ['iommu_memkb', memkb], ['rtc_timeoffset', uint32], ['exec_ssidref', uint32],
  ['exec_ssid_label', string], ['localtime', defbool], ['disable_migrate', defbool], ['cpuid', { k: 'cpuid' }],
  ['blkdev_start', string],
  ['vnuma_nodes', array(struct('vnode_info', [['memkb', memkb], ['distances', array(uint32)], ['pnode', uint32], ['vcpus', bitmap]]))],
  ['max_grant_frames', uint(32, GRANT_DEFAULT_U32)], ['max_maptrack_frames', uint(32, GRANT_DEFAULT_U32)],
  ['max_grant_version', int(-1)],
  ['device_model_version', en(['unknown', 'qemu_xen_traditional', 'qemu_xen'])], ['device_model_stubdomain', defbool],
  ['stubdomain_memkb', memkb], ['stubdomain_kernel', string], ['stubdomain_cmdline', string], ['stubdomain_ramdisk', string],
  ['device_model', string], ['device_model_ssidref', uint32], ['device_model_ssid_label', string], ['device_model_user', string],
  ['extra', strlist], ['extra_pv', strlist], ['extra_hvm', strlist], ['sched_params', schedParams],
  ['ioports', array(struct('ioport_range', [['first', uint32], ['number', uint32]]))],
  ['irqs', array(uint32)],
  ['iomem', array(struct('iomem_range', [['start', uint64], ['number', uint64], ['gfn', uint(64, Number.POSITIVE_INFINITY)]]))],
  ['llc_colors', array(uint32), V420],
  ['claim_mode', defbool], ['event_channels', uint32], ['kernel', string], ['cmdline', string], ['ramdisk', string],
  ['device_tree', string], ['acpi', defbool], ['bootloader', string], ['bootloader_args', strlist],
  ['bootloader_restrict', defbool, V420], ['bootloader_user', string, V420],
  ['timer_mode', en(TIMER_MODES, 'unknown')], ['nested_hvm', defbool], ['apic', defbool], ['dm_restrict', defbool],
  ['tee', en(['none', 'optee', 'ffa'], 'none', { ffa: V420 })],
  ['u', { k: 'union', key: 'type', variants: { hvm, pv, pvh, invalid: null } }],
  ['arch_arm', struct('arch_arm', [
    ['gic_version', en(['default', 'v2', 'v3'], 'default')], ['vuart', en(['unknown', 'sbsa_uart'])],
    ['sve_vl', en(SVE_TYPES, 'disabled'), V420], ['nr_spis', uint32, V420],
  ])],
  ['arch_x86', struct('arch_x86', [['msr_relaxed', defbool]])],
  ['altp2m', en(ALTP2M_MODES, 'disabled')], ['vmtrace_buf_kb', int()], ['vpmu', defbool],
]);

const backend: IdlField[] = [['backend_domid', domid], ['backend_domname', string]];

const disk = struct('device_disk', [
  ...backend, ['pdev_path', string], ['vdev', string], ['backend', en(['unknown', 'phy', 'tap', 'qdisk', 'standalone'])],
  ['format', en(['unknown', 'qcow', 'qcow2', 'vhd', 'raw', 'empty', 'qed'])], ['script', string], ['removable', int()],
  ['readwrite', int()], ['is_cdrom', int()], ['direct_io_safe', bool], ['discard_enable', defbool],
  ['specification', en(['unknown', 'xen', 'virtio'])], ['transport', en(['unknown', 'mmio'])], ['irq', uint32],
  ['base', uint64], ['colo_enable', defbool], ['colo_restore_enable', defbool], ['colo_host', string],
  ['colo_port', int()], ['colo_export', string], ['active_disk', string], ['hidden_disk', string], ['trusted', defbool],
  ['grant_usage', defbool, V420],
]);

/** libxl_device_nic's COLO strings, in IDL order (xl's vif spec sets each by its own name). */
export const NIC_COLO_FIELDS = [
  'coloft_forwarddev',
  ...['mirror', 'compare_pri_in', 'compare_sec_in', 'compare_notify', 'redirector0', 'redirector1', 'redirector2']
    .flatMap((s) => ['id', 'ip', 'port'].map((p) => `colo_sock_${s}_${p}`)),
  'colo_filter_mirror_queue', 'colo_filter_mirror_outdev',
  ...['0', '1'].flatMap((n) => ['queue', 'indev', 'outdev'].map((p) => `colo_filter_redirector${n}_${p}`)),
  'colo_compare_pri_in', 'colo_compare_sec_in', 'colo_compare_out', 'colo_compare_notify_dev',
  ...['0', '1'].flatMap((n) => ['id', 'ip', 'port'].map((p) => `colo_sock_sec_redirector${n}_${p}`)),
  ...['0', '1'].flatMap((n) => ['queue', 'indev', 'outdev'].map((p) => `colo_filter_sec_redirector${n}_${p}`)),
  'colo_filter_sec_rewriter0_queue', 'colo_checkpoint_host', 'colo_checkpoint_port',
];

const nic = struct('device_nic', [
  ...backend, ['devid', devid], ['mtu', int()], ['vlan', string, V420], ['model', string], ['mac', mac], ['ip', string], ['bridge', string],
  ['ifname', string], ['script', string], ['nictype', en(['unknown', 'vif_ioemu', 'vif'])],
  ['rate_bytes_per_interval', uint64], ['rate_interval_usecs', uint32], ['gatewaydev', string],
  ...NIC_COLO_FIELDS.map((n): IdlField => [n, string]), ['trusted', defbool],
]);

const pci = struct('device_pci', [
  ['func', uint8], ['dev', uint8], ['bus', uint8], ['domain', int()], ['vdevfn', uint32], ['vfunc_mask', uint32],
  ['msitranslate', bool], ['power_mgmt', bool], ['permissive', bool], ['seize', bool], ['rdm_policy', rdmPolicy], ['name', string],
]);

const vsndParams = struct('vsnd_params', [
  ['sample_rates', array(uint32)], ['sample_formats', array(en(VSND_PCM_FORMATS, null))],
  ['channels_min', uint32], ['channels_max', uint32], ['buffer_size', uint32],
]);

export const DOMAIN_CONFIG = struct('domain_config', [
  ['c_info', cInfo],
  ['b_info', bInfo],
  ['disks', array(disk)],
  ['nics', array(nic)],
  ['pcidevs', array(pci)],
  ['rdms', array(struct('device_rdm', [['start', uint64], ['size', uint64], ['policy', rdmPolicy]]))],
  ['dtdevs', array(struct('device_dtdev', [['path', string]]))],
  ['vfbs', array(struct('device_vfb', [...backend, ['devid', devid], ['vnc', vnc], ['sdl', sdl], ['keymap', string]]))],
  ['vkbs', array(struct('device_vkb', [
    ...backend, ['devid', devid], ['backend_type', en(['unknown', 'qemu', 'linux'])], ['unique_id', string],
    ['feature_disable_keyboard', bool], ['feature_disable_pointer', bool], ['feature_abs_pointer', bool],
    ['feature_raw_pointer', bool], ['feature_multi_touch', bool], ['width', uint32], ['height', uint32],
    ['multi_touch_width', uint32], ['multi_touch_height', uint32], ['multi_touch_num_contacts', uint32],
  ]))],
  ['virtios', array(struct('device_virtio', [
    ...backend, ['type', string], ['transport', en(['unknown', 'mmio'])], ['grant_usage', defbool], ['devid', devid],
    ['irq', uint32], ['base', uint64],
  ])), V420],
  ['vtpms', array(struct('device_vtpm', [...backend, ['devid', devid], ['uuid', uuid]]))],
  ['p9s', array(struct('device_p9', [
    ...backend, ['tag', string], ['path', string], ['security_model', string], ['devid', devid],
    ['type', en(['unknown', 'qemu', 'xen_9pfsd']), V420], ['max_space', int(), V420], ['max_files', int(), V420],
    ['max_open_files', int(), V420], ['auto_delete', bool, V420],
  ]))],
  ['pvcallsifs', array(struct('device_pvcallsif', [...backend, ['devid', devid]]))],
  ['vdispls', array(struct('device_vdispl', [
    ...backend, ['devid', devid], ['be_alloc', bool],
    ['connectors', array(struct('connector_param', [['unique_id', string], ['width', uint32], ['height', uint32]]))],
  ]))],
  ['vsnds', array(struct('device_vsnd', [
    ...backend, ['devid', devid], ['short_name', string], ['long_name', string], ['params', vsndParams],
    ['pcms', array(struct('vsnd_pcm', [
      ['name', string], ['params', vsndParams],
      ['streams', array(struct('vsnd_stream', [['unique_id', string], ['type', en(['p', 'c'], null)], ['params', vsndParams]]))],
    ]))],
  ]))],
  ['channels', array(struct('device_channel', [
    ...backend, ['devid', devid], ['name', string],
    ['u', { k: 'union', key: 'connection', variants: { unknown: null, pty: null, socket: struct('channel.socket', [['path', string]]) } }],
  ]))],
  ['usbctrls', array(struct('device_usbctrl', [
    ['type', en(['auto', 'pv', 'devicemodel', 'qusb'])], ['devid', devid], ['version', int()], ['ports', int()], ...backend,
  ]))],
  ['usbdevs', array(struct('device_usbdev', [
    ['ctrl', devid], ['port', int()],
    ['u', { k: 'union', key: 'type', variants: { hostdev: struct('usbdev.hostdev', [['hostbus', uint8], ['hostaddr', uint8]]) } }],
  ]))],
  ...['on_poweroff', 'on_reboot', 'on_watchdog', 'on_crash', 'on_soft_reset'].map((n): IdlField => [n, en(ACTION_ON_SHUTDOWN, 'destroy')]),
]);

/** Whether a present value is the one libxl starts from (and so leaves out of its JSON). */
export function isDefault(t: IdlType, v: unknown): boolean {
  switch (t.k) {
    case 'int': return v === (t.init ?? 0);
    case 'bool': return v === false;
    case 'enum': return v === t.init;
    case 'string': return v === null;
    case 'uuid': return typeof v === 'string' && /^[0-]*$/.test(v);
    case 'mac': return typeof v === 'string' && /^[0:]*$/.test(v);
    case 'bitmap': case 'strlist': case 'array': return Array.isArray(v) && v.length === 0;
    case 'kvlist': return typeof v === 'object' && v !== null && Object.keys(v).length === 0;
    case 'genid': return Array.isArray(v) && v.every((b) => b === 0);
    case 'cpuid': {
      const p = v as { cpuid?: unknown[]; msr?: unknown[] } | null;
      return !p || ((p.cpuid?.length ?? 0) === 0 && (p.msr?.length ?? 0) === 0);
    }
    default: return false;
  }
}
