// What a format cannot say, kept beside it so that txl -> format -> txl gives back the very
// model it started from: domain XML keeps it in <metadata> (parsers/xml/meta.ts), xl.cfg in
// comment lines xl skips (parsers/xlcfg/write-meta.ts).
//
// It is a delta, not a copy: the writer reads its own plain output back, and records for
// each field where that reading differs from the model what the model holds, or that the
// model leaves the field unset (to libxl's default), together with what the plain output
// reads as at that time. The reader applies an entry only while the plain output still
// reads that way: a field someone changed in the file afterwards (virsh edit, an editor,
// another xl.conf) keeps the file's value, with a warning, instead of being overwritten by
// stale data.
import type { DomainConfig } from '../src/core/model.js';

export interface DeltaEntry {
  /** JSON Pointer (RFC 6901) into the model */
  path: string;
  /** the model's value; undefined: the model leaves the field unset */
  value?: unknown;
  /** what the format's own elements read as, without txl's part; undefined: unset */
  plain?: unknown;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** JSON with sorted keys, so that equal values compare equal whatever their key order. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObj(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

const seg = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
const unseg = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

/**
 * Where `model` and `plain` differ, at the finest level where both still have the same
 * shape: objects field by field, lists of equal length entry by entry, anything else whole.
 */
export function delta(model: unknown, plain: unknown, path = ''): DeltaEntry[] {
  if (model === undefined && plain === undefined) return [];
  if (isObj(model) && isObj(plain)) {
    // sorted, so that the entries do not depend on the order fields were filled in
    const keys = [...new Set([...Object.keys(model), ...Object.keys(plain)])].sort();
    return keys.flatMap((k) => delta(model[k], plain[k], `${path}/${seg(k)}`));
  }
  if (Array.isArray(model) && Array.isArray(plain) && model.length === plain.length && model.some((x) => isObj(x) || Array.isArray(x))) {
    return model.flatMap((x, i) => delta(x, plain[i], `${path}/${i}`));
  }
  if (canonical(model) === canonical(plain)) return [];
  return [{ path, value: model, plain }];
}

function get(root: unknown, parts: string[]): unknown {
  let v = root;
  for (const p of parts) v = isObj(v) || Array.isArray(v) ? (v as Obj)[p] : undefined;
  return v;
}

/** Sets or (value undefined) removes the field at path, making the objects on the way. */
function put(root: Obj, parts: string[], value: unknown) {
  let v: Obj = root;
  for (const p of parts.slice(0, -1)) {
    if (!isObj(v[p]) && !Array.isArray(v[p])) v[p] = {};
    v = v[p] as Obj;
  }
  const last = parts[parts.length - 1];
  if (value === undefined) delete v[last];
  else v[last] = value;
}

/** Applies the entries whose libvirt reading still holds; the others are named in a warning. */
export function applyDelta(cfg: DomainConfig, entries: DeltaEntry[], warn: (message: string) => void) {
  for (const e of entries) {
    const parts = e.path.split('/').slice(1).map(unseg);
    if (!parts.length) continue;
    const now = get(cfg, parts);
    if (canonical(now) !== canonical(e.plain)) {
      warn(`${parts.join('.')} reads differently than when txl wrote the file (edited since?); txl's saved value for it is ignored`);
      continue;
    }
    put(cfg as unknown as Obj, parts, structuredClone(e.value));
  }
}

/** The fields another reader of the XML (libvirt) gets differently from txl, for the header. */
export function lostFields(entries: DeltaEntry[]): string[] {
  return entries.filter((e) => e.value !== undefined).map((e) => e.path.slice(1).split('/').map(unseg).join('.'));
}
