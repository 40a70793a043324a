// `txl events` on xen:///system: a look at the host every POLL_MS (libxl_list_domain, and
// the backend folders Domain-0 keeps in xenstore for each guest's devices), turned into
// events by eventdiff.ts. Polling rather than libxl's event API: a libxl_event_wait blocked
// on a worker thread cannot be cancelled, so Ctrl-C could not end the command, and libxl
// reports only shutdown and death while an admin wants pauses, renames and devices too.
// Every call here is short and made on the JS thread, so a stop is immediate.
import { existsSync } from 'node:fs';
import type { Libxl } from '../../bindings/context.js';
import type { XenstoreReader } from '../../bindings/xenstore.js';
import type { DeviceKind, DomainEvent } from '../core/backend-types.js';
import { OperationError } from '../core/errors.js';
import { listDomains } from './domains.js';
import { initialState, step, type SeenDevice, type SeenDomain } from './eventdiff.js';

export const POLL_MS = 500;
/** XEN_LIB_DIR of Xen's build, where libxl keeps domains' userdata */
const XEN_LIB_DIR = '/var/lib/xen';

/** Backend folders of Domain-0 and the kind of device each holds; consoles and PCI are left out. */
const BACKENDS: Record<string, DeviceKind> = { vbd: 'disk', vbd3: 'disk', qdisk: 'disk', vif: 'nic', vfb: 'vfb', vkbd: 'vkb', vtpm: 'vtpm' };
/** the node that names a device the way the simulator does (vdev, MAC) */
const LABEL: Partial<Record<DeviceKind, string>> = { disk: 'dev', nic: 'mac' };

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((r) => {
    if (signal?.aborted) return r();
    const onAbort = () => (clearTimeout(t), r());
    const t = setTimeout(() => (signal?.removeEventListener('abort', onAbort), r()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Devices served by Domain-0, by guest domid: one directory listing per backend kind and guest. */
function devicesByDomain(xs: XenstoreReader, labels: Map<string, string>): Map<number, SeenDevice[]> {
  const out = new Map<number, SeenDevice[]>();
  const used = new Set<string>();
  const root = '/local/domain/0/backend';
  for (const type of xs.directory(root) ?? []) {
    const kind = BACKENDS[type];
    if (!kind) continue;
    for (const dom of xs.directory(`${root}/${type}`) ?? []) {
      const domid = Number(dom);
      if (!Number.isInteger(domid)) continue;
      const list = out.get(domid) ?? [];
      for (const dev of xs.directory(`${root}/${type}/${dom}`) ?? []) {
        const devid = Number(dev);
        if (!Number.isInteger(devid)) continue;
        const path = `${root}/${type}/${dom}/${dev}`;
        const key = `${type}/${dev}`;
        // a device's name never changes while it exists: asked once
        const cacheKey = `${domid}/${key}`;
        used.add(cacheKey);
        let label = labels.get(cacheKey);
        if (label === undefined) {
          const node = LABEL[kind];
          label = (node && xs.read(`${path}/${node}`)) || String(devid);
          labels.set(cacheKey, label);
        }
        list.push({ key, kind, devid, label, online: xs.read(`${path}/online`) !== '0' });
      }
      out.set(domid, list);
    }
  }
  // a devid used again later may name another device (a new MAC)
  for (const k of labels.keys()) if (!used.has(k)) labels.delete(k);
  return out;
}

/** One look at the host. */
export function look(lx: Libxl, xs: XenstoreReader, labels = new Map<string, string>()): SeenDomain[] {
  const devices = devicesByDomain(xs, labels);
  const seen: SeenDomain[] = [];
  for (const d of listDomains(lx)) {
    // no name in xenstore (domains.ts then makes one up): being made, or being destroyed
    if (d.domid !== 0 && d.name === `(domid ${d.domid})`) continue;
    const target = Number(xs.read(`/local/domain/${d.domid}/memory/target`));
    // libxl's path for userdata (libxl__userdata_path), written last by a create
    const made = d.paused && d.cpu_time === 0 ? existsSync(`${XEN_LIB_DIR}/userdata-d.${d.domid}.${d.uuid}.libxl-json`) : undefined;
    seen.push({
      domid: d.domid, name: d.name, uuid: d.uuid, paused: d.paused, shutdown: d.shutdown, shutdown_reason: d.shutdown_reason,
      dying: d.dying, cpu_time: d.cpu_time, vcpu_online: d.vcpu_online,
      target_kb: Number.isFinite(target) && target > 0 ? target : undefined,
      devices: devices.get(d.domid) ?? [],
      made,
    });
  }
  return seen;
}

/** Events from now on, until signal aborts (or the consumer stops asking). */
export async function* watch(lx: Libxl, xs: XenstoreReader, opts: { since?: number; signal?: AbortSignal } = {}): AsyncGenerator<DomainEvent> {
  if (opts.since !== undefined) {
    throw new OperationError('xen:///system keeps no event history: --since works only on test:/// connections', "leave out --since to watch events from now on");
  }
  const labels = new Map<string, string>();
  let state = initialState(look(lx, xs, labels), Date.now());
  let seq = 0;
  while (!opts.signal?.aborted) {
    await sleep(POLL_MS, opts.signal);
    if (opts.signal?.aborted) break;
    const r = step(state, look(lx, xs, labels), Date.now());
    state = r.state;
    for (const e of r.events) yield { seq: ++seq, ...e };
  }
}
