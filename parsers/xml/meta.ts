// txl's own part of a domain's <metadata>: the delta (parsers/delta.ts) between the model
// and what libvirt's elements alone read back as. libvirt keeps foreign metadata untouched
// (virsh edit, define, dumpxml), so the XML stays valid for virsh while txl loses nothing.
import { el, type XNode } from './dom.js';
import type { DeltaEntry } from '../delta.js';

export const TXL_NS = 'urn:txl:domain-config:1';
const PREFIX = 'txl';

/** <txl:config> with one <txl:set>/<txl:unset> per entry. */
export function deltaElement(entries: DeltaEntry[]): XNode {
  const kids = entries.map((e) =>
    el(`${PREFIX}:${e.value === undefined ? 'unset' : 'set'}`, {
      path: e.path,
      value: e.value === undefined ? undefined : JSON.stringify(e.value),
      libvirt: e.plain === undefined ? undefined : JSON.stringify(e.plain),
    }),
  );
  return el(`${PREFIX}:config`, { [`xmlns:${PREFIX}`]: TXL_NS }, kids);
}

/** The prefix an element of <metadata> uses for txl's namespace, if it is txl's config. */
export function isDeltaElement(n: XNode): boolean {
  const i = n.name.indexOf(':');
  const prefix = i < 0 ? undefined : n.name.slice(0, i);
  const local = i < 0 ? n.name : n.name.slice(i + 1);
  const decl = prefix === undefined ? 'xmlns' : `xmlns:${prefix}`;
  return local === 'config' && n.attrs.some(([k, v]) => k === decl && v === TXL_NS);
}

/** The entries of a <txl:config>; malformed ones become diagnostics through `bad`. */
export function readDeltaElement(n: XNode, bad: (at: XNode, message: string) => void): DeltaEntry[] {
  const i = n.name.indexOf(':');
  const prefix = i < 0 ? '' : n.name.slice(0, i + 1);
  const out: DeltaEntry[] = [];
  for (const c of n.children) {
    const kind = c.name === `${prefix}set` ? 'set' : c.name === `${prefix}unset` ? 'unset' : undefined;
    const attr = (k: string) => c.attrs.find(([a]) => a === k)?.[1];
    const path = attr('path');
    if (!kind || path === undefined || !/^(\/[^/]*)+$/.test(path)) {
      bad(c, `<${c.name}> is not a txl metadata entry (<${prefix}set path= value=> or <${prefix}unset path=>)`);
      continue;
    }
    const json = (k: string): { ok: boolean; v?: unknown } => {
      const raw = attr(k);
      if (raw === undefined) return { ok: true };
      try {
        return { ok: true, v: JSON.parse(raw) };
      } catch {
        bad(c, `txl metadata for ${path}: attribute '${k}' is not JSON`);
        return { ok: false };
      }
    };
    const value = json('value');
    const libvirt = json('libvirt');
    if (!value.ok || !libvirt.ok) continue;
    if (kind === 'set' && value.v === undefined) {
      bad(c, `<${c.name} path='${path}'> has no value`);
      continue;
    }
    out.push({ path, value: kind === 'set' ? value.v : undefined, plain: libvirt.v });
  }
  return out;
}

