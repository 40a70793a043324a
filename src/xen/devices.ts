// Devices on libxl: list (with each device's xenbus state), attach, detach, and CD media.
// A device crosses the ABI as libxl JSON: the model's device types are libxl's own shape,
// so the domain config writer produces it (defaults left out, unions keyed).
import type { Libxl } from '../../bindings/context.js';
import { bindDevice, DEVICE_TYPES, type DeviceFunctions, type DeviceKindName } from '../../bindings/libxl.js';
import type { XenstoreReader } from '../../bindings/xenstore.js';
import { NotFoundError, OperationError, UsageError } from '../core/errors.js';
import type { Disk, DomainConfig } from '../core/model.js';
import type { DeviceId, DeviceInfo, DeviceKind, DeviceTypes, XenbusState } from '../core/backend-types.js';
import { modelToLibxlJson } from '../../parsers/libxl-json.js';
import { guard } from './errors.js';

type Obj = Record<string, unknown>;
const num = (v: unknown, d = 0) => (typeof v === 'number' ? v : d);

/** Where each kind sits in libxl_domain_config. */
const CONFIG_KEY: Record<DeviceKind, keyof DomainConfig> = {
  disk: 'disks', nic: 'nics', pci: 'pcidevs', vfb: 'vfbs', vkb: 'vkbs', vtpm: 'vtpms', channel: 'channels', usbctrl: 'usbctrls',
};

const bound = new WeakMap<Libxl, Map<DeviceKind, DeviceFunctions>>();
function fns(lx: Libxl, kind: DeviceKind): DeviceFunctions {
  let m = bound.get(lx);
  if (!m) bound.set(lx, (m = new Map()));
  let f = m.get(kind);
  if (!f) m.set(kind, (f = bindDevice(lx.libs.xl, kind as DeviceKindName)));
  return f;
}

/** A device of the model as libxl JSON (the writer's rules: defaults out, unions keyed). */
export function deviceJson(kind: DeviceKind, dev: unknown): string {
  const cfg = { c_info: {}, b_info: {}, [CONFIG_KEY[kind]]: [dev] } as unknown as DomainConfig;
  const all = JSON.parse(modelToLibxlJson(cfg)) as Obj;
  return JSON.stringify((all[CONFIG_KEY[kind]] as unknown[])[0]);
}

interface Listed<K extends DeviceKind> { config: DeviceTypes[K]; info: DeviceInfo<K> }

function stateOf(v: unknown): XenbusState {
  const n = typeof v === 'number' ? v : Number(v);
  return (n >= 1 && n <= 6 ? n : 1) as XenbusState;
}

function listed<K extends DeviceKind>(lx: Libxl, xs: XenstoreReader, domid: number, kind: K): Listed<K>[] {
  const d = DEVICE_TYPES[kind as DeviceKindName];
  const f = fns(lx, kind);
  if (!f.list) throw new OperationError(`libxl cannot list ${kind} devices`, `'txl domxml' or 'txl list -l' shows them in the domain's configuration`);
  const n: number[] = [0];
  const ptr = f.list(lx.ctx, domid, n) as bigint | null;
  if (!ptr || n[0] <= 0) return [];
  const out: Listed<K>[] = [];
  try {
    for (let i = 0; i < n[0]; i++) {
      const el = lx.json.element(d.type, ptr, i);
      const config = lx.json.toObject<Obj>(d.type, el);
      let info: Obj = {};
      if (f.getinfo && d.info) {
        const infoType = d.info;
        const obj = lx.json.create(infoType);
        try {
          if ((f.getinfo(lx.ctx, domid, el, obj.ptr) as number) === 0) info = lx.json.toObject<Obj>(infoType, obj.ptr);
        } finally {
          lx.json.dispose(obj);
        }
      }
      const frontend = typeof info.frontend === 'string' ? info.frontend : '';
      const devid = num(info.devid, kind === 'pci' ? num(config.vdevfn) : num(config.devid, i));
      out.push({
        config: config as unknown as DeviceTypes[K],
        info: {
          kind,
          devid,
          backend_domid: num(info.backend_id, num(config.backend_domid)),
          frontend_domid: num(info.frontend_id, domid),
          // pci devices have no xenbus device of their own: libxl lists only assigned ones
          backend_state: kind === 'pci' ? 4 : stateOf(info.state),
          frontend_state: kind === 'pci' ? 4 : stateOf(frontend ? xs.read(`${frontend}/state`) : info.state),
          evtch: num(info.evtch, -1),
          rref: info.rref_tx !== undefined ? [num(info.rref_tx, -1), num(info.rref_rx, -1)] : [num(info.rref, -1)],
          backend_path: typeof info.backend === 'string' ? info.backend : '',
          frontend_path: frontend,
          config: config as unknown as DeviceTypes[K],
        },
      });
    }
  } finally {
    if (f.listFree) f.listFree(ptr, n[0]);
    else {
      for (let i = 0; i < n[0]; i++) lx.json.functions(d.type).dispose(lx.json.element(d.type, ptr, i));
      lx.json.freeRaw(ptr);
    }
  }
  return out;
}

