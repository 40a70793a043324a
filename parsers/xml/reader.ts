// The bookkeeping every part of the domain XML reader shares: typed accessors that mark
// what they read, diagnostics at the element or attribute they concern, and the final
// sweep that moves whatever nobody read into side.xml (with a warning) instead of losing it.
import type { Diagnostic } from '../../src/core/errors.js';
import type { HostInfo } from '../host.js';
import { SourceMap, toSide, walk, type SideNode, type XNode } from './dom.js';
import type { DeltaEntry } from '../delta.js';

/** What side.xml holds: the parts of a domain XML libxl has no field for. */
export interface XmlSide {
  title?: string;
  description?: string;
  /** the children of <metadata>, verbatim */
  metadata?: SideNode[];
  /** elements txl does not map, with the path of the element they sat in */
  elements?: { at: string; node: SideNode }[];
  /** attributes txl does not map, with the path of their element */
  attrs?: { at: string; name: string; value: string }[];
  /** PCI devices that came from <interface type='hostdev'>: index into pcidevs, and the MAC */
  netHostdevs?: { pci: number; mac?: string }[];
}

export interface ReadOptions {
  /** the host: its NUMA node count decides vNUMA pnodes, its CPU count "any CPU" masks */
  host?: HostInfo;
  /**
   * Whether nested HVM may be offered to host-passthrough guests (libvirt's libxl.conf
   * nested_hvm). Default true, as libvirt's xl.cfg converter reads host-passthrough.
   */
  nestedHvm?: boolean;
}

export class Reader {
  readonly warnings: Diagnostic[] = [];
  readonly errors: Diagnostic[] = [];
  readonly side: XmlSide = {};
  /** txl's own <metadata> entries (meta.ts), applied after the libvirt elements are read */
  readonly delta: DeltaEntry[] = [];
  deltaAt?: XNode;

  constructor(
    readonly file: string,
    readonly map: SourceMap,
    readonly opts: ReadOptions,
  ) {}

