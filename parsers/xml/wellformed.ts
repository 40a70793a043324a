// Domain XML to an element tree in one linear pass, or the offset of its first fault.
// fast-xml-parser (its validator, and its parser on long text) built strings a character at
// a time: one 10 MB attribute value took 1.2 s and 400 MB. This scanner only moves forward,
// with indexOf and sticky regexes. It runs after preflight (dom.ts), which already refused
// DTDs and entity references other than the predefined and numeric ones.

export interface XmlFault { at: number; message: string; /** a reserved name, of this length */ reserved?: number }

/** Names that are properties of every object: refused, as the reader's maps are plain objects in places. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf',
  '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

const REF = /&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decode(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(REF, (_, r: string) => (r[0] === '#' ? String.fromCodePoint(r[1] === 'x' ? parseInt(r.slice(2), 16) : parseInt(r.slice(1), 10)) : NAMED[r]));
}

const NAME = /[A-Za-z_:\u00C0-\uFFFF][-A-Za-z0-9_:.\u00B7\u00C0-\uFFFF]*/y;
const SPACE = /[ \t\r\n]*/y;
const NON_SPACE = /[^ \t\r\n]/g;

export function scanXml(text: string, maxDepth: number): XmlFault | XNode {
  const n = text.length;
  const stack: XNode[] = [];
  let root: XNode | undefined;
  let rootDone = false;
  let rootSeen = false;
  // the next '<' at or after some point, found again only once passed: linear overall
  let nextLt = -2;
  const ltFrom = (from: number) => {
    if (nextLt !== -1 && nextLt < from) nextLt = text.indexOf('<', from);
    return nextLt;
  };
  const name = (at: number): string | undefined => {
    NAME.lastIndex = at;
    return NAME.exec(text)?.[0];
  };
  const space = (at: number): number => {
    SPACE.lastIndex = at;
    SPACE.exec(text);
    return SPACE.lastIndex;
  };
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < n) {
    const lt = ltFrom(i);
    const end = lt < 0 ? n : lt;
    if (stack.length === 0) {
      NON_SPACE.lastIndex = i;
      const t = NON_SPACE.exec(text);
      if (t && t.index < end) return { at: t.index, message: rootDone ? 'text after the root element' : 'text before the root element' };
    }
    if (stack.length && end > i) stack[stack.length - 1].text += decode(text.slice(i, end));
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt + 4);
      if (close < 0) return { at: lt, message: 'comment is not closed' };
      i = close + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      if (!stack.length) return { at: lt, message: 'CDATA section outside the root element' };
      const close = text.indexOf(']]>', lt + 9);
      if (close < 0) return { at: lt, message: 'CDATA section is not closed' };
      stack[stack.length - 1].text += text.slice(lt + 9, close);
      i = close + 3;
    } else if (text.startsWith('<?', lt)) {
      const close = text.indexOf('?>', lt + 2);
      if (close < 0) return { at: lt, message: 'processing instruction is not closed' };
      const target = name(lt + 2);
      if (!target) return { at: lt, message: "'<?' must be followed by a name" };
      if (target.toLowerCase() === 'xml' && lt !== (text.charCodeAt(0) === 0xfeff ? 1 : 0)) return { at: lt, message: 'the XML declaration is allowed only at the start of the document' };
      i = close + 2;
    } else if (text.startsWith('<!', lt)) {
      return { at: lt, message: "markup declarations ('<!') are not accepted" };
    } else if (text[lt + 1] === '/') {
      const tag = name(lt + 2);
      if (!tag) return { at: lt, message: "'</' must be followed by a tag name" };
      const j = space(lt + 2 + tag.length);
      if (text[j] !== '>') return { at: j, message: `closing tag </${tag}> is not closed with '>'` };
      const open = stack.pop();
      if (!open) return { at: lt, message: `closing tag </${tag}> without an opening tag` };
      if (open.name !== tag) return { at: lt, message: `closing tag </${tag}> does not match <${open.name}>` };
      if (stack.length) stack[stack.length - 1].children.push(open);
      else root = open;
      if (!stack.length) rootDone = true;
      i = j + 1;
    } else {
      const tag = name(lt + 1);
      if (!tag) return { at: lt, message: "'<' must start a tag; write a literal '<' as &lt;" };
      if (rootDone) return { at: lt, message: 'more than one root element' };
      if (RESERVED.has(tag)) return { at: lt + 1, message: `the name '${tag}' is not accepted in domain XML`, reserved: tag.length } as XmlFault;
      if (stack.length >= maxDepth) return { at: lt, message: `elements nest deeper than ${maxDepth} levels` };
      rootSeen = true;
      const node: XNode = { name: tag, attrs: [], children: [], text: '', pos: lt };
      const seen = new Set<string>();
      let j = lt + 1 + tag.length;
      for (;;) {
        const k = space(j);
        if (text[k] === '>') {
          stack.push(node);
          i = k + 1;
          break;
        }
        if (text[k] === '/' && text[k + 1] === '>') {
          if (!stack.length) {
            rootDone = true;
            root = node;
          } else stack[stack.length - 1].children.push(node);
          i = k + 2;
          break;
        }
        if (k >= n) return { at: lt, message: `tag <${tag}> is not closed with '>'` };
        if (k === j) return { at: k, message: `expected a space, '>' or '/>' in tag <${tag}>` };
        const attr = name(k);
        if (!attr) return { at: k, message: `bad attribute name in tag <${tag}>` };
        if (seen.has(attr)) return { at: k, message: `attribute '${attr}' is repeated` };
        if (RESERVED.has(attr)) return { at: k, message: `the name '${attr}' is not accepted in domain XML`, reserved: attr.length } as XmlFault;
        seen.add(attr);
        let v = space(k + attr.length);
        if (text[v] !== '=') return { at: k, message: `attribute '${attr}' has no value` };
        v = space(v + 1);
        const q = text[v];
        if (q !== '"' && q !== "'") return { at: v, message: `the value of attribute '${attr}' must be quoted` };
        const close = text.indexOf(q, v + 1);
        if (close < 0) return { at: v, message: `the value of attribute '${attr}' is not closed` };
        const inner = ltFrom(v + 1);
        if (inner >= 0 && inner < close) return { at: inner, message: `'<' in the value of attribute '${attr}'; write it as &lt;` };
        node.attrs.push([attr, decode(text.slice(v + 1, close))]);
        j = close + 1;
      }
    }
  }
  if (stack.length) {
    const open = stack[stack.length - 1];
    return { at: open.pos, message: `<${open.name}> is not closed` };
  }
  if (!rootSeen || !root) return { at: 0, message: 'no root element' };
  return root;
}

/** An element as the reader and writer handle it. */
export interface XNode {
  name: string;
  /** attributes in source order */
  attrs: [string, string][];
  children: XNode[];
  /** the element's own text (concatenated, untrimmed) */
  text: string;
  /** offset of the element's '<' in the source; -1 for elements built by the writer */
  pos: number;
  /** reader bookkeeping: the element and the attributes something mapped or accounted for */
  used?: boolean;
  usedAttrs?: Set<string>;
  /** reader: a specific warning for the sweep, by attribute name ('' for the element itself) */
  why?: Record<string, string>;
  /** writer: an element libvirt adds by itself, which a kept (side) element of the same kind replaces */
  implicit?: boolean;
}
