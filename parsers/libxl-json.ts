// The model <-> libxl's JSON for libxl_domain_config. Writing gives the text `xl -N create`
// prints (yajl's beautified layout, keys in IDL order, defaults left out, aggregates always
// written). Reading checks every key and value against the IDL table, the way libxl's
// generated parsers do, but also rejects unknown keys so a typo cannot pass unnoticed.
// Both take the libxl version (4.17 or 4.20) the JSON is for; without one, every field of
// either version is known (libxl-idl.ts says which fields 4.20 added).

import type { DomainConfig } from '../src/core/model.js';
import { ConfigError, OperationError, type Diagnostic } from '../src/core/errors.js';
import { DOMAIN_CONFIG, inVersion, isDefault, type IdlType, type IdlUnion, type LibxlVersion } from './libxl-idl.js';
import { jsonDiag, parseJsonAst, type JsonNode } from './json-ast.js';

type Obj = Record<string, unknown>;
type StructType = Extract<IdlType, { k: 'struct' }>;

// ---------------------------------------------------------------- writer

export interface LibxlJsonOptions {
  /** the libxl the JSON is for: fields and enum values it does not have are refused */
  version?: LibxlVersion;
}

/**
 * libxl's JSON of a config. With a version, a field or enum value that version lacks and
 * the config sets is an OperationError (libxl itself would silently ignore the key).
 */
export function modelToLibxlJson(cfg: DomainConfig, opts: LibxlJsonOptions = {}): string {
  const ctype = cfg.c_info?.type;
  const w: Writer = { ctype, version: opts.version, newer: [] };
  const text = pretty(writeStruct(DOMAIN_CONFIG as StructType, cfg as unknown as Obj, w, 'domain_config'), '') + '\n';
  if (w.newer.length) {
    const list = w.newer.join(', ');
    throw new OperationError(
      `this host's libxl ${opts.version} has no ${list} (added in libxl 4.20)`,
      'leave it out of the config, or run the guest on a Xen 4.20 host (Debian 13)',
    );
  }
  return text;
}

interface Writer {
  ctype: string | undefined;
  version: LibxlVersion | undefined;
  /** fields (by path) the config sets that `version` does not have */
  newer: string[];
}

function unionVariant(u: IdlUnion, obj: Obj, ctype: string | undefined): string | undefined {
  const present = Object.keys(u.variants).filter((v) => obj[`${u.key}.${v}`] !== undefined);
  if (present.length > 0) return present.find((v) => v === ctype) ?? present[0];
  if (u.variants.hvm !== undefined) return ctype ?? 'invalid'; // b_info follows c_info.type
  if (u.variants.unknown !== undefined) return 'unknown'; // a channel with no connection
  return undefined; // libxl writes nothing for a union whose key has no variant (usbdev type 0)
}

function writeStruct(t: StructType, obj: Obj, w: Writer, path: string): Obj {
  const out: Obj = {};
  for (const [name, ft, since] of t.fields) {
    if (ft.k === 'union') {
      const v = unionVariant(ft, obj, w.ctype);
      if (v === undefined) continue;
      const vt = ft.variants[v];
      const val = (obj[`${ft.key}.${v}`] ?? {}) as Obj;
      out[`${ft.key}.${v}`] = vt ? writeStruct(vt as StructType, val, w, `${path}.${ft.key}.${v}`) : {};
      continue;
    }
    const val = obj[name];
    if (ft.k === 'struct') { out[name] = writeStruct(ft, (val ?? {}) as Obj, w, `${path}.${name}`); continue; }
    if (val === undefined || val === null || isDefault(ft, val)) continue;
    if (!inVersion(since, w.version)) { w.newer.push(`${path}.${name}`); continue; }
    if (ft.k === 'enum' && !inVersion(ft.since?.[val as string], w.version)) { w.newer.push(`${path}.${name} "${val}"`); continue; }
    out[name] = writeValue(ft, val, w, `${path}.${name}`);
  }
  return out;
}

