// Every number the bindings take from Xen's C headers instead of asking libxl at run time,
// for each libxenlight txl supports (4.17: Debian 12; 4.20: Debian 13), x86_64 (LP64) with
// glibc. test/bindings-layout.test.ts compiles a program against each version's headers and
// checks each number, so that a Xen update cannot silently corrupt memory. Sizes of libxl's
// own structs are also measured at run time (json.ts) and compared with the loaded
// version's table. Everything but the struct sizes is the same in both versions.

/** sizeof of every libxl struct the bindings allocate, index arrays of, or read. */
export const SIZES_4_17: Readonly<Record<string, number>> = {
  domain_config: 1288,
  dominfo: 120,
  physinfo: 128,
  version_info: 96,
  vcpuinfo: 56,
  device_disk: 144,
  device_nic: 504,
  device_pci: 32,
  device_vtpm: 40,
  device_channel: 48,
  device_vkb: 64,
  device_usbctrl: 32,
  cputopology: 12,
  numainfo: 32,
  cpupoolinfo: 40,
  vminfo: 20,
  domain_sched_params: 32,
  diskinfo: 48,
  nicinfo: 48,
  vtpminfo: 64,
  channelinfo: 56,
  vkbinfo: 48,
  usbctrlinfo: 64,
};

/**
 * Xen 4.20's sizes (Debian 13's libxen-dev 4.20.4, gcc 12). What grew since 4.17:
 * domain_config (virtios; llc_colors, bootloader_restrict/_user, smbios, pirq, sve_vl,
 * nr_spis in b_info; grant_usage in disks), physinfo (arch_capabilities), device_nic (vlan).
 */
export const SIZES_4_20: Readonly<Record<string, number>> = {
  ...SIZES_4_17,
  domain_config: 1368,
  physinfo: 136,
  device_nic: 512,
};

/** The libxenlight versions txl supports, each with its checked size table. */
export const SIZES_BY_VERSION: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  '4.17': SIZES_4_17,
  '4.20': SIZES_4_20,
};

export const SUPPORTED_VERSIONS = Object.keys(SIZES_BY_VERSION);

/** One buffer size for every object moved through the JSON bridge: bigger than any of them. */
export const OBJECT_BYTES = 4096;

/** The few structs whose fields the bindings read or write themselves. */
export const LAYOUTS = {
  /** libxl_bitmap: { uint32_t size; uint8_t *map; } (size in bytes) */
  libxl_bitmap: { size: 16, offsets: { size: 0, map: 8 } },
  /** libxl_uuid: { unsigned char uuid[16]; } */
  libxl_uuid: { size: 16, offsets: { uuid: 0 } },
  /** libxl_childproc_hooks: { libxl_sigchld_owner chldowner; pid_t (*fork_replacement)(void *); int (*reaped_callback)(pid_t, int, void *); } */
  libxl_childproc_hooks: { size: 24, offsets: { chldowner: 0, fork_replacement: 8, reaped_callback: 16 } },
  /** glibc x86_64 struct flock, for the fcntl lock xl takes on /var/lock/xl */
  flock: { size: 32, offsets: { l_type: 0, l_whence: 2, l_start: 8, l_len: 16, l_pid: 24 } },
} as const;

/** Constants from the headers (enums and #defines), by their C names. */
export const CONSTANTS = {
  LIBXL_VERSION: 0,
  ERROR_FAIL: -3,
  ERROR_INVAL: -6,
  ERROR_NOPARAVIRT: -10,
  ERROR_DOMAIN_NOTFOUND: -21,
  ERROR_NOTFOUND: -23,
  ERROR_DEVICE_EXISTS: -17,
  libxl_sigchld_owner_mainloop: 1,
  LIBXL_TRIGGER_POWER: 1,
  LIBXL_TRIGGER_RESET: 5,
  LIBXL_CONSOLE_TYPE_SERIAL: 1,
  LIBXL_CONSOLE_TYPE_PV: 2,
  XTL_DEBUG: 1,
  XTL_DETAIL: 3,
  XTL_INFO: 5,
  XTL_STDIOSTREAM_HIDE_PROGRESS: 4,
  F_GETLK: 5,
  F_SETLK: 6,
  F_WRLCK: 1,
  F_UNLCK: 2,
  SEEK_SET: 0,
  _IONBF: 2,
  INVALID_DOMID: 0xffffffff,
} as const;

/** libxl_scheduler values as libxl_get_scheduler returns them. */
export const SCHEDULERS: Readonly<Record<number, string>> = {
  0: 'unknown', 4: 'sedf', 5: 'credit', 6: 'credit2', 7: 'arinc653', 8: 'rtds', 9: 'null',
};
