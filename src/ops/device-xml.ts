// virsh's attach-device, detach-device and update-device with a libvirt device XML file, and
// domif-setlink/-getlink. The device is read by the domain XML reader create uses (readDevices,
// on a <domain><devices> built around the one element), so a device means the same in both.
// --live acts through the backend (libxl's hot-plug), --config on the managed config (define).
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { Backend, DeviceKind, DomainRef } from '../core/backend-types.js';
import type { Channel, Disk, DomainConfig, DomainType, Nic, Pci, UsbCtrl } from '../core/model.js';
import { ConfigError, NotFoundError, OperationError, UsageError } from '../core/errors.js';
import { withBackend } from './connect.js';
import { dryRun, virshText } from './text.js';

export interface ScopeOpts { live?: boolean; config?: boolean; persistent?: boolean; current?: boolean }
export interface DeviceXmlOpts extends ScopeOpts { file?: string }

const ELEMENTS = ['disk', 'interface', 'hostdev', 'controller', 'input', 'console', 'channel'] as const;

/** One device of a device XML file, as the model holds it. */
export type XmlDevice =
  | { kind: 'disk'; dev: Disk }
  | { kind: 'nic'; dev: Nic; link?: 'up' | 'down' }
  | { kind: 'pci'; dev: Pci }
  | { kind: 'usbctrl'; dev: UsbCtrl }
  | { kind: 'channel'; dev: Channel }
  | { kind: 'usbdev'; dev: { hostbus?: number; hostaddr?: number } }
  | { kind: 'xenbus'; dev: { event_channels?: number; max_grant_frames?: number } }
  | { kind: 'input'; dev: { usb?: string } }
  | { kind: 'console'; dev: { serial?: string } };

/** Reads a device XML document for a domain of the given type; errors point into the file. */
export async function readDeviceXml(text: string, file: string, type: DomainType): Promise<{ device: XmlDevice; warnings: import('../core/errors.js').Diagnostic[] }> {
  const { parseXml } = await import('../../parsers/xml/dom.js');
  const { Reader } = await import('../../parsers/xml/reader.js');
  const { readDevices } = await import('../../parsers/xml/read-devices.js');
  const { root, map } = parseXml(text, file);
  if (!(ELEMENTS as readonly string[]).includes(root.name)) {
    throw new ConfigError([map.diag(root.pos, `unknown device type '${root.name}'`, file, 'error', `a device XML holds one of <${ELEMENTS.join('>, <')}>`, root.name.length + 1)]);
  }
  const r = new Reader(file, map, {});
  // <link state=...>: libvirt's NIC carrier, which the domain reader has no field for
  let link: 'up' | 'down' | undefined;
  const linkNode = root.name === 'interface' ? r.child(root, 'link') : undefined;
  if (linkNode) link = r.oneOf(linkNode, 'state', ['up', 'down'] as const);
  const devices = { name: 'devices', attrs: [], children: [root], text: '', pos: -1, used: true };
  const domain = { name: 'domain', attrs: [], children: [devices], text: '', pos: -1 };
  const cfg: DomainConfig = { c_info: { type }, b_info: type === 'hvm' ? { 'type.hvm': {} } : {} };
  readDevices(r, domain, cfg, type);
  if (!root.used) {
    const why = (root.why?.[''] ?? `<${root.name}> is not a device libxl provides`).replace(/; kept in side\.xml$/, '');
    r.error(root, why);
  }
  r.sweep(devices);
  if (r.errors.length) throw new ConfigError([...r.errors, ...r.warnings]);
  const warnings = r.warnings.map((w) => ({ ...w, message: w.message.replace(/; kept in side\.xml$/, '; ignored'), hint: undefined }));
  return { device: pick(root.name, cfg, type, link), warnings };
}

