// The generic writer of the key table's simple keys: each key of a slot (key-order.ts), in
// order, from its model path, converted back as its table line says. Unset fields, and
// numbers equal to the default xl fills in, are left out.

import type { DomainConfig } from '../../src/core/model.js';
import { KNOWN_KEYS } from './keys.js';
import { WRITE_ORDER, type WriteSlot } from './key-order.js';
import { getPath } from './model-path.js';
import { mib, type Out } from './write-out.js';

/** xl's word for a model value. */
function wordOf(words: Record<string, string>, value: string): string | undefined {
  return Object.keys(words).find((w) => words[w] === value);
}

export function writeSlot(out: Out, cfg: DomainConfig, slot: WriteSlot): void {
  for (const name of WRITE_ORDER[slot]) {
    const m = KNOWN_KEYS.get(name)!.model!;
    const v = getPath(cfg, m.path);
    switch (m.conv) {
      case 'string':
        out.set(name, v as string | undefined);
        break;
      case 'defbool':
        out.defbool(name, v as 'True' | 'False' | undefined);
        break;
      case 'i32':
      case 'u32':
      case 'u32s': {
        const n = v as number | undefined;
        if (n === undefined || n === m.default) break;
        // a uint32_t that xl read from a negative number is written as that number
        out.set(name, m.conv === 'u32s' && n >= 2 ** 31 ? n - 2 ** 32 : n);
        break;
      }
      case 'mib':
        out.set(name, mib(out, m.label!, v as number | undefined));
        break;
      case 'list':
        out.list(name, v as string[] | undefined);
        break;
      case 'enum': {
        const e = (v as string | undefined) ?? m.unset;
        if (e === undefined || m.omit?.includes(e) || (m.only && !m.only.includes(e))) break;
        out.set(name, Array.isArray(m.words) ? e : wordOf(m.words as Record<string, string>, e));
        break;
      }
    }
  }
}
