// Devices of a simulated domain: devids as libxl gives them, xenbus states, event channels
// and grant refs, and the rules libxl enforces (unique vdev/devid/MAC, a backend domain that
// exists, assignable PCI functions held by one domain at a time).
//
// A hot-plug goes through the steps libxl takes (check, write the backend's xenstore
// entries, run the hotplug script, wait for the frontend); fault injection can fail the
// first (`<kind>-attach`) or the hotplug step (`<kind>-hotplug`), the latter after the
// device is already in the domain, so that tests see the whole transaction roll back.
import { NotFoundError, OperationError } from '../core/errors.js';
import type { DomainConfig, Pci } from '../core/model.js';
import type { DeviceId, DeviceKind, DeviceTypes } from '../core/backend-types.js';
import { normaliseBdf } from './host.js';
import { newUuid, pushEvent, type SimDevice, type SimDomain } from './state.js';
import type { Tx } from './store.js';
import { vdevToDevid } from '../../parsers/devices/vdev.js';

/** The model's list for each device kind, in the order libxl attaches them at create. */
export const DEVICE_LISTS: [DeviceKind, keyof DomainConfig][] = [
  ['disk', 'disks'], ['nic', 'nics'], ['pci', 'pcidevs'], ['vfb', 'vfbs'], ['vkb', 'vkbs'],
  ['vtpm', 'vtpms'], ['channel', 'channels'], ['usbctrl', 'usbctrls'],
];

/** The words xl uses for each kind in its messages. */
const LABEL: Record<DeviceKind, string> = {
  disk: 'disk', nic: 'network interface', pci: 'PCI device', vfb: 'framebuffer', vkb: 'keyboard',
  vtpm: 'vTPM', channel: 'channel', usbctrl: 'USB controller',
};

export function pciBdf(p: Pci): string {
  const h = (n: number | undefined, w: number) => (n ?? 0).toString(16).padStart(w, '0');
  return `${h(p.domain, 4)}:${h(p.bus, 2)}:${h(p.dev, 2)}.${p.func ?? 0}`;
}

/** libxl__device_nextid: one more than the highest devid in use. */
function nextDevid(d: SimDomain, kind: DeviceKind): number {
  const used = d.devices.filter((x) => x.kind === kind).map((x) => x.devid);
  return used.length ? Math.max(...used) + 1 : 0;
}

function randomMac(): string {
  const b = () => Math.floor(Math.random() * 256).toString(16).padStart(2, '0');
  return `00:16:3e:${(Math.floor(Math.random() * 128)).toString(16).padStart(2, '0')}:${b()}:${b()}`;
}

/** A MAC as libxl prints it: six lower-case two-digit groups. */
export function normaliseMac(mac: string): string | undefined {
  const parts = mac.trim().split(':');
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-f]{1,2}$/i.test(p))) return undefined;
  return parts.map((p) => p.toLowerCase().padStart(2, '0')).join(':');
}

/** Which domain holds a PCI function, if any. */
function pciHolder(tx: Tx, bdf: string): SimDomain | undefined {
  return tx.st.domains.find((d) => d.devices.some((x) => x.kind === 'pci' && pciBdf(x.config as Pci) === bdf));
}

/** backend=NAME becomes the backend's domid, as libxl resolves it. */
function backendDomid(tx: Tx, d: SimDomain, cfg: Record<string, unknown>, kind: DeviceKind): number {
  const name = cfg.backend_domname;
  if (typeof name === 'string' && name) {
    const be = tx.st.domains.find((x) => x.name === name || String(x.domid) === name);
    if (!be) throw new OperationError(`${LABEL[kind]} for domain '${d.name}': backend domain '${name}' does not exist`);
    cfg.backend_domid = be.domid;
    delete cfg.backend_domname;
    return be.domid;
  }
  const id = typeof cfg.backend_domid === 'number' ? cfg.backend_domid : 0;
  if (!tx.st.domains.some((x) => x.domid === id)) throw new OperationError(`${LABEL[kind]} for domain '${d.name}': backend domain ${id} does not exist`);
  return id;
}

