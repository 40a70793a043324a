// Which parts of a model domain XML has no form for, so that modelToXml can say what it
// left out instead of dropping it silently (libvirt's XML knows fewer Xen settings than xl).

const HANDLED: Record<string, Set<string>> = {
  '': new Set(['c_info', 'b_info', 'disks', 'nics', 'pcidevs', 'vfbs', 'vkbs', 'channels', 'usbctrls', 'usbdevs', 'on_poweroff', 'on_reboot', 'on_crash', 'side']),
  c_info: new Set(['type', 'name', 'uuid', 'hap', 'passthrough', 'ssid_label']),
  b_info: new Set([
    'max_vcpus', 'avail_vcpus', 'vcpu_hard_affinity', 'numa_placement', 'max_memkb', 'target_memkb', 'video_memkb',
    'sched_params', 'tsc_mode', 'rtc_timeoffset', 'localtime', 'cpuid', 'event_channels', 'max_grant_frames',
    'device_model', 'device_model_version', 'kernel', 'cmdline', 'ramdisk', 'bootloader', 'bootloader_args',
    'nested_hvm', 'apic', 'acpi', 'vnuma_nodes', 'extra', 'type.hvm', 'type.pv', 'type.pvh',
  ]),
  'b_info.sched_params': new Set(['weight']),
  'b_info.type.hvm': new Set([
    'firmware', 'bios', 'pae', 'apic', 'acpi', 'viridian', 'viridian_enable', 'viridian_disable', 'hpet', 'nested_hvm',
    'system_firmware', 'acpi_firmware', 'nographic', 'vga', 'vnc', 'keymap', 'sdl', 'spice', 'serial', 'boot',
    'usbdevice', 'soundhw', 'usbdevice_list', 'serial_list', 'rdm',
  ]),
  'b_info.type.pv': new Set(['kernel', 'bootloader', 'bootloader_args', 'cmdline', 'ramdisk', 'e820_host']),
  'b_info.type.pvh': new Set([]),
  disks: new Set(['pdev_path', 'vdev', 'backend', 'format', 'removable', 'readwrite', 'is_cdrom', 'discard_enable', 'backend_domname']),
  nics: new Set(['devid', 'mtu', 'model', 'mac', 'ip', 'bridge', 'ifname', 'script', 'nictype', 'rate_bytes_per_interval', 'rate_interval_usecs', 'backend_domname']),
  pcidevs: new Set(['func', 'dev', 'bus', 'domain', 'permissive', 'rdm_policy']),
  vfbs: new Set(['devid', 'vnc', 'sdl', 'keymap']),
  vkbs: new Set(['devid']),
  channels: new Set(['devid', 'name', 'connection.pty', 'connection.socket']),
  usbctrls: new Set(['type', 'devid', 'version', 'ports']),
  usbdevs: new Set(['type.hostdev']),
};

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Model paths with a value that modelToXml cannot write ("b_info.claim_mode", "vtpms"). */
export function unexpressed(cfg: unknown): string[] {
  const out = new Set<string>();
  const visit = (v: unknown, at: string) => {
    const handled = HANDLED[at];
    if (!handled || !isObj(v)) return;
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined || (Array.isArray(x) && !x.length) || (isObj(x) && !Object.keys(x).length)) continue;
      const path = at ? `${at}.${k}` : k;
      if (!handled.has(k)) out.add(path);
      else if (Array.isArray(x) && HANDLED[k]) x.forEach((e) => visit(e, k));
      else visit(x, path);
    }
  };
  visit(cfg, '');
  return [...out];
}