function pick(element: string, cfg: DomainConfig, type: DomainType, link?: 'up' | 'down'): XmlDevice {
  const h = cfg.b_info['type.hvm'];
  switch (element) {
    case 'disk':
      return { kind: 'disk', dev: cfg.disks![0]! };
    case 'interface':
      if (cfg.pcidevs?.length) return { kind: 'pci', dev: cfg.pcidevs[0]! };
      {
        const { devid: _, ...nic } = cfg.nics![0]!;
        return { kind: 'nic', dev: nic, link };
      }
    case 'hostdev':
      if (cfg.usbdevs?.length) return { kind: 'usbdev', dev: cfg.usbdevs[0]!['type.hostdev'] ?? {} };
      return { kind: 'pci', dev: cfg.pcidevs![0]! };
    case 'controller':
      if (cfg.usbctrls?.length) return { kind: 'usbctrl', dev: cfg.usbctrls[0]! };
      return { kind: 'xenbus', dev: { event_channels: cfg.b_info.event_channels, max_grant_frames: cfg.b_info.max_grant_frames } };
    case 'input':
      return { kind: 'input', dev: { usb: h?.usbdevice_list?.[0] } };
    case 'console':
      return { kind: 'console', dev: { serial: type === 'hvm' ? h?.serial : undefined } };
    default:
      return { kind: 'channel', dev: cfg.channels![0]! };
  }
}

// ------------------------------------------------------------------ --live / --config

export interface Scope { live: boolean; config: boolean }

/** virsh's rules for --live, --config, --persistent and --current. */
export function scopeOf(o: ScopeOpts, running: boolean, managed: boolean, name: string): Scope {
  if (o.current && (o.live || o.config)) throw new UsageError(`Options --current and --${o.live ? 'live' : 'config'} are mutually exclusive`);
  if (o.current && o.persistent) throw new UsageError('Options --current and --persistent are mutually exclusive');
  let live = !!o.live;
  let config = !!o.config || !!o.persistent;
  if (o.persistent && running) live = true;
  if (!live && !config) (running ? (live = true) : (config = true));
  if (live && !running) throw new OperationError(`domain '${name}' is not running`, 'use --config to change its stored config');
  if (config && !managed) throw new OperationError(`cannot change the persistent config of transient domain '${name}'`, "only domains stored with 'txl define' have one");
  return { live, config };
}

interface Target { be: Backend; ref: DomainRef; type: DomainType; managed?: DomainConfig }

async function target(be: Backend, name: string): Promise<Target> {
  const ref = await be.lookup(name);
  const stored = ref.managed ? (await be.getManaged(ref.name))?.config : undefined;
  const live = ref.domid !== null ? await be.domainConfig(ref.domid) : undefined;
  return { be, ref, type: (live ?? stored)?.c_info?.type ?? 'pv', managed: stored && structuredClone(stored) };
}

async function readFileArg(ctx: Context, t: Target, file: string) {
  const { readText } = await import('../formats.js');
  const { device, warnings } = await readDeviceXml(await readText(file, 'a device XML file'), file, t.type);
  warnings.forEach((w) => ctx.warn(w));
  return device;
}

const HOTPLUG: readonly string[] = ['disk', 'nic', 'pci', 'usbctrl'];
const ELEMENT_OF: Record<XmlDevice['kind'], string> = {
  disk: 'disk', nic: 'interface', pci: 'hostdev', usbctrl: 'controller', channel: 'channel', usbdev: 'hostdev', xenbus: 'controller', input: 'input', console: 'console',
};

/** The element as an admin wrote it, with the type that tells same-named devices apart. */
function label(d: XmlDevice): string {
  if (d.kind === 'usbdev') return "<hostdev type='usb'>";
  if (d.kind === 'xenbus') return "<controller type='xenbus'>";
  return `<${ELEMENT_OF[d.kind]}>`;
}

function refuseLive(d: XmlDevice, verb: string) {
  if (HOTPLUG.includes(d.kind)) return;
  const where = `${verb === 'hot-plug' ? 'into' : 'from'} a running domain; --config changes the stored config`;
  // libxl has usbdev hot-plug, but txl's backends do not drive it yet
  if (d.kind === 'usbdev') throw new OperationError(`txl cannot ${verb} ${label(d)} devices ${where}`);
  throw new OperationError(`libxl cannot ${verb} ${label(d)} devices ${where}`);
}

function fileOf(file: string | undefined, opt: string | undefined): string {
  const f = file ?? opt;
  if (!f) throw new UsageError('which device XML file?', 'txl attach-device DOMAIN FILE');
  if (file !== undefined && opt !== undefined && file !== opt) throw new UsageError('give the file once: as FILE or as --file');
  return f;
}

// ------------------------------------------------------------------ the managed config

const hex = (n: number | undefined, w: number) => (n ?? 0).toString(16).padStart(w, '0');
const bdf = (p: Pci) => `${hex(p.domain, 4)}:${hex(p.bus, 2)}:${hex(p.dev, 2)}.${hex(p.func, 1)}`;

