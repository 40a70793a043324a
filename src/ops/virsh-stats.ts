// virsh's domblkstat and domifstat: one disk's or one interface's counters, from the backend's
// domainStats (on Xen the blkback and netback counters that domstats and top read too).
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { Backend, BlockStats, DomainStats } from '../core/backend-types.js';
import { OperationError } from '../core/errors.js';
import { withBackend } from './connect.js';
import { virshText } from './text.js';
import { loadDom, NOT_RUNNING } from './virsh-affect.js';

/** The counters virsh prints for a disk, under its legacy names and in words for --human. */
const BLOCK_FIELDS = [
  ['rd_req', 'number of read operations:'],
  ['rd_bytes', 'number of bytes read:'],
  ['wr_req', 'number of write operations:'],
  ['wr_bytes', 'number of bytes written:'],
  ['errs', 'error count:'],
] as const;

function blockCounters(list: BlockStats[]): Record<(typeof BLOCK_FIELDS)[number][0], number> {
  const sum = (f: (b: BlockStats) => number) => list.reduce((s, b) => s + f(b), 0);
  return {
    rd_req: sum((b) => b.rd_reqs), rd_bytes: sum((b) => b.rd_sectors * 512),
    wr_req: sum((b) => b.wr_reqs), wr_bytes: sum((b) => b.wr_sectors * 512),
    // blkback's "out of requests" count is the one error-like counter Xen keeps
    errs: sum((b) => b.oo_reqs),
  };
}

async function runningStats(ctx: Context, ref: string, fn: (s: DomainStats, domid: number, be: Backend) => Promise<Result>): Promise<Result> {
  return withBackend(ctx, async (be) => {
    const dom = await loadDom(be, ref);
    if (!dom.live) throw new OperationError(NOT_RUNNING);
    return fn(await be.domainStats(dom.live.domid), dom.live.domid, be);
  });
}

export async function domblkstat(ctx: Context, ref: string, device: string | undefined, human: boolean): Promise<Result> {
  return runningStats(ctx, ref, async (s, domid, be) => {
    const all = s.block ?? [];
    let chosen = all;
    if (device) {
      // the guest's name for the disk, or its source as the config gives it
      const disks = await be.listDevices(domid, 'disk');
      const bySource = disks.find((d) => d.config.pdev_path === device);
      const name = bySource ? String(bySource.config.vdev ?? bySource.devid) : device;
      chosen = all.filter((b) => b.name === name);
      if (!chosen.length) throw new OperationError(`invalid argument: invalid path: ${device}`);
    }
    const c = blockCounters(chosen);
    // virsh prints the device before each line; --human names it once above the lines instead
    const prefix = human ? '' : device ?? '';
    const lines = BLOCK_FIELDS.map(([k, words]) => (human ? `${prefix} ${words.padEnd(31)} ${c[k]}` : `${prefix} ${k} ${c[k]}`));
    const text = (human ? `Device: ${device ?? ''}\n` : '') + lines.join('\n') + '\n';
    return {
      data: { name: s.name, device: device ?? null, devices: chosen.map((b) => b.name), ...c },
      text: virshText(ctx, text),
      table: { head: ['Counter', 'Value'], rows: BLOCK_FIELDS.map(([k]) => [k, c[k]]) },
    };
  });
}

const NET_FIELDS = ['rx_bytes', 'rx_packets', 'rx_errs', 'rx_drop', 'tx_bytes', 'tx_packets', 'tx_errs', 'tx_drop'] as const;

export async function domifstat(ctx: Context, ref: string, iface: string): Promise<Result> {
  return runningStats(ctx, ref, async (s, domid, be) => {
    const nets = s.net ?? [];
    let hit = nets.find((n) => n.name === iface);
    if (!hit && /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(iface)) {
      const nic = (await be.listDevices(domid, 'nic')).find((d) => d.config.mac?.toLowerCase() === iface.toLowerCase());
      hit = nic ? nets.find((n) => n.devid === nic.devid) : undefined;
    }
    if (!hit) throw new OperationError(`invalid argument: invalid path, '${iface}' is not a known interface`);
    const c = {
      rx_bytes: hit.rx_bytes, rx_packets: hit.rx_pkts, rx_errs: hit.rx_errs, rx_drop: hit.rx_drop,
      tx_bytes: hit.tx_bytes, tx_packets: hit.tx_pkts, tx_errs: hit.tx_errs, tx_drop: hit.tx_drop,
    };
    return {
      data: { name: s.name, interface: hit.name, devid: hit.devid, ...c },
      text: virshText(ctx, NET_FIELDS.map((k) => `${iface} ${k} ${c[k]}\n`).join('')),
      table: { head: ['Counter', 'Value'], rows: NET_FIELDS.map((k) => [k, c[k]]) },
    };
  });
}
