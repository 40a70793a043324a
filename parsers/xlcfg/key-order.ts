// Where the simple keys of the key table (key-table.ts) are read and written among the
// structural ones. Reading follows parse_config_data() in xl 4.17, whose order decides which
// of two bad settings is reported; writing follows txl's canonical xl.cfg layout. A simple
// key named in no slot is read last (slot 'rest', after msr_relaxed and vpmu) and written at
// the end of the misc section, so a new simple key needs only its table line.

import { KEY_TABLE } from './key-table.js';

const READ = {
  'create.hap': ['hap'],
  create: ['oos', 'pool'],
  pvh: ['pvshim', 'pvshim_path', 'pvshim_cmdline', 'pvshim_extra'],
  sched: ['cpu_weight', 'cap', 'period', 'slice', 'latency', 'extratime'],
  memory: ['memory', 'maxmem'],
  vuart: ['vuart'],
  actions: ['on_poweroff', 'on_reboot', 'on_watchdog', 'on_crash', 'on_soft_reset'],
  pv: ['e820_host'],
  'misc.a': ['passthrough', 'shadow_memory', 'nomigrate'],
  'misc.b': ['rtc_timeoffset'],
  'misc.c': ['localtime', 'videoram', 'max_event_channels'],
  'boot.a': ['kernel', 'ramdisk', 'device_tree'],
  'boot.b': ['driver_domain', 'acpi', 'bootloader'],
  'boot.c': ['nestedhvm'],
  'hvm.a': ['firmware_override', 'bios_path_override'],
  'hvm.b': ['pae', 'acpi_s3', 'acpi_s4', 'acpi_laptop_slate', 'nx', 'hpet', 'vpt_align', 'apic'],
  'hvm.c': ['smbios_firmware', 'acpi_firmware'],
  'hvm.d': ['rdm_mem_boundary'],
  'dm.a': ['device_model_override'],
  'dm.b': [
    'device_model_stubdomain_override', 'device_model_stubdomain_seclabel', 'device_model_user', 'stubdomain_kernel',
    'stubdomain_cmdline', 'stubdomain_ramdisk', 'stubdomain_memory', 'device_model_args', 'device_model_args_pv', 'device_model_args_hvm',
  ],
  display: ['dm_restrict'],
  arm: ['gic_version', 'tee'],
  'hvm-display.a': [
    'hdtype', 'keymap', 'spice', 'spiceport', 'spicetls_port', 'spicehost', 'spicedisable_ticketing', 'spicepasswd', 'spiceagent_mouse',
    'spicevdagent', 'spice_clipboard_sharing', 'spiceusbredirection', 'spice_image_compression', 'spice_streaming_video', 'nographic',
  ],
  'hvm-display.b': ['boot', 'usb', 'usbversion'],
  'hvm-display.c': ['vkb_device', 'soundhw', 'xen_platform_pci'],
  'hvm-display.d': ['vendor_device'],
  'tail.a': ['xend_suspend_evtchn_compat'],
  'tail.b': ['vpmu'],
} as const;

const WRITE = {
  head: ['pool', 'hap', 'oos', 'driver_domain', 'passthrough', 'xend_suspend_evtchn_compat'],
  'boot.a': ['kernel', 'ramdisk'],
  'boot.b': ['bootloader'],
  'boot.c': ['device_tree'],
  pvh: ['pvshim', 'pvshim_path', 'pvshim_cmdline', 'pvshim_extra'],
  memory: ['memory'],
  sched: ['cpu_weight', 'cap', 'period', 'slice', 'latency', 'extratime'],
  sizes: ['shadow_memory', 'videoram'],
  actions: ['on_poweroff', 'on_reboot', 'on_watchdog', 'on_crash', 'on_soft_reset'],
  'misc.a': ['localtime', 'rtc_timeoffset', 'nomigrate', 'acpi', 'apic', 'nestedhvm'],
  'misc.b': ['dm_restrict', 'vpmu', 'tee', 'gic_version', 'vuart', 'msr_relaxed'],
  'misc.c': ['max_event_channels'],
  'dm.a': ['device_model_override'],
  'dm.b': [
    'device_model_stubdomain_override', 'device_model_stubdomain_seclabel', 'device_model_user', 'stubdomain_kernel',
    'stubdomain_cmdline', 'stubdomain_ramdisk', 'stubdomain_memory', 'device_model_args', 'device_model_args_pv', 'device_model_args_hvm',
  ],
  'hvm.a': ['firmware_override'],
  'hvm.b': ['bios_path_override', 'smbios_firmware', 'acpi_firmware', 'pae', 'acpi_s3', 'acpi_s4', 'acpi_laptop_slate', 'nx', 'hpet', 'vpt_align'],
  'hvm.c': ['rdm_mem_boundary'],
  'hvm-display.a': [
    'keymap', 'spice', 'spiceport', 'spicetls_port', 'spicehost', 'spicedisable_ticketing', 'spicepasswd', 'spiceagent_mouse',
    'spicevdagent', 'spice_clipboard_sharing', 'spiceusbredirection', 'spice_image_compression', 'spice_streaming_video',
  ],
  'hvm-display.b': ['hdtype', 'nographic'],
  'hvm-display.c': ['boot', 'usb', 'usbversion'],
  'hvm-display.d': ['vkb_device', 'soundhw', 'xen_platform_pci', 'vendor_device'],
} as const;

export type ReadSlot = keyof typeof READ | 'rest';
export type WriteSlot = keyof typeof WRITE | 'rest';

/** The simple keys the table leaves unplaced, for one direction. */
function rest(placed: Record<string, readonly string[]>, dir: 'read' | 'write'): string[] {
  const named = new Set(Object.values(placed).flat());
  return KEY_TABLE.filter((k) => k.model && !k.model[dir] && !named.has(k.name)).map((k) => k.name);
}

export const READ_ORDER: Readonly<Record<ReadSlot, readonly string[]>> = { ...READ, rest: rest(READ, 'read') };
export const WRITE_ORDER: Readonly<Record<WriteSlot, readonly string[]>> = { ...WRITE, rest: rest(WRITE, 'write') };