/** The index of the config's device the XML names (disk target, NIC MAC, PCI address...). */
function findIn(cfg: DomainConfig, d: XmlDevice, name: string): number {
  const miss = (what: string): never => {
    throw new NotFoundError(`domain '${name}' has no ${what} in its config`, `see 'txl dumpxml --inactive ${name}'`);
  };
  let i = -1;
  switch (d.kind) {
    case 'disk':
      i = (cfg.disks ?? []).findIndex((x) => x.vdev === d.dev.vdev);
      return i >= 0 ? i : miss(`disk with target ${d.dev.vdev}`);
    case 'nic':
      return nicIndex(cfg.nics ?? [], d.dev, name, () => miss(d.dev.mac ? `interface with MAC ${d.dev.mac}` : 'interface'));
    case 'pci':
      i = (cfg.pcidevs ?? []).findIndex((x) => bdf(x) === bdf(d.dev));
      return i >= 0 ? i : miss(`host device ${bdf(d.dev)}`);
    case 'usbctrl':
      i = (cfg.usbctrls ?? []).findIndex((x) => x.devid === d.dev.devid);
      return i >= 0 ? i : miss(`USB controller ${d.dev.devid}`);
    case 'channel':
      i = (cfg.channels ?? []).findIndex((x) => x.name === d.dev.name);
      return i >= 0 ? i : miss(`channel '${d.dev.name}'`);
    case 'usbdev':
      i = (cfg.usbdevs ?? []).findIndex((x) => x['type.hostdev']?.hostbus === d.dev.hostbus && x['type.hostdev']?.hostaddr === d.dev.hostaddr);
      return i >= 0 ? i : miss(`USB host device ${d.dev.hostbus}.${d.dev.hostaddr}`);
    case 'input':
      i = (cfg.b_info['type.hvm']?.usbdevice_list ?? []).indexOf(d.dev.usb ?? '');
      return i >= 0 ? i : miss(`USB ${d.dev.usb ?? 'input'} device`);
    default:
      throw new OperationError(`a <${ELEMENT_OF[d.kind]}> cannot be detached: every Xen domain keeps it`);
  }
}

function nicIndex(nics: Nic[], want: Nic, name: string, miss: () => never): number {
  if (want.mac) {
    const i = nics.findIndex((x) => x.mac?.toLowerCase() === want.mac);
    return i >= 0 ? i : miss();
  }
  if (nics.length > 1) throw new OperationError(`domain '${name}' has ${nics.length} interfaces: give the <mac address=...> of the one meant`);
  return nics.length ? 0 : miss();
}

function configAttach(cfg: DomainConfig, d: XmlDevice, name: string): void {
  const dup = (what: string): never => {
    throw new OperationError(`domain '${name}' already has ${what} in its config`);
  };
  const h = cfg.b_info['type.hvm'];
  switch (d.kind) {
    case 'disk':
      if ((cfg.disks ?? []).some((x) => x.vdev === d.dev.vdev)) dup(`a disk with target ${d.dev.vdev}`);
      (cfg.disks ??= []).push(d.dev);
      return;
    case 'nic':
      if (d.dev.mac && (cfg.nics ?? []).some((x) => x.mac?.toLowerCase() === d.dev.mac)) dup(`an interface with MAC ${d.dev.mac}`);
      if (d.link === 'down') refuseLink();
      (cfg.nics ??= []).push(d.dev);
      return;
    case 'pci':
      if ((cfg.pcidevs ?? []).some((x) => bdf(x) === bdf(d.dev))) dup(`host device ${bdf(d.dev)}`);
      (cfg.pcidevs ??= []).push(d.dev);
      return;
    case 'usbctrl':
      if ((cfg.usbctrls ?? []).some((x) => x.devid === d.dev.devid)) dup(`USB controller ${d.dev.devid}`);
      (cfg.usbctrls ??= []).push(d.dev);
      return;
    case 'channel':
      if ((cfg.channels ?? []).some((x) => x.name === d.dev.name)) dup(`channel '${d.dev.name}'`);
      (cfg.channels ??= []).push(d.dev);
      return;
    case 'usbdev':
      (cfg.usbdevs ??= []).push({ 'type.hostdev': d.dev });
      return;
    case 'xenbus':
      if (d.dev.event_channels) cfg.b_info.event_channels = d.dev.event_channels;
      if (d.dev.max_grant_frames) cfg.b_info.max_grant_frames = d.dev.max_grant_frames;
      return;
    case 'input':
      if (!d.dev.usb || !h) throw new OperationError(`domain '${name}' has that input device already: libxl gives every domain its keyboard and mouse`);
      (h.usbdevice_list ??= []).push(d.dev.usb);
      return;
    case 'console':
      if (!d.dev.serial || !h || h.serial || h.serial_list?.length) throw new OperationError(`domain '${name}' has its console already: libxl gives every domain one`);
      h.serial = d.dev.serial;
      return;
  }
}

