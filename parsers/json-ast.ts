// A JSON parser that keeps where every value starts, so that a reader validating the
// document can point at the offending key or value (JSON.parse cannot).

import { ConfigError, type Diagnostic } from '../src/core/errors.js';

export interface Pos { line: number; col: number; offset: number }
export type JsonNode =
  | { kind: 'object'; pos: Pos; entries: { key: string; keyPos: Pos; value: JsonNode }[] }
  | { kind: 'array'; pos: Pos; items: JsonNode[] }
  | { kind: 'string'; pos: Pos; value: string }
  | { kind: 'number'; pos: Pos; value: number; text: string }
  | { kind: 'bool'; pos: Pos; value: boolean }
  | { kind: 'null'; pos: Pos };

// the lines of the last text diagnosed: a document with many errors is split once, not per error
let splitText: string | undefined;
let splitLines: string[] = [];

export function jsonDiag(text: string, file: string, pos: Pos, message: string, hint?: string, length = 1): Diagnostic {
  if (text !== splitText) [splitText, splitLines] = [text, text.split('\n')];
  const lines = splitLines;
  return { severity: 'error', file, line: pos.line, col: pos.col, message, hint, excerpt: withoutCr(lines[pos.line - 1] ?? ''), length };
}

const withoutCr = (s: string) => (s.endsWith('\r') ? s.slice(0, -1) : s);

export function parseJsonAst(text: string, file: string): JsonNode {
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const here = (): Pos => ({ line, col: i - lineStart + 1, offset: i });
  const fail = (message: string, hint?: string): never => {
    throw new ConfigError([jsonDiag(text, file, here(), message, hint)]);
  };
  const ws = () => {
    while (i < text.length) {
      const c = text[i];
      if (c === '\n') { i++; line++; lineStart = i; } else if (c === ' ' || c === '\t' || c === '\r') i++; else break;
    }
  };
  const special = /["\\\x00-\x1f]/g;
  const str = (): string => {
    i++; // opening quote
    let out = '';
    for (;;) {
      // copy up to the next quote, backslash or control character in one piece
      special.lastIndex = i;
      const stop = special.exec(text)?.index ?? text.length;
      if (stop > i) { out += text.slice(i, stop); i = stop; }
      if (i >= text.length) fail('unterminated string');
      const c = text[i];
      if (c === '"') { i++; return out; }
      if (c === '\n' || c < ' ') fail('control character in string', 'escape it, e.g. \\n');
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) { out += simple[e]; i += 2; continue; }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        fail('invalid escape in string');
      }
      out += c;
      i++;
    }
  };
  // libxl's own documents nest a few levels; a deep one is an attack on the stack
  const MAX_DEPTH = 256;
  let depth = 0;
  const value = (): JsonNode => {
    ws();
    const pos = here();
    const c = text[i];
    if ((c === '{' || c === '[') && depth >= MAX_DEPTH) fail(`values are nested more than ${MAX_DEPTH} levels deep`, 'a libxl domain config is only a few levels deep');
    if (c === '{' || c === '[') {
      depth++;
      try {
        return container(pos, c);
      } finally {
        depth--;
      }
    }
    return scalar(pos, c);
  };
  const container = (pos: Pos, c: string): JsonNode => {
    if (c === '{') {
      i++;
      const entries: { key: string; keyPos: Pos; value: JsonNode }[] = [];
      ws();
      if (text[i] === '}') { i++; return { kind: 'object', pos, entries }; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a "key" in object');
        const keyPos = here();
        const key = str();
        ws();
        if (text[i] !== ':') fail('expected ":" after key');
        i++;
        entries.push({ key, keyPos, value: value() });
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return { kind: 'object', pos, entries }; }
        fail('expected "," or "}" in object');
      }
    }
    i++; // '['
    const items: JsonNode[] = [];
    ws();
    if (text[i] === ']') { i++; return { kind: 'array', pos, items }; }
    for (;;) {
      items.push(value());
      ws();
      if (text[i] === ',') { i++; continue; }
      if (text[i] === ']') { i++; return { kind: 'array', pos, items }; }
      fail('expected "," or "]" in array');
    }
  };
  const scalar = (pos: Pos, c: string): JsonNode => {
    if (c === '"') return { kind: 'string', pos, value: str() };
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (m && m[0] !== '-') { i += m[0].length; return { kind: 'number', pos, value: Number(m[0]), text: m[0] }; }
    for (const [word, node] of [['true', { kind: 'bool', pos, value: true }], ['false', { kind: 'bool', pos, value: false }], ['null', { kind: 'null', pos }]] as const) {
      if (text.startsWith(word, i)) { i += word.length; return node as JsonNode; }
    }
    return fail(i >= text.length ? 'unexpected end of JSON' : `unexpected character '${c}'`);
  };
  const root = value();
  ws();
  if (i < text.length) fail('unexpected text after the JSON value');
  return root;
}
