// txl's xl.cfg reader against the real one: for thousands of configs mutated from the
// corpus, txl's parseXlCfg and libxlutil 4.17 (through koffi) must agree on accepting or
// rejecting the text, and on the line of the first error. The few disagreements that are
// deliberate are recognised by name below and listed, with their reason, in RELIABILITY.md;
// anything else fails the test with the input to replay.
//
// DIFF_CASES sets the number of mutated configs (default 3000); FUZZ_SEED the seed.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.js';
import { parseXlCfg } from '../parsers/xlcfg/syntax.js';
import { HAVE_CORPUS } from './support/txl.js';
import { CFG_PIECES, corpusFiles, fuzzSeed, mutations, applyMutations } from './support/mutate.js';
import { loadXlu, type Xlu } from './support/xlu.js';

const FILE = 'guest.cfg';
const xlu = loadXlu();
const HAVE_XLU = typeof xlu !== 'string';
if (!HAVE_XLU) console.log(`[differential] skipped: ${xlu}`);

interface Verdict { ok: boolean; line?: number }

function txlVerdict(text: string): Verdict {
  try {
    parseXlCfg(text, FILE);
    return { ok: true };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return { ok: false, line: e.diagnostics.find((d) => d.severity === 'error')?.line };
  }
}

type XlVerdict = Verdict & { report: string; crashed?: string };

function xlVerdicts(texts: string[]): XlVerdict[] {
  return (xlu as Xlu).parseAll(texts, FILE).map((r) => ({ ok: r.rc === 0, line: r.firstErrorLine, report: r.report, crashed: r.crashed }));
}

/**
 * Deliberate differences, each with the reason it is kept. A disagreement matching none of
 * these is a bug in txl's reader (or a new quirk of xl's) and fails the test.
 */
const KNOWN: { name: string; why: string; test: (text: string, txl: Verdict, xl: XlVerdict) => boolean }[] = [
  {
    name: 'libxlutil aborts on NUL',
    why: 'a NUL byte inside a quoted string trips an assertion in libxlutil 4.17 (xlu__cfgl_dequote) and xl dies with SIGABRT; txl refuses the file as not text',
    test: (t, txl, xl) => xl.crashed !== undefined && !txl.ok && t.includes('\0'),
  },
  {
    name: 'non-text input',
    why: 'txl refuses text holding NUL or U+FFFD (a file that is not UTF-8 text) before parsing; xl reads bytes',
    test: (t, txl, xl) => !txl.ok && !xl.crashed && /[\0\ufffd]/.test(t),
  },
  {
    name: 'append without a line',
    why: 'xl rejects `+=` of a list to a string (or the reverse) with EINVAL but prints no message; txl says where',
    test: (_t, txl, xl) => !txl.ok && !xl.ok && xl.line === undefined && xl.report.trim() === '',
  },
  {
    name: 'end of line one line early',
    why: 'when the unexpected token is the end of a line, xl 4.17 names the line before it (line 0 for the first line): its lexer gives NEWLINE tokens the line yylineno-1; txl names the line that ends',
    test: (_t, txl, xl) => !txl.ok && !xl.ok && txl.line !== undefined && xl.line === txl.line - 1 && /^[^\n]*unexpected NEWLINE/.test(xl.report),
  },
  {
    name: 'unclosed bracket',
    why: 'for a `[` never closed, xl reports the end of the file; txl points at the `[` itself, which is where the fix goes',
    test: (t, txl, xl) => !txl.ok && !xl.ok && xl.line !== undefined && txl.line !== undefined && txl.line < xl.line && /unexpected \$end/.test(xl.report) && t.split('\n')[txl.line - 1].includes('['),
  },
];

interface Outcome { agree: number; accepted: number; known: Map<string, { count: number; example: string }>; unknown: { text: string; txl: Verdict; xl: XlVerdict }[] }

