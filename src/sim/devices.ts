// Devices of a simulated domain: devids as libxl gives them, xenbus states, event channels
// and grant refs, and the rules libxl enforces (unique vdev/devid, assignable PCI functions).
import { NotFoundError, OperationError } from '../errors.js';
import type { DomainConfig, Pci } from '../model.js';
import type { DeviceId, DeviceKind, DeviceTypes } from '../backend/types.js';
import { normaliseBdf } from './host.js';
import { pushEvent, type SimDevice, type SimDomain } from './state.js';
import type { Tx } from './store.js';

/** The model's list for each device kind, in the order libxl attaches them at create. */
export const DEVICE_LISTS: [DeviceKind, keyof DomainConfig][] = [
  ['disk', 'disks'], ['nic', 'nics'], ['pci', 'pcidevs'], ['vfb', 'vfbs'], ['vkb', 'vkbs'],
  ['vtpm', 'vtpms'], ['channel', 'channels'], ['usbctrl', 'usbctrls'],
];

/** libxl's device number for a virtual disk name (xvda, hdc, sdb2, or a plain number). */
export function vdevToDevid(vdev: string): number | undefined {
  if (/^\d+$/.test(vdev)) return Number(vdev);
  const m = /^(xvd|hd|sd)([a-z]+)(\d*)$/.exec(vdev);
  if (!m) return undefined;
  let disk = 0;
  for (const c of m[2]) disk = disk * 26 + (c.charCodeAt(0) - 96);
  disk -= 1;
  const part = m[3] ? Number(m[3]) : 0;
  if (m[1] === 'xvd') {
    if (disk < 16 && part < 16) return (202 << 8) | (disk << 4) | part;
    if (part > 255) return undefined;
    return (1 << 28) | (disk << 8) | part;
  }
  if (m[1] === 'hd') {
    if (disk > 3 || part > 63) return undefined;
    const major = [3, 3, 22, 22][disk];
    return (major << 8) | ((disk % 2) * 64) | part;
  }
  if (disk > 15 || part > 15) return undefined;
  return (8 << 8) | (disk << 4) | part;
}

export function pciBdf(p: Pci): string {
  const h = (n: number | undefined, w: number) => (n ?? 0).toString(16).padStart(w, '0');
  return `${h(p.domain, 4)}:${h(p.bus, 2)}:${h(p.dev, 2)}.${p.func ?? 0}`;
}

function nextDevid(d: SimDomain, kind: DeviceKind): number {
  const used = d.devices.filter((x) => x.kind === kind).map((x) => x.devid);
  return used.length ? Math.max(...used) + 1 : 0;
}

function randomMac(): string {
  const b = () => Math.floor(Math.random() * 256).toString(16).padStart(2, '0');
  return `00:16:3e:${(Math.floor(Math.random() * 128)).toString(16).padStart(2, '0')}:${b()}:${b()}`;
}

/** Which domain holds a PCI function, if any. */
function pciHolder(tx: Tx, bdf: string): SimDomain | undefined {
  return tx.st.domains.find((d) => d.devices.some((x) => x.kind === 'pci' && pciBdf(x.config as Pci) === bdf));
}

/** Attaches one device to a domain in the transaction; returns the devid. */
export function attach<K extends DeviceKind>(tx: Tx, d: SimDomain, kind: K, dev: DeviceTypes[K], hotplug: boolean): number {
  const cfg = structuredClone(dev) as DeviceTypes[K] & Record<string, unknown>;
  const label = `${kind} attach`;
  const be = (cfg as { backend_domid?: number }).backend_domid ?? 0;
  if (kind !== 'pci' && !tx.st.domains.some((x) => x.domid === be)) throw new OperationError(`${label}: backend domain ${be} does not exist`);
  let devid: number;
  const mine = d.devices.filter((x) => x.kind === kind);
  switch (kind) {
    case 'disk': {
      const vdev = String(cfg.vdev ?? '');
      if (!vdev) throw new OperationError('disk attach: the disk has no vdev (the guest\'s name for it, e.g. xvdb)');
      const n = vdevToDevid(vdev);
      if (n === undefined) throw new OperationError(`disk attach: '${vdev}' is not a virtual disk name libxl understands (xvdX, hdX, sdX)`);
      if (mine.some((x) => x.devid === n)) throw new OperationError(`disk attach: domain '${d.name}' already has a disk ${vdev}`);
      devid = n;
      break;
    }
    case 'nic': {
      devid = typeof cfg.devid === 'number' && cfg.devid >= 0 ? cfg.devid : nextDevid(d, kind);
      if (mine.some((x) => x.devid === devid)) throw new OperationError(`network attach: domain '${d.name}' already has a nic with devid ${devid}`);
      cfg.mac ??= randomMac();
      const mac = String(cfg.mac).toLowerCase();
      const clash = tx.st.domains.find((o) => o.devices.some((x) => x.kind === 'nic' && String((x.config as { mac?: string }).mac).toLowerCase() === mac));
      if (clash) throw new OperationError(`network attach: MAC address ${mac} is already used by domain '${clash.name}'`);
      cfg.bridge ??= 'xenbr0';
      break;
    }
    case 'pci': {
      const bdf = pciBdf(cfg as Pci);
      if (!tx.host.pci_assignable.includes(bdf)) {
        throw new OperationError(`pci attach: PCI device ${bdf} is not assignable`, `make it assignable first (pci-assignable-add); assignable now: ${tx.host.pci_assignable.join(', ') || 'none'}`);
      }
      const holder = pciHolder(tx, bdf);
      if (holder) throw new OperationError(`pci attach: PCI device ${bdf} is already assigned to domain '${holder.name}' (${holder.domid})`);
      devid = nextDevid(d, kind);
      break;
    }
    default:
      if (kind === 'channel') {
        if (!cfg.name) throw new OperationError('channel attach: the channel has no name');
        if (mine.some((x) => (x.config as { name?: string }).name === cfg.name)) throw new OperationError(`channel attach: domain '${d.name}' already has a channel '${cfg.name}'`);
      }
      devid = typeof cfg.devid === 'number' && cfg.devid >= 0 ? cfg.devid : nextDevid(d, kind);
      if (mine.some((x) => x.devid === devid)) throw new OperationError(`${label}: domain '${d.name}' already has a ${kind} with devid ${devid}`);
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
    rref: kind === 'disk' ? [tx.st.next_gref++] : kind === 'nic' ? [tx.st.next_gref++, tx.st.next_gref++] : [],
    config: cfg,
  };
  d.devices.push(sim);
  if (hotplug) pushEvent(tx.st, 'device-attach', d, { detail: `${kind} ${deviceName(sim)}` }, tx.now);
  return devid;
}

/** The name xl prints for a device: vdev, MAC, BDF, or the devid. */
export function deviceName(x: SimDevice): string {
  const c = x.config as Record<string, unknown>;
  if (x.kind === 'disk') return String(c.vdev);
  if (x.kind === 'nic') return String(c.mac);
  if (x.kind === 'pci') return pciBdf(c as Pci);
  return String(x.devid);
}

export function findDevice(d: SimDomain, kind: DeviceKind, id: DeviceId): SimDevice {
  const s = String(id).toLowerCase();
  let bdf: string | undefined;
  if (kind === 'pci') bdf = normaliseBdf(s);
  const hit = d.devices.find(
    (x) => x.kind === kind && (String(x.devid) === s || deviceName(x).toLowerCase() === s || (bdf !== undefined && deviceName(x) === bdf)),
  );
  if (!hit) throw new NotFoundError(`domain '${d.name}' has no ${kind} '${id}'`);
  return hit;
}

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