/** Attaches one device to a domain in the transaction; returns the devid. */
export function attach<K extends DeviceKind>(tx: Tx, d: SimDomain, kind: K, dev: DeviceTypes[K], hotplug: boolean): number {
  const cfg = structuredClone(dev) as DeviceTypes[K] & Record<string, unknown>;
  const what = `${LABEL[kind]} attach`;
  if (kind !== 'pci') backendDomid(tx, d, cfg, kind);
  let devid: number;
  const mine = d.devices.filter((x) => x.kind === kind);
  switch (kind) {
    case 'disk': {
      const vdev = String(cfg.vdev ?? '');
      if (!vdev) throw new OperationError(`${what}: the disk has no vdev (the guest's name for it, e.g. xvdb)`);
      const n = vdevToDevid(vdev);
      if (n === undefined) throw new OperationError(`${what}: '${vdev}' is not a virtual disk name libxl understands (xvdX, hdX, sdX)`);
      const twin = mine.find((x) => x.devid === n);
      if (twin) throw new OperationError(`${what}: domain '${d.name}' already has a disk ${vdev}${(twin.config as { vdev?: string }).vdev !== vdev ? ` (as ${(twin.config as { vdev?: string }).vdev})` : ''}`, 'pick another vdev, e.g. the next free xvdX');
      devid = n;
      break;
    }
    case 'nic': {
      devid = typeof cfg.devid === 'number' && cfg.devid >= 0 ? cfg.devid : nextDevid(d, kind);
      if (mine.some((x) => x.devid === devid)) throw new OperationError(`${what}: domain '${d.name}' already has a network interface with devid ${devid}`);
      // libxl refuses an emulated NIC on a guest without a device model (measured in the lab)
      if (cfg.nictype === 'vif_ioemu' && d.config.c_info.type !== 'hvm') throw new OperationError(`${what}: a ${d.config.c_info.type ?? 'pv'} guest has no device model for an emulated interface`, "leave the model out, or use --model netfront (a PV interface)");
      const mac = cfg.mac === undefined ? randomMac() : normaliseMac(String(cfg.mac));
      if (!mac) throw new OperationError(`${what}: '${cfg.mac}' is not a MAC address`);
      cfg.mac = mac;
      const clash = tx.st.domains.find((o) => o.devices.some((x) => x.kind === 'nic' && String((x.config as { mac?: string }).mac).toLowerCase() === mac));
      if (clash) throw new OperationError(`${what}: MAC address ${mac} is already used by domain '${clash.name}'`, 'leave mac= out to get a fresh one');
      cfg.bridge ??= 'xenbr0';
      break;
    }
    case 'pci': {
      const bdf = pciBdf(cfg as Pci);
      if (!tx.host.pci_assignable.includes(bdf)) {
        throw new OperationError(`${what}: PCI device ${bdf} is not assignable`, `make it assignable first (pci-assignable-add); assignable now: ${tx.host.pci_assignable.join(', ') || 'none'}`);
      }
      const holder = pciHolder(tx, bdf);
      if (holder) throw new OperationError(`${what}: PCI device ${bdf} is already assigned to domain '${holder.name}' (${holder.domid})`);
      devid = nextDevid(d, kind);
      if (cfg.vdevfn === undefined && d.config.c_info.type === 'hvm') cfg.vdevfn = freeSlot(d) << 3;
      break;
    }
    default:
      if (kind === 'channel') {
        if (!cfg.name) throw new OperationError(`${what}: the channel has no name`);
        if (mine.some((x) => (x.config as { name?: string }).name === cfg.name)) throw new OperationError(`${what}: domain '${d.name}' already has a channel '${cfg.name}'`);
      }
      if (kind === 'vtpm') cfg.uuid ??= newUuid();
      devid = typeof cfg.devid === 'number' && cfg.devid >= 0 ? cfg.devid : nextDevid(d, kind);
      if (mine.some((x) => x.devid === devid)) throw new OperationError(`${what}: domain '${d.name}' already has a ${LABEL[kind]} with devid ${devid}`);
  }
  tx.faults.hit(`${kind}-attach`, `${kind} attach #${mine.length + 1} for domain '${d.name}'`);
  if (kind !== 'disk' && kind !== 'pci') cfg.devid = devid;
  const connected = d.status === 'running' || (d.status === 'paused' && hotplug);
  const sim: SimDevice = {
    kind,
    devid,
    backend_state: connected ? 4 : 2,
    frontend_state: connected ? 4 : 1,
    evtch: kind === 'pci' ? -1 : tx.st.next_evtch++,
    rref: kind === 'disk' || kind === 'vtpm' || kind === 'channel' ? [tx.st.next_gref++] : kind === 'nic' ? [tx.st.next_gref++, tx.st.next_gref++] : [],
    config: cfg,
  };
  d.devices.push(sim);
  if (hotplug) {
    // the device is in the domain now; a failing hotplug script must take it out again
    tx.faults.hit(`${kind}-hotplug`, `the hotplug script for ${LABEL[kind]} ${deviceName(sim)} of domain '${d.name}'`);
    pushEvent(tx.st, 'device-attach', d, { detail: `${kind} ${deviceName(sim)}` }, tx.now);
  }
  return devid;
}

