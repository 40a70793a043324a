// The one internal model of a domain. It is libxl_domain_config exactly as libxl's own
// JSON represents it (libxl_types.idl, Xen 4.17): field names are libxl's, a field that
// equals its libxl default is left out, keyed unions are written as "<key>.<variant>",
// defbools are the strings "True"/"False", bitmaps are arrays of set bit numbers and
// enums are libxl's lower-case names. Keeping the model in libxl's own shape makes
// "model -> libxl JSON" a plain serialisation and the libxl reader a validation step;
// every other format is a mapping into and out of this one.
//
// What a format carries that libxl has no field for lives in `side`, never dropped.

export type Defbool = 'True' | 'False';
export type Bitmap = number[];
export type KeyValueList = Record<string, string>;

export type DomainType = 'hvm' | 'pv' | 'pvh';
export type ShutdownAction =
  | 'destroy' | 'restart' | 'restart_rename' | 'preserve'
  | 'coredump_destroy' | 'coredump_restart' | 'soft_reset';

export interface CreateInfo {
  type?: DomainType;
  hap?: Defbool;
  oos?: Defbool;
  ssidref?: number;
  ssid_label?: string;
  name?: string;
  domid?: number;
  uuid?: string;
  xsdata?: KeyValueList;
  platformdata?: KeyValueList;
  poolid?: number;
  pool_name?: string;
  run_hotplug_scripts?: Defbool;
  driver_domain?: Defbool;
  passthrough?: 'default' | 'disabled' | 'enabled' | 'sync_pt' | 'share_pt';
  xend_suspend_evtchn_compat?: Defbool;
}

export interface VncInfo { enable?: Defbool; listen?: string; passwd?: string; display?: number; findunused?: Defbool }
export interface SdlInfo { enable?: Defbool; opengl?: Defbool; display?: string; xauthority?: string }
export interface SpiceInfo {
  enable?: Defbool; port?: number; tls_port?: number; host?: string; disable_ticketing?: Defbool;
  passwd?: string; agent_mouse?: Defbool; vdagent?: Defbool; clipboard_sharing?: Defbool;
  usbredirection?: number; image_compression?: string; streaming_video?: string;
}

export interface SchedParams {
  sched?: string; weight?: number; cap?: number; period?: number; budget?: number;
  extratime?: number; slice?: number; latency?: number;
}

export interface VnodeInfo { memkb?: number; distances?: number[]; pnode?: number; vcpus?: Bitmap }

export interface HvmInfo {
  firmware?: string; bios?: 'rombios' | 'seabios' | 'ovmf'; pae?: Defbool; apic?: Defbool; acpi?: Defbool;
  acpi_s3?: Defbool; acpi_s4?: Defbool; acpi_laptop_slate?: Defbool; nx?: Defbool; viridian?: Defbool;
  viridian_enable?: Bitmap; viridian_disable?: Bitmap; timeoffset?: string; hpet?: Defbool;
  vpt_align?: Defbool; mmio_hole_memkb?: number; timer_mode?: string; nested_hvm?: Defbool;
  altp2m?: Defbool; system_firmware?: string; smbios_firmware?: string; acpi_firmware?: string;
  hdtype?: 'ide' | 'ahci'; nographic?: Defbool; vga?: { kind?: string }; vnc?: VncInfo; keymap?: string;
  sdl?: SdlInfo; spice?: SpiceInfo; gfx_passthru?: Defbool; gfx_passthru_kind?: string;
  serial?: string; boot?: string; usb?: Defbool; usbversion?: number; usbdevice?: string;
  vkb_device?: Defbool; soundhw?: string; xen_platform_pci?: Defbool; usbdevice_list?: string[];
  vendor_device?: string; /** 16 bytes, as libxl writes it */ ms_vm_genid?: number[]; serial_list?: string[];
  rdm?: { strategy?: string; policy?: string }; rdm_mem_boundary_memkb?: number; mca_caps?: number;
}

export interface PvInfo {
  kernel?: string; slack_memkb?: number; bootloader?: string; bootloader_args?: string[];
  cmdline?: string; ramdisk?: string; features?: string; e820_host?: Defbool;
}

