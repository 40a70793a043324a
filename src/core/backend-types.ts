// The one interface every connection implements: the simulator (test:///) and libxl
// (xen:///system). It is shaped after libxl's own API so that the Xen backend is a thin
// mapping: domains are addressed by domid after a resolve step, create takes the model's
// DomainConfig, data types carry libxl's field names (libxl_dominfo, libxl_vcpuinfo,
// libxl_physinfo...) so that `-o json` output is stable and familiar.
import type {
  Bitmap, Channel, DomainConfig, DomainType, Disk, Nic, Pci, SchedParams, Vfb, Vkb, Vtpm, UsbCtrl,
} from './model.js';

/** libxl_shutdown_reason, by libxl's lower-case names. */
export type ShutdownReason = 'poweroff' | 'reboot' | 'suspend' | 'crash' | 'watchdog' | 'soft_reset';
export const SHUTDOWN_REASON_CODES: Record<ShutdownReason, number> = {
  poweroff: 0, reboot: 1, suspend: 2, crash: 3, watchdog: 4, soft_reset: 5,
};

/** One word for a live domain's state, derived from libxl_dominfo's flags. */
export type DomainState = 'running' | 'blocked' | 'paused' | 'shutdown' | 'crashed' | 'dying';

/** libxl_dominfo, plus the name and a derived state. */
export interface DomainInfo {
  domid: number;
  name: string;
  uuid: string;
  domain_type: DomainType | 'invalid';
  state: DomainState;
  running: boolean;
  blocked: boolean;
  paused: boolean;
  shutdown: boolean;
  dying: boolean;
  never_stop: boolean;
  /** set when `shutdown` is */
  shutdown_reason?: ShutdownReason;
  /** why the domain is where it is, in words (e.g. a suppressed reboot loop) */
  state_detail?: string;
  ssidref: number;
  ssid_label?: string;
  current_memkb: number;
  outstanding_memkb: number;
  shared_memkb: number;
  paged_memkb: number;
  max_memkb: number;
  /** nanoseconds */
  cpu_time: number;
  vcpu_max_id: number;
  vcpu_online: number;
  cpupool: number;
  /** seconds since the epoch (libxl_vm_get_start_time) */
  start_time: number;
}

/** A domain as a name may refer to it: live, managed (defined), or both. */
export interface DomainRef {
  /** null when the domain is managed but not running */
  domid: number | null;
  name: string;
  uuid: string;
  managed: boolean;
}

export interface ManagedDomain {
  name: string;
  uuid: string;
  config: DomainConfig;
  /** where the config is stored */
  path: string;
  /** started by `txl host-start` at boot (virsh autostart) */
  autostart?: boolean;
  /** the managed save image `txl start` restores from (virsh managedsave), when there is one */
  managed_save?: string;
}

/** libxl_vcpuinfo */
export interface VcpuInfo {
  vcpuid: number;
  /** the physical CPU it runs on, -1 when offline */
  cpu: number;
  online: boolean;
  blocked: boolean;
  running: boolean;
  /** nanoseconds */
  vcpu_time: number;
  cpumap: Bitmap;
  cpumap_soft: Bitmap;
}

/** libxl_cpupoolinfo */
export interface CpupoolInfo {
  poolid: number;
  pool_name: string;
  sched: string;
  n_dom: number;
  cpumap: Bitmap;
}

export interface NumaNodeInfo {
  node: number;
  /** bytes */
  size: number;
  free: number;
  dists: number[];
  cpus: number[];
}

export interface CpuTopology { cpu: number; core: number; socket: number; node: number }

/** How libxl_domain_suspend sends the image (ignored by the simulator). */
export interface SuspendOptions {
  /** pre-copy memory while the guest runs (migration), as xl migrate does: needs log-dirty paging */
  live?: boolean;
  /** libxl's debug checks of the stream (xl migrate --debug) */
  debug?: boolean;
  /** a save to a file: recorded with the suspend, so that a save killed half-way is finished or undone later */
  saving?: SaveMarker;
}

