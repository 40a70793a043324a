// VNC and SPICE passwords in what txl shows of a domain's config. virsh leaves them out of
// dumpxml unless asked (--security-info); txl does the same for every view of a config
// (dumpxml, config, list -l), in every output format, so that a config pasted into a ticket
// or a terminal recording does not carry the console's password. The stored files (state,
// managed configs, save images: all 0600) still hold them, and --security-info shows them.
import type { OptDef } from './command.js';
import { ConfigError } from './core/errors.js';
import type { DomainConfig } from './core/model.js';
import type { SideNode } from '../parsers/xml/dom.js';
import type { XmlSide } from '../parsers/xml/reader.js';

/** The one flag that shows passwords, on every command that could show them. */
export const SECURITY_INFO = {
  flags: '--security-info',
  summary: 'also show VNC and SPICE passwords (hidden by default, as virsh hides them)',
} as const satisfies OptDef;

/**
 * The config without its passwords: the HVM VNC and SPICE ones (xl.cfg vncpasswd,
 * spicepasswd), each vfb's (vfb = ["vncpasswd=..."]) and libvirt's passwd= attributes that
 * side.xml keeps verbatim (a <graphics type='rdp'> libxl has no field for). Dropped, not
 * masked: a mask would become the password of a config written back from this view.
 */
export function withoutSecrets(cfg: DomainConfig): DomainConfig {
  // most configs hold none: no copy for them (list -l of 1,000 domains)
  const hvm0 = cfg.b_info?.['type.hvm'];
  const side = cfg.side?.xml as XmlSide | undefined;
  if (hvm0?.vnc?.passwd === undefined && hvm0?.spice?.passwd === undefined && !cfg.vfbs?.some((v) => v.vnc?.passwd !== undefined) && !(side && sideHasSecrets(side))) return cfg;
  const out = structuredClone(cfg);
  const hvm = out.b_info?.['type.hvm'];
  for (const holder of [hvm?.vnc, hvm?.spice, ...(out.vfbs ?? []).map((v) => v.vnc)]) {
    if (holder) delete holder.passwd;
  }
  if (out.side?.xml) scrubSide(out.side.xml as XmlSide);
  return out;
}

/** libvirt's attribute for a console password (<graphics passwd=...>), in any element. */
const secretAttr = (name: string) => name.toLowerCase() === 'passwd';

const nodeHasSecrets = (n: SideNode): boolean => (n.attrs ?? []).some(([k]) => secretAttr(k)) || (n.children ?? []).some(nodeHasSecrets);

function sideHasSecrets(side: XmlSide): boolean {
  return (side.attrs ?? []).some((a) => secretAttr(a.name)) || (side.elements ?? []).some((e) => nodeHasSecrets(e.node)) || (side.metadata ?? []).some(nodeHasSecrets);
}

function scrubNode(n: SideNode): void {
  if (n.attrs) n.attrs = n.attrs.filter(([k]) => !secretAttr(k));
  n.children?.forEach(scrubNode);
}

function scrubSide(side: XmlSide): void {
  if (side.attrs) side.attrs = side.attrs.filter((a) => !secretAttr(a.name));
  side.elements?.forEach((e) => scrubNode(e.node));
  side.metadata?.forEach(scrubNode);
}

/** Whether the config holds a password that withoutSecrets would drop. */
export function hasSecrets(cfg: DomainConfig): boolean {
  return withoutSecrets(cfg) !== cfg;
}

/**
 * The error of reading a file the user did not name as a config (xl.conf from TXL_XL_CONF, a
 * file a host YAML points to), fit to print: a root-run txl pointed at /etc/shadow must not
 * print its lines. Positions stay; excerpts and hints (which quote the line) go, and words the
 * messages quote become `…` (bare punctuation such as `=` stays: it says what was expected).
 */
export function blindError(err: unknown, hint: string): unknown {
  if (!(err instanceof ConfigError)) return err;
  const blinded = err.diagnostics.map(({ excerpt: _e, length: _l, hint: _h, ...d }, i) => ({
    ...d,
    ...(i === 0 && { hint }),
    message: d.message.replace(/`([^`]*)`/g, (m, inner: string) => (/[\p{L}\p{N}]/u.test(inner) ? '`…`' : m)),
  }));
  return new ConfigError(blinded, hint);
}