function writeValue(t: IdlType, v: unknown, w: Writer, path: string): unknown {
  switch (t.k) {
    case 'struct': return writeStruct(t, v as Obj, w, path);
    case 'array': return (v as unknown[]).map((e, i) => writeValue(t.of, e, w, `${path}[${i}]`));
    case 'bitmap': return [...new Set(v as number[])].sort((a, b) => a - b);
    case 'cpuid': {
      const p = v as { cpuid?: Obj[]; msr?: Obj[] };
      const leaf = (e: Obj) => {
        const o: Obj = {};
        for (const k of ['leaf', 'subleaf', 'eax', 'ebx', 'ecx', 'edx']) if (e[k] !== undefined) o[k] = e[k];
        return o;
      };
      return { cpuid: (p.cpuid ?? []).map(leaf), msr: (p.msr ?? []).map((m) => ({ index: m.index, policy: m.policy })) };
    }
    default: return v;
  }
}

/** yajl_gen_beautify with a four-space indent, as libxl configures it. */
function pretty(v: unknown, indent: string): string {
  const inner = indent + '    ';
  if (Array.isArray(v)) {
    if (v.length === 0) return `[\n\n${indent}]`;
    return `[\n${v.map((e) => inner + pretty(e, inner)).join(',\n')}\n${indent}]`;
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Obj);
    if (entries.length === 0) return `{\n\n${indent}}`;
    return `{\n${entries.map(([k, e]) => `${inner}${quote(k)}: ${pretty(e, inner)}`).join(',\n')}\n${indent}}`;
  }
  if (typeof v === 'string') return quote(v);
  return String(v);
}

