// xl's device commands: block-*, network-*, pci-*, cd-insert/-eject, channel-list and
// vtpm-list. Specs are read by parsers/devices with xl's own semantics; the *-list commands
// print the columns of xl_block.c, xl_nic.c, xl_pci.c, xl_console.c and xl_vtpm.c.
import { statSync } from 'node:fs';
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { Backend, DeviceInfo, DeviceKind, DomainInfo } from '../core/backend-types.js';
import type { Channel, Disk, Nic, Pci, Vtpm } from '../core/model.js';
import { NotFoundError, OperationError } from '../core/errors.js';
import type { SpecOrigin } from '../../parsers/devices/index.js';
import { withBackend } from './connect.js';
import { deviceJson, dryRun, left, right } from './text.js';

async function domain(be: Backend, ref: string): Promise<DomainInfo> {
  return be.domainInfo(await be.resolve(ref));
}

/** Where a spec typed on the command line sits, for diagnostics that point into it. */
export function commandLine(text: string): SpecOrigin {
  return { file: 'command line', line: 1, col: 1, excerpt: text };
}

const parsers = () => import('../../parsers/devices/index.js');

type AttachKind = 'disk' | 'nic' | 'pci';
const LIST_KEY = { disk: 'disks', nic: 'nics', pci: 'pcidevs' } as const;
const JSON_LABEL = { disk: 'disk', nic: 'vif', pci: 'pci' } as const;

/** The shared tail of every attach: -N prints the device as xl does, else attach it. */
export async function attachDevice(ctx: Context, be: Backend, d: DomainInfo, kind: AttachKind, dev: Disk | Nic | Pci, text?: string): Promise<Result> {
  if (ctx.dryRun) {
    const json = await deviceJson(LIST_KEY[kind], dev);
    return { data: { dry_run: true, domid: d.domid, kind, device: JSON.parse(json) }, text: `${JSON_LABEL[kind]}: ${json}\n` };
  }
  const devid = await be.attachDevice(d.domid, kind, dev as never);
  const attached = (await be.listDevices(d.domid, kind)).find((x) => x.devid === devid);
  return { data: { domid: d.domid, name: d.name, kind, devid, device: attached?.config ?? dev }, text: text ?? '' };
}

export async function blockAttach(ctx: Context, ref: string, words: string[]): Promise<Result> {
  const { parseDisk } = await parsers();
  const disk = parseDisk(words, commandLine(words.join(' ')));
  return withBackend(ctx, async (be) => attachDevice(ctx, be, await domain(be, ref), 'disk', disk));
}

export async function networkAttach(ctx: Context, ref: string, words: string[]): Promise<Result> {
  const { parseVif } = await parsers();
  const { loadXlConf } = await import('../formats.js');
  const conf = await loadXlConf(ctx.env);
  const nic = parseVif(words, commandLine(words.join(' ')), { script: conf.vifScript, bridge: conf.vifBridge, gatewaydev: conf.vifGatewaydev, backend: conf.vifBackend });
  return withBackend(ctx, async (be) => attachDevice(ctx, be, await domain(be, ref), 'nic', nic));
}

export async function pciAttach(ctx: Context, ref: string, spec: string): Promise<Result> {
  const { parsePci } = await parsers();
  const pci = parsePci(spec, commandLine(spec));
  return withBackend(ctx, async (be) => attachDevice(ctx, be, await domain(be, ref), 'pci', pci));
}

/** The shared tail of every detach. */
export async function detachDevice(ctx: Context, be: Backend, d: DomainInfo, kind: DeviceKind, id: string, force = false, text = ''): Promise<Result> {
  const dev = (await be.listDevices(d.domid, kind)).find((x) => matches(x, id));
  if (ctx.dryRun) {
    if (!dev) throw new NotFoundError(`domain '${d.name}' has no ${kind === 'nic' ? 'network interface' : kind} '${id}'`);
    return dryRun(ctx, `detach ${kind} ${id} from '${d.name}' (${d.domid})`, { domid: d.domid, kind, devid: dev.devid });
  }
  await be.detachDevice(d.domid, kind, id, { force });
  return { data: { domid: d.domid, name: d.name, kind, devid: dev?.devid ?? null, device: dev?.config ?? null }, text };
}

/** A cheap local match for reporting; the backend's own lookup decides. */
function matches(x: DeviceInfo, id: string): boolean {
  const c = x.config as Record<string, unknown>;
  const s = id.toLowerCase();
  return String(x.devid) === s || String(c.vdev ?? '').toLowerCase() === s || String(c.mac ?? '').toLowerCase() === s || (x.kind === 'pci' && pciText(c as Pci) === s);
}

export async function blockDetach(ctx: Context, ref: string, id: string, force: boolean): Promise<Result> {
  return withBackend(ctx, async (be) => detachDevice(ctx, be, await domain(be, ref), 'disk', id, force));
}

