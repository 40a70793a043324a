// Guests' network and disk I/O as Domain-0's kernel counts it, read from sysfs the way
// libxenstat (xentop) finds it: a vif's backend is a net device whose device/nodename is
// backend/vif/<domid>/<devid> (or, failing that, one named vif<domid>.<devid>); a blkback
// disk is /sys/bus/xen-backend/devices/vbd-<domid>-<devid> with a statistics/ folder.
// Disks served by qemu (qdisk) or tapdisk keep their counters elsewhere and are not seen.
// The root is a parameter so that tests can lay out a fake sysfs in a temporary folder.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BlockStats, DeviceIo, NetStats } from '../core/backend-types.js';

/** Where a net device's counters say it belongs: its backend's nodename, else its name. */
export function vifOwner(iface: string, nodename: string | undefined): { domid: number; devid: number } | undefined {
  const n = nodename?.trim().match(/^backend\/vif\/(\d+)\/(\d+)$/);
  if (n) return { domid: Number(n[1]), devid: Number(n[2]) };
  // an HVM guest's emulated NIC ("-emu") carries the same vif's traffic before its PV driver loads
  const m = iface.match(/^vif(\d+)\.(\d+)(?:-emu)?$/);
  return m ? { domid: Number(m[1]), devid: Number(m[2]) } : undefined;
}

function readNum(file: string): number {
  try {
    const v = Number(readFileSync(file, 'utf8').trim());
    return Number.isFinite(v) ? v : 0;
  } catch {
    return 0;
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function entry(map: Map<number, DeviceIo>, domid: number): DeviceIo {
  let e = map.get(domid);
  if (!e) map.set(domid, (e = { net: [], block: [] }));
  return e;
}

/**
 * Every guest's vif and blkback counters under root (normally /sys), by domid. Net counters
 * are turned round to the guest's point of view, as virsh reports them: what the backend
 * transmits is what the guest receives. `vdev` names a disk (from xenstore); devids it
 * cannot name keep their number as the name.
 */
export function readDeviceIo(root = '/sys', vdev: (domid: number, devid: number) => string | undefined = () => undefined): Map<number, DeviceIo> {
  const out = new Map<number, DeviceIo>();
  const netDir = join(root, 'class/net');
  for (const iface of list(netDir)) {
    const owner = vifOwner(iface, readText(join(netDir, iface, 'device/nodename')));
    if (!owner) continue;
    const s = (k: string) => readNum(join(netDir, iface, 'statistics', k));
    const e = entry(out, owner.domid);
    let n = e.net.find((x) => x.devid === owner.devid);
    if (!n) {
      n = { devid: owner.devid, name: iface, rx_bytes: 0, rx_pkts: 0, rx_errs: 0, rx_drop: 0, tx_bytes: 0, tx_pkts: 0, tx_errs: 0, tx_drop: 0 };
      e.net.push(n);
    }
    // the PV interface names the pair
    if (!iface.endsWith('-emu')) n.name = iface;
    const add: [keyof NetStats, string][] = [
      ['rx_bytes', 'tx_bytes'], ['rx_pkts', 'tx_packets'], ['rx_errs', 'tx_errors'], ['rx_drop', 'tx_dropped'],
      ['tx_bytes', 'rx_bytes'], ['tx_pkts', 'rx_packets'], ['tx_errs', 'rx_errors'], ['tx_drop', 'rx_dropped'],
    ];
    for (const [mine, theirs] of add) (n[mine] as number) += s(theirs);
  }
  const vbdDir = join(root, 'bus/xen-backend/devices');
  for (const name of list(vbdDir)) {
    const m = name.match(/^vbd-(\d+)-(\d+)$/);
    if (!m) continue;
    const domid = Number(m[1]);
    const devid = Number(m[2]);
    const s = (k: string) => readNum(join(vbdDir, name, 'statistics', k));
    const b: BlockStats = {
      devid, name: vdev(domid, devid) ?? String(devid),
      oo_reqs: s('oo_req'), rd_reqs: s('rd_req'), rd_sectors: s('rd_sect'), wr_reqs: s('wr_req'), wr_sectors: s('wr_sect'),
    };
    entry(out, domid).block.push(b);
  }
  for (const e of out.values()) {
    e.net.sort((a, b) => a.devid - b.devid);
    e.block.sort((a, b) => a.devid - b.devid);
  }
  return out;
}
