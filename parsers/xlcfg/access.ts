// Typed reads of parsed xl.cfg settings, accepting exactly what libxlutil's getters accept
// (xlu_cfg_get_string / _long / _defbool / _list / _list_as_string_list). Where xl only
// prints a warning and ignores the setting, txl stops with an error at the value instead:
// a setting that silently does nothing is worse than a refusal.

import { ConfigError, type Diagnostic } from '../../src/core/errors.js';
import { rawOffsetInString } from './lexer.js';
import { makeDiagnostic, sourceOf, type Atom, type CfgFile, type Pos, type Setting, type Value } from './syntax.js';

export function diagAt(cfg: CfgFile, pos: Pos, message: string, hint?: string, length?: number, severity: 'error' | 'warning' = 'error'): Diagnostic {
  const src = sourceOf(cfg, pos.offset);
  return makeDiagnostic(severity, src.file, src.text, { ...pos, offset: pos.offset - src.base }, message, hint, length);
}

export function errorAt(cfg: CfgFile, pos: Pos, message: string, hint?: string, length?: number): never {
  throw new ConfigError([diagAt(cfg, pos, message, hint, length)]);
}

/** Width of a value on its first line, for the caret underline. */
export function valueLength(v: Value): number {
  return v.end.line === v.pos.line ? Math.max(1, v.end.offset - v.pos.offset) : 1;
}

/** Diagnostic covering a whole value. */
export function diagValue(cfg: CfgFile, v: Value, message: string, hint?: string, severity: 'error' | 'warning' = 'error'): Diagnostic {
  return diagAt(cfg, v.pos, message, hint, valueLength(v), severity);
}

export function errorValue(cfg: CfgFile, v: Value, message: string, hint?: string): never {
  throw new ConfigError([diagValue(cfg, v, message, hint)]);
}

/**
 * Source position of character `index` of an atom's (unescaped) text, so that a reader
 * of a spec string such as a disk spec can point at the offending word.
 */
export function posInAtom(cfg: CfgFile, atom: Atom, index: number): Pos {
  if (atom.parts) {
    let k = index;
    for (const part of atom.parts) {
      if (k < part.text.length || part === atom.parts.at(-1)) return posInAtom(cfg, part, k);
      k -= part.text.length;
    }
  }
  index = Math.max(0, Math.min(index, atom.text.length));
  let raw = index;
  if (atom.quoted) {
    const src = sourceOf(cfg, atom.pos.offset);
    raw = rawOffsetInString(src.text, atom.pos.offset - src.base, atom.end.offset - src.base, index);
  }
  return { line: atom.pos.line, col: atom.pos.col + raw, offset: atom.pos.offset + raw };
}

/** Diagnostic for `length` characters of an atom's text starting at `index`. */
export function diagInAtom(cfg: CfgFile, atom: Atom, index: number, length: number, message: string, hint?: string, severity: 'error' | 'warning' = 'error'): Diagnostic {
  const from = posInAtom(cfg, atom, index);
  const to = posInAtom(cfg, atom, index + length);
  return diagAt(cfg, from, message, hint, Math.max(1, to.offset - from.offset), severity);
}

export function getSetting(cfg: CfgFile, key: string): Setting | undefined {
  return cfg.settings.get(key);
}

function single(cfg: CfgFile, key: string, what: string): Atom | undefined {
  const s = cfg.settings.get(key);
  if (!s) return undefined;
  if (s.value.kind === 'list')
    errorValue(cfg, s.value, `\`${key}\` takes a single ${what}, not a list`, 'remove the [ ] around the value (xl would ignore this setting)');
  return s.value;
}