function configDetach(cfg: DomainConfig, d: XmlDevice, name: string): void {
  const i = findIn(cfg, d, name);
  const KEY = { disk: 'disks', nic: 'nics', pci: 'pcidevs', usbctrl: 'usbctrls', channel: 'channels', usbdev: 'usbdevs' } as const;
  if (d.kind === 'input') {
    const h = cfg.b_info['type.hvm']!;
    h.usbdevice_list!.splice(i, 1);
    if (!h.usbdevice_list!.length) delete h.usbdevice_list;
    return;
  }
  const key = KEY[d.kind as keyof typeof KEY];
  const list = cfg[key] as unknown[];
  list.splice(i, 1);
  // no empty list left behind: the config reads as if the device had never been there
  if (!list.length) delete cfg[key];
}

function refuseLink(): never {
  throw new OperationError("libxl has no link state for a vif: its carrier cannot be set down (<link state='down'/>)");
}

function refuseStoredLink(): never {
  throw new OperationError("libxl's config has no link state for a vif: it cannot store <link state='down'/> (without --config/--persistent, down applies to the running domain)");
}

// ------------------------------------------------------------------ live

/** The devid of the live device the XML names, found among the domain's devices. */
async function liveId(t: Target, d: XmlDevice): Promise<number> {
  const domid = t.ref.domid!;
  const kind = d.kind as DeviceKind;
  const list = await t.be.listDevices(domid, kind);
  let hit: (typeof list)[number] | undefined;
  if (d.kind === 'disk') hit = list.find((x) => (x.config as Disk).vdev === d.dev.vdev);
  else if (d.kind === 'nic') {
    const i = nicIndex(list.map((x) => x.config as Nic), d.dev, t.ref.name, () => {
      throw new NotFoundError(`domain '${t.ref.name}' has no interface${d.dev.mac ? ` with MAC ${d.dev.mac}` : ''}`);
    });
    hit = list[i];
  } else if (d.kind === 'pci') hit = list.find((x) => bdf(x.config as Pci) === bdf(d.dev));
  else if (d.kind === 'usbctrl') hit = list.find((x) => x.devid === d.dev.devid);
  if (!hit) throw new NotFoundError(`domain '${t.ref.name}' has no ${describe(d)}`);
  return hit.devid;
}

function describe(d: XmlDevice): string {
  if (d.kind === 'disk') return `disk with target ${d.dev.vdev}`;
  if (d.kind === 'pci') return `host device ${bdf(d.dev)}`;
  if (d.kind === 'usbctrl') return `USB controller ${d.dev.devid}`;
  return ELEMENT_OF[d.kind];
}

/** Stores the changed config; a live change made first is undone when the store fails. */
async function commit(t: Target, s: Scope, cfg: DomainConfig | undefined, undo?: () => Promise<void>) {
  if (!s.config || !cfg) return;
  try {
    await t.be.define(cfg);
  } catch (err) {
    if (undo) await undo().catch(() => undefined);
    throw err;
  }
}

function answer(t: Target, s: Scope, d: XmlDevice, text: string, extra: object = {}): Result {
  return { data: { name: t.ref.name, domid: t.ref.domid, live: s.live, config: s.config, kind: d.kind, device: d.dev, ...extra }, text };
}

// ------------------------------------------------------------------ the commands