export async function networkDetach(ctx: Context, ref: string, id: string): Promise<Result> {
  return withBackend(ctx, async (be) => detachDevice(ctx, be, await domain(be, ref), 'nic', id));
}

export async function pciDetach(ctx: Context, ref: string, spec: string, force: boolean): Promise<Result> {
  const { parsePci } = await parsers();
  const bdf = pciText(parsePci(spec, commandLine(spec)));
  return withBackend(ctx, async (be) => detachDevice(ctx, be, await domain(be, ref), 'pci', bdf, force));
}

const hex = (n: number | undefined, w: number) => (n ?? 0).toString(16).padStart(w, '0');
const pciText = (p: Pci) => `${hex(p.domain, 4)}:${hex(p.bus, 2)}:${hex(p.dev, 2)}.${hex(p.func, 1)}`;

// ------------------------------------------------------------------ lists

async function listFor<K extends DeviceKind>(be: Backend, refs: string[], kind: K) {
  const out: { d: DomainInfo; devs: DeviceInfo<K>[] }[] = [];
  for (const r of refs) {
    const d = await domain(be, r);
    out.push({ d, devs: await be.listDevices(d.domid, kind) });
  }
  return out;
}

const flat = <K extends DeviceKind>(lists: { d: DomainInfo; devs: DeviceInfo<K>[] }[]) =>
  lists.flatMap(({ d, devs }) => devs.map((x) => ({ domid: d.domid, name: d.name, ...x })));

export async function blockList(ctx: Context, refs: string[]): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const rows = flat(await listFor(be, refs, 'disk'));
    const lines = [`${left('Vdev', 5)} ${left('BE', 3)} ${left('handle', 6)} ${left('state', 5)} ${left('evt-ch', 6)} ${left('ring-ref', 8)} ${left('BE-path', 30)}`];
    for (const x of rows) lines.push(`${left(x.devid, 5)} ${left(x.backend_domid, 3)} ${left(x.frontend_domid, 6)} ${left(x.backend_state, 5)} ${left(x.evtch, 6)} ${left(x.rref[0] ?? -1, 8)} ${left(x.backend_path, 30)}`);
    return {
      data: rows.map((x) => ({ ...x, vdev: x.config.vdev, target: x.config.pdev_path ?? null })),
      text: lines.join('\n') + '\n',
      table: { head: ['Domain', 'Vdev', 'Devid', 'BE', 'State', 'Target'], rows: rows.map((x) => [x.name, x.config.vdev ?? '', x.devid, x.backend_domid, x.backend_state, x.config.pdev_path ?? '-']) },
    };
  });
}

export async function networkList(ctx: Context, refs: string[]): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const rows = flat(await listFor(be, refs, 'nic'));
    const lines = [`${left('Idx', 3)} ${left('BE', 2)} ${left('Mac Addr.', 17)} ${left('handle', 6)} ${left('state', 5)} ${left('evt-ch', 6)} ${right('tx-', 5)}/${left('rx-ring-ref', 5)} ${left('BE-path', 30)}`];
    for (const x of rows) {
      lines.push(`${left(x.devid, 3)} ${left(x.backend_domid, 2)} ${x.config.mac ?? '00:00:00:00:00:00'}${right(x.devid, 6)} ${right(x.backend_state, 5)} ${right(x.evtch, 6)} ${right(x.rref[0] ?? -1, 5)}/${left(x.rref[1] ?? -1, 11)} ${left(x.backend_path, 30)}`);
    }
    return {
      data: rows.map((x) => ({ ...x, mac: x.config.mac, bridge: x.config.bridge ?? null })),
      text: lines.join('\n') + '\n',
      table: { head: ['Domain', 'Idx', 'MAC', 'Bridge', 'BE', 'State'], rows: rows.map((x) => [x.name, x.devid, x.config.mac ?? '', x.config.bridge ?? '-', x.backend_domid, x.backend_state]) },
    };
  });
}

export async function pciList(ctx: Context, ref: string): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const [{ d, devs }] = await listFor(be, [ref], 'pci');
    const rows = devs.map((x) => ({ domid: d.domid, name: d.name, devid: x.devid, bdf: pciText(x.config), vslot: ((x.config.vdevfn ?? 0) >> 3) & 0x1f, vfunc: (x.config.vdevfn ?? 0) & 7, device: x.config }));
    const lines = rows.map((r) => `${hex(r.vslot, 2)}.${hex(r.vfunc, 1)} ${r.bdf}`);
    // xl prints nothing at all, not even the heading, for a domain without PCI devices
    return {
      data: rows,
      text: rows.length ? ['Vdev Device', ...lines].join('\n') + '\n' : '',
      table: { head: ['Vdev', 'Device'], rows: rows.map((r, i) => [lines[i]!.split(' ')[0]!, r.bdf]) },
    };
  });
}

