// The xl.cfg reader under attack: random text, configs built from the key catalogue with
// values of every shape, and mutations of real configs. Whatever comes in, the reader either
// gives a config or throws a ConfigError whose diagnostics point inside the text; and a 1 MB
// config costs about ten times a 100 KB one, never a hundred.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatDiagnostic, type Diagnostic } from '../src/core/errors.js';
import { parseXlCfg } from '../parsers/xlcfg/syntax.js';
import { xlcfgToModel } from '../parsers/xlcfg/to-model.js';
import { KNOWN_KEYS } from '../parsers/xlcfg/keys.js';
import { modelToLibxlJson } from '../parsers/libxl-json.js';
import { HAVE_CORPUS } from './support/txl.js';
import { CFG_PIECES, corpusFiles, expectValidDiagnostics, mutatedFrom, params, runs, scalingRatio } from './support/mutate.js';

const FILE = 'guest.cfg';
const CMDLINE = '<command line>';

/** Runs the reader; any exception other than a ConfigError fails, with the input to replay. */
function read(text: string, overrides: string[] = []): { ok: boolean; diags: Diagnostic[] } {
  const texts: Record<string, string> = { [FILE]: text };
  if (overrides.length) texts[CMDLINE] = overrides[0];
  let diags: Diagnostic[];
  let ok: boolean;
  try {
    const r = xlcfgToModel(text, FILE, { overrides });
    // what reads must also be writable as libxl JSON, the form handed to libxl
    expect(() => JSON.parse(modelToLibxlJson(r.config))).not.toThrow();
    diags = r.warnings;
    ok = true;
  } catch (e) {
    if (!(e instanceof ConfigError)) {
      throw new Error(`not a ConfigError for input ${JSON.stringify(text)} overrides ${JSON.stringify(overrides)}: ${(e as Error)?.stack ?? e}`);
    }
    expect(e.diagnostics.length, 'a ConfigError carries at least one diagnostic').toBeGreaterThan(0);
    expect(e.diagnostics.some((d) => d.severity === 'error'), 'a ConfigError carries an error').toBe(true);
    diags = e.diagnostics;
    ok = false;
  }
  expectValidDiagnostics(diags, texts, `input ${JSON.stringify(text.length > 400 ? text.slice(0, 400) + '...' : text)}`);
  for (const d of diags.slice(0, 3)) formatDiagnostic(d, true);
  return { ok, diags };
}

/** The syntax layer alone: the same contract. */
function readSyntax(text: string): void {
  try {
    parseXlCfg(text, FILE);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw new Error(`not a ConfigError for ${JSON.stringify(text)}: ${(e as Error)?.stack}`);
    expectValidDiagnostics(e.diagnostics, { [FILE]: text }, JSON.stringify(text));
  }
}

// --- arbitraries --------------------------------------------------------------------------

const word = fc.stringMatching(/^[a-z0-9=:,._\/ -]{0,12}$/);
const atom = fc.oneof(
  fc.integer({ min: -5, max: 1 << 20 }).map(String),
  fc.constantFrom('0', '1', '0x10', '99999999999999999999', '4294967296', '-1', '1.5', '0777'),
  word.map((w) => JSON.stringify(w)),
  fc.constantFrom('"pv"', '"hvm"', '"pvh"', '"destroy"', '"restart"', '"all"', '"0-3"', '"nodes:0"', '"xvda"', '""', '"vnc=1"'),
  fc.string({ maxLength: 8 }).map((s) => `"${s.replace(/["\\\n]/g, '')}"`),
);
const value: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.array(tie('v'), { maxLength: 4 }).map((xs) => `[ ${xs.join(', ')} ]`),
  ),
})).v;
const keyNames = [...KNOWN_KEYS.keys()];
const setting = fc.tuple(fc.constantFrom(...keyNames, 'bogus_key', 'x'), fc.constantFrom('=', '=', '=', '+='), value).map(([k, op, v]) => `${k} ${op} ${v}`);
/** A config built from the catalogue: mostly valid syntax, values of any shape for any key. */
const catalogueConfig = fc
  .tuple(fc.array(setting, { maxLength: 12 }), fc.constantFrom('pv', 'hvm', 'pvh'), fc.boolean())
  .map(([lines, type, base]) => (base ? [`name = "g"`, `type = "${type}"`, `kernel = "/k"`, `memory = 256`, ...lines] : lines).join('\n') + '\n');

const cfgChars = fc.string({ unit: fc.constantFrom(...'abz09 \t\n"\'[],=+;#\\.-_xXT\r{}'.split('')), maxLength: 80 });

// --- properties ---------------------------------------------------------------------------