export async function listDevices<K extends DeviceKind>(lx: Libxl, xs: XenstoreReader, domid: number, kind: K): Promise<DeviceInfo<K>[]> {
  return guard(`listing the ${kind} devices of domain ${domid}`, domid, () => listed(lx, xs, domid, kind).map((x) => x.info));
}

export async function attachDevice<K extends DeviceKind>(lx: Libxl, domid: number, kind: K, dev: DeviceTypes[K]): Promise<number> {
  const d = DEVICE_TYPES[kind as DeviceKindName];
  const f = fns(lx, kind);
  if (!f.add) throw new OperationError(`libxl cannot hot-plug ${kind} devices`);
  return guard(`attaching a ${kind} to domain ${domid}`, domid, () =>
    lx.json.with(d.type, deviceJson(kind, dev), async (obj) => {
      await lx.callAsync(f.add!, `libxl_${d.type}_add`, lx.ctx, domid, obj.ptr, null);
      const after = lx.json.toObject<Obj>(d.type, obj.ptr);
      if (kind === 'pci') return num(after.vdevfn);
      if (after.devid !== undefined) return num(after.devid);
      if (f.getinfo && d.info) {
        const info = await lx.json.with(d.info, undefined, (io) => {
          lx.callFn(f.getinfo!, `libxl_${d.type}_getinfo`, lx.ctx, domid, obj.ptr, io.ptr);
          return lx.json.toObject<Obj>(d.info!, io.ptr);
        });
        return num(info.devid);
      }
      return 0;
    }));
}

const bdf = (p: Obj) =>
  `${num(p.domain).toString(16).padStart(4, '0')}:${num(p.bus).toString(16).padStart(2, '0')}:${num(p.dev).toString(16).padStart(2, '0')}.${num(p.func).toString(16)}`;

/** Whether a listed device is the one `id` names: a devid, or a vdev, MAC, BDF or UUID. */
function matches(kind: DeviceKind, x: Listed<DeviceKind>, id: DeviceId): boolean {
  const c = x.config as Obj;
  if (typeof id === 'number' || /^\d+$/.test(id)) return x.info.devid === Number(id);
  const s = id.toLowerCase();
  if (kind === 'disk') return c.vdev === id;
  if (kind === 'nic') return String(c.mac ?? '').toLowerCase() === s;
  if (kind === 'pci') return bdf(c) === s.replace(/^(?=[0-9a-f]{2}:)/, '0000:');
  if (kind === 'vtpm') return String(c.uuid ?? '').toLowerCase() === s;
  return false;
}

export async function detachDevice(lx: Libxl, xs: XenstoreReader, domid: number, kind: DeviceKind, id: DeviceId, force = false): Promise<void> {
  const d = DEVICE_TYPES[kind as DeviceKindName];
  const f = fns(lx, kind);
  const remove = force ? f.destroy : f.remove;
  if (!remove) throw new OperationError(`libxl cannot hot-unplug ${kind} devices`);
  const what = `detaching ${kind} ${id} from domain ${domid}`;
  const found = await guard(what, domid, () => listed(lx, xs, domid, kind).find((x) => matches(kind, x, id)));
  if (!found) throw new NotFoundError(`domain ${domid} has no ${kind} '${id}'`, `'txl ${kind === 'disk' ? 'block' : kind === 'nic' ? 'network' : kind}-list ${domid}' shows its devices`);
  await guard(what, domid, () =>
    lx.json.with(d.type, JSON.stringify(found.config), (obj) => lx.callAsync(remove, `libxl_${d.type}_${force ? 'destroy' : 'remove'}`, lx.ctx, domid, obj.ptr, null)));
}

/** cd-insert (disk given) or cd-eject (null) on the removable disk at vdev. */
export async function changeMedia(lx: Libxl, domid: number, vdev: string, disk: Disk | null): Promise<void> {
  if (!vdev) throw new UsageError('which virtual device? (e.g. hdc)');
  // what xl builds for "vdev=V,access=r,devtype=cdrom,target=PATH" (an empty target ejects)
  const dev: Disk = disk
    ? { ...disk, vdev, is_cdrom: 1, removable: 1, readwrite: 0 }
    : { vdev, format: 'empty', is_cdrom: 1, removable: 1, readwrite: 0 };
  await guard(`${disk ? 'inserting a medium into' : 'ejecting the medium of'} ${vdev} of domain ${domid}`, domid, () =>
    lx.json.with('device_disk', deviceJson('disk', dev), (obj) => lx.callAsync('libxl_cdrom_insert', '', lx.ctx, domid, obj.ptr, null)));
}
