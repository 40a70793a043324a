// The libxl functions txl calls, with the real Xen 4.17 prototypes of libxl.h, libxl_utils.h
// and libxl_event.h. The LIBXL_API_VERSION compatibility forms are inline wrappers in those
// headers; their exported `*_0x04NNNN` symbols are never bound here.
//
// Structs are `void *`: they cross the ABI as libxl JSON through the init/from_json/to_json/
// dispose functions of each type (json.ts), never as mirrored C layouts. `str!` results are
// strings libxl allocated; koffi frees them after copying.
import type { Library } from './load.js';

export const PROTOTYPES = {
  // context and child processes
  libxl_ctx_alloc: 'int libxl_ctx_alloc(_Out_ void **pctx, int version, unsigned int flags, void *lg)',
  libxl_ctx_free: 'int libxl_ctx_free(void *ctx)',
  libxl_childproc_setmode: 'void libxl_childproc_setmode(void *ctx, void *hooks, void *user)',
  libxl_childproc_sigchld_occurred: 'void libxl_childproc_sigchld_occurred(void *ctx)',
  libxl_error_to_string: 'const char *libxl_error_to_string(int code)',

  // domains
  libxl_list_domain: 'void *libxl_list_domain(void *ctx, _Out_ int *nb_domain_out)',
  libxl_dominfo_list_free: 'void libxl_dominfo_list_free(void *list, int nb_domain)',
  libxl_domain_info: 'int libxl_domain_info(void *ctx, void *info_r, uint32_t domid)',
  libxl_domid_to_name: 'str! libxl_domid_to_name(void *ctx, uint32_t domid)',
  libxl_name_to_domid: 'int libxl_name_to_domid(void *ctx, const char *name, _Out_ uint32_t *domid)',
  libxl_vm_get_start_time: 'uint32_t libxl_vm_get_start_time(void *ctx, uint32_t domid)',
  libxl_retrieve_domain_configuration: 'int libxl_retrieve_domain_configuration(void *ctx, uint32_t domid, void *d_config, void *ao_how)',
  // _Inout_: koffi zeroes _Out_ values, and 0 is dom0; INVALID_DOMID must survive an early failure
  libxl_domain_create_new: 'int libxl_domain_create_new(void *ctx, void *d_config, _Inout_ uint32_t *domid, void *ao_how, void *aop_console_how)',
  libxl_domain_destroy: 'int libxl_domain_destroy(void *ctx, uint32_t domid, void *ao_how)',
  libxl_domain_shutdown: 'int libxl_domain_shutdown(void *ctx, uint32_t domid, void *ao_how)',
  libxl_domain_reboot: 'int libxl_domain_reboot(void *ctx, uint32_t domid, void *ao_how)',
  libxl_send_trigger: 'int libxl_send_trigger(void *ctx, uint32_t domid, int trigger, uint32_t vcpuid, void *ao_how)',
  libxl_domain_pause: 'int libxl_domain_pause(void *ctx, uint32_t domid, void *ao_how)',
  libxl_domain_unpause: 'int libxl_domain_unpause(void *ctx, uint32_t domid, void *ao_how)',
  libxl_domain_rename: 'int libxl_domain_rename(void *ctx, uint32_t domid, const char *old_name, const char *new_name)',
  libxl_userdata_store: 'int libxl_userdata_store(void *ctx, uint32_t domid, const char *userdata_userid, const uint8_t *data, int datalen)',
  libxl_userdata_retrieve: 'int libxl_userdata_retrieve(void *ctx, uint32_t domid, const char *userdata_userid, _Out_ void **data_r, _Out_ int *datalen_r)',

  // memory
  libxl_domain_need_memory: 'int libxl_domain_need_memory(void *ctx, void *config, uint32_t domid_for_logging, _Out_ uint64_t *need_memkb)',
  libxl_get_free_memory: 'int libxl_get_free_memory(void *ctx, _Out_ uint64_t *memkb)',
  libxl_set_memory_target: 'int libxl_set_memory_target(void *ctx, uint32_t domid, int64_t target_memkb, int relative, int enforce)',
  libxl_wait_for_memory_target: 'int libxl_wait_for_memory_target(void *ctx, uint32_t domid, int wait_secs)',
  libxl_domain_setmaxmem: 'int libxl_domain_setmaxmem(void *ctx, uint32_t domid, uint64_t target_memkb)',

  // vcpus, scheduling, cpupools
  libxl_list_vcpu: 'void *libxl_list_vcpu(void *ctx, uint32_t domid, _Out_ int *nb_vcpu, _Out_ int *nr_cpus_out)',
  libxl_vcpuinfo_list_free: 'void libxl_vcpuinfo_list_free(void *list, int nr_vcpus)',
  libxl_set_vcpuonline: 'int libxl_set_vcpuonline(void *ctx, uint32_t domid, void *cpumap, void *ao_how)',
  libxl_set_vcpuaffinity: 'int libxl_set_vcpuaffinity(void *ctx, uint32_t domid, uint32_t vcpuid, void *cpumap_hard, void *cpumap_soft)',
  libxl_set_vcpuaffinity_force: 'int libxl_set_vcpuaffinity_force(void *ctx, uint32_t domid, uint32_t vcpuid, void *cpumap_hard, void *cpumap_soft)',
  libxl_get_max_cpus: 'int libxl_get_max_cpus(void *ctx)',
  libxl_get_freecpus: 'int libxl_get_freecpus(void *ctx, void *cpumap)',
  libxl_bitmap_init: 'void libxl_bitmap_init(void *map)',
  libxl_bitmap_alloc: 'int libxl_bitmap_alloc(void *ctx, void *bitmap, int n_bits)',
  libxl_bitmap_set: 'void libxl_bitmap_set(void *bitmap, int bit)',
  libxl_bitmap_dispose: 'void libxl_bitmap_dispose(void *map)',
  libxl_get_scheduler: 'int libxl_get_scheduler(void *ctx)',
  libxl_domain_sched_params_get: 'int libxl_domain_sched_params_get(void *ctx, uint32_t domid, void *params)',
  libxl_domain_sched_params_set: 'int libxl_domain_sched_params_set(void *ctx, uint32_t domid, void *params)',
  libxl_list_cpupool: 'void *libxl_list_cpupool(void *ctx, _Out_ int *nb_pool_out)',
  libxl_cpupoolinfo_list_free: 'void libxl_cpupoolinfo_list_free(void *list, int nb_pool)',

  // host
  libxl_get_physinfo: 'int libxl_get_physinfo(void *ctx, void *physinfo)',
  libxl_get_version_info: 'void *libxl_get_version_info(void *ctx)',
  libxl_get_cpu_topology: 'void *libxl_get_cpu_topology(void *ctx, _Out_ int *nb_cpu_out)',
  libxl_cputopology_list_free: 'void libxl_cputopology_list_free(void *list, int nb_cpu)',
  libxl_get_numainfo: 'void *libxl_get_numainfo(void *ctx, _Out_ int *nr)',
  libxl_numainfo_list_free: 'void libxl_numainfo_list_free(void *list, int nr)',
  libxl_xen_console_read_start: 'void *libxl_xen_console_read_start(void *ctx, int clear)',
  libxl_xen_console_read_line: 'int libxl_xen_console_read_line(void *ctx, void *cr, _Out_ const char **line_r)',
  libxl_xen_console_read_finish: 'void libxl_xen_console_read_finish(void *ctx, void *cr)',
  libxl_device_pci_assignable_list: 'void *libxl_device_pci_assignable_list(void *ctx, _Out_ int *num)',
  libxl_device_pci_assignable_list_free: 'void libxl_device_pci_assignable_list_free(void *list, int num)',

  // devices (the generic ones are declared by name in devices(): add/remove/destroy/list/list_free/getinfo)
  libxl_cdrom_insert: 'int libxl_cdrom_insert(void *ctx, uint32_t domid, void *disk, void *ao_how)',
  libxl_vdev_to_device_disk: 'int libxl_vdev_to_device_disk(void *ctx, uint32_t domid, const char *vdev, void *disk)',
  libxl_mac_to_device_nic: 'int libxl_mac_to_device_nic(void *ctx, uint32_t domid, const char *mac, void *nic)',
  libxl_devid_to_device_nic: 'int libxl_devid_to_device_nic(void *ctx, uint32_t domid, int devid, void *nic)',
} as const;