export async function pciAssignableList(ctx: Context, names: boolean): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const bdfs = await be.pciAssignable();
    const doms = await be.listDomains();
    const held = new Map<string, string>();
    for (const d of doms) for (const x of await be.listDevices(d.domid, 'pci')) held.set(pciText(x.config), d.name);
    const data = bdfs.map((bdf) => ({ bdf, name: null as string | null, assigned_to: held.get(bdf) ?? null }));
    return {
      data,
      text: data.map((r) => `${r.bdf} ${names && r.name ? r.name : ''}\n`).join(''),
      table: { head: ['Device', 'Assigned to'], rows: data.map((r) => [r.bdf, r.assigned_to ?? '-']) },
    };
  });
}

export async function channelList(ctx: Context, refs: string[]): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const rows = flat(await listFor(be, refs, 'channel')).map((x) => {
      const c = x.config as Channel;
      const connection = c['connection.socket'] ? 'socket' : c['connection.pty'] ? 'pty' : 'unknown';
      return { ...x, channel_name: c.name ?? null, connection, pty_path: connection === 'pty' ? `/dev/pts/${x.evtch}` : null, socket_path: c['connection.socket']?.path ?? null };
    });
    const lines = [`${left('Idx', 3)} ${left('BE', 2)} ${left('state', 5)} ${left('evt-ch', 6)} ${right('ring-ref', 8)} ${left('connection', 10)} ${left('', 30)}`];
    for (const x of rows) {
      lines.push(`${left(x.devid, 3)} ${left(x.backend_domid, 2)} ${left(x.backend_state, 5)} ${left(x.evtch, 6)} ${left(x.rref[0] ?? 0, 8)} ${left(x.connection, 10)} ${x.pty_path ? left(x.pty_path, 30) + ' ' : ''}`);
    }
    return {
      data: rows,
      text: lines.join('\n') + '\n',
      table: { head: ['Domain', 'Idx', 'Name', 'Connection', 'Path'], rows: rows.map((x) => [x.name, x.devid, x.channel_name ?? '', x.connection, x.pty_path ?? x.socket_path ?? '']) },
    };
  });
}

export async function vtpmList(ctx: Context, refs: string[]): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const rows = flat(await listFor(be, refs, 'vtpm')).map((x) => ({ ...x, uuid: (x.config as Vtpm).uuid ?? '00000000-0000-0000-0000-000000000000' }));
    const lines = [`${left('Idx', 3)} ${left('BE', 2)} ${left('Uuid', 36)} ${left('handle', 6)} ${left('state', 5)} ${left('evt-ch', 6)} ${left('ring-ref', 5)} ${left('BE-path', 10)}`];
    for (const x of rows) {
      lines.push(`${left(x.devid, 3)} ${left(x.backend_domid, 2)} ${x.uuid} ${right(x.devid, 6)} ${right(x.backend_state, 5)} ${right(x.evtch, 6)} ${right(x.rref[0] ?? 0, 8)} ${left(x.backend_path, 30)}`);
    }
    return {
      data: rows,
      text: lines.join('\n') + '\n',
      table: { head: ['Domain', 'Idx', 'UUID', 'BE', 'State'], rows: rows.map((x) => [x.name, x.devid, x.uuid, x.backend_domid, x.backend_state]) },
    };
  });
}

// ------------------------------------------------------------------ CD-ROMs

export async function cdInsertEject(ctx: Context, ref: string, vdev: string, target: string | undefined): Promise<Result> {
  const { parseDisk } = await parsers();
  // xl builds the same spec string and reads it with the disk parser
  const spec = `vdev=${vdev},access=r,devtype=cdrom,target=${target ?? ''}`;
  const disk = parseDisk(spec, commandLine(spec));
  return withBackend(ctx, async (be) => {
    const d = await domain(be, ref);
    if (target !== undefined && disk.format !== 'empty' && be.kind === 'xen') {
      try {
        statSync(disk.pdev_path!);
      } catch {
        throw new OperationError(`Cannot stat file: ${disk.pdev_path}`);
      }
    }
    const what = target === undefined ? `eject the media of ${vdev} of '${d.name}'` : `insert ${disk.pdev_path} into ${vdev} of '${d.name}'`;
    if (ctx.dryRun) return dryRun(ctx, what, { domid: d.domid, vdev, target: disk.pdev_path ?? null });
    await be.changeMedia(d.domid, vdev, target === undefined ? null : disk);
    const now = (await be.listDevices(d.domid, 'disk')).find((x) => x.config.vdev === vdev);
    return { data: { domid: d.domid, name: d.name, vdev, target: now?.config.pdev_path ?? null, device: now?.config ?? null }, text: '' };
  });
}