export interface PvhInfo { pvshim?: Defbool; pvshim_path?: string; pvshim_cmdline?: string; pvshim_extra?: string }

/** libxl_cpuid_policy_list as libxl's JSON writes it (a list of leaves, or an xend/libxl string list). */
export type CpuidPolicy = unknown;

export interface BuildInfo {
  max_vcpus?: number;
  avail_vcpus?: Bitmap;
  cpumap?: Bitmap;
  nodemap?: Bitmap;
  vcpu_hard_affinity?: Bitmap[];
  vcpu_soft_affinity?: Bitmap[];
  numa_placement?: Defbool;
  tsc_mode?: 'default' | 'always_emulate' | 'native' | 'native_paravirt';
  max_memkb?: number;
  target_memkb?: number;
  video_memkb?: number;
  shadow_memkb?: number;
  iommu_memkb?: number;
  rtc_timeoffset?: number;
  exec_ssidref?: number;
  exec_ssid_label?: string;
  localtime?: Defbool;
  disable_migrate?: Defbool;
  cpuid?: CpuidPolicy;
  blkdev_start?: string;
  vnuma_nodes?: VnodeInfo[];
  max_grant_frames?: number;
  max_maptrack_frames?: number;
  max_grant_version?: number;
  device_model_version?: 'unknown' | 'qemu_xen_traditional' | 'qemu_xen';
  device_model_stubdomain?: Defbool;
  stubdomain_memkb?: number;
  stubdomain_kernel?: string;
  stubdomain_cmdline?: string;
  stubdomain_ramdisk?: string;
  device_model?: string;
  device_model_ssidref?: number;
  device_model_ssid_label?: string;
  device_model_user?: string;
  extra?: string[];
  extra_pv?: string[];
  extra_hvm?: string[];
  sched_params?: SchedParams;
  ioports?: { first?: number; number?: number }[];
  irqs?: number[];
  iomem?: { start?: number; number?: number; gfn?: number }[];
  claim_mode?: Defbool;
  event_channels?: number;
  kernel?: string;
  cmdline?: string;
  ramdisk?: string;
  device_tree?: string;
  acpi?: Defbool;
  bootloader?: string;
  bootloader_args?: string[];
  timer_mode?: 'unknown' | 'delay_for_missed_ticks' | 'no_delay_for_missed_ticks' | 'no_missed_ticks_pending' | 'one_missed_tick_pending';
  nested_hvm?: Defbool;
  apic?: Defbool;
  dm_restrict?: Defbool;
  tee?: 'none' | 'optee';
  'type.hvm'?: HvmInfo;
  'type.pv'?: PvInfo;
  'type.pvh'?: PvhInfo;
  arch_arm?: { gic_version?: string; vuart?: string };
  arch_x86?: { msr_relaxed?: Defbool };
  altp2m?: 'disabled' | 'mixed' | 'external' | 'limited';
  vmtrace_buf_kb?: number;
  vpmu?: Defbool;
}

interface Backend { backend_domid?: number; backend_domname?: string }

export interface Disk extends Backend {
  pdev_path?: string; vdev?: string;
  backend?: 'unknown' | 'phy' | 'tap' | 'qdisk' | 'standalone';
  format?: 'unknown' | 'qcow' | 'qcow2' | 'vhd' | 'raw' | 'empty' | 'qed';
  script?: string; removable?: number; readwrite?: number; is_cdrom?: number; direct_io_safe?: boolean;
  discard_enable?: Defbool; specification?: 'unknown' | 'xen' | 'virtio'; transport?: 'unknown' | 'mmio';
  irq?: number; base?: number; colo_enable?: Defbool; colo_restore_enable?: Defbool; colo_host?: string;
  colo_port?: number; colo_export?: string; active_disk?: string; hidden_disk?: string; trusted?: Defbool;
}

export interface Nic extends Backend {
  devid?: number; mtu?: number; model?: string; mac?: string; ip?: string; bridge?: string; ifname?: string;
  script?: string; nictype?: 'unknown' | 'vif_ioemu' | 'vif'; rate_bytes_per_interval?: number;
  rate_interval_usecs?: number; gatewaydev?: string; trusted?: Defbool; coloft_forwarddev?: string;
  /** the many colo_* strings of libxl_device_nic */
  [colo: `colo_${string}`]: string | undefined;
}

