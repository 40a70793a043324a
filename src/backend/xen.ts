// xen:///system: the Backend on libxl, through the koffi bindings. One libxl context per
// command; the work is split by area in src/xen/. Everything here is loaded lazily (by
// backend/index.ts), so machines without Xen never load koffi.
import type { Libxl } from '../../bindings/context.js';
import type { XenstoreReader } from '../../bindings/xenstore.js';
import { NotFoundError, OperationError } from '../core/errors.js';
import type { Bitmap, DomainConfig, Disk, SchedParams } from '../core/model.js';
import type {
  Backend, CpupoolInfo, CreateOptions, DeviceId, DeviceInfo, DeviceIo, DisplayInfo, DeviceKind, DeviceTypes, DomainEvent, DomainInfo, DomainRef,
  DomainStats, HostInfo, ManagedDomain, PinOptions, ShutdownOptions, SuspendOptions, VcpuInfo,
} from '../core/backend-types.js';
import { connectError } from '../xen/errors.js';
import * as dom from '../xen/domains.js';
import * as res from '../xen/resources.js';
import * as dev from '../xen/devices.js';
import { nicLink, setNicLink } from '../xen/nic-link.js';
import * as host from '../xen/host.js';
import { createDomain } from '../xen/create.js';
import { attachConsole, consoleLog, type ConsoleType } from '../xen/console.js';
import { ManagedStore, managedDir, saveDir } from '../xen/managed.js';
import type { Environment } from '../env.js';
import { resumeDomain, suspendDomain } from '../xen/save.js';
import { checkDomainName } from '../validate.js';

/** The simulator's name rules, before libxl sees the name (libxl itself takes almost anything). */
function checkNewName(name: string | undefined): string {
  if (!name) throw new OperationError('the domain has no name', "set 'name' in the config");
  return checkDomainName(name);
}

/** env: the command's environment (ctx.env): TXL_LIBXENLIGHT, TXL_LIBXL_LOG, TXL_XL_CONF, TXL_XEN_STATE_DIR. */
export async function openXen(uri: string, env: Environment, stderr: NodeJS.WritableStream): Promise<XenBackend> {
  let lx: Libxl;
  let xs: XenstoreReader;
  try {
    const b = await import('../../bindings/index.js');
    lx = await b.Libxl.open({ libxenlight: env.TXL_LIBXENLIGHT || undefined, keepLog: env.TXL_LIBXL_LOG || undefined });
    xs = new b.XenstoreReader(lx.libs);
  } catch (e) {
    throw connectError(e, uri);
  }
  return new XenBackend(uri, lx, xs, env, stderr);
}

export class XenBackend implements Backend {
  readonly kind = 'xen' as const;
  readonly managed: ManagedStore;

  /** stderr: where its notes go (the Context's: a command's terminal, the monitor's log) */
  constructor(readonly uri: string, readonly lx: Libxl, private readonly xs: XenstoreReader, private readonly env: Environment = {}, private readonly stderr?: NodeJS.WritableStream) {
    this.managed = new ManagedStore(managedDir(env), saveDir(env));
  }

  async close(): Promise<void> {
    this.xs.close();
    await this.lx.close();
  }

  // --- host ---
  hostInfo(): Promise<HostInfo> {
    return host.hostInfo(this.lx);
  }
  capabilities() {
    return host.capabilities(this.lx);
  }
  dmesg(clear?: boolean): Promise<string[]> {
    return host.dmesg(this.lx, clear);
  }
  listCpupools(): Promise<CpupoolInfo[]> {
    return res.listCpupools(this.lx);
  }
  pciAssignable(): Promise<string[]> {
    return host.pciAssignable(this.lx);
  }

  // --- naming ---
  async resolve(ref: string): Promise<number> {
    return dom.resolve(this.lx, ref);
  }

  async lookup(ref: string): Promise<DomainRef> {
    try {
      const domid = dom.resolve(this.lx, ref);
      const d = await dom.domainInfo(this.lx, domid);
      return { domid, name: d.name, uuid: d.uuid, managed: Boolean(this.managed.get(d.name)) };
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      const m = this.managed.find(ref);
      if (m) return { domid: null, name: m.name, uuid: m.uuid, managed: true };
      throw new NotFoundError(`no domain '${ref}'`, "'txl list' shows running domains, 'txl list --all' also the defined ones");
    }
  }