/** A save under way: its image is written to tmp and renamed to file before the domain goes. */
export interface SaveMarker {
  file: string;
  tmp: string;
  /** save -c / -p: the domain runs on after the save, so it is resumed, never destroyed */
  keep?: boolean;
}

/** What `xl info` shows: uname of dom0, libxl_physinfo and libxl_version_info. */
export interface HostInfo {
  host: string;
  release: string;
  version: string;
  machine: string;
  physinfo: {
    nr_cpus: number;
    max_cpu_id: number;
    nr_nodes: number;
    cores_per_socket: number;
    threads_per_core: number;
    cpu_khz: number;
    hw_cap: number[];
    virt_caps: string[];
    total_memkb: number;
    free_memkb: number;
    outstanding_memkb: number;
    sharing_freed_memkb: number;
    sharing_used_memkb: number;
    free_cpus: number;
  };
  version_info: {
    xen_version_major: number;
    xen_version_minor: number;
    xen_version_extra: string;
    capabilities: string;
    pagesize: number;
    virt_start: number;
    changeset: string;
    commandline: string;
    compiler: string;
    compile_by: string;
    compile_domain: string;
    compile_date: string;
    build_id: string;
  };
  scheduler: string;
  numa: NumaNodeInfo[];
  topology: CpuTopology[];
}

/** Device kinds the backend attaches, lists and detaches, with their model types. */
export interface DeviceTypes {
  disk: Disk;
  nic: Nic;
  pci: Pci;
  vfb: Vfb;
  vkb: Vkb;
  vtpm: Vtpm;
  channel: Channel;
  usbctrl: UsbCtrl;
}
export type DeviceKind = keyof DeviceTypes;

/** xenbus states, as xl's *-list commands print them (4 = connected). */
export type XenbusState = 1 | 2 | 3 | 4 | 5 | 6;

export interface DeviceInfo<K extends DeviceKind = DeviceKind> {
  kind: K;
  devid: number;
  backend_domid: number;
  frontend_domid: number;
  backend_state: XenbusState;
  frontend_state: XenbusState;
  evtch: number;
  /** grant references of the rings: [ring] for disks, [tx, rx] for nics */
  rref: number[];
  backend_path: string;
  frontend_path: string;
  config: DeviceTypes[K];
}

/** The identifier a detach accepts: a devid, or a kind's own name for it (vdev, mac, BDF). */
export type DeviceId = number | string;

export type EventType =
  | 'create' | 'destroy' | 'shutdown' | 'reboot' | 'crash' | 'watchdog' | 'restart' | 'preserve'
  | 'pause' | 'unpause' | 'rename' | 'save' | 'restore' | 'define' | 'undefine'
  | 'device-attach' | 'device-detach' | 'media-change' | 'memory' | 'vcpus' | 'sched';

export interface DomainEvent {
  /** increases by one per event on a connection */
  seq: number;
  /** milliseconds since the epoch */
  time: number;
  type: EventType;
  domid: number | null;
  name: string;
  uuid?: string;
  reason?: ShutdownReason;
  detail?: string;
}

/** A vif's counters, from the guest's point of view (as virsh domstats reports them). */
export interface NetStats {
  devid: number;
  /** the backend's interface in Domain-0 (vif<domid>.<devid> unless the config names it) */
  name: string;
  rx_bytes: number; rx_pkts: number; rx_errs: number; rx_drop: number;
  tx_bytes: number; tx_pkts: number; tx_errs: number; tx_drop: number;
}

/** A virtual disk's request counters, as blkback keeps them (sectors of 512 bytes). */
export interface BlockStats {
  devid: number;
  /** the guest's name for it (xvda...) */
  name: string;
  /** requests that waited for a free ring slot ("out of requests") */
  oo_reqs: number;
  rd_reqs: number; rd_sectors: number;
  wr_reqs: number; wr_sectors: number;
}

/** The I/O counters of one domain's devices, where the host exposes them. */
export interface DeviceIo { net: NetStats[]; block: BlockStats[] }