export type FnName = keyof typeof PROTOTYPES;

/** A bound C function: call it, or `.async(...args, cb)` to run it on a koffi worker thread. */
export interface CFunction {
  (...args: unknown[]): any; // eslint-disable-line @typescript-eslint/no-explicit-any
  async: (...args: unknown[]) => void;
}

export type Functions = Record<FnName, CFunction>;

/** Each function is bound on first use: a command calls a handful of the ~60. */
export function bindFunctions(xl: Library): Functions {
  const out = {} as Functions;
  for (const [name, proto] of Object.entries(PROTOTYPES) as [FnName, string][]) {
    Object.defineProperty(out, name, {
      configurable: true,
      enumerable: true,
      get() {
        const fn = xl.func(proto) as unknown as CFunction;
        Object.defineProperty(out, name, { value: fn, enumerable: true });
        return fn;
      },
    });
  }
  return out;
}

/** Device kinds with libxl add/remove/list functions, and their libxl type names. */
export const DEVICE_TYPES = {
  disk: { type: 'device_disk', info: 'diskinfo', list: true, add: true },
  nic: { type: 'device_nic', info: 'nicinfo', list: true, add: true },
  pci: { type: 'device_pci', info: undefined, list: true, add: true },
  vtpm: { type: 'device_vtpm', info: 'vtpminfo', list: true, add: true },
  vkb: { type: 'device_vkb', info: 'vkbinfo', list: true, add: true },
  usbctrl: { type: 'device_usbctrl', info: 'usbctrlinfo', list: true, add: true },
  channel: { type: 'device_channel', info: 'channelinfo', list: true, add: false },
  vfb: { type: 'device_vfb', info: undefined, list: false, add: true },
} as const;

