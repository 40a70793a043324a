// The XML layer under the domain XML reader and writer: a safety scan that refuses DTDs and
// entity tricks before any parser sees the text, well-formedness errors with positions, a
// small element tree that remembers where each element starts, and libvirt's own output
// style (two-space indent, single-quoted attributes) for writing.
import { ConfigError, type Diagnostic } from '../../src/core/errors.js';
import { scanXml, type XNode } from './wellformed.js';

export type { XNode };


/** An element kept verbatim in side.xml: plain JSON, so the model stays serialisable. */
export interface SideNode {
  name: string;
  attrs?: [string, string][];
  text?: string;
  children?: SideNode[];
}

const PREDEFINED = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const MAX_DEPTH = 100;

/** Maps offsets to 1-based line/column and back to the line's text. */
export class SourceMap {
  private starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  lineCol(offset: number): { line: number; col: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.starts[lo] + 1 };
  }
  lineText(line: number): string {
    const start = this.starts[line - 1] ?? 0;
    const end = this.starts[line] ?? this.text.length + 1;
    return this.text.slice(start, end - 1).replace(/\r$/, '');
  }
  diag(offset: number, message: string, file: string, severity: 'error' | 'warning' = 'error', hint?: string, length?: number): Diagnostic {
    const { line, col } = this.lineCol(Math.max(0, offset));
    return { severity, file, line, col, message, hint, excerpt: this.lineText(line), length };
  }
}

/**
 * Refuses what could make parsing dangerous or slow: any DTD (<!DOCTYPE, <!ENTITY, ...),
 * hence no external entities and no expansion bombs, and entity references other than
 * the five predefined ones and numeric references. One linear pass, before parsing.
 */
export function preflight(text: string, file: string, map = new SourceMap(text)): void {
  const fail = (at: number, message: string, hint?: string, length?: number): never => {
    throw new ConfigError([map.diag(at, message, file, 'error', hint, length)]);
  };
  const re = /<!--|<!\[CDATA\[|<!|&/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index;
    if (m[0] === '<!--') {
      const end = text.indexOf('-->', at + 4);
      if (end < 0) fail(at, 'comment is not closed', "end it with '-->'", 4);
      re.lastIndex = end + 3;
    } else if (m[0] === '<![CDATA[') {
      const end = text.indexOf(']]>', at + 9);
      if (end < 0) fail(at, 'CDATA section is not closed', "end it with ']]>'", 9);
      re.lastIndex = end + 3;
    } else if (m[0] === '<!') {
      const word = /^<!([A-Za-z]*)/.exec(text.slice(at, at + 20))?.[1] ?? '';
      if (word === 'DOCTYPE') fail(at, 'DOCTYPE declarations are not accepted in domain XML', 'remove the <!DOCTYPE ...> declaration; libvirt domain XML has none', 9);
      if (word === 'ENTITY') fail(at, 'entity declarations are not accepted in domain XML', 'write the text out instead of declaring entities', 8);
      fail(at, `markup declaration '<!${word}' is not accepted in domain XML`, undefined, 2 + word.length);
    } else {
      const ref = /&(#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_:][A-Za-z0-9_.:-]*);/y;
      ref.lastIndex = at;
      const r = ref.exec(text);
      if (!r) fail(at, "'&' must start an entity reference such as &amp;", "write a literal '&' as &amp;", 1);
      const name = r![1];
      if (name.startsWith('#')) {
        const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        if (!(code > 0 && code <= 0x10ffff)) fail(at, `character reference '${r![0]}' is not a valid character`, undefined, r![0].length);
      } else if (!PREDEFINED.has(name)) {
        fail(at, `entity reference '${r![0]}' is not accepted`, 'only &amp; &lt; &gt; &quot; &apos; and numeric references (&#65;) are allowed', r![0].length);
      }
      re.lastIndex = at + r![0].length;
    }
  }
}

/** Parses domain XML text into its root element; throws ConfigError with a position. */
export function parseXml(text: string, file: string): { root: XNode; map: SourceMap } {
  const map = new SourceMap(text);
  preflight(text, file, map);
  const r = scanXml(text, MAX_DEPTH);
  if ('message' in r) {
    const message = r.reserved ? r.message : `malformed XML: ${r.message}`;
    throw new ConfigError([map.diag(r.at, message, file, 'error', undefined, r.reserved)]);
  }
  return { root: r, map };
}

export function el(name: string, attrs: Record<string, string | number | undefined> = {}, children: XNode[] = [], text = ''): XNode {
  const a: [string, string][] = [];
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) a.push([k, String(v)]);
  return { name, attrs: a, children, text, pos: -1 };
}

export function toSide(n: XNode): SideNode {
  const s: SideNode = { name: n.name };
  if (n.attrs.length) s.attrs = n.attrs.map(([k, v]) => [k, v]);
  if (n.text.trim()) s.text = n.text.trim();
  if (n.children.length) s.children = n.children.map(toSide);
  return s;
}

export function fromSide(s: SideNode): XNode {
  return { name: s.name, attrs: (s.attrs ?? []).map(([k, v]) => [k, v]), children: (s.children ?? []).map(fromSide), text: s.text ?? '', pos: -1 };
}

function escape(s: string): string {
  return s.replace(/[&<>'"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** libvirt's formatting: two-space indent, single quotes, empty elements self-closed. */
export function serialize(n: XNode, indent = ''): string {
  const attrs = n.attrs.map(([k, v]) => ` ${k}='${escape(v)}'`).join('');
  const text = n.text.trim();
  if (!n.children.length) {
    return text ? `${indent}<${n.name}${attrs}>${escape(text)}</${n.name}>\n` : `${indent}<${n.name}${attrs}/>\n`;
  }
  const inner = n.children.map((c) => serialize(c, indent + '  ')).join('');
  return `${indent}<${n.name}${attrs}>\n${inner}${indent}</${n.name}>\n`;
}

/**
 * The key an element has among its siblings for side.xml paths. Kinds the writer emits in
 * separate groups get their distinguishing attribute in the key, so that dropping an
 * implicit sibling (an IDE controller, say) does not shift the index of another.
 */
export function keyName(n: XNode): string {
  const type = n.attrs.find(([k]) => k === 'type')?.[1];
  switch (n.name) {
    case 'controller':
    case 'hostdev':
      return `${n.name}:${type ?? ''}`;
    case 'interface':
      return type === 'hostdev' ? 'interface:hostdev' : 'interface';
    case 'input':
      return `input:${n.attrs.find(([k]) => k === 'bus')?.[1] ?? ''}`;
    default:
      return n.name;
  }
}

/**
 * Calls fn for every element with its path ("devices[0]/disk[1]/source[0]"), parents first.
 * Only siblings `counted` takes part in the numbering: the reader counts what it mapped and
 * the writer what it generated, so elements kept whole in side.xml never shift a path.
 */
export function walk(n: XNode, fn: (n: XNode, path: string) => boolean | void, counted: (n: XNode) => boolean = () => true, path = ''): void {
  if (fn(n, path) === false) return;
  const seen = new Map<string, number>();
  for (const c of n.children) {
    const k = keyName(c);
    const i = seen.get(k) ?? 0;
    if (counted(c)) seen.set(k, i + 1);
    walk(c, fn, counted, `${path}${path ? '/' : ''}${k}[${i}]`);
  }
}