export interface Pci {
  func?: number; dev?: number; bus?: number; domain?: number; vdevfn?: number; vfunc_mask?: number;
  msitranslate?: boolean; power_mgmt?: boolean; permissive?: boolean; seize?: boolean;
  rdm_policy?: 'strict' | 'relaxed' | 'invalid'; name?: string;
}

export interface Rdm { start?: number; size?: number; policy?: string }
export interface Dtdev { path?: string }
export interface Vfb extends Backend { devid?: number; vnc?: VncInfo; sdl?: SdlInfo; keymap?: string }
export interface Vkb extends Backend {
  devid?: number; backend_type?: 'unknown' | 'qemu' | 'linux'; unique_id?: string;
  feature_disable_keyboard?: boolean; feature_disable_pointer?: boolean; feature_abs_pointer?: boolean;
  feature_raw_pointer?: boolean; feature_multi_touch?: boolean; width?: number; height?: number;
  multi_touch_width?: number; multi_touch_height?: number; multi_touch_num_contacts?: number;
}
export interface Vtpm extends Backend { devid?: number; uuid?: string }
export interface P9 extends Backend { tag?: string; path?: string; security_model?: string; devid?: number }
export interface PvcallsIf extends Backend { devid?: number }
export interface Vdispl extends Backend {
  devid?: number; be_alloc?: boolean; connectors?: { unique_id?: string; width?: number; height?: number }[];
}
export interface VsndParams {
  sample_rates?: number[]; sample_formats?: string[]; channels_min?: number; channels_max?: number; buffer_size?: number;
}
export interface Vsnd extends Backend {
  devid?: number; short_name?: string; long_name?: string; params?: VsndParams;
  pcms?: { name?: string; params?: VsndParams; streams?: { unique_id?: string; type?: 'p' | 'c'; params?: VsndParams }[] }[];
}
export interface Channel extends Backend {
  devid?: number; name?: string;
  'connection.pty'?: Record<string, never>;
  'connection.socket'?: { path?: string };
  'connection.unknown'?: Record<string, never>;
}
export interface UsbCtrl extends Backend {
  type?: 'auto' | 'pv' | 'devicemodel' | 'qusb'; devid?: number; version?: number; ports?: number;
}
export interface UsbDev { ctrl?: number; port?: number; 'type.hostdev'?: { hostbus?: number; hostaddr?: number } }

/** What a format carries that libxl_domain_config has no field for. */
export interface SidePart {
  /** libvirt domain XML only: <title>, <description>, <metadata> (raw XML), <clock> extras, ... */
  xml?: Record<string, unknown>;
  /** xl.cfg only: keys xl reads that do not land in libxl_domain_config (e.g. vif.default.*). */
  xl?: Record<string, unknown>;
}

export interface DomainConfig {
  c_info: CreateInfo;
  b_info: BuildInfo;
  disks?: Disk[];
  nics?: Nic[];
  pcidevs?: Pci[];
  rdms?: Rdm[];
  dtdevs?: Dtdev[];
  vfbs?: Vfb[];
  vkbs?: Vkb[];
  vtpms?: Vtpm[];
  p9s?: P9[];
  pvcallsifs?: PvcallsIf[];
  vdispls?: Vdispl[];
  vsnds?: Vsnd[];
  channels?: Channel[];
  usbctrls?: UsbCtrl[];
  usbdevs?: UsbDev[];
  on_poweroff?: ShutdownAction;
  on_reboot?: ShutdownAction;
  on_watchdog?: ShutdownAction;
  on_crash?: ShutdownAction;
  on_soft_reset?: ShutdownAction;
  side?: SidePart;
}

/** The domain type, wherever the model records it. */
export function domainType(cfg: DomainConfig): DomainType | undefined {
  return cfg.c_info.type;
}

export const defbool = (b: boolean): Defbool => (b ? 'True' : 'False');