export function getString(cfg: CfgFile, key: string): string | undefined {
  return single(cfg, key, 'value')?.text;
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/**
 * C's strtol(text, &end, 0) on a 64-bit host: leading blanks, a sign, then 0x.. hex,
 * 0.. octal or decimal. 'invalid' when digits are missing or text is left over.
 */
export function parseCLong(text: string): { ok: true; value: bigint } | { ok: false; reason: 'invalid' | 'range' } {
  let i = 0;
  while (i < text.length && ' \t\n\v\f\r'.includes(text[i])) i++;
  let neg = false;
  if (text[i] === '+' || text[i] === '-') { neg = text[i] === '-'; i++; }
  let radix = 10;
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && /[0-9a-fA-F]/.test(text[i + 2] ?? '')) { radix = 16; i += 2; }
  else if (text[i] === '0') radix = 8;
  const digits = radix === 16 ? /[0-9a-fA-F]/ : radix === 8 ? /[0-7]/ : /[0-9]/;
  const from = i;
  while (i < text.length && digits.test(text[i])) i++;
  if (i === from || i !== text.length) return { ok: false, reason: 'invalid' };
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : '';
  let value = BigInt(prefix + text.slice(from, i));
  if (neg) value = -value;
  if (value < LONG_MIN || value > LONG_MAX) return { ok: false, reason: 'range' };
  return { ok: true, value };
}

function numberHint(text: string): string {
  if (/^\s*[+-]?0[0-7]*[89]/.test(text)) return 'a leading 0 makes a number octal: remove the leading zeros';
  if (/^\s*[+-]?\d+\s*[a-zA-Z]+\s*$/.test(text)) return 'xl takes a plain number here, with no unit';
  if (/^\s*(true|false|yes|no|on|off)\s*$/i.test(text)) return 'xl reads booleans as numbers: write 1 or 0';
  return 'write a decimal number, 0x... for hex or 0... for octal';
}

export function getLong(cfg: CfgFile, key: string, min?: number, max?: number): number | undefined {
  const atom = single(cfg, key, 'number');
  if (!atom) return undefined;
  const s = cfg.settings.get(key)!;
  if (s.op === '+=')
    errorAt(cfg, s.keyPos, `\`+=\` cannot be used with \`${key}\`, which is a number`, 'use = instead', key.length + 3);
  const r = parseCLong(atom.text);
  if (!r.ok) {
    if (r.reason === 'range') errorValue(cfg, atom, `\`${key}\`: ${atom.text} is out of range`, 'the value must fit in a signed 64-bit number');
    errorValue(cfg, atom, `\`${key}\` must be a number, found ${JSON.stringify(atom.text)}`, numberHint(atom.text));
  }
  if (min !== undefined && r.value < BigInt(min)) errorValue(cfg, atom, `\`${key}\`: ${r.value} is smaller than the minimum ${min}`);
  if (max !== undefined && r.value > BigInt(max)) errorValue(cfg, atom, `\`${key}\`: ${r.value} is greater than the maximum ${max}`);
  return Number(r.value);
}

/** xl's defbool reading: any number, non-zero means true. */
export function getBool(cfg: CfgFile, key: string): boolean | undefined {
  const l = getLong(cfg, key);
  return l === undefined ? undefined : l !== 0;
}

export function getList(cfg: CfgFile, key: string): Value[] | undefined {
  const s = cfg.settings.get(key);
  if (!s) return undefined;
  if (s.value.kind !== 'list') {
    const shown = s.value.quoted ? JSON.stringify(s.value.text) : s.value.text;
    errorValue(cfg, s.value, `\`${key}\` takes a list, not a single value`, `write ${key} = [ ${shown} ] (xl would ignore this setting)`);
  }
  return s.value.items;
}

export function getStringList(cfg: CfgFile, key: string): string[] | undefined {
  const items = getList(cfg, key);
  if (!items) return undefined;
  return items.map((v) => {
    if (v.kind === 'list') errorValue(cfg, v, `items of \`${key}\` must be strings, not lists`, 'remove the inner [ ]');
    return v.text;
  });
}

/** For keys xl reads either way (e.g. `cpus`): a list of strings, or one string. */
export function getStringOrList(cfg: CfgFile, key: string): { list: string[] } | { string: string } | undefined {
  const s = cfg.settings.get(key);
  if (!s) return undefined;
  return s.value.kind === 'list' ? { list: getStringList(cfg, key)! } : { string: s.value.text };
}