function quote(s: string): string {
  const esc: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  return '"' + s.replace(/["\\\u0000-\u001f]/g, (c) => esc[c] ?? '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')) + '"';
}

// ---------------------------------------------------------------- reader

/** The model from libxl's JSON; with a version, fields and enum values that libxl lacks are errors. */
export function libxlJsonToModel(text: string, file: string, opts: LibxlJsonOptions = {}): DomainConfig {
  const root = parseJsonAst(text, file);
  const errors: Diagnostic[] = [];
  const err = (node: { pos: JsonNode['pos'] }, message: string, hint?: string) => errors.push(jsonDiag(text, file, node.pos, message, hint));
  const cfg = readStruct(DOMAIN_CONFIG as StructType, root, 'domain_config', { err, version: opts.version }, true) ?? {};
  if (errors.length) throw new ConfigError(errors);
  cfg.c_info ??= {};
  cfg.b_info ??= {};
  return cfg as unknown as DomainConfig;
}

type Err = (node: { pos: JsonNode['pos'] }, message: string, hint?: string) => void;
interface Reader { err: Err; version: LibxlVersion | undefined }

function readStruct(t: StructType, node: JsonNode, path: string, r: Reader, keep = false): Obj | undefined {
  const { err } = r;
  if (node.kind !== 'object') { err(node, `${path} must be an object (libxl ${t.name})`); return undefined; }
  const byName = new Map<string, IdlType>();
  const newer = new Set<string>();
  const unionOf = new Map<string, { u: IdlUnion; variant: string }>();
  for (const [name, ft, since] of t.fields) {
    if (ft.k === 'union') for (const v of Object.keys(ft.variants)) unionOf.set(`${ft.key}.${v}`, { u: ft, variant: v });
    else if (inVersion(since, r.version)) byName.set(name, ft);
    else newer.add(name);
  }
  const out: Obj = {};
  const seenUnion = new Map<IdlUnion, string>();
  const seen = new Set<string>();
  for (const { key, keyPos, value } of node.entries) {
    const at = `${path}.${key}`;
    if (seen.has(key)) { err({ pos: keyPos }, `"${key}" given twice in ${path}`); continue; }
    seen.add(key);
    const un = unionOf.get(key);
    if (un) {
      const prev = seenUnion.get(un.u);
      if (prev) { err({ pos: keyPos }, `both "${prev}" and "${key}" given in ${path}`, `a ${un.u.key} has one variant`); continue; }
      seenUnion.set(un.u, key);
      const vt = un.u.variants[un.variant];
      if (vt) out[key] = readStruct(vt as StructType, value, at, r, true);
      else if (value.kind !== 'object' || value.entries.length) err(value, `${at} must be an empty object`);
      else out[key] = {};
      continue;
    }
    const ft = byName.get(key);
    if (!ft && newer.has(key)) {
      err({ pos: keyPos }, `"${key}" in ${path} is new in libxl 4.20; this libxl is ${r.version}`, 'leave it out, or use a Xen 4.20 host (Debian 13)');
      continue;
    }
    if (!ft) {
      const names = [...byName.keys(), ...unionOf.keys()];
      const near = closest(key, names);
      err({ pos: keyPos }, `unknown field "${key}" in ${path}`, near ? `did you mean "${near}"?` : `libxl ${t.name} has: ${names.join(', ')}`);
      continue;
    }
    const v = readValue(ft, value, at, r);
    if (v !== undefined) out[key] = v;
  }
  if (!keep && Object.keys(out).length === 0) return undefined;
  return out;
}

/** `inArray`: an array element is kept even when it equals the field default. */
function readValue(t: IdlType, n: JsonNode, path: string, r: Reader, inArray = false): unknown {
  const { err } = r;
  const bad = (what: string, hint?: string): undefined => { err(n, `${path} must be ${what}`, hint); return undefined; };
  const drop = (v: unknown) => (!inArray && isDefault(t, v) ? undefined : v);
  switch (t.k) {
    case 'int': {
      if (n.kind !== 'number' || !/^-?\d+$/.test(n.text)) return bad('an integer');
      if (n.value < t.min || n.value > t.max) return bad(`an integer from ${t.min} to ${t.max}`);
      return drop(n.value);
    }
    case 'bool': return n.kind === 'bool' ? drop(n.value) : bad('true or false');
    case 'defbool':
      if (n.kind === 'string' && (n.value === 'True' || n.value === 'False')) return n.value;
      if (n.kind === 'string' && n.value === '<default>') return undefined;
      return bad('"True", "False" or "<default>"');
    case 'string':
      if (n.kind === 'null') return undefined;
      return n.kind === 'string' ? n.value : bad('a string');
    case 'enum': {
      const s = n.kind === 'string' ? n.value.toLowerCase() : undefined;
      const known = t.values.filter((v) => inVersion(t.since?.[v], r.version));
      if (s !== undefined && t.values.includes(s) && !known.includes(s)) return bad(`one of ${known.map((v) => `"${v}"`).join(', ')} in libxl ${r.version}`, `"${s}" is new in libxl 4.20`);
      if (s === undefined || !known.includes(s)) return bad(`one of ${known.map((v) => `"${v}"`).join(', ')}`);
      return drop(s);
    }
    case 'uuid':
      if (n.kind !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(n.value)) return bad('a UUID string', 'e.g. "3316cbea-0bbf-4d87-9e74-24c997840c84"');
      return drop(n.value.toLowerCase());
    case 'mac':
      if (n.kind !== 'string' || !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(n.value)) return bad('a MAC address string', 'e.g. "00:16:3e:12:34:56"');
      return drop(n.value.toLowerCase());
    case 'bitmap': {
      if (n.kind !== 'array' || n.items.some((e) => e.kind !== 'number' || !/^\d+$/.test(e.text))) return bad('an array of bit numbers');
      return drop([...new Set(n.items.map((e) => (e as { value: number }).value))].sort((a, b) => a - b));
    }
    case 'strlist':
      if (n.kind !== 'array' || n.items.some((e) => e.kind !== 'string')) return bad('an array of strings');
      return drop(n.items.map((e) => (e as { value: string }).value));
    case 'kvlist': {
      if (n.kind !== 'object' || n.entries.some((e) => e.value.kind !== 'string' && e.value.kind !== 'null')) return bad('an object of strings');
      const o: Record<string, string | null> = {};
      for (const e of n.entries) o[e.key] = e.value.kind === 'string' ? e.value.value : null;
      return drop(o);
    }
    case 'genid':
      if (n.kind !== 'array' || n.items.length !== 16 || n.items.some((e) => e.kind !== 'number')) return bad('an array of 16 bytes');
      return drop(n.items.map((e) => (e as { value: number }).value));
    case 'cpuid': return readCpuid(n, path, err);
    case 'struct': return readStruct(t, n, path, r);
    case 'array': {
      if (n.kind !== 'array') return bad('an array');
      const items = n.items.map((e, i) => (t.of.k === 'struct' ? readStruct(t.of, e, `${path}[${i}]`, r, true) : readValue(t.of, e, `${path}[${i}]`, r, true)));
      return items.length ? items : undefined;
    }
  }
}

function readCpuid(n: JsonNode, path: string, err: Err): unknown {
  const leaves = n.kind === 'array' ? n : n.kind === 'object' ? n.entries.find((e) => e.key === 'cpuid')?.value : undefined;
  const msrs = n.kind === 'object' ? n.entries.find((e) => e.key === 'msr')?.value : undefined;
  if (!leaves || leaves.kind !== 'array') { err(n, `${path} must be {"cpuid": [...], "msr": [...]}`); return undefined; }
  if (n.kind === 'object') for (const e of n.entries) if (e.key !== 'cpuid' && e.key !== 'msr') err({ pos: e.keyPos }, `unknown field "${e.key}" in ${path}`);
  const reg = /^[01xks]{32}$/;
  const cpuid = leaves.items.map((l, i) => {
    const o: Obj = {};
    if (l.kind !== 'object') { err(l, `${path}.cpuid[${i}] must be an object`); return o; }
    for (const e of l.entries) {
      if (e.key === 'leaf' || e.key === 'subleaf') {
        if (e.value.kind !== 'number' || e.value.value < 0 || e.value.value > 0xffffffff) err(e.value, `${path}.cpuid[${i}].${e.key} must be a 32-bit number`);
        else o[e.key] = e.value.value;
      } else if (['eax', 'ebx', 'ecx', 'edx'].includes(e.key)) {
        if (e.value.kind !== 'string' || !reg.test(e.value.value)) err(e.value, `${path}.cpuid[${i}].${e.key} must be 32 characters of 0, 1, x, k or s`);
        else o[e.key] = e.value.value;
      } else err({ pos: e.keyPos }, `unknown field "${e.key}" in ${path}.cpuid[${i}]`, 'a leaf has leaf, subleaf, eax, ebx, ecx, edx');
    }
    if (o.leaf === undefined) err(l, `${path}.cpuid[${i}] has no "leaf"`);
    return o;
  });
  const msr = msrs?.kind === 'array' ? msrs.items.map((m, i) => {
    const idx = m.kind === 'object' ? m.entries.find((e) => e.key === 'index')?.value : undefined;
    const pol = m.kind === 'object' ? m.entries.find((e) => e.key === 'policy')?.value : undefined;
    if (idx?.kind !== 'number' || pol?.kind !== 'string' || !/^[01xk]{64}$/.test(pol.value)) {
      err(m, `${path}.msr[${i}] must be {"index": N, "policy": 64 characters of 0, 1, x or k}`);
      return {};
    }
    return { index: idx.value, policy: pol.value };
  }) : [];
  if (msrs && msrs.kind !== 'array') err(msrs, `${path}.msr must be an array`);
  const p = { cpuid, msr };
  return isDefault({ k: 'cpuid' }, p) ? undefined : p;
}

function closest(word: string, names: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const n of names) {
    const d = editDistance(word.toLowerCase(), n.toLowerCase());
    if (d < bestD) { best = n; bestD = d; }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The model as libxl would hold it: fields at their default and empty aggregates left out. */
export function normalizeModel(cfg: DomainConfig): DomainConfig {
  const out = libxlJsonToModel(modelToLibxlJson(cfg), '<model>');
  if (cfg.side) out.side = cfg.side;
  return out;
}
