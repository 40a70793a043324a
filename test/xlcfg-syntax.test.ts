import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Diagnostic } from '../src/core/errors.js';
import { applyOverrides, decodeConfigText, parseXlCfg, type CfgFile, type Value } from '../parsers/xlcfg/syntax.js';
import {
  diagAt, errorAt, getBool, getList, getLong, getString, getStringList, getStringOrList, parseCLong, posInAtom,
} from '../parsers/xlcfg/access.js';

const CORPUS = join(import.meta.dirname, '../../shared/corpus');

/** The value of every key, lists as nested arrays. */
function values(cfg: CfgFile): Record<string, unknown> {
  const conv = (v: Value): unknown => (v.kind === 'list' ? v.items.map(conv) : v.text);
  return Object.fromEntries([...cfg.settings].map(([k, s]) => [k, conv(s.value)]));
}
const parse = (text: string) => values(parseXlCfg(text, 't.cfg'));

function errors(text: string, file = 't.cfg'): Diagnostic[] {
  try {
    parseXlCfg(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).diagnostics.filter((d) => d.severity === 'error');
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}
/** The first diagnostic of the ConfigError that fn throws. */
function thrown(fn: () => unknown): Diagnostic {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).diagnostics[0];
  }
  throw new Error('expected a ConfigError');
}
/** First error as "line:col message". */
const firstError = (text: string) => {
  const d = errors(text)[0];
  return `${d.line}:${d.col} ${d.message}`;
};

describe('xl.cfg grammar', () => {
  it('reads assignments ended by newline, semicolon or end of file', () => {
    expect(parse('a = 1\nb="x"; c = \'y\'\nd=2')).toEqual({ a: '1', b: 'x', c: 'y', d: '2' });
  });

  it('keeps numbers as text, so quoted and bare numbers read the same', () => {
    const cfg = parseXlCfg('m1 = 512\nm2 = "512"\nh = 0x1f\no = 0755\ne = 1e5', 't');
    expect(getLong(cfg, 'm1')).toBe(512);
    expect(getLong(cfg, 'm2')).toBe(512);
    expect(getLong(cfg, 'h')).toBe(31);
    expect(getLong(cfg, 'o')).toBe(0o755);
    expect(cfg.settings.get('h')!.value).toMatchObject({ kind: 'atom', text: '0x1f', quoted: false });
    expect(cfg.settings.get('m2')!.value).toMatchObject({ quoted: true });
    // like xl's lexer, `1e5` is one number token; strtol then rejects it
    expect(() => getLong(cfg, 'e')).toThrow(/must be a number/);
  });

  it('allows digits, dots and underscores in keys', () => {
    expect(parse('vif.default.script = "x"\nmax_grant_frames=1\nk9=2')).toEqual({ 'vif.default.script': 'x', max_grant_frames: '1', k9: '2' });
  });

  it('skips comments, blank lines and empty statements', () => {
    expect(parse('# head\n\n;;\na = 1 # tail\n  # indented\n\tb = 2\n')).toEqual({ a: '1', b: '2' });
  });

  it('reads nested lists with newlines, comments and trailing commas', () => {
    expect(parse('l = [\n  "a", # first\n  [ 1, 2, ],\n\n  [],\n]\n')).toEqual({ l: ['a', ['1', '2'], []] });
    expect(parse('e = []\nf = [ ]\ng = [\n]')).toEqual({ e: [], f: [], g: [] });
    expect(parse('l = [ "a"\n , "b" ]')).toEqual({ l: ['a', 'b'] });
  });

  it('lets the last assignment win and keeps the order of first appearance', () => {
    const cfg = parseXlCfg('a = 1\nb = 2\na = 3\n', 't');
    expect([...cfg.settings.keys()]).toEqual(['a', 'b']);
    expect(getString(cfg, 'a')).toBe('3');
    expect(cfg.settings.get('a')!.keyPos).toMatchObject({ line: 3, col: 1 });
    expect(cfg.warnings.map((w) => `${w.line}:${w.col} ${w.message}`)).toEqual(['3:1 `a` is set again; the value at line 1 is ignored']);
  });

  it('appends with += to strings and to lists, as xl does', () => {
    const cfg = parseXlCfg('s = "ab"\ns += "cd"\nl = [1]\nl += [2, 3]\nn += "x"\n', 't');
    expect(values(cfg)).toEqual({ s: 'abcd', l: ['1', '2', '3'], n: 'x' });
    expect(cfg.settings.get('s')!.op).toBe('+=');
    expect(cfg.settings.get('n')!.op).toBe('+=');
  });

  it('rejects += that mixes a list and a string', () => {
    expect(firstError('s = "a"\ns += [ "b" ]\n')).toBe('2:6 cannot append a list to the string `s` holds');
    expect(firstError('l = [ "a" ]\nl += "b"\n')).toBe('2:6 cannot append a string to the list `l` holds');
  });

  it('unescapes exactly the escapes xl accepts', () => {
    expect(parse(String.raw`a = "q\"s\'b\\n\n t\t a\a b\b f\f r\r v\v"`).a).toBe('q"s\'b\\n\n t\t a\x07 b\b f\f r\r v\v');
    expect(parse(String.raw`a = 'it\'s "x"'`).a).toBe('it\'s "x"');
    expect(parse('a = "caf\u00e9 \u2603"').a).toBe('caf\u00e9 \u2603');
  });

  it('drops octal-looking escapes the way xl does, with a warning', () => {
    const cfg = parseXlCfg(String.raw`a = "x\101y"`, 't');
    expect(getString(cfg, 'a')).toBe('xy');
    expect(cfg.warnings[0]).toMatchObject({ line: 1, col: 7, message: 'escape `\\101` is dropped: xl removes it from the string' });
    expect(firstError(String.raw`a = "x\1"`)).toBe('1:7 invalid numeric escape in quoted string');
  });

  it('rejects \\x and unknown escapes', () => {
    expect(firstError(String.raw`a = "\x41"`)).toBe('1:6 hex escapes (\\x..) are not accepted by xl');
    expect(firstError(String.raw`a = "a\qb"`)).toBe('1:7 invalid escape `\\q` in quoted string');
  });

  it('ignores one stray character at the very end of the file, as xl does', () => {
    const cfg = parseXlCfg('a = 1 +', 't');
    expect(getLong(cfg, 'a')).toBe(1);
    expect(cfg.warnings[0]).toMatchObject({ line: 1, col: 7, message: 'stray `+` at the end of the file is ignored' });
    expect(parse('a = 1\n#')).toEqual({ a: '1' });
  });
});