describe('xl.cfg reader: any input gives a config or a positioned ConfigError', () => {
  it('random text from the xl.cfg alphabet (syntax layer)', () => {
    fc.assert(fc.property(cfgChars, (t) => readSyntax(t)), params('xlcfg-syntax-chars', runs(3000)));
  });

  it('random unicode text (whole reader)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (t) => void read(t)), params('xlcfg-unicode', runs(300)));
  });

  it('configs built from the key catalogue, values of every shape', () => {
    let accepted = 0;
    fc.assert(fc.property(catalogueConfig, (t) => { if (read(t).ok) accepted++; }), params('xlcfg-catalogue', runs(800)));
    // the generator must reach the mapping layer, not only the syntax errors
    expect(accepted).toBeGreaterThan(0);
  });

  it('with command-line overrides (key=value after the file)', () => {
    fc.assert(fc.property(catalogueConfig, setting, (t, o) => void read(t, [o])), params('xlcfg-overrides', runs(300)));
  });
});

const cfgs = [...corpusFiles('xen-examples', ['.cfg']), ...corpusFiles('libvirt-xl', ['.cfg']), ...corpusFiles('xen-examples', ['xlexample.hvm', 'xlexample.pvlinux', 'xlexample.pvhlinux'])];
describe.skipIf(!HAVE_CORPUS || cfgs.length === 0)('xl.cfg reader: mutations of the corpus configs', () => {
  it(`${cfgs.length} corpus configs, mutated (insert/delete/swap, quotes, brackets, +=, comments, escapes)`, () => {
    let accepted = 0;
    fc.assert(fc.property(mutatedFrom(cfgs, CFG_PIECES), ([, t]) => { if (read(t).ok) accepted++; }), params('xlcfg-corpus-mutations', runs(1200)));
    expect(accepted).toBeGreaterThan(0);
  });

  it('every corpus config itself reads or fails cleanly', () => {
    for (const [, t] of cfgs) read(t);
  });
});

describe('xl.cfg reader: hostile shapes', () => {
  it.each([
    ['deep nesting at the limit and beyond', `x = ${'['.repeat(5000)}${']'.repeat(5000)}\n`],
    ['unclosed nesting', `x = ${'['.repeat(20000)}\n`],
    ['a million commas', `x = [ ${'1,'.repeat(100000)} ]\n`],
    ['every line an error', 'x = y\n'.repeat(20000)],
    ['unterminated strings on every line', 'x = "a\n'.repeat(20000)],
    ['one long line of quotes', `x = ${'"a'.repeat(50000)}\n`],
    ['NUL byte', 'name = "a\0b"\n'],
    ['lone surrogate', 'name = "\ud800"\n'],
    ['only CR line ends', 'name = "g"\rmemory = 1\r'],
    ['comment without newline at EOF', 'name = "g"\n# end'],
    ['a key set 10000 times', 'memory = 1\n'.repeat(10000)],
    ['+= 10000 times', 'name = "a"\n' + 'name += "b"\n'.repeat(10000)],
  ])('%s', (_what, text) => {
    // a generous bound: this catches hangs; growth is the linear-time tests' business
    const t0 = performance.now();
    read(text);
    expect(performance.now() - t0).toBeLessThan(15_000);
  });
});

describe('xl.cfg reader: linear time', () => {
  const valid = (n: number) => {
    const lines: string[] = ['name = "big"', 'type = "hvm"', 'memory = 512'];
    for (let i = 0, len = 0; len < n; i++) {
      const more = [`# guest ${i}`, `disk = [ "format=raw, vdev=xvd${String.fromCharCode(97 + (i % 26))}, access=rw, target=/dev/vg/d${i}" ]`, `cmdline = "console=hvc0 root=/dev/xvda${i}"`];
      lines.push(...more);
      len += more.join('\n').length + 1;
    }
    return lines.join('\n') + '\n';
  };
  const errors = (n: number) => 'x = y\nz = "open\nw = [ 1, 2\n'.repeat(Math.ceil(n / 28));
  const longList = (n: number) => `vif = [ ${Array.from({ length: Math.ceil(n / 20) }, (_, i) => `"bridge=br${i % 999}"`).join(', ')} ]\nname = "g"\nkernel = "/k"\n`;
  const longLine = (n: number) => `cmdline = "${'a'.repeat(n)}"\nname = "g"\nkernel = "/k"\n`;
  const junkLine = (n: number) => `x = ${'@ '.repeat(Math.ceil(n / 2))}\n`;

  it.each([
    ['a valid config', valid],
    ['a config made of errors', errors],
    ['one long list', longList],
    ['one long string', longLine],
    ['one long line of bad characters', junkLine],
  ])('%s: 1 MB costs < 30x 100 KB', (what, make) => {
    const r = scalingRatio('parsers/xlcfg/to-model.ts', 'xlcfgToModel', make(100_000), make(1_000_000), [FILE]);
    console.log(`[fuzz] ${what}: 100 KB ${r.small.toFixed(1)} ms, 1 MB ${r.big.toFixed(1)} ms, ratio ${r.ratio.toFixed(1)}`);
    expect(r.ratio).toBeLessThan(30);
  });
});
