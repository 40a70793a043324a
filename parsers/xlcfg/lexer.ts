// Tokeniser for xl.cfg text, following the token rules of libxlutil (Xen 4.17) so that
// txl accepts and rejects the same files xl does. Written from the lexer's documented
// behaviour, not from its source: every quirk kept here is there because xl has it.
//
// Lexical errors do not stop the scan (xl reports them and keeps going); they are
// collected and the parser decides what to throw.

export type TokType =
  | 'ident' | 'number' | 'string'
  | ',' | '[' | ']' | '=' | '+=' | ';'
  | 'nl' | 'eof';

export interface Tok {
  t: TokType;
  start: number;      // offset of the first character
  end: number;        // offset after the last character (for 'nl': after the newline)
  text: string;       // ident/number: as written; string: unescaped
}

export interface LexIssue {
  severity: 'error' | 'warning';
  start: number;
  length: number;
  message: string;
  hint?: string;
}

const PYTHON_HINT =
  'xl.cfg is not Python: values are "quoted strings", plain numbers or [ lists ]; ' +
  'there are no expressions, booleans, None or dicts (see xl.cfg(5))';

const isLower = (c: number) => c >= 0x61 && c <= 0x7a;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
// characters that may continue an identifier: a-z 0-9 . _
const isIdentTail = (c: number) => isLower(c) || isDigit(c) || c === 0x2e || c === 0x5f;
// characters that may continue a number: 0-9 a-f x (lower case only, as xl)
const isNumberTail = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || c === 0x78;

export function lex(src: string): { toks: Tok[]; issues: LexIssue[] } {
  const toks: Tok[] = [];
  const issues: LexIssue[] = [];
  const n = src.length;
  // Once a string of one quote kind fails to close on a line, every later quote of that
  // kind on the same line fails too; remembering that keeps the scan linear.
  const failedUntil = { '"': -1, "'": -1 } as Record<string, number>;
  // Only a line's first error is ever reported, so later ones on the same line are skipped
  // without building their messages: a megabyte of junk on one line stays cheap.
  let lineStart = 0;
  let lastError = -1;
  const bad = (at: number): number => {
    const quiet = lastError >= lineStart;
    const before = issues.length;
    const j = lexError(src, at, issues, toks, quiet);
    if (issues.length > before && issues[before].severity === 'error') lastError = at;
    if (src.charCodeAt(j - 1) === 0x0a) lineStart = j;
    return j;
  };
  let i = 0;

  const push = (t: TokType, start: number, end: number, text = '') => toks.push({ t, start, end, text });

  while (i < n) {
    const c = src.charCodeAt(i);
    if (isLower(c)) {
      let j = i + 1;
      while (j < n && isIdentTail(src.charCodeAt(j))) j++;
      push('ident', i, j, src.slice(i, j));
      i = j;
    } else if (isDigit(c)) {
      let j = i + 1;
      while (j < n && isNumberTail(src.charCodeAt(j))) j++;
      push('number', i, j, src.slice(i, j));
      i = j;
    } else if (c === 0x20 || c === 0x09) {
      i++;
    } else if (c === 0x2c) { push(',', i, i + 1); i++; }
    else if (c === 0x5b) { push('[', i, i + 1); i++; }
    else if (c === 0x5d) { push(']', i, i + 1); i++; }
    else if (c === 0x2b && src.charCodeAt(i + 1) === 0x3d) { push('+=', i, i + 2); i += 2; }
    else if (c === 0x3d) { push('=', i, i + 1); i++; }
    else if (c === 0x3b) { push(';', i, i + 1); i++; }
    else if (c === 0x0a) { push('nl', i, i + 1); i++; lineStart = i; }
    else if (c === 0x23 && src.indexOf('\n', i) >= 0) {
      // a comment counts as a newline, but only if a newline actually ends it
      const j = src.indexOf('\n', i);
      push('nl', i, j + 1);
      i = j + 1;
      lineStart = i;
    } else if ((c === 0x22 || c === 0x27) && i > failedUntil[src[i]]) {
      const close = scanString(src, i);
      if (close >= 0) {
        const text = unescape(src, i, close + 1, issues);
        push('string', i, close + 1, text);
        i = close + 1;
      } else {
        const eol = src.indexOf('\n', i);
        failedUntil[src[i]] = eol < 0 ? n : eol;
        i = bad(i);
      }
    } else {
      i = bad(i);
    }
  }
  push('eof', n, n);
  return { toks, issues };
}

