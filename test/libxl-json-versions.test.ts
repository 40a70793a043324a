// libxl's JSON for two versions: 4.20 added fields and enum values to libxl_domain_config
// (nothing renamed or removed). Without a version every field is known; for 4.17 the 4.20
// ones are refused by name, on reading and on writing. And the IDL table's field order is
// checked against each version's generated C header, which libxl's JSON follows.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { libxlJsonToModel, modelToLibxlJson } from '../parsers/libxl-json.js';
import { DOMAIN_CONFIG, inVersion, type IdlField, type IdlType, type LibxlVersion } from '../parsers/libxl-idl.js';
import { ConfigError, OperationError } from '../src/core/errors.js';

const NEW_IN_420 = {
  c_info: { type: 'pv', name: 'g' },
  b_info: {
    bootloader: 'pygrub', bootloader_restrict: 'True', bootloader_user: 'xenbl', llc_colors: [1, 2],
    'type.pv': {},
  },
  nics: [{ devid: 0, vlan: '10', bridge: 'xenbr0' }],
  virtios: [{ type: 'virtio,device22', transport: 'mmio', grant_usage: 'True' }],
  p9s: [{ tag: 'share', path: '/srv', security_model: 'none', type: 'xen_9pfsd', max_files: 100 }],
};
const text = JSON.stringify(NEW_IN_420);

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new OperationError('did not throw');
}

describe('fields libxl 4.20 added', () => {
  it('read and written back without a version, and for 4.20', () => {
    const m = libxlJsonToModel(text, 'g.json');
    expect((m.b_info as Record<string, unknown>).bootloader_user).toBe('xenbl');
    const out = modelToLibxlJson(m, { version: '4.20' });
    expect(out).toBe(modelToLibxlJson(m));
    expect(libxlJsonToModel(out, 'again', { version: '4.20' })).toEqual(m);
    // IDL order: virtios between vkbs and vtpms, vlan right after mtu
    expect(Object.keys(JSON.parse(out))).toEqual(['c_info', 'b_info', 'nics', 'virtios', 'p9s', 'on_poweroff', 'on_reboot', 'on_watchdog', 'on_crash', 'on_soft_reset'].filter((k) => k in JSON.parse(out)));
  });

  it('refused by name when reading for libxl 4.17', () => {
    const e = thrown(() => libxlJsonToModel(text, 'g.json', { version: '4.17' })) as ConfigError;
    expect(e).toBeInstanceOf(ConfigError);
    const messages = e.diagnostics.map((d) => d.message);
    expect(messages).toContain('"bootloader_user" in domain_config.b_info is new in libxl 4.20; this libxl is 4.17');
    expect(messages).toContain('"vlan" in domain_config.nics[0] is new in libxl 4.20; this libxl is 4.17');
    expect(messages).toContain('"virtios" in domain_config is new in libxl 4.20; this libxl is 4.17');
    expect(messages.length).toBe(7);
  });

  it('refused by name when writing for libxl 4.17 (libxl 4.17 would ignore them silently)', () => {
    const m = libxlJsonToModel(text, 'g.json');
    const e = thrown(() => modelToLibxlJson(m, { version: '4.17' }));
    expect(e).toBeInstanceOf(OperationError);
    expect(e.message).toBe("this host's libxl 4.17 has no domain_config.b_info.llc_colors, domain_config.b_info.bootloader_restrict, domain_config.b_info.bootloader_user, domain_config.nics[0].vlan, domain_config.virtios, domain_config.p9s[0].type, domain_config.p9s[0].max_files (added in libxl 4.20)");
  });

  it('an enum value 4.20 added ("ffa" TEE) is refused for 4.17 only', () => {
    const ffa = JSON.stringify({ c_info: { type: 'pvh' }, b_info: { tee: 'ffa' } });
    expect((libxlJsonToModel(ffa, 'f.json', { version: '4.20' }).b_info as Record<string, unknown>).tee).toBe('ffa');
    const e = thrown(() => libxlJsonToModel(ffa, 'f.json', { version: '4.17' })) as ConfigError;
    expect(e.diagnostics[0].message).toBe('domain_config.b_info.tee must be one of "none", "optee" in libxl 4.17');
    expect(thrown(() => modelToLibxlJson(libxlJsonToModel(ffa, 'f.json'), { version: '4.17' })).message).toMatch(/no domain_config\.b_info\.tee "ffa"/);
  });

  it('a plain config writes the same JSON for both versions', () => {
    const plain = { c_info: { type: 'pv', name: 'p' }, b_info: { max_memkb: 131072, kernel: '/k', 'type.pv': {} } } as never;
    expect(modelToLibxlJson(plain, { version: '4.17' })).toBe(modelToLibxlJson(plain, { version: '4.20' }));
  });
});

