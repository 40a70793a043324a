// The simulator's graphical consoles and ACPI S3: what a device model would announce for a
// domain's VNC and SPICE, and a guest put to sleep and woken up (virsh domdisplay, dompmsuspend).
import { OperationError } from '../core/errors.js';
import type { DisplayInfo } from '../core/backend-types.js';
import type { Vfb } from '../core/model.js';
import type { SimDomain } from './state.js';
import type { Tx } from './store.js';

const isTrue = (v: string | undefined) => v === 'True';
const live = (d: SimDomain) => d.status !== 'shutdown' && d.status !== 'dying';

/** The VNC settings of a domain: its first vfb's, or an HVM guest's own. */
function vncOf(d: SimDomain) {
  const vfb = d.devices.find((x) => x.kind === 'vfb')?.config as Vfb | undefined;
  const vnc = vfb?.vnc ?? d.config.b_info['type.hvm']?.vnc;
  return vnc && isTrue(vnc.enable) ? vnc : undefined;
}

declare module './state.js' {
  interface SimDomain {
    /** the VNC display its (simulated) QEMU took: kept, as a running QEMU keeps its port */
    vnc_display?: number;
  }
}

/**
 * QEMU takes the display it is given, else the first free one from :0 (libxl passes
 * `to=99`). Displays are handed out when first looked at, in domid order, and then kept.
 */
function assignDisplays(tx: Tx): void {
  const doms = tx.st.domains.filter((d) => live(d) && d.domid !== 0 && vncOf(d)).sort((a, b) => a.domid - b.domid);
  const taken = new Set<number>();
  for (const d of doms) {
    const fixed = vncOf(d)!.display;
    if (d.vnc_display === undefined && fixed !== undefined) d.vnc_display = fixed;
    if (d.vnc_display !== undefined) taken.add(d.vnc_display);
  }
  for (const d of doms) {
    if (d.vnc_display !== undefined) continue;
    let n = 0;
    while (taken.has(n)) n++;
    taken.add(n);
    d.vnc_display = n;
  }
}

export function simDisplays(tx: Tx, d: SimDomain): DisplayInfo[] {
  if (!live(d)) throw new OperationError(`domain '${d.name}' is not running`);
  const out: DisplayInfo[] = [];
  const vnc = vncOf(d);
  if (vnc) {
    if (d.vnc_display === undefined) assignDisplays(tx);
    const info: DisplayInfo = { type: 'vnc', listen: vnc.listen || '127.0.0.1', port: 5900 + d.vnc_display! };
    if (vnc.passwd) info.passwd = vnc.passwd;
    out.push(info);
  }
  const spice = d.config.b_info['type.hvm']?.spice;
  if (spice && isTrue(spice.enable) && (spice.port || spice.tls_port)) {
    const info: DisplayInfo = { type: 'spice', listen: spice.host || '0.0.0.0' };
    if (spice.port) info.port = spice.port;
    if (spice.tls_port) info.tls_port = spice.tls_port;
    if (spice.passwd && !isTrue(spice.disable_ticketing)) info.passwd = spice.passwd;
    out.push(info);
  }
  return out;
}

export const PM_DETAIL = 'pmsuspended: asleep in ACPI S3';

/** S3 as xenopsd asks for it: only an HVM guest has the ACPI sleep states, and only a running one sleeps. */
export function simPmSuspend(d: SimDomain): void {
  const type = d.config.c_info.type ?? 'pv';
  if (d.domid === 0) throw new OperationError('cannot suspend Domain-0 to RAM: it is the host\'s control domain');
  if (type !== 'hvm') throw new OperationError(`domain '${d.name}' is a ${type.toUpperCase()} guest: ACPI S3 needs an HVM guest`);
  if (d.config.b_info['type.hvm']?.acpi_s3 === 'False') throw new OperationError(`domain '${d.name}' has S3 disabled (acpi_s3 = 0 in its config)`);
  if (d.detail === PM_DETAIL) throw new OperationError(`domain '${d.name}' is already suspended to RAM`);
  if (d.status !== 'running') throw new OperationError(`domain '${d.name}' is not running (${d.status})`);
  d.detail = PM_DETAIL;
}

export function simPmWakeup(d: SimDomain): void {
  if (d.detail !== PM_DETAIL) throw new OperationError(`domain '${d.name}' is not suspended to RAM`);
  delete d.detail;
}
