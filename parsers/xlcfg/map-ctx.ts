// Shared state and small readers for the xl.cfg -> model mapping (map-*.ts), which follows
// parse_config_data() in Xen 4.17's tools/xl/xl_parse.c.

import { ConfigError, type Diagnostic } from '../../src/core/errors.js';
import type { Defbool, DomainConfig, DomainType, HvmInfo } from '../../src/core/model.js';
import type { HostInfo } from '../host.js';
import type { SpecOrigin } from '../devices/origin.js';
import { diagAt, diagValue, errorAt, errorValue, getBool, getLong, getString, parseCLong, posInAtom } from './access.js';
import type { Atom, CfgFile, Setting, Value } from './syntax.js';
import type { XlConf } from './xlconf.js';

export interface Ctx {
  cfg: CfgFile;
  xlconf: XlConf;
  host: HostInfo;
  m: DomainConfig;
  type: DomainType;
  warnings: Diagnostic[];
  /** xl's vcpus= value (0 when absent), kept apart from max_vcpus as xl does */
  vcpus: number;
  /** u.hvm.rdm.policy as xl reads it back for every pci device, even for PV guests (see map-devices) */
  rdmPolicy?: 'strict' | 'relaxed' | 'invalid';
}

export const setting = (c: Ctx, key: string): Setting | undefined => c.cfg.settings.get(key);

export function warnAt(c: Ctx, key: string, message: string, hint?: string): void {
  const s = setting(c, key);
  if (s) c.warnings.push(diagValue(c.cfg, s.value, message, hint, 'warning'));
}

/** An error at the value of `key` (which must be set); a list value is marked by its `[`. */
export function failAt(c: Ctx, key: string, message: string, hint?: string): never {
  const v = setting(c, key)!.value;
  if (v.kind === 'list') return errorAt(c.cfg, v.pos, message, hint, 1);
  return errorValue(c.cfg, v, message, hint);
}

export function failValue(c: Ctx, v: Value, message: string, hint?: string): never {
  return errorValue(c.cfg, v, message, hint);
}

export const str = (c: Ctx, key: string): string | undefined => getString(c.cfg, key);

export function defbool(c: Ctx, key: string): Defbool | undefined {
  const b = getBool(c.cfg, key);
  return b === undefined ? undefined : b ? 'True' : 'False';
}

/**
 * xl's "try a number, else a string" reads (xlu_cfg_get_long with warnings off, then
 * xlu_cfg_get_string), used by tsc_mode, timer_mode, altp2m and gfx_passthru.
 */
export function numberOrString(c: Ctx, key: string): { n: number } | { s: string } | undefined {
  const text = str(c, key);
  if (text === undefined) return undefined;
  const r = parseCLong(text);
  return r.ok && setting(c, key)!.op === '=' ? { n: Number(r.value) } : { s: text };
}

/** Where a spec string in a list starts, for the device readers' diagnostics. */
export function originOf(c: Ctx, atom: Atom): SpecOrigin {
  const d = diagAt(c.cfg, posInAtom(c.cfg, atom, 0), '');
  return { file: d.file, line: d.line, col: d.col, excerpt: d.excerpt };
}

/** The string items of a list setting, with their atoms (nested lists rejected). */
export function listAtoms(c: Ctx, key: string, what = 'a string'): Atom[] | undefined {
  const s = setting(c, key);
  if (!s) return undefined;
  if (s.value.kind !== 'list') {
    const shown = s.value.quoted ? JSON.stringify(s.value.text) : s.value.text;
    return failValue(c, s.value, `\`${key}\` takes a list, not a single value`, `write ${key} = [ ${shown} ]`);
  }
  return s.value.items.map((v) => (v.kind === 'atom' ? v : failValue(c, v, `each item of \`${key}\` must be ${what}, not a list`, 'remove the inner [ ]')));
}

export function hvm(c: Ctx): HvmInfo {
  return (c.m.b_info['type.hvm'] ??= {});
}

/** Does `prefix` abbreviate `word`? xl compares with strncmp(buf, word, strlen(buf)), so "" and "h" both mean "hvm". */
export const abbreviates = (prefix: string, word: string): boolean => word.startsWith(prefix);

/** Case-insensitive match against a libxl enum's names, as libxl's *_from_string do. */
export function libxlEnum<T extends string>(value: string, names: readonly T[]): T | undefined {
  const v = value.toLowerCase();
  return names.find((n) => n === v);
}

export const choices = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');

/** C's conversion of a long into uint32_t / int, as xl's assignments do it. */
export const toU32 = (n: number): number => Number(BigInt.asUintN(32, BigInt(n)));
export const toI32 = (n: number): number => Number(BigInt.asIntN(32, BigInt(n)));
export const MiB = (n: number): number => n * 1024;

/** Sizes above this many MiB would not stay exact once turned into KiB. */
const MAX_MIB = Math.floor(Number.MAX_SAFE_INTEGER / 1024);

/** A size key given in MiB, as KiB (xl multiplies by 1024); negative sizes are refused. */
export function mibKey(c: Ctx, key: string): number | undefined {
  const l = getLong(c.cfg, key);
  if (l === undefined) return undefined;
  if (l < 0) failAt(c, key, `\`${key}\` must not be negative`, 'give the size in MiB');
  if (l > MAX_MIB) failAt(c, key, `\`${key}\` is too large`, 'give the size in MiB');
  return l * 1024;
}

/** The error for a required key that is absent: it points at the start of the file. */
export function missingKey(c: Ctx, message: string, hint: string): ConfigError {
  const excerpt = c.cfg.text.split('\n')[0]?.replace(/\r$/, '') ?? '';
  return new ConfigError([{ severity: 'error', file: c.cfg.file, line: 1, col: 1, message, hint, excerpt }]);
}