describe('xl.cfg syntax errors', () => {
  const cases: Array<[string, string, RegExp?]> = [
    ['type = pvh\n', '1:8 unquoted word `pvh`: string values must be quoted', /write "pvh"/],
    ['memory = 512M\n', '1:13 unexpected `M` after a number', /no unit suffix/],
    ['memory = 512m\n', '1:13 expected end of line or `;` after the value, found word `m`'],
    ['h = 0xFF\n', '1:7 unexpected `FF` after a number', /lower case/],
    ['acpi = True\n', '1:8 `True` is not a value in xl.cfg', /not Python/],
    ['x = None\n', '1:5 `None` is not a value in xl.cfg', /leave the key out/],
    ['acpi = true\n', '1:8 `true` is not a value in xl.cfg', /1 or 0/],
    ['d = {"a": 1}\n', '1:5 `{` is not allowed: xl.cfg has no dicts', /not Python/],
    ['s = """abc"""\n', '1:5 triple-quoted strings are not supported', /not Python/],
    ['m = 256 * 2\n', '1:9 unexpected `*`'],
    ['m = -1\n', '1:5 negative number `-1` must be quoted', /"-1"/],
    ['m = 1.5\n', '1:6 `.` is not allowed here', /not Python/],
    ['f(x)\n', '1:2 `(` is not allowed here', /not Python/],
    ['a = "x"\r\nb = 1\r\n', '1:8 carriage return (Windows line ending) is not allowed', /dos2unix/],
    ['a = "abc\nb = 1\n', '1:5 unterminated string: no closing " on this line', /must end on the line/],
    ['a = 1\n# last', '2:1 comment on the last line has no newline after it', /add one/],
    ['a = 1 # c', '1:7 comment on the last line has no newline after it'],
    ['Name = "x"\n', '1:1 unexpected `Name`: keys are lower case'],
    ['name = "x"\nfooBar = 1\n', '2:4 unexpected `Bar`: keys are lower case'],
    ['\ufeffa = 1\n', '1:1 byte-order mark at the start of the file is not allowed'],
    ['a = [1 2]\n', '1:8 expected `,` or `]` in list, found number `2`', /commas/],
    ['a = [1,,2]\n', '1:8 expected a value, found `,`'],
    ['a = [,]\n', '1:6 expected a value, found `,`'],
    ['a = [1,\n2\n', '1:5 this `[` is never closed', /closing/],
    ['a = ]\n', '1:5 expected a value, found `]`'],
    ['a =\nb = 1\n', '1:4 missing value after `=`'],
    ['a = 1 2\n', '1:7 expected end of line or `;` after the value, found number `2`', /one value/],
    ['a "x"\n', '1:3 expected `=` after key `a`'],
    ['a\n', '1:2 expected `=` or `+=` after key `a`, found end of line'],
    ['"x" = 1\n', '1:1 expected a key, found string "x"'],
    ['1 = 2\n', '1:1 expected a key, found number `1`'],
    ['a = [ "x"; "y" ]\n', '1:10 expected `,` or `]` in list, found `;`'],
    ['a = "\t"\nb = 1 = 2\n', '2:7 expected end of line or `;` after the value, found `=`'],
  ];
  for (const [text, want, hint] of cases) {
    it(`${JSON.stringify(text)} -> ${want}`, () => {
      const d = errors(text)[0];
      expect(`${d.line}:${d.col} ${d.message}`).toBe(want);
      expect(d.file).toBe('t.cfg');
      expect(d.excerpt).toBe(text.replace(/^\ufeff/, '\ufeff').split('\n')[d.line - 1].replace(/\r$/, ''));
      if (hint) expect(d.hint).toMatch(hint);
    });
  }

  it('reports one error per bad line and keeps going', () => {
    const ds = errors('a = pv\nb = 1\nc = [1 2]\nd = 3 4\n');
    expect(ds.map((d) => d.line)).toEqual([1, 3, 4]);
  });

  it('puts the caret under the whole offending word', () => {
    expect(errors('type = hvm\n')[0]).toMatchObject({ col: 8, length: 3 });
  });

  it('says the file is not text when it has NUL bytes or is not UTF-8', () => {
    expect(firstError('a = 1\nb\0c')).toBe('2:2 not a text file (contains NUL bytes)');
    expect(() => decodeConfigText(new Uint8Array([0x61, 0x3d, 0xff, 0xfe]), 'bin')).toThrow(/bin:1:1: not valid UTF-8 text/);
    expect(decodeConfigText(new TextEncoder().encode('a = "\u00e9"\n'), 'ok')).toBe('a = "\u00e9"\n');
  });

  it('reads 1 MB of config in linear time, including pathological input', () => {
    const long = 'k = [' + '"abcdefgh", '.repeat(90_000) + ']\n';
    let t = performance.now();
    const cfg = parseXlCfg(long, 'big');
    expect(getList(cfg, 'k')).toHaveLength(90_000);
    expect(performance.now() - t).toBeLessThan(2000);
    // many unterminated quotes on one line: must not rescan the line per quote
    const quotes = 'a = ' + '" '.repeat(500_000) + '\n';
    t = performance.now();
    expect(() => parseXlCfg(quotes, 'q')).toThrow(ConfigError);
    expect(performance.now() - t).toBeLessThan(2000);
  });

  it('gives up on list nesting exactly where xl\'s parser runs out of stack', () => {
    const nest = (n: number) => 'a = ' + '['.repeat(n) + ']'.repeat(n) + '\n';
    expect(getList(parseXlCfg(nest(4996), 'deep'), 'a')).toHaveLength(1);
    expect(firstError(nest(4997))).toBe('1:5001 lists are nested too deeply for xl');
    // a list after a comma costs xl more stack than a first item
    const commas = (n: number) => 'a = ' + '["a",'.repeat(n) + ']'.repeat(n) + '\n';
    expect(() => parseXlCfg(commas(1999), 'deep')).not.toThrow();
    expect(() => parseXlCfg(commas(2000), 'deep')).toThrow(/nested too deeply/);
    // far deeper input fails cleanly, without overflowing our own stack
    expect(() => parseXlCfg(nest(200_000), 'deep')).toThrow(/nested too deeply/);
  });
});