export type DeviceKindName = keyof typeof DEVICE_TYPES;

export interface DeviceFunctions {
  add?: CFunction;
  remove?: CFunction;
  destroy?: CFunction;
  list?: CFunction;
  /** undefined for channels, whose lists libxl has no free function for */
  listFree?: CFunction;
  getinfo?: CFunction;
}

export function bindDevice(xl: Library, kind: DeviceKindName): DeviceFunctions {
  const d = DEVICE_TYPES[kind];
  const t = d.type;
  const f: DeviceFunctions = {};
  if (d.add) {
    f.add = xl.func(`int libxl_${t}_add(void *ctx, uint32_t domid, void *dev, void *ao_how)`) as unknown as CFunction;
    f.remove = xl.func(`int libxl_${t}_remove(void *ctx, uint32_t domid, void *dev, void *ao_how)`) as unknown as CFunction;
    f.destroy = xl.func(`int libxl_${t}_destroy(void *ctx, uint32_t domid, void *dev, void *ao_how)`) as unknown as CFunction;
  }
  if (d.list) {
    f.list = xl.func(`void *libxl_${t}_list(void *ctx, uint32_t domid, _Out_ int *num)`) as unknown as CFunction;
    if (kind !== 'channel') f.listFree = xl.func(`void libxl_${t}_list_free(void *list, int num)`) as unknown as CFunction;
  }
  if (d.info) f.getinfo = xl.func(`int libxl_${t}_getinfo(void *ctx, uint32_t domid, void *dev, void *info)`) as unknown as CFunction;
  return f;
}
