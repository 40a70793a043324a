// The xl.cfg key table (parsers/xlcfg/key-table.ts): every key is declared once, either as a
// simple key that the generic reader and writer handle or with the functions that handle it;
// each simple key goes from xl.cfg to its model field and back to the same line.
import { describe, expect, it } from 'vitest';
import { KEY_TABLE, type KeyInfo } from '../parsers/xlcfg/key-table.js';
import { READ_ORDER, WRITE_ORDER } from '../parsers/xlcfg/key-order.js';
import { getPath } from '../parsers/xlcfg/model-path.js';
import { xlcfgToModel } from '../parsers/xlcfg/to-model.js';
import { modelToXlcfg } from '../parsers/xlcfg/write.js';
import { textElements } from '../parsers/xml/key-table.js';
import { XL_CFG_VALUES } from '../src/cfgkeys.js';

const simple = KEY_TABLE.filter((k) => k.model);

describe('key table', () => {
  it('gives every key either a model mapping or the functions that handle it', () => {
    for (const k of KEY_TABLE) expect([k.name, !!k.model !== !!k.by]).toEqual([k.name, true]);
    expect(new Set(KEY_TABLE.map((k) => k.name)).size).toBe(KEY_TABLE.length);
  });

  it('places every simple key once for reading and once for writing, unless that direction is structural', () => {
    for (const [order, dir] of [[READ_ORDER, 'read'], [WRITE_ORDER, 'write']] as const) {
      const placed = Object.values(order).flat();
      expect(placed.length).toBe(new Set(placed).size);
      const generic = simple.filter((k) => !k.model![dir]).map((k) => k.name);
      expect([...placed].sort()).toEqual([...generic].sort());
    }
  });

  it('offers completion words from the table', () => {
    expect(XL_CFG_VALUES.on_reboot).toContain('rename-restart');
    expect(XL_CFG_VALUES.tee).toEqual(['none', 'optee']);
    expect(Object.keys(XL_CFG_VALUES).sort()).toEqual(KEY_TABLE.filter((k) => k.values).map((k) => k.name).sort());
  });

  it('names the direct libvirt text elements', () => {
    expect(textElements('os').map((e) => e.name)).toEqual(['kernel', 'initrd', 'cmdline']);
  });
});

/** A value for the key, what the model holds for it, and the line the writer gives back. */
function sample(k: KeyInfo): [string, unknown, string] {
  const m = k.model!;
  switch (m.conv) {
    case 'string': return ['"abc"', 'abc', `${k.name} = "abc"`];
    case 'defbool': return ['1', 'True', `${k.name} = 1`];
    case 'i32':
    case 'u32':
    case 'u32s': return ['7', 7, `${k.name} = 7`];
    case 'mib': return ['3', 3072, `${k.name} = 3`];
    case 'list': return ['[ "a", "b" ]', ['a', 'b'], `${k.name} = [ "a", "b" ]`];
    case 'enum': {
      // the last word: the first is often libxl's zero value, which the model leaves out
      const words: [string, string][] = Array.isArray(m.words) ? m.words.map((w: string) => [w, w]) : Object.entries(m.words!);
      const [word, value] = words.filter(([, v]) => !m.omit?.includes(v) && (!m.only || m.only.includes(v))).at(-1)!;
      return [`"${word}"`, value, `${k.name} = "${word}"`];
    }
  }
}

describe('simple keys, xl.cfg -> model -> xl.cfg', () => {
  for (const k of simple) {
    it(k.name, () => {
      const type = k.applies.includes('hvm') ? 'hvm' : k.applies[0];
      const boot = type === 'hvm' || k.name === 'kernel' || k.name === 'bootloader' ? '' : 'kernel = "/k"\n';
      const [text, value, line] = sample(k);
      const { config } = xlcfgToModel(`name = "t"\ntype = "${type}"\n${boot}${k.name} = ${text}\n`, 't.cfg');
      expect(getPath(config, k.model!.path)).toEqual(value);
      if (!k.model!.write) expect(modelToXlcfg(config).split('\n')).toContain(line);
    });
  }
});
