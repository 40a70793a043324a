import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkKeys, guestTypeOf, keyInfo, KNOWN_KEYS } from '../parsers/xlcfg/keys.js';
import { parseXlCfg } from '../parsers/xlcfg/syntax.js';
import { editDistance, suggest } from '../parsers/suggest.js';

const CORPUS = join(import.meta.dirname, '../../shared/corpus');
const XEN = '/work/.mirror/xen-project+xen/repo';

const check = (text: string, arch?: 'x86' | 'arm') =>
  checkKeys(parseXlCfg(text, 'k.cfg'), { arch }).map((d) => `${d.line}:${d.col} ${d.message}${d.hint ? ` | ${d.hint}` : ''}`);

describe('suggest', () => {
  it('counts edits, with a swap of neighbours as one', () => {
    expect(editDistance('memory', 'memory')).toBe(0);
    expect(editDistance('memroy', 'memory')).toBe(1);
    expect(editDistance('vcpu', 'vcpus')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only close words', () => {
    const keys = ['memory', 'maxmem', 'vcpus', 'maxvcpus', 'on_crash', 'on_reboot'];
    expect(suggest('memroy', keys)).toBe('memory');
    expect(suggest('vcpu', keys)).toBe('vcpus');
    expect(suggest('MEMORY', keys)).toBe('memory');
    expect(suggest('on_reboots', keys)).toBe('on_reboot');
    expect(suggest('xyz', keys)).toBeUndefined();
    expect(suggest('bootloader', keys)).toBeUndefined();
  });
});

describe('key catalogue', () => {
  it('describes every key with a type, guest types and a summary', () => {
    expect(KNOWN_KEYS.size).toBe(158);
    for (const info of KNOWN_KEYS.values()) {
      expect(info.summary.length).toBeGreaterThan(5);
      expect(info.applies.length).toBeGreaterThan(0);
    }
    expect(keyInfo('memory')).toMatchObject({ type: 'number', applies: ['pv', 'pvh', 'hvm'] });
    expect(keyInfo('cpus')!.type).toBe('string-or-list');
    expect(keyInfo('viridian')).toMatchObject({ type: 'bool-or-list', applies: ['hvm'], arch: 'x86' });
    expect(keyInfo('pvshim')!.applies).toEqual(['pvh']);
    expect(keyInfo('gic_version')!.arch).toBe('arm');
    expect(keyInfo('builder')!.deprecated!.use).toBe('type');
    expect(keyInfo('device_model')!.deprecated!.use).toBe('device_model_override');
    expect(keyInfo('nonsense')).toBeUndefined();
  });

  it.skipIf(!existsSync(XEN))('lists exactly the keys xl 4.17 parse_config_data reads', () => {
    const src = execFileSync('git', ['-C', XEN, 'show', 'RELEASE-4.17.7:tools/xl/xl_parse.c'], { encoding: 'utf8' });
    const read = new Set<string>();
    // every key read from the domain config (xl.cfg sub-specs are parsed from other buffers)
    for (const m of src.matchAll(/xlu_cfg_\w+\s*\(\s*config\s*,\s*"([a-z0-9_]+)"(#type)?/g)) {
      if (m[2]) for (const s of ['', '_pv', '_hvm']) read.add(m[1] + s);
      else read.add(m[1]);
    }
    expect([...read].filter((k) => !KNOWN_KEYS.has(k))).toEqual([]);
    expect([...KNOWN_KEYS.keys()].filter((k) => !read.has(k))).toEqual([]);
  });
});

describe('guest type', () => {
  it('is read the way xl reads type and builder', () => {
    const t = (s: string, arch?: 'x86' | 'arm') => guestTypeOf(parseXlCfg(s, 't'), arch);
    expect(t('name="a"')).toBe('pv');
    expect(t('name="a"', 'arm')).toBe('pvh');
    expect(t('type="hvm"')).toBe('hvm');
    expect(t('type="pvh"')).toBe('pvh');
    expect(t('type="h"')).toBe('hvm'); // xl compares only the given length
    expect(t('type="p"')).toBe('pv');
    expect(t('builder="hvm"')).toBe('hvm');
    expect(t('builder="generic"')).toBe('pv');
    expect(t('type="xen"')).toBeUndefined();
  });
});

describe('checkKeys', () => {
  it('warns about unknown keys, suggesting a near one', () => {
    expect(check('name = "a"\nmemroy = 512\nkernel = "k"\nfrobnicate = 1\n')).toEqual([
      '2:1 unknown key `memroy` | did you mean `memory`? (xl ignores unknown keys)',
      '4:1 unknown key `frobnicate` | xl ignores unknown keys',
    ]);
  });

  it('gives every warning as a warning at the key, underlining it', () => {
    const [d] = checkKeys(parseXlCfg('name = "a"\n  memroy = 512\n', 'k.cfg'));
    expect(d).toMatchObject({ severity: 'warning', file: 'k.cfg', line: 2, col: 3, length: 6, excerpt: '  memroy = 512' });
  });

  it('names the xm-only keys libvirt still writes', () => {
    expect(check('parallel = "none"\n')).toEqual(['1:1 `parallel` is an xm (xend) key that xl ignores | xl has no parallel port option']);
  });

  it('warns about deprecated keys with their replacement', () => {
    expect(check('builder = "hvm"\nstdvga = 1\naltp2mhvm = 1\ndevice_model = "/x"\nvif2 = [ "" ]\nvncviewer = 1\n')).toEqual([
      '1:1 `builder` is deprecated; use `type` | deprecated since Xen 4.10',
      '2:1 `stdvga` is deprecated; use `vga` | use vga="stdvga"',
      '3:1 `altp2mhvm` is deprecated; use `altp2m` | use altp2m="mixed" (or "disabled")',
      '4:1 `device_model` is deprecated; use `device_model_override` | xl ignores it',
      '5:1 `vif2` is deprecated; use `vif` | netchannel2 is not supported; xl ignores it',
      '6:1 `vncviewer` is deprecated | xl ignores it: use xl create -V',
    ]);
  });

  it('warns about keys that do nothing for the guest type', () => {
    expect(check('type = "pv"\npae = 1\npvshim = 1\nvnc = 1\nkernel = "k"\n')).toEqual([
      '2:1 `pae` has no effect on a PV guest | it applies to HVM guests; this config\'s type is pv',
      '3:1 `pvshim` has no effect on a PV guest | it applies to PVH guests; this config\'s type is pv',
    ]);
    expect(check('type = "hvm"\nbootloader = "pygrub"\ne820_host = 1\n')).toEqual([
      '2:1 `bootloader` has no effect on a HVM guest | it applies to PV/PVH guests; this config\'s type is hvm',
      '3:1 `e820_host` has no effect on a HVM guest | it applies to PV guests; this config\'s type is hvm',
    ]);
    // with no type, x86 xl builds PV
    expect(check('viridian = 1\n')).toEqual(['1:1 `viridian` has no effect on a PV guest | it applies to HVM guests; this config\'s type is pv']);
    // an unreadable type skips the check rather than guessing
    expect(check('type = "xen"\npae = 1\n')).toEqual([]);
  });

  it('warns about architecture-specific keys on the other architecture', () => {
    expect(check('gic_version = "v3"\n')).toEqual(['1:1 `gic_version` is only used on Arm hosts | xl on x86 ignores it or fails']);
    expect(check('gic_version = "v3"\n', 'arm')).toEqual([]);
    expect(check('type = "hvm"\nmca_caps = [ "lmce" ]\n', 'arm')).toEqual(['2:1 `mca_caps` is only used on x86 hosts | xl on Arm ignores it or fails']);
  });

  it('warns about deprecated value forms', () => {
    expect(check('type = "hvm"\ntsc_mode = 1\ntimer_mode = "native"\nbootloader_args = "-q"\nkernel = "/usr/lib/xen/boot/hvmloader"\n')).toEqual([
      '2:12 `tsc_mode` given as a number is deprecated | use the named mode, e.g. tsc_mode="default"',
      '4:1 `bootloader_args` has no effect on a HVM guest | it applies to PV/PVH guests; this config\'s type is hvm',
      '4:19 `bootloader_args` as a single string is deprecated | use a list: bootloader_args = [ "arg1", "arg2" ]',
      '5:10 xl ignores kernel="…hvmloader" for HVM guests | use firmware_override for a non-default hvmloader',
    ]);
  });

  it('says root and extra are ignored next to cmdline', () => {
    expect(check('kernel = "k"\ncmdline = "ro"\nroot = "/dev/xvda"\nextra = "quiet"\n')).toEqual([
      '3:1 `root` is ignored because `cmdline` is set | put everything in cmdline (line 2)',
      '4:1 `extra` is ignored because `cmdline` is set | put everything in cmdline (line 2)',
    ]);
  });

  it('finds nothing to say about a clean config', () => {
    expect(check('name = "a"\ntype = "hvm"\nmemory = 1024\nvcpus = 2\ndisk = [ "x" ]\nvif = [ "" ]\nviridian = [ "defaults" ]\n')).toEqual([]);
  });
});

describe.skipIf(!existsSync(CORPUS))('checkKeys on the corpus', () => {
  const files = ['libvirt-xl', 'xen-examples'].flatMap((d) =>
    readdirSync(join(CORPUS, d)).filter((f) => !f.endsWith('.xml') && f !== 'xl.conf' && f !== 'cpupool').map((f) => join(d, f)));

  it('knows every key of the real configs', () => {
    expect(files.length).toBeGreaterThan(60);
    const unknown = files.flatMap((f) =>
      checkKeys(parseXlCfg(readFileSync(join(CORPUS, f), 'utf8'), f)).filter((d) => d.message.startsWith('unknown key')).map((d) => `${f}: ${d.message}`));
    expect(unknown).toEqual([]);
  });

  it('reads the Arm examples without complaint on Arm', () => {
    const armFiles = files.filter((f) => /-arm(32|64)\./.test(f));
    expect(armFiles.length).toBeGreaterThan(0);
    for (const f of armFiles) expect(checkKeys(parseXlCfg(readFileSync(join(CORPUS, f), 'utf8'), f), { arch: 'arm' })).toEqual([]);
  });
});
