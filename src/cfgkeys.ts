// Values of the xl.cfg keys that take one of a fixed set of words, for completing
// `key=value` overrides (the keys themselves come from parsers/xlcfg/keys.ts).

const ACTIONS = ['destroy', 'restart', 'rename-restart', 'preserve', 'coredump-destroy', 'coredump-restart', 'soft-reset'];

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
};
