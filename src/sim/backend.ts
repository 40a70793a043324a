// The simulator behind the Backend interface: every call is one transaction on the host's
// state file (see store.ts), so that concurrent txl processes see one consistent host.
import { readdirSync } from 'node:fs';
import { readBounded } from '../readlimit.js';
import { join } from 'node:path';
import { release, version as osVersion, machine } from 'node:os';
import { NotFoundError, OperationError } from '../core/errors.js';
import type { Bitmap, DomainConfig, Disk, SchedParams } from '../core/model.js';
import type {
  Backend, ConsoleOpenOptions, CpupoolInfo, CreateOptions, DeviceId, DisplayInfo, DeviceInfo, DeviceKind, DeviceTypes, DomainEvent, DomainInfo, DomainRef,
  DomainStats, GuestAction, HostInfo, ManagedDomain, PinOptions, ShutdownOptions, SuspendOptions, VcpuInfo,
} from '../core/backend-types.js';
import { appendConsole, bootLines, noSuchConsole, readConsole, shutdownLines, simConsoleKind } from './console.js';
import { attach, detach } from './devices.js';
import { byDomid, checkName, createDomain, findDomain, isUuid, liveConfig, normUuid, toDomainInfo } from './domains.js';
import { destroyDomain, guestDoes, pauseDomain, refuseDom0, requestGuest, settle, unpauseDomain } from './guest.js';
import { changeMedia, deviceInfo, domainStats, pinVcpu, schedSet, setMaxMemory, setMemoryTarget, setVcpus, vcpuList } from './resources.js';
import { hostInfo } from './hostinfo.js';
import { encodeImage, readImageFd } from './stream.js';
import { newUuid, pushEvent, type SimDevice, type SimDomain } from './state.js';
import { removeFile, replaceFile } from '../fsutil.js';
import { simPaths } from './paths.js';
import type { Environment } from '../env.js';
import { SimStore, type Tx } from './store.js';
import { populateHost } from './populate.js';
import { checkManagedFile } from '../trust-files.js';
import { writeAll } from '../fsutil.js';
import { startTime } from './lock.js';
import { recoverSaves } from './recover.js';
import { simDisplays, simPmSuspend, simPmWakeup } from './pm-display.js';
import { ManagedMarks } from '../managed-marks.js';

