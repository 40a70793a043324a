// The xl.cfg grammar as libxlutil (Xen 4.17) reads it:
//   file   := { [ key ('=' | '+=') value ] (newline | ';') } [ key ('=' | '+=') value ]
//   value  := "string" | 'string' | number | '[' nl* [ value nl* { ',' nl* value nl* } [ ',' nl* ] ] ']'
// The last assignment to a key wins; `+=` appends to the previous value of the same kind
// (string to string, list to list). Unquoted words are not values. Numbers stay text.

import { ConfigError, type Diagnostic } from '../../src/core/errors.js';
import { lex, type Tok, type LexIssue } from './lexer.js';

export interface Pos { line: number; col: number; offset: number }
export type Value =
  | {
      kind: 'atom'; text: string; quoted: boolean; pos: Pos; end: Pos;
      /** for a string built by `+=`: the atoms it was joined from, in order */
      parts?: Array<Value & { kind: 'atom' }>;
    }
  | { kind: 'list'; items: Value[]; pos: Pos; end: Pos };
export type Atom = Value & { kind: 'atom' };
export interface Setting { key: string; keyPos: Pos; value: Value; op: '=' | '+=' }
/** Text parsed after the main file (command-line overrides); offsets from `base` on belong to it. */
export interface ExtraSource { file: string; text: string; base: number }
export interface CfgFile {
  file: string; text: string; settings: Map<string, Setting>; warnings: Diagnostic[];
  extra?: ExtraSource[];
}

/** Where a source position's text lives: the main file or a command-line override. */
export function sourceOf(cfg: CfgFile, offset: number): { file: string; text: string; base: number } {
  const extra = cfg.extra;
  if (extra) for (let k = extra.length - 1; k >= 0; k--) if (offset >= extra[k].base) return extra[k];
  return { file: cfg.file, text: cfg.text, base: 0 };
}

/** Line ends and excerpts already found, by line start: many diagnostics on one long line stay linear. */
export type LineCache = Map<number, { end: number; excerpt: string }>;
let sharedText: string | undefined;
let sharedLines: LineCache = new Map();

export function makeDiagnostic(
  severity: 'error' | 'warning', file: string, text: string, pos: Pos,
  message: string, hint?: string, length?: number, cache?: LineCache,
): Diagnostic {
  const lineStart = pos.offset - (pos.col - 1);
  if (!cache) {
    if (text !== sharedText) [sharedText, sharedLines] = [text, new Map()];
    cache = sharedLines;
  }
  let known = cache.get(lineStart);
  if (!known) {
    let end = text.indexOf('\n', lineStart);
    if (end < 0) end = text.length;
    const raw = text.slice(lineStart, end);
    known = { end, excerpt: raw.endsWith('\r') ? raw.slice(0, -1) : raw };
    cache.set(lineStart, known);
  }
  const lineEnd = known.end;
  const d: Diagnostic = { severity, file, line: pos.line, col: pos.col, message, excerpt: known.excerpt };
  if (hint) d.hint = hint;
  if (length !== undefined) d.length = Math.max(1, Math.min(length, lineEnd - pos.offset + 1));
  return d;
}

/** Reject text that cannot be a config file before trying to read it. */
function checkIsText(text: string, file: string): void {
  const bad = text.search(/[\0\ufffd]/);
  if (bad < 0) return;
  const line = text.slice(0, bad).split('\n').length;
  throw new ConfigError([{
    severity: 'error', file, line, col: bad - text.lastIndexOf('\n', bad - 1),
    message: text[bad] === '\0' ? 'not a text file (contains NUL bytes)' : 'not valid UTF-8 text',
    hint: 'an xl config is a UTF-8 (or ASCII) text file; check that the right file was given',
  }]);
}

/** Turns bytes read from a file into text, or a clean error if they are not UTF-8 text. */
export function decodeConfigText(bytes: Uint8Array, file: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ConfigError([{ severity: 'error', file, line: 1, col: 1, message: 'not valid UTF-8 text', hint: 'an xl config is a UTF-8 (or ASCII) text file; check that the right file was given' }]);
  }
  checkIsText(text, file);
  return text;
}

export function parseXlCfg(text: string, file: string): CfgFile {
  checkIsText(text, file);
  const cfg: CfgFile = { file, text, settings: new Map(), warnings: [] };
  parseInto(cfg, text, file, 0);
  return cfg;
}

/**
 * `xl create cfg key=val ...`: xl appends each extra argument as a line of config text
 * after the file and reads it all at once, so `+=` here appends to the file's value.
 */
export function applyOverrides(cfg: CfgFile, overrides: string[]): CfgFile {
  const out: CfgFile = { ...cfg, settings: new Map(cfg.settings), warnings: [...cfg.warnings], extra: [...(cfg.extra ?? [])] };
  for (const o of overrides) {
    const file = '<command line>';
    checkIsText(o, file);
    const last = out.extra!.at(-1);
    const base = last ? last.base + last.text.length + 1 : cfg.text.length + 1;
    out.extra!.push({ file, text: o, base });
    parseInto(out, o, file, base);
  }
  return out;
}

