// A layer around a connection (the boot policy, the hooks): it implements the Backend
// interface itself and passes each call to the backend below, so that a layer overrides only
// the calls it guards, and a call the interface gains fails to compile here until it is
// passed on, rather than slipping past every layer unseen.
import type {
  Backend, CpupoolInfo, CreateOptions, DeviceId, DeviceInfo, DeviceIo, DeviceKind, DeviceTypes, DomainEvent, DomainInfo,
  DisplayInfo, DomainRef, DomainStats, GuestAction, HostInfo, ManagedDomain, PinOptions, ShutdownOptions, SuspendOptions, VcpuInfo,
} from './core/backend-types.js';
import type { Bitmap, Disk, DomainConfig, SchedParams } from './core/model.js';

export class BackendLayer implements Backend {
  readonly uri: string;
  readonly kind: Backend['kind'];
  // what only some backends have stays absent where the one below lacks it
  readonly hostBridges?: () => Promise<string[]>;
  readonly deviceIo?: () => Promise<Map<number, DeviceIo>>;
  readonly guestAction?: (domid: number, action: GuestAction) => Promise<void>;
  readonly jobsDir?: () => string;
  readonly displays?: (domid: number) => Promise<DisplayInfo[]>;
  readonly pmSuspend?: (domid: number) => Promise<void>;
  readonly pmWakeup?: (domid: number) => Promise<void>;

  constructor(readonly inner: Backend) {
    this.uri = inner.uri;
    this.kind = inner.kind;
    if (inner.hostBridges) this.hostBridges = () => inner.hostBridges!();
    if (inner.deviceIo) this.deviceIo = () => inner.deviceIo!();
    if (inner.guestAction) this.guestAction = (domid, action) => inner.guestAction!(domid, action);
    if (inner.jobsDir) this.jobsDir = () => inner.jobsDir!();
    if (inner.displays) this.displays = (domid) => inner.displays!(domid);
    if (inner.pmSuspend) this.pmSuspend = (domid) => inner.pmSuspend!(domid);
    if (inner.pmWakeup) this.pmWakeup = (domid) => inner.pmWakeup!(domid);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  // --- host ---
  hostInfo(): Promise<HostInfo> {
    return this.inner.hostInfo();
  }
  capabilities(): ReturnType<Backend['capabilities']> {
    return this.inner.capabilities();
  }
  dmesg(clear?: boolean): Promise<string[]> {
    return this.inner.dmesg(clear);
  }
  listCpupools(): Promise<CpupoolInfo[]> {
    return this.inner.listCpupools();
  }
  pciAssignable(): Promise<string[]> {
    return this.inner.pciAssignable();
  }

  // --- naming ---
  resolve(ref: string): Promise<number> {
    return this.inner.resolve(ref);
  }
  lookup(ref: string): Promise<DomainRef> {
    return this.inner.lookup(ref);
  }

  // --- domains ---
  listDomains(): Promise<DomainInfo[]> {
    return this.inner.listDomains();
  }
  domainInfo(domid: number): Promise<DomainInfo> {
    return this.inner.domainInfo(domid);
  }
  domainConfig(domid: number): Promise<DomainConfig> {
    return this.inner.domainConfig(domid);
  }
  create(cfg: DomainConfig, opts?: CreateOptions): Promise<number> {
    return this.inner.create(cfg, opts);
  }
  destroy(domid: number): Promise<void> {
    return this.inner.destroy(domid);
  }
  shutdown(domid: number, opts?: ShutdownOptions): Promise<void> {
    return this.inner.shutdown(domid, opts);
  }
  reboot(domid: number, opts?: ShutdownOptions): Promise<void> {
    return this.inner.reboot(domid, opts);
  }
  pause(domid: number): Promise<void> {
    return this.inner.pause(domid);
  }
  unpause(domid: number): Promise<void> {
    return this.inner.unpause(domid);
  }
  rename(domid: number, newName: string): Promise<void> {
    return this.inner.rename(domid, newName);
  }
  suspend(domid: number, fd: number, opts?: SuspendOptions): Promise<void> {
    return this.inner.suspend(domid, fd, opts);
  }
  resume(domid: number): Promise<void> {
    return this.inner.resume(domid);
  }
  // the options object goes down whole: a backend may take more (Xen's console type)
  console(domid: number, opts?: { follow?: boolean; signal?: AbortSignal }): AsyncIterable<string> {
    return this.inner.console(domid, opts);
  }
  events(opts?: { since?: number; signal?: AbortSignal }): AsyncIterable<DomainEvent> {
    return this.inner.events(opts);
  }
  domainStats(domid: number): Promise<DomainStats> {
    return this.inner.domainStats(domid);
  }

  // --- resources ---
  vcpuList(domid: number): Promise<VcpuInfo[]> {
    return this.inner.vcpuList(domid);
  }
  setVcpus(domid: number, count: number): Promise<void> {
    return this.inner.setVcpus(domid, count);
  }
  pinVcpu(domid: number, vcpu: number | 'all', hard?: Bitmap, soft?: Bitmap, opts?: PinOptions): Promise<void> {
    return this.inner.pinVcpu(domid, vcpu, hard, soft, opts);
  }
  setMemoryTarget(domid: number, memkb: number): Promise<void> {
    return this.inner.setMemoryTarget(domid, memkb);
  }
  setMaxMemory(domid: number, memkb: number): Promise<void> {
    return this.inner.setMaxMemory(domid, memkb);
  }
  schedGet(domid: number): Promise<SchedParams> {
    return this.inner.schedGet(domid);
  }
  schedSet(domid: number, params: SchedParams): Promise<void> {
    return this.inner.schedSet(domid, params);
  }

  // --- devices ---
  listDevices<K extends DeviceKind>(domid: number, kind: K): Promise<DeviceInfo<K>[]> {
    return this.inner.listDevices(domid, kind);
  }
  attachDevice<K extends DeviceKind>(domid: number, kind: K, dev: DeviceTypes[K]): Promise<number> {
    return this.inner.attachDevice(domid, kind, dev);
  }
  detachDevice(domid: number, kind: DeviceKind, id: DeviceId, opts?: { force?: boolean }): Promise<void> {
    return this.inner.detachDevice(domid, kind, id, opts);
  }
  getNicLink(domid: number, devid: number): Promise<'up' | 'down'> {
    return this.inner.getNicLink(domid, devid);
  }
  setNicLink(domid: number, devid: number, state: 'up' | 'down'): Promise<void> {
    return this.inner.setNicLink(domid, devid, state);
  }
  changeMedia(domid: number, vdev: string, disk: Disk | null): Promise<void> {
    return this.inner.changeMedia(domid, vdev, disk);
  }

  // --- managed ---
  listManaged(): Promise<ManagedDomain[]> {
    return this.inner.listManaged();
  }
  getManaged(name: string): Promise<ManagedDomain | undefined> {
    return this.inner.getManaged(name);
  }
  define(cfg: DomainConfig): Promise<boolean> {
    return this.inner.define(cfg);
  }
  undefine(name: string): Promise<void> {
    return this.inner.undefine(name);
  }
  setAutostart(name: string, enable: boolean): Promise<void> {
    return this.inner.setAutostart(name, enable);
  }
  managedSavePath(name: string): string {
    return this.inner.managedSavePath(name);
  }
}
