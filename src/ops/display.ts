// vncdisplay and domdisplay: where a domain's graphical console listens, as virsh prints it
// (":0" for VNC display 0 on any address, "vnc://127.0.0.1:0" as a URI).
import type { Context } from '../context.js';
import type { Result } from '../command.js';
import type { DisplayInfo } from '../core/backend-types.js';
import { NotFoundError, OperationError } from '../core/errors.js';
import { withBackend } from './connect.js';

const WILDCARD = new Set(['0.0.0.0', '::', '[::]', '']);

async function displaysOf(ctx: Context, ref: string): Promise<{ name: string; list: DisplayInfo[] }> {
  return withBackend(ctx, async (be) => {
    const domid = await be.resolve(ref);
    const info = await be.domainInfo(domid);
    if (!be.displays) throw new OperationError(`this connection (${be.uri}) cannot tell where displays listen`);
    return { name: info.name, list: await be.displays(domid) };
  });
}

/** A listen address as a URI's host part: IPv6 in brackets; any address is this host. */
function host(listen: string): string {
  if (WILDCARD.has(listen)) return 'localhost';
  return listen.includes(':') && !listen.startsWith('[') ? `[${listen}]` : listen;
}

export async function vncDisplay(ctx: Context, ref: string): Promise<Result> {
  const { name, list } = await displaysOf(ctx, ref);
  const vnc = list.find((d) => d.type === 'vnc' && d.port !== undefined);
  if (!vnc) throw new NotFoundError(`domain '${name}' has no VNC display`);
  const display = vnc.port! - 5900;
  // virsh leaves out an address that means "any"
  const addr = WILDCARD.has(vnc.listen) ? '' : host(vnc.listen);
  return { data: { name, listen: vnc.listen, port: vnc.port, display }, text: `${addr}:${display}\n` };
}

export interface DomDisplayOptions { type?: 'vnc' | 'spice'; includePassword?: boolean; all?: boolean }

function uri(d: DisplayInfo, withPassword: boolean): string {
  const pass = withPassword && d.passwd ? `:${d.passwd}@` : '';
  if (d.type === 'vnc') return `vnc://${pass}${host(d.listen)}:${d.port! - 5900}`;
  const port = d.port !== undefined ? `:${d.port}` : '';
  const tls = d.tls_port !== undefined ? `?tls-port=${d.tls_port}` : '';
  return `spice://${pass}${host(d.listen)}${port}${tls}`;
}

export async function domDisplay(ctx: Context, ref: string, opts: DomDisplayOptions): Promise<Result> {
  const { name, list } = await displaysOf(ctx, ref);
  let shown = list.filter((d) => !opts.type || d.type === opts.type);
  if (!shown.length) {
    throw new NotFoundError(opts.type ? `domain '${name}' has no ${opts.type === 'vnc' ? 'VNC' : 'SPICE'} display` : `domain '${name}' has no graphical display`);
  }
  if (!opts.all) shown = shown.slice(0, 1);
  const uris = shown.map((d) => uri(d, Boolean(opts.includePassword)));
  // a password reaches the output only when asked for, in JSON too
  const data = shown.map((d, i) => ({ type: d.type, listen: d.listen, port: d.port, tls_port: d.tls_port, uri: uris[i], ...(opts.includePassword && d.passwd ? { passwd: d.passwd } : {}) }));
  return { data: opts.all ? data : data[0], text: uris.join('\n') + '\n' };
}
