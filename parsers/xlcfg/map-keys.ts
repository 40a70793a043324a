// The generic reader of the key table's simple keys: each key of a slot (key-order.ts), in
// order, converted as its table line says and stored at its model path. Absent keys set
// nothing.

import { getLong } from './access.js';
import { KNOWN_KEYS } from './keys.js';
import { READ_ORDER, type ReadSlot } from './key-order.js';
import type { KeyInfo } from './key-table.js';
import { choices, defbool, failAt, libxlEnum, listAtoms, mibKey, str, toI32, toU32, type Ctx } from './map-ctx.js';
import { setPath } from './model-path.js';

function readValue(c: Ctx, k: KeyInfo): unknown {
  const key = k.name;
  switch (k.model!.conv) {
    case 'string': return str(c, key);
    case 'defbool': return defbool(c, key);
    case 'i32':
    case 'u32':
    case 'u32s': {
      const l = getLong(c.cfg, key);
      return l === undefined ? undefined : k.model!.conv === 'i32' ? toI32(l) : toU32(l);
    }
    case 'mib': return mibKey(c, key);
    case 'list': return listAtoms(c, key, k.model!.label)?.map((a) => a.text);
    case 'enum': return oneOf(c, k);
  }
}

function oneOf(c: Ctx, k: KeyInfo): string | undefined {
  const m = k.model!;
  const v = str(c, k.name) ?? m.absent;
  if (v === undefined) return undefined;
  const words = m.words!;
  const names = Array.isArray(words) ? words : Object.keys(words);
  const value = Array.isArray(words) ? libxlEnum(v, words) : (words as Record<string, string>)[v];
  if (value) return value;
  return failAt(c, k.name, m.bad!.replace('{key}', k.name).replace('{v}', v), m.hint ?? `use one of ${choices(names)}`);
}

export function readSlot(c: Ctx, slot: ReadSlot): void {
  for (const name of READ_ORDER[slot]) {
    const k = KNOWN_KEYS.get(name)!;
    const v = readValue(c, k);
    if (v !== undefined) setPath(c.m, k.model!.path, v);
  }
}