describe('command-line overrides', () => {
  it('apply after the file, later wins, += appends to the file value', () => {
    const cfg = applyOverrides(parseXlCfg('memory = 512\ndisk = [ "a" ]\nname = "x"\n', 'f.cfg'), ['memory=1024', 'disk += [ "b" ]', 'memory=2048']);
    expect(values(cfg)).toEqual({ memory: '2048', disk: ['a', 'b'], name: 'x' });
    expect(getLong(cfg, 'memory')).toBe(2048);
  });

  it('report errors against "<command line>" with the override as excerpt', () => {
    const base = parseXlCfg('memory = 512\n', 'f.cfg');
    try {
      applyOverrides(base, ['vcpus=2', 'memory=lots']);
      expect.unreachable();
    } catch (e) {
      const d = (e as ConfigError).diagnostics[0];
      expect(d).toMatchObject({ file: '<command line>', line: 1, col: 8, excerpt: 'memory=lots' });
    }
    const cfg = applyOverrides(base, ['vcpus="two"']);
    expect(() => getLong(cfg, 'vcpus')).toThrow(/<command line>:1:7: `vcpus` must be a number/);
    expect(getLong(base, 'memory')).toBe(512);
    expect(base.settings.has('vcpus')).toBe(false);
  });
});

describe('accessors', () => {
  const cfg = parseXlCfg([
    'name = "vm1"', 'mem = 1024', 'neg = "-5"', 'sp = " 12"', 'octbad = "09"', 'unit = "512M"',
    'big = "9223372036854775808"', 'yes = "yes"', 'on = 1', 'off = 0', 'two = 2',
    'disks = [ "a", "b" ]', 'nested = [ "a", [ "b" ] ]', 'one = "x"', 'plus += 1',
  ].join('\n') + '\n', 'acc.cfg');

  it('getString returns atoms as text and rejects lists', () => {
    expect(getString(cfg, 'name')).toBe('vm1');
    expect(getString(cfg, 'mem')).toBe('1024');
    expect(getString(cfg, 'absent')).toBeUndefined();
    expect(() => getString(cfg, 'disks')).toThrow(/acc.cfg:12:9: `disks` takes a single value, not a list/);
  });

  it('getLong follows strtol base 0', () => {
    expect(getLong(cfg, 'neg')).toBe(-5);
    expect(getLong(cfg, 'sp')).toBe(12);
    expect(getLong(cfg, 'absent')).toBeUndefined();
    expect(thrown(() => getLong(cfg, 'octbad'))).toMatchObject({ line: 5, col: 10, length: 4, message: '`octbad` must be a number, found "09"' });
    expect(thrown(() => getLong(cfg, 'octbad')).hint).toMatch(/leading 0 makes a number octal/);
    expect(thrown(() => getLong(cfg, 'unit')).hint).toMatch(/no unit/);
    expect(() => getLong(cfg, 'unit')).toThrow(/acc.cfg:6:8: `unit` must be a number, found "512M"/);
    expect(() => getLong(cfg, 'big')).toThrow(/out of range/);
    expect(() => getLong(cfg, 'disks')).toThrow(/not a list/);
    expect(() => getLong(cfg, 'plus')).toThrow(/acc.cfg:15:1: `\+=` cannot be used with `plus`/);
    expect(() => getLong(cfg, 'mem', 0, 100)).toThrow(/1024 is greater than the maximum 100/);
    expect(() => getLong(cfg, 'neg', 0)).toThrow(/-5 is smaller than the minimum 0/);
  });

  it('parseCLong matches C strtol edge cases', () => {
    const ok = (s: string) => { const r = parseCLong(s); return r.ok ? r.value : r.reason; };
    expect(ok('0x10')).toBe(16n);
    expect(ok('0X10')).toBe(16n);
    expect(ok('010')).toBe(8n);
    expect(ok('-0x10')).toBe(-16n);
    expect(ok('+7')).toBe(7n);
    expect(ok('0x')).toBe('invalid');
    expect(ok('')).toBe('invalid');
    expect(ok('12 ')).toBe('invalid');
    expect(ok('-9223372036854775808')).toBe(-(2n ** 63n));
    expect(ok('9223372036854775807')).toBe(2n ** 63n - 1n);
    expect(ok('0x8000000000000000')).toBe('range');
  });

  it('getBool reads numbers, non-zero is true', () => {
    expect(getBool(cfg, 'on')).toBe(true);
    expect(getBool(cfg, 'off')).toBe(false);
    expect(getBool(cfg, 'two')).toBe(true);
    expect(getBool(cfg, 'absent')).toBeUndefined();
    expect(thrown(() => getBool(cfg, 'yes')).hint).toMatch(/write 1 or 0/);
  });

  it('getList and getStringList want lists', () => {
    expect(getList(cfg, 'disks')!.map((v) => v.kind === 'atom' && v.text)).toEqual(['a', 'b']);
    expect(getStringList(cfg, 'disks')).toEqual(['a', 'b']);
    expect(getStringList(cfg, 'absent')).toBeUndefined();
    expect(() => getList(cfg, 'one')).toThrow(/acc.cfg:14:7: `one` takes a list, not a single value/);
    try { getList(cfg, 'one'); } catch (e) { expect((e as ConfigError).hint).toMatch(/one = \[ "x" \]/); }
    expect(() => getStringList(cfg, 'nested')).toThrow(/acc.cfg:13:17: items of `nested` must be strings/);
    expect(getStringOrList(cfg, 'one')).toEqual({ string: 'x' });
    expect(getStringOrList(cfg, 'disks')).toEqual({ list: ['a', 'b'] });
  });

  it('posInAtom maps text offsets back to the source, through quotes and escapes', () => {
    const c = parseXlCfg('disk = [ "a\\"b,vdev=xvdz" ]\nbare = 12345\nj = "ab"\nj += \'cd\'\n', 'p.cfg');
    const atom = getList(c, 'disk')![0];
    if (atom.kind !== 'atom') throw new Error('atom expected');
    expect(atom.text).toBe('a"b,vdev=xvdz');
    const at = atom.text.indexOf('xvdz');
    expect(posInAtom(c, atom, at)).toEqual({ line: 1, col: 21, offset: 20 });
    expect(c.text.slice(20, 24)).toBe('xvdz');
    const bare = c.settings.get('bare')!.value;
    if (bare.kind !== 'atom') throw new Error('atom expected');
    expect(posInAtom(c, bare, 2).col).toBe(10);
    const joined = c.settings.get('j')!.value;
    if (joined.kind !== 'atom') throw new Error('atom expected');
    expect(joined.text).toBe('abcd');
    expect(posInAtom(c, joined, 3)).toMatchObject({ line: 4, col: 8 });
    const d = diagAt(c, posInAtom(c, atom, at), 'bad vdev', 'use xvda', 4);
    expect(d).toMatchObject({ file: 'p.cfg', line: 1, col: 21, length: 4, excerpt: 'disk = [ "a\\"b,vdev=xvdz" ]', severity: 'error' });
    expect(() => errorAt(c, atom.pos, 'boom')).toThrow(/p.cfg:1:10: boom/);
  });
});

