// Pieces shared by the small key=value device readers and writers.
import { strtok, skipSpaces, type Token } from './cnum.js';
import { unrepresentable, type SpecReporter } from './origin.js';

/** xl's usual loop: strtok at commas, drop leading spaces of each piece. */
export function commaTokens(spec: string): Token[] {
  return strtok(spec, ',').map(skipSpaces);
}

export interface KeyValue { key: string; value: string; at: number; valueAt: number; token: Token }

/**
 * Splits pieces at their first '='. xl's vfb/vtpm/p9/pvcalls loops stop reading the spec at
 * the first piece without one; the rest is ignored, which txl reports as a warning.
 */
export function keyValuesUntilBare(spec: string, rep: SpecReporter, what: string): KeyValue[] {
  const out: KeyValue[] = [];
  for (const t of commaTokens(spec)) {
    const eq = t.text.indexOf('=');
    if (eq < 0) {
      rep.warn(t.at, spec.length - t.at, `\`${t.text}' has no '=': xl ignores it and the rest of the ${what} spec`);
      break;
    }
    out.push({ key: t.text.slice(0, eq), value: t.text.slice(eq + 1), at: t.at, valueAt: t.at + eq + 1, token: t });
  }
  return out;
}

/** A writer's `key=value` piece for the comma-separated languages. */
export function piece(kind: string, key: string, value: string | number | undefined, parts: string[]): void {
  if (value === undefined) return;
  const v = String(value);
  if (v.includes(',')) unrepresentable(kind, `${key} value ${JSON.stringify(v)} contains a comma`);
  parts.push(`${key}=${v}`);
}

/** Drops keys whose value is undefined, false, 0 or an empty object (libxl defaults). */
export function compact<T extends object>(o: T, keep: string[] = []): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === false) continue;
    if (v === 0 && !keep.includes(k)) continue;
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0 && !k.includes('.')) continue;
    out[k] = v;
  }
  return out as T;
}