export interface DomainStats {
  domid: number;
  name: string;
  memory: { target_kb: number; actual_kb: number; max_kb: number; balloon_done: number };
  shadow_kb: number;
  cpu_time: number;
  vcpus: { vcpuid: number; online: boolean; time: number }[];
  net?: NetStats[];
  block?: BlockStats[];
  /** what the backend could not measure, in words (e.g. why shadow_kb is 0) */
  notes?: string[];
}

export interface PinOptions {
  /** libxl_set_vcpuaffinity_force: also undo a pinning the guest kernel made (xl vcpu-pin -f) */
  force?: boolean;
}

export interface CreateOptions {
  /** leave the domain paused (xl create -p) */
  paused?: boolean;
  /** no monitor: on_poweroff/on_reboot/on_crash are not acted upon (xl create -e) */
  noMonitor?: boolean;
  /** libxl_domain_create_restore: read the saved image from this fd, positioned after xl's header */
  restoreFd?: number;
}

export interface ShutdownOptions {
  /** send an ACPI event when the guest has no PV control interface (xl -F) */
  fallbackAcpi?: boolean;
}

/** One graphical console of a live domain (vnc-port, vnc-listen, vnc-pass in xenstore; SPICE from the config). */
export interface DisplayInfo {
  type: 'vnc' | 'spice';
  /** the address it listens on, as configured (0.0.0.0 for any) */
  listen: string;
  /** the TCP port (VNC: 5900 + display); absent when only a TLS port is set */
  port?: number;
  tls_port?: number;
  /** only for --include-password: callers drop it otherwise */
  passwd?: string;
}

/** Which console to read or attach (xl console -t/-n), and how long to stay. */
export interface ConsoleOpenOptions {
  /** keep going until the domain dies or signal aborts (on Xen: xenconsole attached to the terminal) */
  follow?: boolean;
  signal?: AbortSignal;
  /** default: the primary console, serial for HVM and pv for PV and PVH */
  type?: 'pv' | 'serial' | 'vuart';
  /** default 0 */
  num?: number;
}

export type GuestAction = 'poweroff' | 'reboot' | 'crash' | 'watchdog';

export interface Backend {
  readonly uri: string;
  readonly kind: 'xen' | 'test';
  close(): Promise<void>;

  // --- host ---
  hostInfo(): Promise<HostInfo>;
  /** libvirt-style capabilities: guest types and architectures the host runs */
  capabilities(): Promise<{ arch: string; guests: { os_type: string; arch: string; wordsize: number; machine: string; domain: string }[] }>;
  /** the hypervisor's console ring (xl dmesg); clear afterwards if asked */
  dmesg(clear?: boolean): Promise<string[]>;
  listCpupools(): Promise<CpupoolInfo[]>;
  /** PCI functions made assignable to guests (pciback), as BDF strings */
  pciAssignable(): Promise<string[]>;
  /** network bridges in Domain-0 that vifs can join; absent where the backend cannot tell */
  hostBridges?(): Promise<string[]>;

  // --- naming ---
  /** the domid of a live domain given by name, domid or UUID; NotFoundError otherwise */
  resolve(ref: string): Promise<number>;
  /** like resolve, but also finds managed domains that are not running */
  lookup(ref: string): Promise<DomainRef>;