// ---- the table against each version's _libxl_types.h

/** Field names of `typedef struct libxl_NAME { ... }` at depth one (arrays without their num_ count). */
function cFields(header: string, name: string): string[] | undefined {
  const start = header.indexOf(`typedef struct libxl_${name} {`);
  if (start < 0) return undefined;
  const out: string[] = [];
  let depth = 0;
  for (const line of header.slice(start).split('\n')) {
    const opens = (line.match(/{/g) ?? []).length;
    const closes = (line.match(/}/g) ?? []).length;
    if (depth === 1 && closes === 0 && opens === 0) {
      const m = /(\w+)\s*;\s*$/.exec(line);
      if (m && !m[1].startsWith('num_')) out.push(m[1]);
    }
    depth += opens - closes;
    if (depth === 1 && closes > 0) {
      const m = /}\s*(\w+)\s*;/.exec(line);
      if (m) out.push(m[1]);
    }
    if (depth === 0 && closes > 0) break;
  }
  return out;
}

/** Anonymous structs in C (members of domain_build_info), named in the table. */
const ANONYMOUS = ['arch_arm', 'arch_x86'];

/** Every named struct of the table that libxl `version` has, with its fields. */
function structs(t: IdlType, version: LibxlVersion, into = new Map<string, IdlField[]>()): Map<string, IdlField[]> {
  if (t.k === 'array') return structs(t.of, version, into);
  if (t.k !== 'struct') return into;
  if (!t.name.includes('.') && !ANONYMOUS.includes(t.name)) into.set(t.name, t.fields);
  for (const [, ft, since] of t.fields) {
    if (!inVersion(since, version)) continue;
    if (ft.k === 'union') for (const v of Object.values(ft.variants)) { if (v) structs(v, version, into); }
    else structs(ft, version, into);
  }
  return into;
}

const HEADERS: [LibxlVersion, string][] = [
  ['4.17', '/usr/include/_libxl_types.h'],
  ['4.20', join(process.env.TXL_XEN420_ROOT || join(homedir(), '.cache/txl/xen-4.20'), 'usr/include/_libxl_types.h')],
];

describe.each(HEADERS)('the IDL table against libxl %s', (version, file) => {
  it.skipIf(!existsSync(file))(`every named struct has the header's fields in its order${existsSync(file) ? '' : ` (skipped: no ${file}; scripts/fetch-xen.sh 4.20)`}`, () => {
    const header = readFileSync(file, 'utf8');
    const checked: string[] = [];
    for (const [name, fields] of structs(DOMAIN_CONFIG, version)) {
      // unions: the C struct has the key field and `u`; the table has the union as one field
      if (fields.some(([, ft]) => ft.k === 'union')) continue;
      const c = cFields(header, name);
      expect(c, name).toBeDefined();
      const ours = fields.filter(([, , since]) => inVersion(since, version)).map(([n]) => n);
      expect(ours, `libxl_${name}`).toEqual(c);
      checked.push(name);
    }
    expect(checked).toEqual(expect.arrayContaining(['domain_config', 'domain_create_info', 'device_disk', 'device_nic', 'device_p9', 'vnc_info', 'spice_info']));
    if (version === '4.20') expect(checked).toContain('device_virtio');
  });
});