export async function attachDeviceXml(ctx: Context, name: string, file: string | undefined, o: DeviceXmlOpts): Promise<Result> {
  const path = fileOf(file, o.file);
  return withBackend(ctx, async (be) => {
    const t = await target(be, name);
    const s = scopeOf(o, t.ref.domid !== null, t.ref.managed, t.ref.name);
    const d = await readFileArg(ctx, t, path);
    if (s.live) refuseLive(d, 'hot-plug');
    if (d.kind === 'nic' && d.link === 'down') refuseLink();
    if (s.config) configAttach(t.managed!, d, t.ref.name);
    if (ctx.dryRun) return dryRun(ctx, `attach a <${ELEMENT_OF[d.kind]}> to '${t.ref.name}'${s.live ? ' (live)' : ''}${s.config ? ' (config)' : ''}`, answer(t, s, d, '').data as object);
    let devid: number | undefined;
    if (s.live) devid = await be.attachDevice(t.ref.domid!, d.kind as 'disk', d.dev as Disk);
    if (s.live && s.config && d.kind === 'nic' && !d.dev.mac) {
      // libxl made up a MAC; the stored config gets the same one (libvirt picks it at parse time)
      const made = (await be.listDevices(t.ref.domid!, 'nic')).find((x) => x.devid === devid);
      if (made?.config.mac) d.dev.mac = made.config.mac;
    }
    await commit(t, s, t.managed, devid === undefined ? undefined : () => be.detachDevice(t.ref.domid!, d.kind as DeviceKind, devid!));
    return answer(t, s, d, virshText(ctx, 'Device attached successfully\n'), { devid: devid ?? null });
  });
}

export async function detachDeviceXml(ctx: Context, name: string, file: string | undefined, o: DeviceXmlOpts): Promise<Result> {
  const path = fileOf(file, o.file);
  return withBackend(ctx, async (be) => {
    const t = await target(be, name);
    const s = scopeOf(o, t.ref.domid !== null, t.ref.managed, t.ref.name);
    const d = await readFileArg(ctx, t, path);
    if (s.live) refuseLive(d, 'hot-unplug');
    const devid = s.live ? await liveId(t, d) : undefined;
    if (s.config) configDetach(t.managed!, d, t.ref.name);
    if (ctx.dryRun) return dryRun(ctx, `detach a <${ELEMENT_OF[d.kind]}> from '${t.ref.name}'`, answer(t, s, d, '').data as object);
    if (s.live) await be.detachDevice(t.ref.domid!, d.kind as DeviceKind, devid!);
    await commit(t, s, t.managed);
    return answer(t, s, d, virshText(ctx, 'Device detached successfully\n'), { devid: devid ?? null });
  });
}

export async function updateDeviceXml(ctx: Context, name: string, file: string | undefined, o: DeviceXmlOpts): Promise<Result> {
  const path = fileOf(file, o.file);
  return withBackend(ctx, async (be) => {
    const t = await target(be, name);
    const s = scopeOf(o, t.ref.domid !== null, t.ref.managed, t.ref.name);
    const d = await readFileArg(ctx, t, path);
    return update(ctx, t, s, d);
  });
}

async function update(ctx: Context, t: Target, s: Scope, d: XmlDevice): Promise<Result> {
  const { be, ref } = t;
  if (d.kind === 'disk') {
    if (!d.dev.is_cdrom) throw new OperationError('only the media of a CD-ROM can be changed: libxl cannot update a disk', 'detach it and attach the new one');
    if (s.live) {
      const now = (await be.listDevices(ref.domid!, 'disk')).find((x) => x.config.vdev === d.dev.vdev);
      if (!now) throw new NotFoundError(`domain '${ref.name}' has no disk with target ${d.dev.vdev}`, `see 'txl domblklist ${ref.name}'`);
      if (!now.config.is_cdrom) throw new OperationError(`${d.dev.vdev} of '${ref.name}' is not a CD-ROM: only a CD-ROM's media can be changed`);
    }
    if (s.config) {
      const i = findIn(t.managed!, d, ref.name);
      if (!t.managed!.disks![i]!.is_cdrom) throw new OperationError(`${d.dev.vdev} of '${ref.name}' is not a CD-ROM: only a CD-ROM's media can be changed`);
      t.managed!.disks![i] = d.dev;
    }
    if (ctx.dryRun) return dryRun(ctx, `${d.dev.pdev_path ? `insert ${d.dev.pdev_path} into` : 'eject the media of'} ${d.dev.vdev} of '${ref.name}'`, answer(t, s, d, '').data as object);
    if (s.live) await be.changeMedia(ref.domid!, d.dev.vdev!, d.dev.format === 'empty' ? null : d.dev);
    await commit(t, s, t.managed);
    return answer(t, s, d, virshText(ctx, 'Device updated successfully\n'));
  }
  if (d.kind === 'nic') {
    let liveNic: Nic | undefined;
    if (s.live) {
      const nics = (await be.listDevices(ref.domid!, 'nic')).map((x) => x.config);
      liveNic = nics[nicIndex(nics, d.dev, ref.name, () => {
        throw new NotFoundError(`domain '${ref.name}' has no interface${d.dev.mac ? ` with MAC ${d.dev.mac}` : ''}`, `see 'txl domiflist ${ref.name}'`);
      })];
      if ((d.dev.bridge ?? '') !== (liveNic!.bridge ?? '')) {
        throw new OperationError(`libxl cannot move the interface of running domain '${ref.name}' to bridge '${d.dev.bridge ?? ''}'; --config changes the stored config`);
      }
    }
    if (d.link === 'down') refuseLink();
    if (s.config) {
      const i = findIn(t.managed!, d, ref.name);
      const old = t.managed!.nics![i]!;
      t.managed!.nics![i] = { ...old, bridge: d.dev.bridge, ...(d.dev.model ? { model: d.dev.model, nictype: d.dev.nictype } : {}) };
    }
    if (ctx.dryRun) return dryRun(ctx, `update the interface ${d.dev.mac ?? ''} of '${ref.name}'`, answer(t, s, d, '').data as object);
    await commit(t, s, t.managed);
    return answer(t, s, d, virshText(ctx, 'Device updated successfully\n'));
  }
  throw new OperationError(`a <${ELEMENT_OF[d.kind]}> cannot be updated: libxl changes CD-ROM media and (in the config) interfaces only`);
}

