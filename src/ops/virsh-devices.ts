// virsh's device commands: attach-disk, attach-interface, detach-disk, detach-interface,
// domblklist and domiflist. The lists read the domain XML that dumpxml prints (as virsh reads
// the XML libvirt gives it), so the two can never disagree.
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { Backend, DomainInfo } from '../core/backend-types.js';
import type { Disk, Nic } from '../core/model.js';
import { NotFoundError, OperationError, UsageError } from '../core/errors.js';
import { withBackend } from './connect.js';
import { attachDevice, detachDevice } from './devices.js';
import { domainXml } from './config-views.js';
import { virshTable, virshText } from './text.js';

async function domain(be: Backend, ref: string): Promise<DomainInfo> {
  return be.domainInfo(await be.resolve(ref));
}

/**
 * Whether the guest has emulated devices. Xen's dominfo says hvm for PVH guests too (both are
 * HVM containers), and libxl refuses an emulated NIC on PVH: its config tells them apart.
 */
async function emulated(be: Backend, d: DomainInfo): Promise<boolean> {
  if (d.domain_type !== 'hvm') return false;
  return ((await be.domainConfig(d.domid)).c_info?.type ?? 'hvm') === 'hvm';
}

const FORMATS = ['raw', 'qcow', 'qcow2', 'vhd', 'qed'] as const;

export interface AttachDiskOpts { driver?: string; subdriver?: string; type?: string; mode?: string; targetbus?: string }

/** The libxl disk libvirt's libxl driver builds for `virsh attach-disk`. */
export async function virshDisk(source: string, target: string, o: AttachDiskOpts, warn: (m: string) => void): Promise<Disk> {
  const { diskBackend } = await import('../../parsers/xml/read-devices.js');
  const { vdevToDevid } = await import('../../parsers/devices/vdev.js');
  if (vdevToDevid(target) === undefined || /^\d+$/.test(target)) throw new UsageError(`'${target}' is not a disk target (xvdX, hdX or sdX)`);
  const fmt = o.subdriver ?? 'raw';
  if (!(FORMATS as readonly string[]).includes(fmt)) throw new UsageError(`unsupported disk format '${fmt}'`, `use one of ${FORMATS.join(', ')}`);
  const pair = diskBackend(o.driver, fmt as (typeof FORMATS)[number]);
  if (pair === 'driver') throw new UsageError(`libxl does not support disk driver '${o.driver}'`, "drivers: qemu, phy, tap, file");
  if (pair === 'format') throw new UsageError(`libxl does not support disk format '${fmt}' with driver '${o.driver}'`);
  const cdrom = o.type === 'cdrom';
  if (o.type && o.type !== 'cdrom' && o.type !== 'disk') throw new UsageError(`unsupported disk type '${o.type}'`, 'use disk or cdrom');
  if (o.mode && o.mode !== 'readonly' && o.mode !== 'shareable') throw new UsageError(`no support for ${o.mode} in command 'attach-disk'`, 'modes: readonly, shareable');
  if (o.mode === 'shareable') warn("--mode shareable is ignored: libxl has no shared disks");
  const disk: Disk = {};
  if (source) disk.pdev_path = source;
  disk.vdev = target;
  if (pair[0]) disk.backend = pair[0];
  disk.format = cdrom && !source ? 'empty' : pair[1];
  // libvirt marks every disk removable, and every CD-ROM read-only
  disk.removable = 1;
  if (!cdrom && o.mode !== 'readonly') disk.readwrite = 1;
  if (cdrom) disk.is_cdrom = 1;
  return disk;
}

export async function attachDisk(ctx: Context, ref: string, source: string, target: string, o: AttachDiskOpts): Promise<Result> {
  const disk = await virshDisk(source, target, o, (m) => ctx.warn(m));
  return withBackend(ctx, async (be) => attachDevice(ctx, be, await domain(be, ref), 'disk', disk, virshText(ctx, 'Disk attached successfully\n')));
}

export interface AttachIfaceOpts { mac?: string; model?: string; script?: string; target?: string }

export async function attachInterface(ctx: Context, ref: string, type: string, source: string | undefined, o: AttachIfaceOpts): Promise<Result> {
  if (type === 'network') throw new UsageError("libvirt networks do not exist here: attach to a bridge", `txl attach-interface DOMAIN bridge ${source ?? 'xenbr0'}`);
  if (type !== 'bridge' && type !== 'ethernet') throw new UsageError(`interface type '${type}' is not supported by libxl`, 'use bridge or ethernet');
  if (type === 'bridge' && !source) throw new UsageError('a bridge interface needs a source bridge', 'e.g. txl attach-interface guest bridge xenbr0');
  return withBackend(ctx, async (be) => {
    const d = await domain(be, ref);
    const nic: Nic = {};
    if (o.mac) nic.mac = o.mac;
    if (type === 'bridge') nic.bridge = source;
    if (o.script) nic.script = o.script;
    if (o.target) nic.ifname = o.target;
    // the libxl driver's choice of nictype (libxlMakeNic)
    if (o.model) {
      nic.model = o.model;
      nic.nictype = o.model === 'netfront' ? 'vif' : 'vif_ioemu';
    } else nic.nictype = (await emulated(be, d)) ? 'vif_ioemu' : 'vif';
    return attachDevice(ctx, be, d, 'nic', nic, virshText(ctx, 'Interface attached successfully\n'));
  });
}