  // --- domains ---
  listDomains(): Promise<DomainInfo[]>;
  domainInfo(domid: number): Promise<DomainInfo>;
  /** libxl_retrieve_domain_configuration: the live config, devices and devids filled in */
  domainConfig(domid: number): Promise<DomainConfig>;
  /** creates and (unless paused) starts a domain; returns its domid */
  create(cfg: DomainConfig, opts?: CreateOptions): Promise<number>;
  destroy(domid: number): Promise<void>;
  shutdown(domid: number, opts?: ShutdownOptions): Promise<void>;
  reboot(domid: number, opts?: ShutdownOptions): Promise<void>;
  pause(domid: number): Promise<void>;
  unpause(domid: number): Promise<void>;
  rename(domid: number, newName: string): Promise<void>;
  /** libxl_domain_suspend: writes the domain's image to fd (after xl's header); the domain is left suspended */
  suspend(domid: number, fd: number, opts?: SuspendOptions): Promise<void>;
  /** libxl_domain_resume after a suspend (save -c / -p) */
  resume(domid: number): Promise<void>;
  /** the domain's console output so far; with follow, keeps yielding until the domain dies or signal aborts */
  console(domid: number, opts?: ConsoleOpenOptions): AsyncIterable<string>;
  /** state changes as they happen, starting after `since` (a seq) or now */
  events(opts?: { since?: number; signal?: AbortSignal }): AsyncIterable<DomainEvent>;
  domainStats(domid: number): Promise<DomainStats>;
  /** the I/O counters of every live domain's vifs and disks, by domid (xentop's NET and VBD columns) */
  deviceIo?(): Promise<Map<number, DeviceIo>>;

  // --- resources ---
  vcpuList(domid: number): Promise<VcpuInfo[]>;
  /** sets the number of online vCPUs (up to max_vcpus) */
  setVcpus(domid: number, count: number): Promise<void>;
  /** vcpu 'all' pins every vCPU; undefined leaves that affinity as it is */
  /** sets the hard and/or soft affinity (undefined = unchanged); bits beyond the host are ignored, as Xen does */
  pinVcpu(domid: number, vcpu: number | 'all', hard?: Bitmap, soft?: Bitmap, opts?: PinOptions): Promise<void>;
  setMemoryTarget(domid: number, memkb: number): Promise<void>;
  setMaxMemory(domid: number, memkb: number): Promise<void>;
  schedGet(domid: number): Promise<SchedParams>;
  schedSet(domid: number, params: SchedParams): Promise<void>;

  // --- devices ---
  listDevices<K extends DeviceKind>(domid: number, kind: K): Promise<DeviceInfo<K>[]>;
  /** attaches and returns the devid given to the device */
  attachDevice<K extends DeviceKind>(domid: number, kind: K, dev: DeviceTypes[K]): Promise<number>;
  detachDevice(domid: number, kind: DeviceKind, id: DeviceId, opts?: { force?: boolean }): Promise<void>;
  /** cd-insert (disk given) and cd-eject (null) on a removable disk */
  changeMedia(domid: number, vdev: string, disk: Disk | null): Promise<void>;
  /** a NIC's link as the guest's network sees it: its backend interface in the driver domain, up or down */
  getNicLink(domid: number, devid: number): Promise<'up' | 'down'>;
  setNicLink(domid: number, devid: number, state: 'up' | 'down'): Promise<void>;

  // --- managed (defined) domains: configs kept by txl, not by libxl ---
  listManaged(): Promise<ManagedDomain[]>;
  getManaged(name: string): Promise<ManagedDomain | undefined>;
  /** stores the config under its name; returns true when it replaced an existing one */
  define(cfg: DomainConfig): Promise<boolean>;
  undefine(name: string): Promise<void>;
  /** marks a managed domain to be started at boot (virsh autostart), or unmarks it */
  setAutostart(name: string, enable: boolean): Promise<void>;
  /** where a managed domain's managed save image is kept (whether or not there is one) */
  managedSavePath(name: string): string;

  // --- jobs, displays, power management (virsh's domjobinfo, domdisplay, dompmsuspend) ---
  /** where a long-running command on this connection records its job (one file per domain), for other processes to see */
  jobsDir?(): string;
  /** the graphical consoles of a live domain, as its device model announced them */
  displays?(domid: number): Promise<DisplayInfo[]>;
  /** ACPI S3 (suspend to RAM) of an HVM guest, and its wake-up */
  pmSuspend?(domid: number): Promise<void>;
  pmWakeup?(domid: number): Promise<void>;

  /** simulator only: make the guest itself power off, reboot, crash or trip its watchdog */
  guestAction?(domid: number, action: GuestAction): Promise<void>;
}