// ------------------------------------------------------------------ domif-setlink / -getlink

/** The NIC an interface name means: its MAC, its vif name (vifD.N) or its configured name. */
function ifaceIndex(nics: { nic: Nic; devid?: number }[], iface: string, domid: number | null): number {
  const s = iface.toLowerCase();
  return nics.findIndex(({ nic, devid }, i) => nic.mac?.toLowerCase() === s || nic.ifname === iface || (domid !== null && `vif${domid}.${devid ?? i}` === s));
}

export async function domifSetlink(ctx: Context, name: string, iface: string, state: string, o: { config?: boolean; persistent?: boolean }): Promise<Result> {
  if (state !== 'up' && state !== 'down') throw new UsageError(`invalid link state '${state}'`, 'use up or down');
  return withBackend(ctx, async (be) => {
    const t = await target(be, name);
    const s = scopeOf({ config: o.config, persistent: o.persistent }, t.ref.domid !== null, t.ref.managed, t.ref.name);
    const devid = await findIface(t, s, iface);
    // libxl's config has no <link state>: a stored NIC is always up when the domain starts
    if (state === 'down' && s.config) refuseStoredLink();
    const data = { name: t.ref.name, domid: t.ref.domid, interface: iface, state };
    if (ctx.dryRun) return dryRun(ctx, `set the link of ${iface} of '${t.ref.name}' ${state}`, data);
    if (s.live) await be.setNicLink(t.ref.domid!, devid!, state);
    return { data, text: virshText(ctx, 'Device updated successfully\n') };
  });
}

export async function domifGetlink(ctx: Context, name: string, iface: string, o: { config?: boolean }): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const t = await target(be, name);
    const s = scopeOf({ config: o.config }, t.ref.domid !== null, t.ref.managed, t.ref.name);
    const devid = await findIface(t, s, iface);
    // the stored config holds no link state: a NIC starts up
    const state = s.live ? await be.getNicLink(t.ref.domid!, devid!) : 'up';
    return { data: { name: t.ref.name, domid: t.ref.domid, interface: iface, state }, text: virshText(ctx, `${iface} ${state}\n`) };
  });
}

/** The devid of the live NIC the name means (undefined for the stored config); not found: exit 1. */
async function findIface(t: Target, s: Scope, iface: string): Promise<number | undefined> {
  const nics = s.live
    ? (await t.be.listDevices(t.ref.domid!, 'nic')).map((x) => ({ nic: x.config, devid: x.devid }))
    : (t.managed?.nics ?? []).map((nic) => ({ nic, devid: undefined }));
  const i = ifaceIndex(nics, iface, s.live ? t.ref.domid : null);
  if (i < 0) throw new NotFoundError(`domain '${t.ref.name}' has no interface '${iface}'`, `see 'txl domiflist ${t.ref.name}'`);
  return nics[i]!.devid;
}
