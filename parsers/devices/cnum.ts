// The C library number readers xl uses (strtoul, atoi, sscanf %x), with their quirks:
// leading white space, signs, base prefixes, wrap-around and saturation. xl accepts
// what these accept, so txl must too.

const ULONG_MAX = (1n << 64n) - 1n;
const isSpace = (c: string | undefined) => c !== undefined && ' \t\n\v\f\r'.includes(c);

function digitValue(c: string | undefined): number {
  if (c === undefined) return 99;
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 122) return code - 87;
  if (code >= 65 && code <= 90) return code - 55;
  return 99;
}

export interface CNum {
  /** the value as C's unsigned long holds it */
  value: bigint;
  /** index just past the number; equal to `start` when nothing was read */
  end: number;
  /** strtoul saturated (ERANGE) */
  overflow: boolean;
}

/** strtoul(s + start, &end, base) on a 64-bit machine. */
export function strtoul(s: string, base: 0 | 8 | 10 | 16, start = 0): CNum {
  let i = start;
  while (isSpace(s[i])) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  let b = base;
  const hasHexPrefix = s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && digitValue(s[i + 2]) < 16;
  if ((b === 0 || b === 16) && hasHexPrefix) {
    b = 16;
    i += 2;
  } else if (b === 0) {
    b = s[i] === '0' ? 8 : 10;
  }
  const first = i;
  let v = 0n;
  let overflow = false;
  while (digitValue(s[i]) < b) {
    v = v * BigInt(b) + BigInt(digitValue(s[i]));
    if (v > ULONG_MAX) overflow = true;
    i++;
  }
  if (i === first) return { value: 0n, end: start, overflow: false };
  if (overflow) return { value: ULONG_MAX, end: i, overflow };
  if (neg) v = (ULONG_MAX + 1n - v) & ULONG_MAX;
  return { value: v, end: i, overflow };
}

/** (int) of an unsigned long / long value: keep the low 32 bits, two's complement. */
export function toInt32(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}
export function toUint32(v: bigint): number {
  return Number(BigInt.asUintN(32, v));
}

/** atoi(s): strtol base 10 truncated to int; junk gives 0. */
export function atoi(s: string): number {
  let i = 0;
  while (isSpace(s[i])) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  let v = 0n;
  while (digitValue(s[i]) < 10) {
    v = v * 10n + BigInt(digitValue(s[i]));
    i++;
  }
  if (neg) v = -v;
  const max = (1n << 63n) - 1n;
  if (v > max) v = max;
  if (v < -max - 1n) v = -max - 1n;
  return toInt32(v);
}

/** sscanf's %x at `start`: returns the unsigned int and the index after it, or null. */
export function scanHex(s: string, start: number): { value: number; end: number } | null {
  const r = strtoul(s, 16, start);
  if (r.end === start) return null;
  return { value: toUint32(r.value), end: r.end };
}

/** sscanf's %u at `start`. */
export function scanUnsigned(s: string, start: number): { value: number; end: number } | null {
  const r = strtoul(s, 10, start);
  if (r.end === start) return null;
  return { value: toUint32(r.value), end: r.end };
}

export interface Token {
  text: string;
  /** 0-based offset of `text` in the spec */
  at: number;
}

/** strtok(s, delims): the non-empty pieces between delimiter characters, with offsets. */
export function strtok(s: string, delims: string, base = 0): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && delims.includes(s[i]!)) i++;
    if (i >= s.length) break;
    const start = i;
    while (i < s.length && !delims.includes(s[i]!)) i++;
    out.push({ text: s.slice(start, i), at: base + start });
  }
  return out;
}

/** xl's habit of skipping leading blanks (spaces only) in each strtok piece. */
export function skipSpaces(t: Token): Token {
  let k = 0;
  while (t.text[k] === ' ') k++;
  return { text: t.text.slice(k), at: t.at + k };
}

/** xl's MATCH_OPTION: `key=` prefix; returns the value or undefined. */
export function matchOption(key: string, token: string): string | undefined {
  return token.startsWith(key + '=') ? token.slice(key.length + 1) : undefined;
}