/** The first PCI slot qemu leaves free for passthrough (0-3 hold its own devices). */
function freeSlot(d: SimDomain): number {
  const used = new Set(d.devices.filter((x) => x.kind === 'pci').map((x) => ((x.config as Pci).vdevfn ?? 0) >> 3));
  let slot = 4;
  while (used.has(slot) && slot < 31) slot++;
  return slot;
}

/** The name xl prints for a device: vdev, MAC, BDF, or the devid. */
export function deviceName(x: SimDevice): string {
  const c = x.config as Record<string, unknown>;
  if (x.kind === 'disk') return String(c.vdev);
  if (x.kind === 'nic') return String(c.mac);
  if (x.kind === 'pci') return pciBdf(c as Pci);
  return String(x.devid);
}

/** A device by devid or by its kind's own name for it (vdev, MAC, BDF, channel name, vTPM UUID). */
export function findDevice(d: SimDomain, kind: DeviceKind, id: DeviceId): SimDevice {
  const s = String(id).trim().toLowerCase();
  const bdf = kind === 'pci' ? normaliseBdf(s) : undefined;
  const mac = kind === 'nic' ? normaliseMac(s) : undefined;
  const vdevDevid = kind === 'disk' ? vdevToDevid(s) : undefined;
  const hit = d.devices.find((x) => {
    if (x.kind !== kind) return false;
    const c = x.config as Record<string, unknown>;
    if (String(x.devid) === s || deviceName(x).toLowerCase() === s) return true;
    if (bdf !== undefined && deviceName(x) === bdf) return true;
    if (mac !== undefined && deviceName(x) === mac) return true;
    // xvda and 51712 are the same disk, and so are hda and xvda's devid on HVM guests
    if (vdevDevid !== undefined && x.devid === vdevDevid) return true;
    return (kind === 'channel' && c.name === id) || (kind === 'vtpm' && String(c.uuid).toLowerCase() === s);
  });
  if (!hit) throw new NotFoundError(`domain '${d.name}' has no ${LABEL[kind]} '${id}'`, `list them with 'txl ${LIST_COMMAND[kind]} ${d.name}'`);
  return hit;
}

const LIST_COMMAND: Record<DeviceKind, string> = {
  disk: 'block-list', nic: 'network-list', pci: 'pci-list', vfb: 'list -l', vkb: 'list -l', vtpm: 'vtpm-list',
  channel: 'channel-list', usbctrl: 'list -l',
};

export function detach(tx: Tx, d: SimDomain, kind: DeviceKind, id: DeviceId, force: boolean): void {
  const x = findDevice(d, kind, id);
  // The disk a running guest booted from never lets go; libxl would time out waiting.
  const root = d.devices.find((y) => y.kind === 'disk');
  if (kind === 'disk' && x === root && d.status === 'running' && !force && !(x.config as { is_cdrom?: number }).is_cdrom) {
    throw new OperationError(
      `the guest did not release disk ${deviceName(x)} of domain '${d.name}' (it is the guest's root disk and in use)`,
      'detach it with --force to pull it from under the guest',
    );
  }
  tx.faults.hit('device-detach', `${kind} detach for domain '${d.name}'`);
  d.devices.splice(d.devices.indexOf(x), 1);
  pushEvent(tx.st, 'device-detach', d, { detail: `${kind} ${deviceName(x)}` }, tx.now);
}