describe.skipIf(!existsSync(CORPUS))('corpus configs', () => {
  const files = ['libvirt-xl', 'xen-examples'].flatMap((d) =>
    existsSync(join(CORPUS, d)) ? readdirSync(join(CORPUS, d)).filter((f) => !f.endsWith('.xml')).map((f) => join(d, f)) : []);

  it('finds the corpus files', () => expect(files.length).toBeGreaterThan(60));

  for (const f of files) {
    it(`parses ${f}`, () => {
      const cfg = parseXlCfg(readFileSync(join(CORPUS, f), 'utf8'), f);
      expect(cfg.warnings).toEqual([]);
      if (f.endsWith('xl.conf') || f.endsWith('cpupool')) return;
      // the name the real xl read from the same file
      const base = f.replace(/^libvirt-xl\/(.*)\.cfg$/, 'libvirt-xl/$1');
      const json = join(CORPUS, 'xl-dryrun', base + '.json');
      const want = existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')).c_info.name : undefined;
      if (want !== undefined) expect(getString(cfg, 'name')).toBe(want);
      else expect(getString(cfg, 'name')).toBeTruthy();
    });
  }

  it('reads the nested vsnd lists that xl rejects only for a missing kernel', () => {
    const f = 'xen-examples/docs-xlcfg5.vsnd-nested-list.cfg';
    const cfg = parseXlCfg(readFileSync(join(CORPUS, f), 'utf8'), f);
    const vsnd = getList(cfg, 'vsnd')!;
    expect(vsnd).toHaveLength(2);
    expect(vsnd.map((c) => c.kind === 'list' && c.items.length)).toEqual([4, 4]);
    expect(cfg.settings.has('kernel')).toBe(false);
    const stderr = join(CORPUS, 'xl-dryrun/xen-examples/docs-xlcfg5.vsnd-nested-list.cfg.stderr');
    if (existsSync(stderr)) expect(readFileSync(stderr, 'utf8')).toMatch(/Neither kernel nor bootloader specified/);
  });
});