  private tagEnd(n: XNode): number {
    const t = this.map.text;
    let quote = '';
    for (let i = n.pos + 1; i < t.length; i++) {
      const c = t[i];
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '>') return i;
    }
    return t.length;
  }

  /** Offsets of every attribute of an element, found in one scan of its tag (per element, not per attribute). */
  private attrOffsets = new WeakMap<XNode, Map<string, number>>();

  attrOffset(n: XNode, name: string): number {
    if (n.pos < 0) return 0;
    let offsets = this.attrOffsets.get(n);
    if (!offsets) {
      offsets = new Map();
      const t = this.map.text;
      const re = /\s+([^\s=<>\/'"]+)\s*=\s*(?:'[^']*'|"[^"]*")/y;
      for (let i = n.pos + 1 + n.name.length; i < t.length && t[i] !== '>' && t[i] !== '/';) {
        re.lastIndex = i;
        const m = re.exec(t);
        if (!m) break;
        if (!offsets.has(m[1])) offsets.set(m[1], i + m[0].indexOf(m[1]));
        i = re.lastIndex;
      }
      this.attrOffsets.set(n, offsets);
    }
    return offsets.get(name) ?? n.pos;
  }

  textOffset(n: XNode): number {
    if (n.pos < 0) return 0;
    let i = this.tagEnd(n) + 1;
    while (/\s/.test(this.map.text[i] ?? '')) i++;
    return i;
  }

  private push(list: Diagnostic[], sev: 'error' | 'warning', at: number, message: string, hint?: string, length?: number) {
    list.push(this.map.diag(at, message, this.file, sev, hint, length));
  }
  error(n: XNode, message: string, hint?: string) {
    this.push(this.errors, 'error', Math.max(0, n.pos), message, hint, n.name.length + 1);
  }
  warn(n: XNode, message: string, hint?: string) {
    this.push(this.warnings, 'warning', Math.max(0, n.pos), message, hint, n.name.length + 1);
  }
  errorAttr(n: XNode, name: string, message: string, hint?: string) {
    this.push(this.errors, 'error', this.attrOffset(n, name), message, hint, name.length);
  }
  warnAttr(n: XNode, name: string, message: string, hint?: string) {
    this.push(this.warnings, 'warning', this.attrOffset(n, name), message, hint, name.length);
  }
  errorText(n: XNode, message: string, hint?: string) {
    this.push(this.errors, 'error', this.textOffset(n), message, hint, Math.max(1, n.text.trim().length));
  }

  /** Reads an attribute and marks it as accounted for. */
  attr(n: XNode, name: string): string | undefined {
    const a = n.attrs.find(([k]) => k === name);
    if (!a) return undefined;
    (n.usedAttrs ??= new Set()).add(name);
    return a[1];
  }
  /** Looks at an attribute without accounting for it. */
  peek(n: XNode, name: string): string | undefined {
    return n.attrs.find(([k]) => k === name)?.[1];
  }
  /** Marks attributes as accounted for without mapping them (libvirt-only bookkeeping). */
  skipAttrs(n: XNode, ...names: string[]) {
    for (const k of names) (n.usedAttrs ??= new Set()).add(k);
  }
  child(n: XNode, name: string): XNode | undefined {
    const c = n.children.find((x) => x.name === name);
    if (c) c.used = true;
    return c;
  }
  children(n: XNode, name: string): XNode[] {
    const cs = n.children.filter((x) => x.name === name);
    for (const c of cs) c.used = true;
    return cs;
  }
  /** Trimmed text of an element, marking it read. */
  text(n: XNode): string {
    n.used = true;
    return n.text.trim();
  }
  /** Gives the sweep a better warning for an element (or one attribute of it) left unmapped. */
  explain(n: XNode, message: string, attr?: string) {
    (n.why ??= {})[attr ?? ''] = message;
  }
  /** An element libvirt adds or derives by itself: accounted for, with everything inside it. */
  implicit(n: XNode) {
    n.used = true;
    n.usedAttrs = new Set(n.attrs.map(([k]) => k));
    for (const c of n.children) this.implicit(c);
  }

  int(n: XNode, name: string, opts: { min?: number; max?: number; hex?: boolean } = {}): number | undefined {
    const raw = this.attr(n, name);
    if (raw === undefined) return undefined;
    const v = parseNumber(raw);
    if (v === undefined || (opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
      const range = opts.min !== undefined && opts.max !== undefined ? ` (${opts.min}..${opts.max})` : opts.min !== undefined ? ` (at least ${opts.min})` : '';
      this.errorAttr(n, name, `<${n.name} ${name}='${raw}'>: not a valid number${range}`);
      return undefined;
    }
    return v;
  }
  intText(n: XNode, opts: { min?: number } = {}): number | undefined {
    const raw = this.text(n);
    const v = parseNumber(raw);
    if (v === undefined || (opts.min !== undefined && v < opts.min)) {
      this.errorText(n, `<${n.name}>${raw}</${n.name}>: not a valid number`);
      return undefined;
    }
    return v;
  }
  /** yes/no and on/off attributes; undefined when absent. */
  bool(n: XNode, name: string, words: [string, string] = ['yes', 'no']): boolean | undefined {
    const raw = this.attr(n, name);
    if (raw === undefined) return undefined;
    if (raw === words[0]) return true;
    if (raw === words[1]) return false;
    this.errorAttr(n, name, `<${n.name} ${name}='${raw}'>: expected '${words[0]}' or '${words[1]}'`);
    return undefined;
  }
  /** One of a fixed set of values, or an error naming them. */
  oneOf<T extends string>(n: XNode, name: string, values: readonly T[]): T | undefined {
    const raw = this.attr(n, name);
    if (raw === undefined) return undefined;
    if ((values as readonly string[]).includes(raw)) return raw as T;
    this.errorAttr(n, name, `<${n.name} ${name}='${raw}'>: expected one of ${values.join(', ')}`);
    return undefined;
  }

  /** Moves whatever nobody read into side.xml, with one warning each. */
  sweep(root: XNode) {
    root.used = true;
    walk(root, (n, path) => {
      if (!n.used) {
        const parent = path.slice(0, Math.max(0, path.lastIndexOf('/')));
        (this.side.elements ??= []).push({ at: parent, node: toSide(n) });
        this.warn(n, n.why?.[''] ?? `<${n.name}> is not mapped to libxl; kept in side.xml`, 'txl writes it back into domain XML, but libxl does not see it');
        return false;
      }
      for (const [k, v] of n.attrs) {
        if (n.usedAttrs?.has(k) || k === 'xmlns' || k.startsWith('xmlns:')) continue;
        (this.side.attrs ??= []).push({ at: path, name: k, value: v });
        this.warnAttr(n, k, n.why?.[k] ?? `attribute '${k}' of <${n.name}> is not mapped to libxl; kept in side.xml`);
      }
      return true;
    }, (n) => !!n.used);
    // document order differs from the order modelToXml writes in; keep side.xml canonical
    this.side.elements?.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
    this.side.attrs?.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  }
}

const MEM_UNITS: Record<string, number> = {
  b: 1, bytes: 1, k: 1024, kib: 1024, kb: 1000, m: 1024 ** 2, mib: 1024 ** 2, mb: 1e6, g: 1024 ** 3, gib: 1024 ** 3,
  gb: 1e9, t: 1024 ** 4, tib: 1024 ** 4, tb: 1e12, p: 1024 ** 5, pib: 1024 ** 5, pb: 1e15, e: 1024 ** 6, eib: 1024 ** 6, eb: 1e18,
};

/** A libvirt memory size in KiB (rounded up, as libvirt does); `unitAttr` names the unit attribute. */
export function memoryKiB(r: Reader, n: XNode, value: string | undefined, unitAttr = 'unit', valueNode?: string): number | undefined {
  const unit = (r.attr(n, unitAttr) ?? 'KiB').toLowerCase();
  const scale = MEM_UNITS[unit];
  if (!scale) {
    r.errorAttr(n, unitAttr, `unknown memory unit '${unit}'`, 'use KiB, MiB or GiB');
    return undefined;
  }
  const raw = (value ?? '').trim();
  if (!/^[0-9]+$/.test(raw)) {
    if (valueNode) r.errorAttr(n, valueNode, `<${n.name} ${valueNode}='${raw}'>: not a valid memory size`);
    else r.errorText(n, `<${n.name}>${raw}</${n.name}>: not a valid memory size`);
    return undefined;
  }
  return Math.ceil((Number(raw) * scale) / 1024);
}

/** Decimal, or 0x-prefixed hexadecimal, non-negative integers only. */
export function parseNumber(s: string): number | undefined {
  const t = s.trim();
  if (/^[0-9]+$/.test(t)) return Number(t);
  if (/^0x[0-9a-fA-F]+$/.test(t)) return parseInt(t, 16);
  if (/^-[0-9]+$/.test(t)) return Number(t);
  return undefined;
}

/** "0-3,^2,5" -> [0,1,3,5] (libvirt's cpuset syntax). */
export function parseCpuset(s: string): number[] | undefined {
  const set = new Set<number>();
  for (const part of s.split(',').map((p) => p.trim())) {
    const m = /^(\^)?(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    const a = Number(m[2]);
    const b = m[3] !== undefined ? Number(m[3]) : a;
    if (b < a || b > 4095) return undefined;
    for (let i = a; i <= b; i++) (m[1] ? set.delete(i) : set.add(i));
  }
  return [...set].sort((x, y) => x - y);
}

/** [0,1,2,5] -> "0-2,5" */
export function formatCpuset(bits: number[]): string {
  const out: string[] = [];
  const s = [...bits].sort((a, b) => a - b);
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    out.push(j > i ? `${s[i]}-${s[j]}` : `${s[i]}`);
    i = j + 1;
  }
  return out.join(',');
}
