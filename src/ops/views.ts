// Small helpers shared by the commands that show domains.
import type { DomainConfig } from '../core/model.js';
import type { Backend, DisplayInfo } from '../core/backend-types.js';

/** The config as libxl's JSON text (what `xl list -l` and save files carry). */
export async function configText(cfg: DomainConfig): Promise<string> {
  const { modelToLibxlJson } = await import('../../parsers/libxl-json.js');
  return modelToLibxlJson(cfg);
}

/** xl's uptime text: "1 day,  2:03:04" or " 2:03:04" (short: without seconds). */
export function uptimeText(seconds: number, short = false): string {
  let s = Math.max(0, Math.floor(seconds));
  const day = Math.floor(s / 86400);
  s -= day * 86400;
  const hour = Math.floor(s / 3600);
  s -= hour * 3600;
  const min = Math.floor(s / 60);
  const sec = s - min * 60;
  const hm = `${String(hour).padStart(2)}:${String(min).padStart(2, '0')}`;
  const tail = short ? hm : `${hm}:${String(sec).padStart(2, '0')}`;
  if (day > 1) return `${day} days, ${tail}`;
  if (day === 1) return `${day} day, ${tail}`;
  return tail;
}

/** A display as list -l and dominfo show it: where it listens, never its password. */
export type DisplayView = Omit<DisplayInfo, 'passwd'>;

/**
 * The VNC and SPICE displays of a live domain with their ports (on Xen, what the device model
 * wrote to xenstore); none for a domain whose config asks for neither, without asking.
 */
export async function displayViews(be: Backend, domid: number, cfg: DomainConfig): Promise<DisplayView[]> {
  const on = (v?: string) => v === 'True';
  const hvm = cfg.b_info?.['type.hvm'];
  const wanted = on(hvm?.vnc?.enable) || on(hvm?.spice?.enable) || (cfg.vfbs ?? []).some((v) => on(v.vnc?.enable));
  if (!wanted || !be.displays) return [];
  try {
    return (await be.displays(domid)).map(({ passwd: _secret, ...shown }) => shown);
  } catch {
    return []; // gone meanwhile, or not running: no display listens
  }
}

/** dominfo's line for one display: "vnc 127.0.0.1:5900", "spice 0.0.0.0:5930 (tls 5931)". */
export function displayText(d: DisplayView): string {
  const host = d.listen.includes(':') && !d.listen.startsWith('[') ? `[${d.listen}]` : d.listen;
  const port = d.port !== undefined ? `${host}:${d.port}` : host;
  return `${d.type} ${port}${d.tls_port !== undefined ? ` (tls ${d.tls_port})` : ''}`;
}