class Positions {
  private starts: number[] = [0];
  constructor(private text: string, private base: number) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  at(offset: number): Pos {
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.starts[lo] + 1, offset: offset + this.base };
  }
}

const describeTok = (tk: Tok, text: string): string => {
  switch (tk.t) {
    case 'eof': return 'end of file';
    case 'nl': return text[tk.start] === '#' ? 'a comment' : 'end of line';
    case 'string': return `string ${text.slice(tk.start, tk.end)}`;
    case 'number': return `number \`${tk.text}\``;
    case 'ident': return `word \`${tk.text}\``;
    default: return `\`${tk.t}\``;
  }
};

function parseInto(cfg: CfgFile, text: string, file: string, base: number): void {
  const { toks, issues } = lex(text);
  const P = new Positions(text, base);
  const errors: Array<{ start: number; d: Diagnostic }> = [];
  const lines: LineCache = new Map();
  const diag = (sev: 'error' | 'warning', start: number, message: string, hint?: string, length?: number) =>
    makeDiagnostic(sev, file, text, { ...P.at(start), offset: start }, message, hint, length, lines);
  // Only the first error of a line is reported; lexical errors come in order, so a line's
  // later ones need no diagnostic at all (a long line of junk stays linear).
  let lastLexErrorLine = 0;
  const report = (issue: LexIssue) => {
    if (issue.severity === 'error') {
      const line = P.at(issue.start).line;
      if (line === lastLexErrorLine) return;
      lastLexErrorLine = line;
    }
    const d = diag(issue.severity, issue.start, issue.message, issue.hint, issue.length);
    if (issue.severity === 'error') errors.push({ start: issue.start, d }); else cfg.warnings.push(d);
  };
  issues.forEach(report);

  let p = 0;
  // Like bison, stay silent after a syntax error until three tokens have been read past
  // the newline that ended the bad statement, so that one mistake gives one message.
  let quietUntil = -1;
  const fail = (start: number, message: string, hint?: string, length?: number) => {
    if (p >= quietUntil) errors.push({ start, d: diag('error', start, message, hint, length) });
    quietUntil = Infinity;
    return null;
  };
  const skipNl = () => { const from = p; while (toks[p].t === 'nl') p++; return p > from; };
  const atomOf = (tk: Tok): Atom => ({ kind: 'atom', text: tk.text, quoted: tk.t === 'string', pos: P.at(tk.start), end: P.at(tk.end) });

  const unexpectedValue = (tk: Tok, afterEq: boolean): null => {
    const len = tk.end - tk.start;
    if (tk.t === 'ident') {
      const w = tk.text;
      if (w === 'true' || w === 'false' || w === 'yes' || w === 'no' || w === 'on' || w === 'off')
        return fail(tk.start, `\`${w}\` is not a value in xl.cfg`, 'write 1 or 0 for a boolean, or quote the word if the key takes a string', len);
      return fail(tk.start, `unquoted word \`${w}\`: string values must be quoted`, `write "${w}"`, len);
    }
    if (tk.t === 'nl' || tk.t === 'eof' || tk.t === ';')
      return fail(tk.start, afterEq ? 'missing value after `=`' : 'expected a value or `]`', afterEq ? 'give a "string", a number or a [ list ]' : undefined);
    return fail(tk.start, `expected a value, found ${describeTok(tk, text)}`, 'a value is a "string", a number or a [ list ]', len);
  };

  // A list still open at the end of the file: said at its `[`, unless a lexical error after
  // it (a string that never ends, say) already explains the missing `]`, as xl reports it.
  const unclosed = (open: Tok): null => {
    if (issues.some((i) => i.severity === 'error' && i.start > open.start)) {
      quietUntil = Infinity;
      return null;
    }
    return fail(open.start, 'this `[` is never closed', 'add the closing `]`');
  };

  // Lists are parsed with an explicit stack so that deep nesting cannot overflow ours.
  // xl's bison parser has a fixed stack (10000 entries, one used up front); `h` follows its
  // height so that txl gives up on exactly the nesting xl gives up on.
  let aborted = false;
  const parseValue = (): Value | null => {
    const stack: Array<{ items: Value[]; open: Tok; h0: number }> = [];
    let h = 4; // start state, stmts, key, operator
    const fits = (peak: number) => {
      if (peak <= 9999 || aborted) return !aborted;
      aborted = true;
      const at = stack.at(-1)?.open.start ?? toks[p].start;
      errors.push({ start: at, d: diag('error', at, 'lists are nested too deeply for xl', 'xl\'s parser runs out of stack here ("memory exhausted"); flatten the list') });
      return false;
    };
    const close = (tk: Tok): Value => {
      const f = stack.pop()!;
      h = f.h0 + 1;
      return { kind: 'list', items: f.items, pos: P.at(f.open.start), end: P.at(tk.end) };
    };
    for (;;) {
      let v: Value;
      const tk = toks[p];
      if (tk.t === 'string' || tk.t === 'number') {
        if (!fits(++h)) return null;
        v = atomOf(tk); p++;
      } else if (tk.t === '[') {
        stack.push({ items: [], open: tk, h0: h });
        h += 2; // '[' and an empty nlok
        if (!fits(h)) return null;
        p++;
        if (skipNl() && !fits(h + 1)) return null;
        if (toks[p].t !== ']') continue;
        if (!fits(h + 2)) return null;
        v = close(toks[p]); p++;
      } else if (tk.t === 'eof' && stack.length) {
        return unclosed(stack.at(-1)!.open);
      } else return unexpectedValue(tk, stack.length === 0);
      // a complete value: hand it to the enclosing list, if any
      for (;;) {
        if (!stack.length) return v;
        const f = stack.at(-1)!;
        f.items.push(v);
        if (!fits(h + 1)) return null;
        if (skipNl() && !fits(h + 2)) return null;
        h = f.h0 + 3; // '[' nlok values
        const sep = toks[p];
        if (sep.t === ',') {
          h += 2; // ',' nlok
          if (!fits(h)) return null;
          p++;
          if (skipNl() && !fits(h + 1)) return null;
          if (toks[p].t !== ']') break;
          v = close(toks[p]); p++;
        } else if (sep.t === ']') { v = close(sep); p++; }
        else if (sep.t === 'eof') return unclosed(f.open);
        else return fail(sep.start, `expected \`,\` or \`]\` in list, found ${describeTok(sep, text)}`, 'separate list items with commas', sep.end - sep.start);
      }
    }
  };

  const store = (key: Tok, op: '=' | '+=', value: Value) => {
    const keyPos = P.at(key.start);
    const prev = cfg.settings.get(key.text);
    if (op === '+=' && prev) {
      const a = prev.value, b = value;
      if (a.kind !== b.kind) {
        fail(b.pos.offset - base, `cannot append a ${b.kind === 'list' ? 'list' : 'string'} to the ${a.kind === 'list' ? 'list' : 'string'} \`${key.text}\` holds`,
          `with +=, a string adds to a string and a [ list ] to a list (previous value at line ${a.pos.line})`);
        return;
      }
      if (a.kind === 'list' && b.kind === 'list') value = { ...b, items: [...a.items, ...b.items] };
      else if (a.kind === 'atom' && b.kind === 'atom')
        value = { ...b, text: a.text + b.text, quoted: a.quoted || b.quoted, parts: [...(a.parts ?? [a]), b] };
    } else if (op === '=' && prev && base === 0) {
      cfg.warnings.push(diag('warning', key.start, `\`${key.text}\` is set again; the value at line ${prev.keyPos.line} is ignored`, undefined, key.end - key.start));
    }
    cfg.settings.set(key.text, { key: key.text, keyPos, value, op });
  };

  while (toks[p].t !== 'eof' && !aborted) {
    const tk = toks[p];
    if (tk.t === 'nl' || tk.t === ';') { p++; continue; }
    let ok = false;
    if (tk.t === 'ident') {
      const op = toks[p + 1];
      if (op.t === '=' || op.t === '+=') {
        p += 2;
        const v = parseValue();
        if (v) {
          const endTok = toks[p];
          if (endTok.t === 'nl' || endTok.t === ';' || endTok.t === 'eof') {
            store(tk, op.t, v);
            ok = true;
          } else if (endTok.t === 'string' && v.kind === 'atom' && v.quoted && v.text === '' && text[endTok.start] === text[endTok.start - 1]) {
            fail(endTok.start - 2, 'triple-quoted strings are not supported', 'xl.cfg is not Python: use one pair of quotes, on one line', 3);
          } else {
            fail(endTok.start, `expected end of line or \`;\` after the value, found ${describeTok(endTok, text)}`,
              endTok.t === 'ident' || endTok.t === 'string' || endTok.t === 'number' ? 'one key takes one value; use [ a, b ] for several' : undefined,
              endTok.end - endTok.start);
          }
        }
      } else if (op.t === 'ident' || op.t === 'string' || op.t === 'number') {
        fail(op.start, `expected \`=\` after key \`${tk.text}\``, 'write key = value', op.end - op.start);
      } else {
        fail(op.start, `expected \`=\` or \`+=\` after key \`${tk.text}\`, found ${describeTok(op, text)}`, 'write key = value', op.end - op.start);
      }
    } else {
      const hint = tk.t === 'string' || tk.t === 'number'
        ? 'a line must start with a key (lower-case letters, digits, "." and "_"), as in key = value'
        : tk.t === '[' || tk.t === ']' || tk.t === ',' ? 'is a list item outside its [ ... ] ? check the brackets above' : 'write key = value';
      fail(tk.start, `expected a key, found ${describeTok(tk, text)}`, hint, tk.end - tk.start);
    }
    if (ok) continue;
    // recover like xl: drop everything up to the next newline
    while (toks[p].t !== 'nl' && toks[p].t !== 'eof') p++;
    quietUntil = p + 3;
  }

  if (errors.length) {
    errors.sort((a, b) => a.start - b.start);
    const seen = new Set<number>();
    const ds = errors.filter((e) => !seen.has(e.d.line) && (seen.add(e.d.line), true)).map((e) => e.d);
    throw new ConfigError([...ds, ...cfg.warnings.filter((w) => w.file === file)]);
  }
}