/** Offset of the closing quote of the string opened at `start`, or -1. */
function scanString(src: string, start: number): number {
  const q = src.charCodeAt(start);
  for (let j = start + 1; j < src.length; j++) {
    const c = src.charCodeAt(j);
    if (c === q) return j;
    if (c === 0x0a) return -1;
    if (c === 0x5c) {
      if (j + 1 >= src.length || src.charCodeAt(j + 1) === 0x0a) return -1;
      j++;
    }
  }
  return -1;
}

/**
 * A character no token can start with. Like xl, the bad character and the rest of its
 * word (up to a blank or newline) form one error; lexing resumes after it. At the very
 * end of the input, with nothing after the bad character, xl reports nothing at all.
 */
function lexError(src: string, i: number, issues: LexIssue[], toks: Tok[], quiet = false): number {
  const n = src.length;
  let j = i + 1;
  let newline = false;
  // xl drops one bad byte at the very end; a character of several UTF-8 bytes is more than one
  if (j >= n && src.charCodeAt(i) < 0x80) {
    issues.push({
      severity: 'warning', start: i, length: 1,
      message: `stray ${describe(src[i])} at the end of the file is ignored`,
      hint: 'xl silently drops it; remove it',
    });
    return j;
  }
  const d = j < n ? src.charCodeAt(j) : -1;
  if (d === -1) { /* a multi-byte character ends the file */ }
  else if (d === 0x20 || d === 0x09) j++;
  else if (d === 0x0a) { j++; newline = true; }
  else while (j < n && !' \t\n'.includes(src[j])) j++;
  const word = src.slice(i, j).replace(/[ \t\n]$/, '');
  if (!quiet) issues.push({ severity: 'error', start: i, length: Math.max(1, word.length), ...explain(src, i, word) });
  if (newline) toks.push({ t: 'nl', start: j - 1, end: j, text: '' });
  return j;
}

function describe(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  return `\`${ch}\``;
}

function explain(src: string, i: number, word: string): { message: string; hint?: string } {
  const ch = src[i];
  if (ch === '\r') return { message: 'carriage return (Windows line ending) is not allowed', hint: 'xl accepts only Unix line endings: convert the file, e.g. with dos2unix' };
  if (ch === '\ufeff') {
    return i === 0 ? { message: 'byte-order mark at the start of the file is not allowed', hint: 'save the file as UTF-8 without a BOM' }
      : { message: 'invisible character U+FEFF (zero-width no-break space) is not allowed here', hint: 'delete it; it often comes from copying text' };
  }
  if (ch === '"' || ch === "'") {
    if (src.startsWith(ch.repeat(3), i - 2) || src.startsWith(ch.repeat(3), i)) return { message: 'triple-quoted strings are not supported', hint: PYTHON_HINT };
    return { message: `unterminated string: no closing ${ch} on this line`, hint: 'a quoted string must end on the line where it starts (use \\n inside it for a newline)' };
  }
  if (ch === '#') return { message: 'comment on the last line has no newline after it', hint: 'xl rejects a comment that is not followed by a newline: add one at the end of the file' };
  if (/^(True|False|None)\b/.test(word)) {
    const what = word.startsWith('None') ? 'leave the key out instead of None' : 'write 1 or 0 for a boolean';
    return { message: `\`${word.match(/^\w+/)![0]}\` is not a value in xl.cfg`, hint: `${what}; ${PYTHON_HINT}` };
  }
  if (ch === '{' || ch === '}') return { message: `\`${ch}\` is not allowed: xl.cfg has no dicts`, hint: PYTHON_HINT };
  if ('+-.():'.includes(ch)) {
    if (ch === '-' && /^-\d/.test(word)) return { message: `negative number \`${word}\` must be quoted`, hint: `write "${word}" in quotes; ${PYTHON_HINT}` };
    return { message: `\`${ch}\` is not allowed here`, hint: PYTHON_HINT };
  }
  if (/[A-Z]/.test(ch)) {
    let k = i;
    while (k > 0 && isIdentTail(src.charCodeAt(k - 1))) k--;
    if (k < i && isDigit(src.charCodeAt(k)))
      return { message: `unexpected \`${word}\` after a number`, hint: 'numbers take no unit suffix and hex digits must be lower case; quote the value if the key accepts a unit (e.g. "512M")' };
    return { message: `unexpected \`${word}\`: keys are lower case`, hint: 'keys start with a lower-case letter and contain only a-z, 0-9, "." and "_"; string values must be quoted' };
  }
  return { message: `unexpected ${describe(ch)}`, hint: 'outside quotes only keys, numbers, = += ; , [ ] and # comments are allowed' };
}

