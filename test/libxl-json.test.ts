import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { libxlJsonToModel, modelToLibxlJson } from '../parsers/libxl-json.js';
import { ConfigError } from '../src/core/errors.js';
import type { DomainConfig } from '../src/core/model.js';

const corpus = join(__dirname, '../../shared/corpus');
const dryrun = ['libvirt-xl', 'xen-examples'].map((d) => join(corpus, 'xl-dryrun', d));
const jsonFiles = existsSync(corpus)
  ? dryrun.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => join(d, f)))
  : [];

function rejects(text: string): ConfigError {
  try {
    libxlJsonToModel(text, 'cfg.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('accepted: ' + text);
}

describe.skipIf(!existsSync(corpus))('libxl JSON against xl -N output', () => {
  it('finds the corpus', () => expect(jsonFiles.length).toBeGreaterThan(40));
  it.each(jsonFiles.map((f) => [f.split('/').slice(-2).join('/'), f]))('%s reads and writes back byte for byte', (_n, f) => {
    const text = readFileSync(f, 'utf8');
    const model = libxlJsonToModel(text, f);
    expect(modelToLibxlJson(model)).toBe(text);
    expect(libxlJsonToModel(modelToLibxlJson(model), 'again')).toEqual(model);
  });
});

describe('libxl JSON writer', () => {
  const base: DomainConfig = { c_info: { type: 'pv', name: 'd' }, b_info: {} };

  it('writes aggregates even when empty, and the b_info union from c_info.type', () => {
    const j = JSON.parse(modelToLibxlJson(base));
    expect(j.b_info).toEqual({ sched_params: {}, 'type.pv': {}, arch_arm: {}, arch_x86: {} });
  });

  it('leaves out fields at their libxl default and keeps key order from the IDL', () => {
    const m: DomainConfig = {
      c_info: { name: 'd', type: 'hvm' },
      b_info: { rtc_timeoffset: 0, target_memkb: 1024, max_memkb: 2048, max_vcpus: 0, tsc_mode: 'default', 'type.hvm': { hdtype: 'ide', vga: { kind: 'std' } } },
      nics: [{ devid: 0 }, { devid: -1 }],
      on_poweroff: 'destroy',
      on_soft_reset: 'soft_reset',
    };
    const out = modelToLibxlJson(m);
    const j = JSON.parse(out);
    expect(Object.keys(j.c_info)).toEqual(['type', 'name']);
    expect(Object.keys(j.b_info).slice(0, 2)).toEqual(['max_memkb', 'target_memkb']);
    expect(j.b_info.rtc_timeoffset).toBeUndefined();
    expect(j.b_info['type.hvm'].vga).toEqual({ kind: 'std' });
    expect(j.b_info['type.hvm'].hdtype).toBeUndefined();
    expect(j.nics).toEqual([{ devid: 0 }, {}]);
    expect(j.on_poweroff).toBeUndefined();
    expect(j.on_soft_reset).toBe('soft_reset');
  });

  it('uses yajl layout: four spaces, empty maps and arrays on three lines, final newline', () => {
    const out = modelToLibxlJson({ ...base, b_info: { cpuid: { cpuid: [{ leaf: 1, ecx: 'x'.repeat(32) }], msr: [] } } });
    expect(out.endsWith('}\n')).toBe(true);
    expect(out).toContain('\n        "sched_params": {\n\n        },\n');
    expect(out).toContain('"msr": [\n\n            ]');
  });

  it('escapes strings as yajl does', () => {
    const out = modelToLibxlJson({ ...base, c_info: { name: 'a"b\\c\n\u0001/é' } });
    expect(out).toContain('"name": "a\\"b\\\\c\\n\\u0001/é"');
  });

  it('writes a channel without connection as connection.unknown and a typeless usbdev as {}', () => {
    const j = JSON.parse(modelToLibxlJson({ ...base, channels: [{ name: 'x' }], usbdevs: [{}] }));
    expect(j.channels).toEqual([{ name: 'x', 'connection.unknown': {} }]);
    expect(j.usbdevs).toEqual([{}]);
  });

  it('does not write the side part', () => {
    const j = JSON.parse(modelToLibxlJson({ ...base, side: { xl: { a: 1 } } }));
    expect(j.side).toBeUndefined();
  });
});

describe('libxl JSON reader', () => {
  it('reads a config and drops defaults and empty aggregates', () => {
    const m = libxlJsonToModel('{"c_info":{"type":"HVM","name":"x","poolid":0},"b_info":{"sched_params":{},"type.hvm":{"vga":{},"hdtype":"ide"}}}', 'f');
    expect(m).toEqual({ c_info: { type: 'hvm', name: 'x' }, b_info: { 'type.hvm': {} } });
  });

  it('reports an unknown key with its position and a suggestion', () => {
    const e = rejects('{\n  "c_info": {"name": "x"},\n  "b_info": {"max_memkbb": 5}\n}');
    expect(e.diagnostics[0]).toMatchObject({ line: 3, col: 14, message: 'unknown field "max_memkbb" in domain_config.b_info', hint: 'did you mean "max_memkb"?' });
  });

  it('reports wrong value types', () => {
    expect(rejects('{"b_info":{"max_vcpus":"2"}}').diagnostics[0].message).toBe('domain_config.b_info.max_vcpus must be an integer');
    expect(rejects('{"b_info":{"localtime":true}}').diagnostics[0].message).toMatch(/"True", "False"/);
    expect(rejects('{"on_reboot":"reboot"}').diagnostics[0].message).toMatch(/must be one of "destroy"/);
    expect(rejects('{"disks":[{"readwrite":1.5}]}').diagnostics[0].message).toBe('domain_config.disks[0].readwrite must be an integer');
    expect(rejects('{"pcidevs":[{"bus":256}]}').diagnostics[0].message).toMatch(/from 0 to 255/);
    expect(rejects('{"c_info":{"uuid":"nope"}}').diagnostics[0].hint).toMatch(/e.g./);
    expect(rejects('{"nics":[{"mac":"00:11"}]}').diagnostics[0].message).toMatch(/MAC/);
    expect(rejects('{"b_info":{"avail_vcpus":[-1]}}').diagnostics[0].message).toMatch(/bit numbers/);
    expect(rejects('{"b_info":{"cpuid":{"cpuid":[{"leaf":1,"eax":"xx"}],"msr":[]}}}').diagnostics[0].message).toMatch(/32 characters/);
  });

  it('rejects two variants of one union and unknown variants', () => {
    expect(rejects('{"b_info":{"type.hvm":{},"type.pv":{}}}').diagnostics[0].message).toMatch(/both "type.hvm" and "type.pv"/);
    expect(rejects('{"b_info":{"type.hvmm":{}}}').diagnostics[0].hint).toBe('did you mean "type.hvm"?');
  });

  it('reports every error at once, and JSON syntax errors with position', () => {
    expect(rejects('{"b_info":{"a":1,"b":2}}').diagnostics).toHaveLength(2);
    expect(rejects('{"c_info": {"name": "x",}}').diagnostics[0]).toMatchObject({ line: 1, col: 25 });
  });

  it('keeps array elements that equal a field default', () => {
    const m = libxlJsonToModel('{"b_info":{"vcpu_hard_affinity":[[],[1]],"vnuma_nodes":[{"distances":[0,10]}]}}', 'f');
    expect(m.b_info.vcpu_hard_affinity).toEqual([[], [1]]);
    expect(m.b_info.vnuma_nodes).toEqual([{ distances: [0, 10] }]);
  });

  it('rejects a key given twice', () => {
    expect(rejects('{"c_info":{"poolid":0,"poolid":1}}').diagnostics[0].message).toBe('"poolid" given twice in domain_config.c_info');
  });

  it('reads the old array form of cpuid', () => {
    const m = libxlJsonToModel('{"b_info":{"cpuid":[{"leaf":1,"edx":"' + '1'.repeat(32) + '"}]}}', 'f');
    expect(m.b_info.cpuid).toEqual({ cpuid: [{ leaf: 1, edx: '1'.repeat(32) }], msr: [] });
  });
});
