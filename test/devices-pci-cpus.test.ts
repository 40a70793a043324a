import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, type Diagnostic } from '../src/core/errors.js';
import { PCI_FUNC_ALL, describeCpuMap, formatCpuList, formatPci, parseCpuList, parsePci } from '../parsers/devices/index.js';

function diagOf(f: () => unknown): Diagnostic {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e.diagnostics[0]!;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('parsePci', () => {
  it.each([
    ['0000:01:1a.1', { func: 1, dev: 26, bus: 1, vfunc_mask: 1 }],
    ['01:1a.1', { func: 1, dev: 26, bus: 1, vfunc_mask: 1 }],
    ['0001:00:02.0', { dev: 2, domain: 1, vfunc_mask: 1 }],
    ['03:00.*', { bus: 3, vfunc_mask: PCI_FUNC_ALL }],
    ['03:00.0@1f', { bus: 3, vdevfn: 0xf8, vfunc_mask: 1 }],
    ['03:00.0,permissive=1,msitranslate=1,seize=1,power_mgmt=2', { bus: 3, vfunc_mask: 1, msitranslate: true, power_mgmt: true, permissive: true, seize: true }],
    ['03:00.0,permissive=junk', { bus: 3, vfunc_mask: 1 }], // atoi
    ['03:00.0,rdm_policy=Relaxed', { bus: 3, vfunc_mask: 1, rdm_policy: 'relaxed' }],
    ['bdf=03:00.0,vslot=2', { bus: 3, vdevfn: 16, vfunc_mask: 1 }],
    ['bdf=03:00.0trailing', { bus: 3, vfunc_mask: 1 }], // xl ignores what follows a bdf= value
    ['name=gpu0,seize=1', { seize: true, name: 'gpu0' }],
  ])('%s', (spec, want) => expect(parsePci(spec)).toStrictEqual(want));

  it('starts from the config-wide defaults, which keys may turn off', () => {
    expect(parsePci('03:00.0,permissive=0', undefined, { permissive: true, seize: true })).toStrictEqual({ bus: 3, vfunc_mask: 1, seize: true });
  });

  it.each([
    ['03:00.8', 1, 'invalid BDF'],
    ['03:20.0', 1, 'invalid BDF'],
    ['100:00.0', 1, 'invalid BDF'],
    ['10000:00:00.0', 1, 'invalid BDF'],
    ['03:00.0@20', 9, 'invalid virtual slot'],
    ['03:00.0;x', 8, 'after the BDF'],
    ['03:00.0,permissive', 9, 'expected key=value'],
    ['03:00.0, permissive=1', 9, "unknown PCI_SPEC_STRING option ` permissive'"],
    ['03:00.0,rdm_policy=loose', 20, 'unknown RDM policy'],
    ['03:00.0,name=x', 1, 'not both'],
    ['seize=1', 1, 'invalid BDF'],
    ['bdf=zz,seize=1', 5, 'invalid BDF'],
  ])('rejects %s at column %i', (spec, col, msg) => {
    const d = diagOf(() => parsePci(spec));
    expect(d.col).toBe(col);
    expect(d.message).toContain(msg);
  });

  it.each([
    '0000:01:1a.1', '03:00.*@3', '03:00.0,permissive=1,msitranslate=1,seize=1,power_mgmt=1,rdm_policy=strict', 'name=gpu0,vslot=4',
    'ffff:ff:1f.7',
  ])('round-trips %s', (spec) => {
    const p = parsePci(spec);
    expect(parsePci(formatPci(p))).toStrictEqual(p);
  });

  it('writes flags relative to the config-wide defaults', () => {
    const defaults = { permissive: true };
    const p = parsePci('03:00.0,permissive=0', undefined, defaults);
    expect(formatPci(p, defaults)).toBe('0000:03:00.0,permissive=0');
    expect(parsePci(formatPci(p, defaults), undefined, defaults)).toStrictEqual(p);
  });

  it('round-trips any device with a BDF', () => {
    const dev = fc.record({
      domain: fc.integer({ min: 0, max: 0xffff }), bus: fc.integer({ min: 0, max: 0xff }), dev: fc.integer({ min: 0, max: 0x1f }),
      func: fc.integer({ min: 0, max: 7 }), all: fc.boolean(), slot: fc.integer({ min: 0, max: 0x1f }),
      permissive: fc.boolean(), seize: fc.boolean(),
    });
    fc.assert(fc.property(dev, (r) => {
      const spec = `${r.domain.toString(16)}:${r.bus.toString(16)}:${r.dev.toString(16)}.${r.all ? '*' : r.func}@${r.slot.toString(16)},permissive=${+r.permissive},seize=${+r.seize}`;
      const p = parsePci(spec);
      expect(p.domain ?? 0).toBe(r.domain);
      expect(p.func ?? 0).toBe(r.all ? 0 : r.func);
      expect(parsePci(formatPci(p))).toStrictEqual(p);
    }));
  });
});

const host16 = { nr_cpus: 16, nodes: [[0, 1, 2, 3, 4, 5, 6, 7], [8, 9, 10, 11, 12, 13, 14, 15]] };
const host = { nr_cpus: 8, nodes: [[0, 1], [2, 3], [4], [5], [6], [7]] };

describe('parseCpuList', () => {
  it.each([
    ['all', [0, 1, 2, 3, 4, 5, 6, 7]],
    ['2-5,^3', [2, 4, 5]],
    ['node:1', [2, 3]],
    ['nodes:0-1,^node:1', [0, 1]],
    ['nodes:all,^nodes:2-5', [0, 1, 2, 3]],
    ['^0', []],
    ['', []],
    [',,3,,', [3]],
    ['3-3', [3]],
    [' 3', [3]], // strtoul skips blanks
    ['7,9,100', [7]], // cpus beyond the host's bitmap are dropped, as libxl does
    ['node:9', []],
  ])('%s', (spec, want) => expect(parseCpuList(spec, host)).toStrictEqual(want));

  it('sizes "all" like libxl: whole bytes of the host bitmap', () => {
    expect(parseCpuList('all', { nr_cpus: 12, nodes: [] })).toHaveLength(16);
  });

  it.each([
    ['^all', 1, 'combine'],
    ['^nodes:all', 1, 'combine'],
    ['1,5-2', 3, 'invalid pcpu range'],
    ['0-', 1, 'invalid pcpu range'],
    ['2,x', 3, 'invalid pcpu range'],
    ['node:x', 6, 'invalid pcpu range'],
    ['-1', 1, 'invalid pcpu range'],
  ])('rejects %s at column %i', (spec, col, msg) => {
    const d = diagOf(() => parseCpuList(spec, host));
    expect(d.col).toBe(col);
    expect(d.message).toContain(msg);
  });

  it('prints like xl vcpu-pin', () => {
    expect(describeCpuMap(parseCpuList('all', host16), 16)).toBe('all');
    expect(describeCpuMap([], 16)).toBe('none');
    expect(describeCpuMap(parseCpuList('nodes:1,^9', host16), 16)).toBe('8,10-15');
  });

  it('round-trips any cpu set through formatCpuList', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 15 })), (bits) => {
      const sorted = [...bits].sort((a, b) => a - b);
      expect(parseCpuList(formatCpuList(bits), host16)).toStrictEqual(sorted);
    }));
    expect(formatCpuList([5, 0, 1, 2, 7, 6])).toBe('0-2,5-7');
  });
});