  // --- domains ---
  async listDomains(): Promise<DomainInfo[]> {
    return dom.listDomains(this.lx);
  }
  domainInfo(domid: number): Promise<DomainInfo> {
    return dom.domainInfo(this.lx, domid);
  }
  domainConfig(domid: number): Promise<DomainConfig> {
    return dom.domainConfig(this.lx, domid);
  }
  async create(cfg: DomainConfig, opts: CreateOptions = {}): Promise<number> {
    checkNewName(cfg.c_info?.name);
    // creates of one process take turns only where xl's lock is taken (src/xen/create.ts)
    const domid = await createDomain(this.lx, cfg, opts, {
      xlConf: this.env.TXL_XL_CONF,
      onLockWait: (pid) => this.stderr?.write(`txl: waiting for the lock on the host (held by ${pid ? `process ${pid}` : 'another toolstack'})...\n`),
    });
    // like xl: a monitor process per domain applies on_poweroff/on_reboot/on_crash (not with -e)
    if (!opts.noMonitor) {
      const name = cfg.c_info?.name ?? String(domid);
      try {
        const { startMonitor } = await import('./monitor-spawn.js');
        startMonitor(domid, name, this.env);
      } catch (e) {
        this.stderr?.write(`txl: warning: domain '${name}' runs without its monitor (on_reboot and friends will not be applied): ${(e as Error).message}\n`);
      }
    }
    return domid;
  }
  destroy(domid: number): Promise<void> {
    return dom.destroy(this.lx, domid);
  }
  shutdown(domid: number, opts?: ShutdownOptions): Promise<void> {
    return dom.shutdown(this.lx, domid, opts);
  }
  reboot(domid: number, opts?: ShutdownOptions): Promise<void> {
    return dom.reboot(this.lx, domid, opts);
  }
  pause(domid: number): Promise<void> {
    return dom.pause(this.lx, domid);
  }
  unpause(domid: number): Promise<void> {
    return dom.unpause(this.lx, domid);
  }
  async rename(domid: number, newName: string): Promise<void> {
    checkNewName(newName);
    const old = (await dom.domainInfo(this.lx, domid)).name;
    if (old === newName) return;
    if (this.managed.get(newName)) throw new OperationError(`a managed domain named '${newName}' already exists`, 'undefine it first, or pick another name');
    await dom.rename(this.lx, domid, newName);
    this.managed.rename(old, newName);
  }
  suspend(domid: number, fd: number, opts?: SuspendOptions): Promise<void> {
    return suspendDomain(this.lx, domid, fd, opts);
  }
  resume(domid: number): Promise<void> {
    return resumeDomain(this.lx, domid);
  }

  /**
   * Without follow: what xenconsoled logged. With follow: xenconsole attached to this
   * terminal until the user leaves it; nothing is yielded (the output goes to the terminal).
   * `type`/`num` pick the console (default: the primary one, serial 0 for HVM, pv 0 otherwise).
   */
  async *console(domid: number, opts: { follow?: boolean; signal?: AbortSignal; type?: ConsoleType; num?: number } = {}): AsyncIterable<string> {
    const info = await dom.domainInfo(this.lx, domid);
    if (!opts.follow) {
      yield consoleLog(info.name);
      return;
    }
    // dominfo says hvm for PVH guests too; their primary console is the PV one, as for PV
    const emulated = info.domain_type === 'hvm' && (await dom.domainConfig(this.lx, domid)).c_info?.type !== 'pvh';
    const type = opts.type ?? (emulated ? 'serial' : 'pv');
    await attachConsole(this.lx.version, domid, type, opts.num ?? 0, this.env, opts.signal);
  }

