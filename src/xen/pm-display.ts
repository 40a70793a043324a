// Graphical consoles and ACPI S3 on Xen. VNC: what libxl wrote to the domain's console/ in
// xenstore once QEMU answered query-vnc (vnc-port, vnc-listen, vnc-pass). SPICE: libxl keeps
// no trace of it in xenstore, so the domain's configuration says where it listens.
// S3 as xenopsd does it: "s3" in control/shutdown, which the guest's PV drivers acknowledge
// by clearing it; woken by libxl's S3RESUME trigger (QEMU's system_wakeup).
import type { Libxl } from '../../bindings/context.js';
import type { XenstoreReader } from '../../bindings/xenstore.js';
import { xenstoreWrite } from '../../bindings/xenstore-write.js';
import { OperationError } from '../core/errors.js';
import type { DisplayInfo } from '../core/backend-types.js';
import { domainConfig, domainInfo } from './domains.js';
import { guard } from './errors.js';

/** libxl_trigger S3RESUME (libxl_types.idl) */
const LIBXL_TRIGGER_S3RESUME = 6;
/** how long a guest has to acknowledge the S3 request, as xenopsd waits for an acknowledgement */
const ACK_MS = 10_000;

export async function displays(lx: Libxl, xs: XenstoreReader, domid: number): Promise<DisplayInfo[]> {
  const cfg = await domainConfig(lx, domid);
  const out: DisplayInfo[] = [];
  const base = `/local/domain/${domid}/console`;
  const port = xs.read(`${base}/vnc-port`);
  if (port && /^\d+$/.test(port)) {
    const info: DisplayInfo = { type: 'vnc', listen: xs.read(`${base}/vnc-listen`) || '127.0.0.1', port: Number(port) };
    const pass = xs.read(`${base}/vnc-pass`);
    if (pass) info.passwd = pass;
    out.push(info);
  }
  const spice = cfg.b_info['type.hvm']?.spice;
  if (spice && spice.enable === 'True' && (spice.port || spice.tls_port)) {
    const info: DisplayInfo = { type: 'spice', listen: spice.host || '0.0.0.0' };
    if (spice.port) info.port = spice.port;
    if (spice.tls_port) info.tls_port = spice.tls_port;
    if (spice.passwd && spice.disable_ticketing !== 'True') info.passwd = spice.passwd;
    out.push(info);
  }
  return out;
}

async function hvmOnly(lx: Libxl, domid: number, what: string) {
  if (domid === 0) throw new OperationError(`cannot ${what} Domain-0: it is the host's control domain`);
  const info = await domainInfo(lx, domid);
  if (info.domain_type !== 'hvm') {
    throw new OperationError(`domain '${info.name}' is a ${String(info.domain_type).toUpperCase()} guest: ACPI S3 needs an HVM guest`);
  }
  return info;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function pmSuspend(lx: Libxl, xs: XenstoreReader, domid: number): Promise<void> {
  const info = await hvmOnly(lx, domid, 'suspend to RAM');
  if (info.paused || info.shutdown || info.dying) throw new OperationError(`domain '${info.name}' is not running (${info.state})`);
  const path = `/local/domain/${domid}/control/shutdown`;
  const pending = xs.read(path);
  if (pending) throw new OperationError(`domain '${info.name}' has a request pending already ('${pending}' in control/shutdown)`);
  if (!xenstoreWrite(lx.libs, path, 's3')) throw new OperationError(`cannot write the S3 request for domain '${info.name}' to xenstore`);
  for (const end = Date.now() + ACK_MS; Date.now() < end; ) {
    await sleep(200);
    if (!xs.read(path)) return;
  }
  // not taken up: withdrawn, so that it cannot surprise the guest later
  xenstoreWrite(lx.libs, path, '');
  throw new OperationError(`domain '${info.name}' did not acknowledge the S3 request within ${ACK_MS / 1000} s: its PV drivers do not handle S3 (Linux guests' do not)`);
}

export async function pmWakeup(lx: Libxl, domid: number): Promise<void> {
  await hvmOnly(lx, domid, 'wake up');
  await guard(`waking up domain ${domid} (S3 resume)`, domid, () => lx.callAsync('libxl_send_trigger', '', lx.ctx, domid, LIBXL_TRIGGER_S3RESUME, 0, null));
}