// The abort listener is removed when the timer fires: streams poll for hours.
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((r) => {
    const onAbort = () => (clearTimeout(t), r());
    const t = setTimeout(() => (signal?.removeEventListener('abort', onAbort), r()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** env: the command's environment (ctx.env), for the state's place and the simulator's variables. */
export async function openSimulator(uri: string, host: 'default' | string, env: Environment, stderr?: NodeJS.WritableStream): Promise<Backend> {
  return new SimBackend(uri, new SimStore(simPaths(host, env), env, populateHost, stderr && ((line) => stderr.write(line))));
}

/** Brings the state up to now: saves whose process died first, then guests' pending actions. */
function settleAll(tx: Tx): boolean {
  const recovered = recoverSaves(tx);
  return settle(tx) || recovered;
}

export class SimBackend implements Backend {
  readonly kind = 'test' as const;

  readonly marks: ManagedMarks;

  constructor(readonly uri: string, readonly store: SimStore) {
    this.marks = new ManagedMarks(store.paths.managed, store.paths.save);
  }

  async close(): Promise<void> {}

  private tx<T>(fn: (tx: Tx) => T | Promise<T>): Promise<T> {
    return this.store.transact(fn, settleAll);
  }

  private onDomain<T>(domid: number, fn: (tx: Tx, d: SimDomain) => T): Promise<T> {
    return this.tx((tx) => fn(tx, byDomid(tx, domid)));
  }

  /** A transaction that only reads (see SimStore.transact). */
  private read<T>(fn: (tx: Tx) => T | Promise<T>): Promise<T> {
    return this.store.transact(fn, settleAll, { readOnly: true });
  }

  private readDomain<T>(domid: number, fn: (tx: Tx, d: SimDomain) => T): Promise<T> {
    return this.read((tx) => fn(tx, byDomid(tx, domid)));
  }

  // --- host ---
  hostInfo(): Promise<HostInfo> {
    return this.read((tx) => hostInfo(tx, { release: release(), version: osVersion(), machine: machine() }));
  }

  async capabilities() {
    const guests = [
      { os_type: 'xen', arch: 'x86_64', wordsize: 64, machine: 'xenpv', domain: 'xen' },
      { os_type: 'xen', arch: 'i686', wordsize: 32, machine: 'xenpv', domain: 'xen' },
      { os_type: 'hvm', arch: 'x86_64', wordsize: 64, machine: 'xenfv', domain: 'xen' },
      { os_type: 'hvm', arch: 'i686', wordsize: 32, machine: 'xenfv', domain: 'xen' },
      { os_type: 'xenpvh', arch: 'x86_64', wordsize: 64, machine: 'xenpvh', domain: 'xen' },
    ];
    return { arch: 'x86_64', guests };
  }

  dmesg(clear?: boolean): Promise<string[]> {
    return this.tx((tx) => {
      const lines = [...tx.st.dmesg];
      if (clear) tx.st.dmesg = [];
      return lines;
    });
  }

  listCpupools(): Promise<CpupoolInfo[]> {
    return this.read((tx) => tx.st.cpupools.map((p) => ({
      poolid: p.poolid, pool_name: p.name, sched: p.sched, cpumap: [...p.cpus],
      n_dom: tx.st.domains.filter((d) => d.cpupool === p.poolid).length,
    })));
  }

  pciAssignable(): Promise<string[]> {
    return this.read((tx) => [...tx.host.pci_assignable]);
  }

  hostBridges(): Promise<string[]> {
    return this.read((tx) => [...(tx.host.bridges ?? ['xenbr0'])]);
  }

  // --- naming ---
  async resolve(ref: string): Promise<number> {
    return this.read((tx) => {
      const d = findDomain(tx, ref);
      if (!d) throw new NotFoundError(`no domain '${ref}'`);
      return d.domid;
    });
  }

  async lookup(ref: string): Promise<DomainRef> {
    const managed = await this.listManaged();
    return this.read((tx) => {
      const d = findDomain(tx, ref);
      const m = d
        ? managed.find((x) => x.name === d.name)
        : managed.find((x) => x.name === ref || (isUuid(ref) && x.uuid === normUuid(ref)));
      if (d) return { domid: d.domid, name: d.name, uuid: d.uuid, managed: Boolean(m) };
      if (m) return { domid: null, name: m.name, uuid: m.uuid, managed: true };
      throw new NotFoundError(`no domain '${ref}'`);
    });
  }

  // --- domains ---
  listDomains(): Promise<DomainInfo[]> {
    return this.read((tx) => [...tx.st.domains].sort((a, b) => a.domid - b.domid).map((d) => toDomainInfo(d, tx.now)));
  }

  domainInfo(domid: number): Promise<DomainInfo> {
    return this.readDomain(domid, (tx, d) => toDomainInfo(d, tx.now));
  }

  domainConfig(domid: number): Promise<DomainConfig> {
    return this.readDomain(domid, (_tx, d) => liveConfig(d));
  }

  create(cfg: DomainConfig, opts: CreateOptions = {}): Promise<number> {
    const image = opts.restoreFd !== undefined ? this.readImage(opts.restoreFd) : undefined;
    return this.tx((tx) => {
      if (image) tx.faults.hit('restore-read', `reading the saved image of '${cfg.c_info?.name ?? '?'}'`);
      const d = createDomain(tx, cfg, { paused: opts.paused, monitor: !opts.noMonitor, restoring: image !== undefined });
      if (image) {
        d.cpu_ns = image.cpu_ns;
        d.online_vcpus = Math.min(image.online_vcpus, d.max_vcpus);
        d.hard_affinity = image.hard_affinity.slice(0, d.max_vcpus);
        d.soft_affinity = image.soft_affinity.slice(0, d.max_vcpus);
        d.sched = image.sched;
        pushEvent(tx.st, 'restore', d, { detail: `saved as domid ${image.domid}` }, tx.now);
        tx.after(() => appendConsole(tx.paths, d.domid, ['xen:manage: resuming after restore', `${d.name} login: `]));
      } else if (!opts.paused) {
        tx.after(() => appendConsole(tx.paths, d.domid, bootLines(d)));
      }
      return d.domid;
    });
  }

  private readImage(fd: number) {
    try {
      return readImageFd(fd);
    } catch (e) {
      if (e instanceof OperationError) throw e;
      throw new OperationError(`cannot read the domain image: ${(e as Error).message}`);
    }
  }

  destroy(domid: number): Promise<void> {
    return this.onDomain(domid, (tx, d) => destroyDomain(tx, d));
  }

  shutdown(domid: number, opts: ShutdownOptions = {}): Promise<void> {
    return this.onDomain(domid, (tx, d) => requestGuest(tx, d, 'poweroff', Boolean(opts.fallbackAcpi)));
  }

  reboot(domid: number, opts: ShutdownOptions = {}): Promise<void> {
    return this.onDomain(domid, (tx, d) => requestGuest(tx, d, 'reboot', Boolean(opts.fallbackAcpi)));
  }

  pause(domid: number): Promise<void> {
    return this.onDomain(domid, (tx, d) => pauseDomain(tx, d));
  }

  unpause(domid: number): Promise<void> {
    return this.onDomain(domid, (tx, d) => unpauseDomain(tx, d));
  }

  async rename(domid: number, newName: string): Promise<void> {
    const managed = await this.listManaged();
    await this.onDomain(domid, (tx, d) => {
      refuseDom0(d, 'rename');
      const old = d.name;
      if (old === newName) return;
      checkName(tx, newName, d);
      const clash = managed.find((m) => m.name === newName);
      if (clash) throw new OperationError(`a managed domain named '${newName}' already exists`, `undefine it first, or pick another name`);
      d.name = newName;
      d.config.c_info.name = newName;
      pushEvent(tx.st, 'rename', d, { detail: `from '${old}'` }, tx.now);
      const m = managed.find((x) => x.name === old);
      if (m) {
        // the managed config follows the domain it describes
        replaceFile(join(this.store.paths.managed, `${newName}.json`), JSON.stringify({ ...m.config, c_info: { ...m.config.c_info, name: newName } }, null, 2) + '\n');
        removeFile(m.path);
        this.marks.rename(old, newName);
      }
    });
  }

  suspend(domid: number, fd: number, opts: SuspendOptions = {}): Promise<void> {
    return this.onDomain(domid, (tx, d) => {
      refuseDom0(d, 'save');
      if (d.status === 'shutdown' || d.status === 'dying') throw new OperationError(`cannot save domain '${d.name}': it is shut down`);
      tx.faults.hit('save-write', `writing the image of '${d.name}'`);
      writeAll(fd, encodeImage(d, tx.now), opts.saving?.file);
      if (opts.saving) d.saving = { ...opts.saving, pid: process.pid, started: startTime(process.pid), at: tx.now };
      d.status = 'shutdown';
      d.shutdown_reason = 'suspend';
      d.run_since = null;
      pushEvent(tx.st, 'save', d, { reason: 'suspend' }, tx.now);
      tx.after(() => appendConsole(tx.paths, d.domid, shutdownLines('suspend')));
    });
  }

  resume(domid: number): Promise<void> {
    return this.onDomain(domid, (tx, d) => {
      if (d.status !== 'shutdown' || d.shutdown_reason !== 'suspend') throw new OperationError(`domain '${d.name}' is not suspended`);
      delete d.saving;
      d.status = 'running';
      delete d.shutdown_reason;
      d.run_since = tx.now;
    });
  }

  async *console(domid: number, opts: ConsoleOpenOptions = {}): AsyncIterable<string> {
    const d = await this.readDomain(domid, (_tx, x) => ({ uuid: x.uuid, kind: simConsoleKind(x, opts.type, opts.num), missing: noSuchConsole(x, opts.type ?? 'pv', opts.num ?? 0) }));
    if (!d.kind) throw new OperationError(d.missing);
    let sent = 0;
    for (;;) {
      // only the primary console carries the guest's output
      const text = d.kind === 'primary' ? readConsole(this.store.paths, domid) : '';
      if (text.length > sent) {
        yield text.slice(sent);
        sent = text.length;
      }
      if (!opts.follow || opts.signal?.aborted) return;
      const alive = await this.read((tx) => tx.st.domains.some((x) => x.domid === domid && x.uuid === d.uuid && x.status !== 'shutdown'));
      if (!alive) {
        const rest = d.kind === 'primary' ? readConsole(this.store.paths, domid) : '';
        if (rest.length > sent) yield rest.slice(sent);
        return;
      }
      await sleep(150, opts.signal);
    }
  }

  async *events(opts: { since?: number; signal?: AbortSignal } = {}): AsyncIterable<DomainEvent> {
    let last = opts.since ?? (await this.read((tx) => tx.st.event_seq));
    while (!opts.signal?.aborted) {
      const fresh = await this.read((tx) => tx.st.events.filter((e) => e.seq > last));
      for (const e of fresh) {
        last = e.seq;
        yield e;
      }
      await sleep(150, opts.signal);
    }
  }

  domainStats(domid: number): Promise<DomainStats> {
    return this.readDomain(domid, (tx, d) => domainStats(tx, d));
  }

  // --- resources ---
  vcpuList(domid: number): Promise<VcpuInfo[]> {
    return this.readDomain(domid, (tx, d) => vcpuList(tx, d));
  }
  setVcpus(domid: number, count: number): Promise<void> {
    return this.onDomain(domid, (tx, d) => setVcpus(tx, d, count));
  }
  pinVcpu(domid: number, vcpu: number | 'all', hard?: Bitmap, soft?: Bitmap, _opts?: PinOptions): Promise<void> {
    return this.onDomain(domid, (tx, d) => pinVcpu(tx, d, vcpu, hard, soft));
  }
  setMemoryTarget(domid: number, memkb: number): Promise<void> {
    return this.onDomain(domid, (tx, d) => setMemoryTarget(tx, d, memkb));
  }
  setMaxMemory(domid: number, memkb: number): Promise<void> {
    return this.onDomain(domid, (tx, d) => setMaxMemory(tx, d, memkb));
  }
  schedGet(domid: number): Promise<SchedParams> {
    return this.readDomain(domid, (_tx, d) => ({ ...d.sched }));
  }
  schedSet(domid: number, params: SchedParams): Promise<void> {
    return this.onDomain(domid, (tx, d) => schedSet(tx, d, params));
  }

  // --- devices ---
  listDevices<K extends DeviceKind>(domid: number, kind: K): Promise<DeviceInfo<K>[]> {
    return this.readDomain(domid, (_tx, d) => d.devices.filter((x) => x.kind === kind).map((x) => deviceInfo(d, x) as DeviceInfo<K>));
  }
  attachDevice<K extends DeviceKind>(domid: number, kind: K, dev: DeviceTypes[K]): Promise<number> {
    return this.onDomain(domid, (tx, d) => {
      if (d.status === 'shutdown' || d.status === 'dying') throw new OperationError(`cannot attach a device to domain '${d.name}': it is shut down`);
      return attach(tx, d, kind, dev, true);
    });
  }
  detachDevice(domid: number, kind: DeviceKind, id: DeviceId, opts: { force?: boolean } = {}): Promise<void> {
    return this.onDomain(domid, (tx, d) => detach(tx, d, kind, id, Boolean(opts.force)));
  }
  getNicLink(domid: number, devid: number): Promise<'up' | 'down'> {
    return this.readDomain(domid, (_tx, d) => (simNic(d, devid).link_down ? 'down' : 'up'));
  }
  setNicLink(domid: number, devid: number, state: 'up' | 'down'): Promise<void> {
    return this.onDomain(domid, (_tx, d) => {
      const x = simNic(d, devid);
      if (state === 'down') x.link_down = true;
      else delete x.link_down;
    });
  }
  changeMedia(domid: number, vdev: string, disk: Disk | null): Promise<void> {
    return this.onDomain(domid, (tx, d) => changeMedia(tx, d, vdev, disk));
  }

  // --- managed ---
  async listManaged(): Promise<ManagedDomain[]> {
    let files: string[];
    try {
      files = readdirSync(this.store.paths.managed).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
    } catch {
      return [];
    }
    const out: ManagedDomain[] = [];
    this.store.checkFiles();
    const autostart = this.marks.autostartNames();
    for (const f of files.sort()) {
      const path = join(this.store.paths.managed, f);
      checkManagedFile(path); // one others could write is refused, not skipped
      try {
        const config = JSON.parse(readBounded(path, 'a managed config').toString('utf8')) as DomainConfig;
        const name = config.c_info?.name ?? f.slice(0, -5);
        out.push({ name, uuid: config.c_info?.uuid ?? '', config, path, autostart: autostart.has(name), managed_save: this.marks.saveOf(name) });
      } catch {
        /* a file being replaced or damaged: skip it rather than fail every listing */
      }
    }
    return out;
  }

  async getManaged(name: string): Promise<ManagedDomain | undefined> {
    return (await this.listManaged()).find((m) => m.name === name);
  }

  async define(cfg: DomainConfig): Promise<boolean> {
    const name = cfg.c_info?.name;
    if (!name) throw new OperationError('the config has no name', "set 'name' in the config");
    return this.tx(async (tx) => {
      checkName({ ...tx, st: { ...tx.st, domains: [] } }, name);
      const all = await this.listManaged();
      const existing = all.find((m) => m.name === name);
      const live = tx.st.domains.find((d) => d.name === name);
      const uuid = cfg.c_info.uuid ? normUuid(cfg.c_info.uuid) : existing?.uuid || live?.uuid || newUuid();
      const twin = all.find((m) => m.uuid === uuid && m.name !== name);
      if (twin) throw new OperationError(`managed domain '${twin.name}' already has UUID ${uuid}`);
      const stored: DomainConfig = { ...cfg, c_info: { ...cfg.c_info, uuid } };
      replaceFile(join(this.store.paths.managed, `${name}.json`), JSON.stringify(stored, null, 2) + '\n');
      pushEvent(tx.st, 'define', { domid: live?.domid ?? null, name, uuid }, { detail: existing ? 'updated' : undefined }, tx.now);
      return Boolean(existing);
    });
  }

  async undefine(name: string): Promise<void> {
    const m = await this.getManaged(name);
    if (!m) throw new NotFoundError(`no managed domain '${name}'`);
    await this.tx((tx) => {
      this.marks.checkUndefine(name);
      removeFile(m.path);
      this.marks.forget(name);
      const live = tx.st.domains.find((d) => d.name === name);
      pushEvent(tx.st, 'undefine', { domid: live?.domid ?? null, name, uuid: m.uuid }, {}, tx.now);
    });
  }

  async setAutostart(name: string, enable: boolean): Promise<void> {
    if (!(await this.getManaged(name))) throw new NotFoundError(`no managed domain '${name}'`);
    // under the host's lock, as every other change of the host is
    await this.tx(() => this.marks.setAutostart(name, enable));
  }

  managedSavePath(name: string): string {
    return this.marks.savePath(name);
  }

  // --- jobs, displays, power management ---
  jobsDir(): string {
    return join(this.store.paths.dir, 'jobs');
  }
  displays(domid: number): Promise<DisplayInfo[]> {
    // a write: the displays handed out are kept
    return this.onDomain(domid, (tx, d) => simDisplays(tx, d));
  }
  pmSuspend(domid: number): Promise<void> {
    return this.onDomain(domid, (_tx, d) => simPmSuspend(d));
  }
  pmWakeup(domid: number): Promise<void> {
    return this.onDomain(domid, (_tx, d) => simPmWakeup(d));
  }

  guestAction(domid: number, action: GuestAction): Promise<void> {
    return this.onDomain(domid, (tx, d) => {
      if (d.status === 'paused') throw new OperationError(`domain '${d.name}' is paused: a paused guest cannot ${action}`, "unpause it first");
      guestDoes(tx, d, action);
    });
  }
}

function simNic(d: SimDomain, devid: number): SimDevice {
  const x = d.devices.find((v) => v.kind === 'nic' && v.devid === devid);
  if (!x) throw new NotFoundError(`domain '${d.name}' has no interface vif${d.domid}.${devid}`);
  return x;
}