  async *events(opts: { since?: number; signal?: AbortSignal } = {}): AsyncIterable<DomainEvent> {
    const { watch } = await import('../xen/events.js');
    yield* watch(this.lx, this.xs, opts);
  }
  async domainStats(domid: number): Promise<DomainStats> {
    const { domainStats } = await import('../xen/stats.js');
    return domainStats(this.lx, this.xs, domid);
  }
  async deviceIo(): Promise<Map<number, DeviceIo>> {
    const { deviceIo } = await import('../xen/stats.js');
    return deviceIo(this.xs);
  }

  // --- jobs, displays, power management ---
  jobsDir(): string {
    return this.env.TXL_XEN_STATE_DIR ? `${this.env.TXL_XEN_STATE_DIR}/jobs` : '/run/txl/jobs';
  }
  async displays(domid: number): Promise<DisplayInfo[]> {
    const { displays } = await import('../xen/pm-display.js');
    return displays(this.lx, this.xs, domid);
  }
  async pmSuspend(domid: number): Promise<void> {
    const { pmSuspend } = await import('../xen/pm-display.js');
    return pmSuspend(this.lx, this.xs, domid);
  }
  async pmWakeup(domid: number): Promise<void> {
    const { pmWakeup } = await import('../xen/pm-display.js');
    return pmWakeup(this.lx, domid);
  }

  // --- resources ---
  vcpuList(domid: number): Promise<VcpuInfo[]> {
    return res.vcpuList(this.lx, domid);
  }
  setVcpus(domid: number, count: number): Promise<void> {
    return res.setVcpus(this.lx, domid, count);
  }
  pinVcpu(domid: number, vcpu: number | 'all', hard?: Bitmap, soft?: Bitmap, opts?: PinOptions): Promise<void> {
    return res.pinVcpu(this.lx, domid, vcpu, hard, soft, opts);
  }
  setMemoryTarget(domid: number, memkb: number): Promise<void> {
    return res.setMemoryTarget(this.lx, domid, memkb);
  }
  setMaxMemory(domid: number, memkb: number): Promise<void> {
    return res.setMaxMemory(this.lx, domid, memkb);
  }
  schedGet(domid: number): Promise<SchedParams> {
    return res.schedGet(this.lx, domid);
  }
  schedSet(domid: number, params: SchedParams): Promise<void> {
    return res.schedSet(this.lx, domid, params);
  }

  // --- devices ---
  listDevices<K extends DeviceKind>(domid: number, kind: K): Promise<DeviceInfo<K>[]> {
    return dev.listDevices(this.lx, this.xs, domid, kind);
  }
  attachDevice<K extends DeviceKind>(domid: number, kind: K, d: DeviceTypes[K]): Promise<number> {
    return dev.attachDevice(this.lx, domid, kind, d);
  }
  detachDevice(domid: number, kind: DeviceKind, id: DeviceId, opts: { force?: boolean } = {}): Promise<void> {
    return dev.detachDevice(this.lx, this.xs, domid, kind, id, opts.force);
  }
  getNicLink(domid: number, devid: number): Promise<'up' | 'down'> {
    return nicLink(domid, devid);
  }
  setNicLink(domid: number, devid: number, state: 'up' | 'down'): Promise<void> {
    return setNicLink(domid, devid, state);
  }
  changeMedia(domid: number, vdev: string, disk: Disk | null): Promise<void> {
    return dev.changeMedia(this.lx, domid, vdev, disk);
  }

  // --- managed ---
  async listManaged(): Promise<ManagedDomain[]> {
    return this.managed.list();
  }
  async getManaged(name: string): Promise<ManagedDomain | undefined> {
    return this.managed.get(name);
  }
  async define(cfg: DomainConfig): Promise<boolean> {
    const name = checkNewName(cfg.c_info?.name);
    const live = dom.listDomains(this.lx).find((d) => d.name === name);
    return this.managed.define(cfg, live?.uuid);
  }
  async undefine(name: string): Promise<void> {
    this.managed.undefine(name);
  }
  async setAutostart(name: string, enable: boolean): Promise<void> {
    if (!this.managed.get(name)) throw new NotFoundError(`no managed domain '${name}'`);
    this.managed.marks.setAutostart(name, enable);
  }
  managedSavePath(name: string): string {
    return this.managed.marks.savePath(name);
  }
}
