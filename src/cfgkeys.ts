// The top-level keys of xl.cfg(5) (Xen 4.17), for completing `key=value` overrides, and the
// few keys whose values are a fixed set of words.

export const XL_CFG_KEYS: readonly string[] = [
  'name', 'uuid', 'type', 'builder', 'pool', 'seclabel', 'init_seclabel', 'driver_domain',
  'memory', 'maxmem', 'vcpus', 'maxvcpus', 'cpus', 'cpus_soft', 'cpu_weight', 'cap', 'vnuma',
  'on_poweroff', 'on_reboot', 'on_watchdog', 'on_crash', 'on_soft_reset',
  'kernel', 'ramdisk', 'cmdline', 'extra', 'root', 'bootloader', 'bootloader_args', 'firmware',
  'pvshim', 'pvshim_path', 'pvshim_cmdline', 'pvshim_extra', 'device_tree',
  'disk', 'vif', 'vtpm', 'p9', 'pvcalls', 'vfb', 'vkb', 'channel', 'vdispl', 'vsnd', 'vuart',
  'pci', 'pci_permissive', 'pci_msitranslate', 'pci_seize', 'pci_power_mgmt', 'rdm', 'rdm_mem_boundary',
  'dtdev', 'iomem', 'ioports', 'irqs', 'usbctrl', 'usbdev', 'passthrough', 'gfx_passthru',
  'max_grant_frames', 'max_maptrack_frames', 'max_grant_version', 'max_event_channels',
  'e820_host', 'nomigrate', 'tsc_mode', 'localtime', 'rtc_timeoffset', 'vmtrace_buf_kb', 'vpmu',
  'pae', 'acpi', 'acpi_s3', 'acpi_s4', 'acpi_laptop_slate', 'apic', 'hpet', 'nx', 'viridian',
  'timer_mode', 'vpt_align', 'hap', 'oos', 'shadow_memory', 'nestedhvm', 'altp2m', 'altp2mhvm',
  'mmio_hole', 'cpuid', 'msr_relaxed', 'mca_caps', 'xen_platform_pci', 'vendor_device', 'ms_vm_genid',
  'bios', 'bios_path_override', 'boot', 'hdtype', 'acpi_firmware', 'smbios_firmware',
  'device_model_version', 'device_model_override', 'device_model_args', 'device_model_args_pv',
  'device_model_args_hvm', 'device_model_user', 'device_model_stubdomain_override',
  'device_model_stubdomain_seclabel', 'stubdomain_memory', 'stubdomain_kernel', 'stubdomain_ramdisk',
  'stubdomain_cmdline', 'dm_restrict',
  'vga', 'videoram', 'stdvga', 'vnc', 'vnclisten', 'vncdisplay', 'vncunused', 'vncpasswd', 'keymap',
  'sdl', 'opengl', 'nographic', 'xauthority', 'serial', 'soundhw', 'usb', 'usbversion', 'usbdevice',
  'vkb_device', 'spice', 'spicehost', 'spiceport', 'spicetls_port', 'spicedisable_ticketing',
  'spicepasswd', 'spiceagent_mouse', 'spicevdagent', 'spice_clipboard_sharing', 'spiceusbredirection',
  'spice_image_compression', 'spice_streaming_video', 'gic_version', 'tee', 'xend_suspend_evtchn_compat',
];

const ACTIONS = ['destroy', 'restart', 'rename-restart', 'preserve', 'coredump-destroy', 'coredump-restart', 'soft-reset'];
const BOOL = ['0', '1'];

export const XL_CFG_VALUES: Readonly<Record<string, readonly string[]>> = {
  type: ['pv', 'pvh', 'hvm'],
  builder: ['generic', 'hvm'],
  on_poweroff: ACTIONS,
  on_reboot: ACTIONS,
  on_watchdog: ACTIONS,
  on_crash: ACTIONS,
  on_soft_reset: ACTIONS,
  tsc_mode: ['default', 'always_emulate', 'native', 'native_paravirt'],
  device_model_version: ['qemu-xen', 'qemu-xen-traditional'],
  bios: ['rombios', 'seabios', 'ovmf'],
  vga: ['stdvga', 'cirrus', 'none', 'qxl'],
  timer_mode: ['delay_for_missed_ticks', 'no_delay_for_missed_ticks', 'no_missed_ticks_pending', 'one_missed_tick_pending'],
  hdtype: ['ide', 'ahci'],
  tee: ['none', 'optee'],
  pvshim: BOOL, acpi: BOOL, apic: BOOL, hpet: BOOL, nx: BOOL, pae: BOOL, hap: BOOL, oos: BOOL,
  nestedhvm: BOOL, localtime: BOOL, nomigrate: BOOL, e820_host: BOOL, vnc: BOOL, vncunused: BOOL,
  sdl: BOOL, opengl: BOOL, nographic: BOOL, stdvga: BOOL, usb: BOOL, spice: BOOL, dm_restrict: BOOL,
  driver_domain: BOOL, xen_platform_pci: BOOL, pci_permissive: BOOL, pci_msitranslate: BOOL,
  pci_seize: BOOL, pci_power_mgmt: BOOL, acpi_s3: BOOL, acpi_s4: BOOL, vpmu: BOOL,
};