export async function detachDisk(ctx: Context, ref: string, target: string): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const d = await domain(be, ref);
    const disks = await be.listDevices(d.domid, 'disk');
    const hit = disks.find((x) => x.config.vdev === target || (x.config.pdev_path !== undefined && x.config.pdev_path === target));
    if (!hit) throw new NotFoundError(`No disk found whose source path or target is ${target}`, `see 'txl domblklist ${d.name}'`);
    return detachDevice(ctx, be, d, 'disk', String(hit.config.vdev), false, virshText(ctx, 'Disk detached successfully\n'));
  });
}

export async function detachInterface(ctx: Context, ref: string, type: string, mac: string | undefined): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const d = await domain(be, ref);
    const nics = (await be.listDevices(d.domid, 'nic')).filter((x) => ifaceType(x.config) === type);
    const want = mac?.toLowerCase();
    const hits = want ? nics.filter((x) => x.config.mac?.toLowerCase() === want) : nics;
    if (!hits.length) throw new NotFoundError(want ? `No interface found whose type is ${type} and mac address is ${mac}` : `No interface found whose type is ${type}`, `see 'txl domiflist ${d.name}'`);
    if (hits.length > 1) throw new OperationError(`Domain has ${hits.length} interfaces. Please specify which one to detach using --mac`);
    return detachDevice(ctx, be, d, 'nic', String(hits[0]!.devid), false, virshText(ctx, 'Interface detached successfully\n'));
  });
}

/** An interface's libvirt type, as the XML writer gives it. */
function ifaceType(n: Nic): string {
  return n.bridge !== undefined ? 'bridge' : 'ethernet';
}

// ------------------------------------------------------------------ lists

async function xmlDevices(xml: string, name: 'disk' | 'interface') {
  const { parseXml } = await import('../../parsers/xml/dom.js');
  const { root } = parseXml(xml, '<domain>');
  const attr = (n: { attrs: [string, string][] } | undefined, k: string) => n?.attrs.find(([a]) => a === k)?.[1];
  const devices = root.children.find((c) => c.name === 'devices');
  return (devices?.children ?? []).filter((c) => c.name === name).map((n) => ({ node: n, attr: (child: string | null, k: string) => attr(child === null ? n : n.children.find((c) => c.name === child), k) }));
}

export async function domblklist(ctx: Context, ref: string, details: boolean): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const { xml } = await domainXml(be, ref);
    const rows = (await xmlDevices(xml, 'disk')).map(({ attr }) => {
      const source = ['file', 'dev', 'dir', 'name', 'volume', 'path'].map((k) => attr('source', k)).find((v) => v !== undefined);
      return { type: attr(null, 'type') ?? '', device: attr(null, 'device') ?? '', target: attr('target', 'dev') ?? '', source: source ?? null };
    });
    const head = details ? ['Type', 'Device', 'Target', 'Source'] : ['Target', 'Source'];
    const cells = rows.map((r) => (details ? [r.type, r.device, r.target, r.source ?? '-'] : [r.target, r.source ?? '-']));
    return { data: rows, text: virshText(ctx, virshTable(head, cells, ctx.quiet)), table: { head, rows: cells } };
  });
}

export async function domiflist(ctx: Context, ref: string): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const { xml, cfg, domid } = await domainXml(be, ref);
    const rows = (await xmlDevices(xml, 'interface')).map(({ attr }) => ({
      interface: attr('target', 'dev') ?? null,
      type: attr(null, 'type') ?? '',
      source: ['bridge', 'dev', 'network', 'name', 'path'].map((k) => attr('source', k)).find((v) => v !== undefined) ?? null,
      model: attr('model', 'type') ?? null,
      mac: attr('mac', 'address') ?? null,
      // the live link state (domif-setlink) for -o json; null when not running or not readable here
      link: null as 'up' | 'down' | null,
    }));
    // the writer keeps the config's NIC order, so row i is nic i
    if (domid !== null) for (const [i, r] of rows.entries()) r.link = await be.getNicLink(domid, cfg.nics?.[i]?.devid ?? i).catch(() => null);
    const head = ['Interface', 'Type', 'Source', 'Model', 'MAC'];
    const cells = rows.map((r) => [r.interface ?? '-', r.type, r.source ?? '-', r.model ?? '-', r.mac ?? '-']);
    return { data: rows, text: virshText(ctx, virshTable(head, cells, ctx.quiet)), table: { head, rows: cells } };
  });
}