function compare(texts: string[]): Outcome {
  const out: Outcome = { agree: 0, accepted: 0, known: new Map(), unknown: [] };
  const xl = xlVerdicts(texts);
  for (const [i, text] of texts.entries()) {
    const a = txlVerdict(text);
    const b = xl[i];
    if (a.ok && b.ok) out.accepted++;
    const same = !b.crashed && a.ok === b.ok && (a.ok || b.line === undefined || a.line === b.line);
    if (same) {
      out.agree++;
      continue;
    }
    const k = KNOWN.find((x) => x.test(text, a, b));
    if (k) {
      const prev = out.known.get(k.name);
      out.known.set(k.name, { count: (prev?.count ?? 0) + 1, example: prev?.example ?? text });
    } else out.unknown.push({ text, txl: a, xl: b });
  }
  return out;
}

function report(what: string, o: Outcome): void {
  const known = [...o.known].map(([k, v]) => `${k}: ${v.count}`).join(', ') || 'none';
  console.log(`[differential] ${what}: ${o.agree} agree; known differences: ${known}; unexplained: ${o.unknown.length}`);
  for (const u of o.unknown.slice(0, 8)) {
    console.log(`  input ${JSON.stringify(u.text)}\n    txl: ${JSON.stringify(u.txl)}\n    xl:  ${JSON.stringify({ ok: u.xl.ok, line: u.xl.line })} ${u.xl.report.trim()}`);
  }
}

const seeds = [
  ...corpusFiles('xen-examples', ['.cfg', 'xlexample.hvm', 'xlexample.pvlinux', 'xlexample.pvhlinux', 'xl.conf', 'cpupool']),
  ...corpusFiles('libvirt-xl', ['.cfg']),
];

describe.skipIf(!HAVE_XLU)('xl.cfg: txl and libxlutil 4.17 agree', () => {
  afterAll(() => (xlu as Xlu).close());
  it('on hand-written edge cases', () => {
    const cases = [
      'a = 1\n', 'a = b\n', 'a = "x\n', 'x=1\nA = 1\n', 'a = [1,\n2,\n', 'a="\\x41"\n', 'a=1\n\n$$$\n', '#c', 'a=1 #c', 'a=1 #c\n',
      'a = [ 1, 2, ]\n', 'a = []\n', 'a = [\n]\n', 'a = 1; b = 2\n', 'a = 1;;\n', ';\n', 'a += "x"\n', 'a = "x"\na += [ "y" ]\n',
      'a = 0x1f\n', 'a = 1e3\n', 'a = "\\0"\n', 'a = "\\07x"\n', 'a = "\\q"\n', 'a = \'x\'\n', 'a = "a" "b"\n', 'a = [ [ 1 ] ]\n',
      'a.b_c = 1\n', '_a = 1\n', '1 = 1\n', 'a = True\n', 'a = -1\n', 'a = """x"""\n', 'a = 1\r\n', '\ufeffa = 1\n', 'a = {}\n',
      'a = "x\0y"\n', // libxlutil aborts on this one; the harness survives it
    ];
    const o = compare(cases);
    report('edge cases', o);
    expect(o.unknown).toEqual([]);
    expect(o.known.get('libxlutil aborts on NUL')?.count).toBe(1);
    expect(o.agree).toBeGreaterThan(cases.length * 0.8);
  });

  it.skipIf(!HAVE_CORPUS)('on every corpus config as it is', () => {
    const o = compare(seeds.map(([, t]) => t));
    report('corpus', o);
    expect(o.unknown).toEqual([]);
  });

  const n = Number(process.env.DIFF_CASES) || 3000;
  it.skipIf(!HAVE_CORPUS)('on mutated corpus configs', () => {
    const seed = fuzzSeed();
    console.log(`[differential] ${n} mutated configs, seed=${seed} (replay: FUZZ_SEED=${seed} DIFF_CASES=${n})`);
    const gen = fc.tuple(fc.constantFrom(...seeds), mutations(CFG_PIECES, 5)).map(([[, t], ms]) => applyMutations(t, ms));
    const texts = fc.sample(gen, { seed, numRuns: n });
    const o = compare(texts);
    report('mutations', o);
    console.log(`[differential] of ${texts.length}: ${o.accepted} accepted by both, ${texts.length - o.accepted} rejected by at least one`);
    expect(o.unknown.slice(0, 5)).toEqual([]);
    // both outcomes must be exercised, or the comparison proves little
    expect(o.accepted).toBeGreaterThan(n / 10);
    expect(texts.length - o.accepted).toBeGreaterThan(n / 10);
  }, Math.max(60_000, n * 10));
});