/**
 * The text of the quoted string src[start..end) (quotes included) after escapes.
 * xl accepts \" \' \\ \a \b \f \n \r \t \v; it rejects every \x escape, and an escape
 * starting with an octal digit is consumed but produces no character at all.
 */
function unescape(src: string, start: number, end: number, issues: LexIssue[]): string {
  let out = '';
  let p = start + 1;
  const last = end - 1;
  while (p < last) {
    // copy the run up to the next backslash in one piece (char by char is quadratic in GC)
    let run = p;
    while (run < last && src.charCodeAt(run) !== 0x5c) run++;
    if (run > p) { out += src.slice(p, run); p = run; }
    if (p >= last) break;
    const nc = src[p + 1];
    const simple = SIMPLE_ESCAPES[nc];
    if (simple !== undefined) { out += simple; p += 2; continue; }
    if (nc === 'x') {
      issues.push({ severity: 'error', start: p, length: 2, message: 'hex escapes (\\x..) are not accepted by xl', hint: 'write the character itself inside the quotes' });
      return out;
    }
    if (nc >= '0' && nc <= '7') {
      const used = strtoulLength(src.slice(p + 2, Math.min(p + 5, end)));
      if (used <= 1) {
        issues.push({ severity: 'error', start: p, length: 2, message: 'invalid numeric escape in quoted string', hint: 'xl does not support \\NNN escapes: write the character itself' });
        return out;
      }
      issues.push({ severity: 'warning', start: p, length: 2 + used, message: `escape \`${src.slice(p, p + 2 + used)}\` is dropped: xl removes it from the string`, hint: 'write the character itself inside the quotes' });
      p += 2 + used;
      continue;
    }
    issues.push({ severity: 'error', start: p, length: 2, message: `invalid escape \`\\${nc}\` in quoted string`, hint: 'allowed escapes: \\\\ \\" \\\' \\a \\b \\f \\n \\r \\t \\v' });
    return out;
  }
  return out;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"', "'": "'", '\\': '\\', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/** How many characters C's strtoul(s, &ep, 10) consumes (0 when no digits). */
function strtoulLength(s: string): number {
  let k = 0;
  while (k < s.length && ' \t\n\v\f\r'.includes(s[k])) k++;
  if (s[k] === '+' || s[k] === '-') k++;
  const digitsFrom = k;
  while (k < s.length && s[k] >= '0' && s[k] <= '9') k++;
  return k > digitsFrom ? k : 0;
}

/** Raw (source) length of the part of a quoted token that produces the first `index` characters. */
export function rawOffsetInString(src: string, start: number, end: number, index: number): number {
  let p = start + 1;
  let produced = 0;
  const last = end - 1;
  while (p < last && produced < index) {
    if (src[p] !== '\\') { p++; produced++; continue; }
    const nc = src[p + 1];
    if (SIMPLE_ESCAPES[nc] !== undefined) { p += 2; produced++; continue; }
    if (nc >= '0' && nc <= '7') { p += 2 + strtoulLength(src.slice(p + 2, Math.min(p + 5, end))); continue; }
    break;
  }
  return p - start;
}
