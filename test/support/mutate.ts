// Seeded inputs for the fuzz and differential tests: mutations of real files (insert, delete,
// swap, duplicate...), drawn by fast-check so that every failure shrinks and replays from its
// seed. FUZZ_SEED fixes the seed, FUZZ_RUNS scales the number of cases.
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from "vitest";
import type { Diagnostic } from '../../src/core/errors.js';
import { CORPUS, ROOT } from './txl.js';

/** The seed for this run: FUZZ_SEED, else a fixed one so that CI runs are reproducible. */
export function fuzzSeed(fallback = 20261121): number {
  const s = Number(process.env.FUZZ_SEED);
  return Number.isInteger(s) ? s : fallback;
}

/** numRuns scaled by FUZZ_RUNS (a multiplier, default 1). */
export function runs(base: number): number {
  const m = Number(process.env.FUZZ_RUNS);
  return Math.max(1, Math.round(base * (Number.isFinite(m) && m > 0 ? m : 1)));
}

/** fc.assert parameters that print how to replay a failure. */
export function params(name: string, numRuns: number, seed = fuzzSeed()): fc.Parameters<unknown> {
  // the seed is printed up front too, so that a hang (which fast-check cannot report) replays
  console.log(`[fuzz] ${name}: seed=${seed} runs=${numRuns} (replay: FUZZ_SEED=${seed})`);
  return { seed, numRuns, endOnFailure: false, verbose: 1 };
}

/** Files of a corpus folder with one of the given extensions, as [name, text]. */
export function corpusFiles(sub: string, exts: string[]): [string, string][] {
  const dir = join(CORPUS, sub);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => exts.some((e) => f.endsWith(e)))
    .sort()
    .map((f) => [f, readFileSync(join(dir, f), 'utf8')]);
}

export type Mutation =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; len: number }
  | { op: 'swap'; at: number }
  | { op: 'dupline'; at: number }
  | { op: 'dropline'; at: number }
  | { op: 'swaplines'; at: number; other: number }
  | { op: 'truncate'; at: number }
  | { op: 'replace'; at: number; text: string };

/** Pieces that matter to xl.cfg's lexer and parser, and to XML and JSON readers. */
export const CFG_PIECES = [
  '"', "'", '[', ']', ',', '=', '+=', ';', '#', '\n', ' ', '\t', '\\', '\\n', '\\"', '\\x41', '\\0', '\\07', '\\q',
  '\r', '\r\n', 'a', 'Z', '0', '0x1f', '1e3', '-1', '.', '_', 'True', 'None', '{', '}', '(', ')', ':', '$', '\ufeff', 'é',
  '"abc"', "'x'", '[ ]', '[[', ']]', '# c\n', 'key = 1\n', 'x += "y"\n', 'x += [ "y" ]\n', '"""', '\u00a0', '\u2028',
];
export const XML_PIECES = [
  '<', '>', '/', '</', '/>', '"', "'", '=', '&', '&amp;', '&lt;', '&#65;', '&#x0;', '&foo;', '<!--', '-->', '<![CDATA[', ']]>',
  '<!DOCTYPE d>', '<!ENTITY e "x">', '<?xml version="1.0"?>', '\n', ' ', 'a', '0', '-1', '4294967296', 'yes', 'xen', 'hvm',
  '<x/>', '<disk/>', "<source file='/x'/>", "unit='KiB'", "type='kvm'", '\u0000', '\u0001', 'é', '\ufeff',
];
export const JSON_PIECES = [
  '{', '}', '[', ']', ':', ',', '"', '\\', '\\u', '\\u0041', 'true', 'false', 'null', '0', '-1', '1e400', '1.5', '"x"',
  '\n', ' ', '"type.pv": {}', '"c_info": {}', '"__proto__": 1', 'NaN', '\u0000', '\ufeff',
];

/** A list of mutations for a text of length `len` (positions are scaled into it when applied). */
export function mutations(pieces: string[], max = 6): fc.Arbitrary<Mutation[]> {
  const pos = fc.nat({ max: 1_000_000 });
  const piece = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...pieces) },
    { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(...pieces), { maxLength: 5 }).map((a) => a.join('')) },
  );
  const m: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ op: fc.constant('insert' as const), at: pos, text: piece }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('delete' as const), at: pos, len: fc.integer({ min: 1, max: 8 }) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('swap' as const), at: pos }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('replace' as const), at: pos, text: piece }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('dupline' as const), at: pos }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('dropline' as const), at: pos }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('swaplines' as const), at: pos, other: pos }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: pos }) },
  );
  return fc.array(m, { minLength: 1, maxLength: max });
}

export function applyMutations(text: string, ms: Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const at = t.length ? m.at % (t.length + 1) : 0;
    switch (m.op) {
      case 'insert': t = t.slice(0, at) + m.text + t.slice(at); break;
      case 'delete': t = t.slice(0, at) + t.slice(at + m.len); break;
      case 'replace': t = t.slice(0, at) + m.text + t.slice(at + m.text.length); break;
      case 'swap': if (at + 1 < t.length) t = t.slice(0, at) + t[at + 1] + t[at] + t.slice(at + 2); break;
      case 'truncate': t = t.slice(0, at); break;
      default: {
        const lines = t.split('\n');
        const i = m.at % lines.length;
        if (m.op === 'dupline') lines.splice(i, 0, lines[i]);
        else if (m.op === 'dropline') lines.splice(i, 1);
        else {
          const j = m.other % lines.length;
          [lines[i], lines[j]] = [lines[j], lines[i]];
        }
        t = lines.join('\n');
      }
    }
  }
  return t;
}

/** A mutated corpus file: [file name, mutated text]. */
export function mutatedFrom(files: [string, string][], pieces: string[], max = 6): fc.Arbitrary<[string, string]> {
  return fc.tuple(fc.constantFrom(...files), mutations(pieces, max)).map(([[name, text], ms]) => [name, applyMutations(text, ms)] as [string, string]);
}

let lastText: string | undefined;
let lastLines: string[] = [];
function linesOf(text: string): string[] {
  if (text !== lastText) [lastText, lastLines] = [text, text.split('\n')];
  return lastLines;
}

/**
 * What every diagnostic must satisfy: a file, a line inside the text it is about, a column
 * inside that line (one past its end for "end of line/file"), and a message. Returns the
 * first problem, so that a caller checks thousands of diagnostics with one expect.
 */
export function diagnosticProblem(d: Diagnostic, texts: Record<string, string>): string | undefined {
  if (d.severity !== 'error' && d.severity !== 'warning') return 'bad severity';
  if (typeof d.message !== 'string' || !d.message) return 'no message';
  if (!Number.isInteger(d.line) || !Number.isInteger(d.col)) return 'line or column is not an integer';
  const text = texts[d.file];
  if (text === undefined) return `unknown file (known: ${Object.keys(texts).join(', ')})`;
  const lines = linesOf(text);
  if (d.line < 1 || d.line > lines.length) return `line outside 1..${lines.length}`;
  const lineLen = lines[d.line - 1].length;
  if (d.col < 1 || d.col > lineLen + 1) return `column outside 1..${lineLen + 1}`;
  return undefined;
}

export function expectValidDiagnostics(ds: Diagnostic[], texts: Record<string, string>, context: string): void {
  for (const d of ds) {
    const problem = diagnosticProblem(d, texts);
    if (problem) expect.fail(`${context}: ${problem}: ${JSON.stringify(d)}`);
  }
}

/**
 * How much more a 1 MB input costs than a 100 KB one: linear is ~10, quadratic ~100.
 * Measured in a fresh `node --expose-gc` process running the parser bundled by esbuild, in CPU
 * time, with a full collection before every timed run and the best of several runs kept, so
 * that neither the test runner's own heap nor other work on the machine shows up as growth.
 */
export function scalingRatio(module: string, exportName: string, small: string, big: string, args: unknown[] = ['input']): { small: number; big: number; ratio: number } {
  const dir = mkdtempSync(join(tmpdir(), 'txl-scaling-'));
  try {
    const bundle = bundled(module);
    writeFileSync(join(dir, 'small'), small);
    writeFileSync(join(dir, 'big'), big);
    writeFileSync(join(dir, 'run.mjs'), SCALING_SCRIPT);
    const r = spawnSync(process.execPath, ['--expose-gc', join(dir, 'run.mjs'), bundle, exportName, dir, JSON.stringify(args)], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`scaling run failed (${r.status ?? r.signal}): ${r.stderr}`);
    const { s, b } = JSON.parse(r.stdout) as { s: number; b: number };
    const smallMs = Math.max(s, 0.5);
    return { small: smallMs, big: b, ratio: b / smallMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SCALING_SCRIPT = `
import { readFileSync } from 'node:fs';
const [bundle, name, dir, args] = process.argv.slice(2);
const fn = (await import(bundle))[name];
const extra = JSON.parse(args);
const small = readFileSync(dir + '/small', 'utf8');
const big = readFileSync(dir + '/big', 'utf8');
const run = (t) => { try { fn(t, ...extra); } catch (e) { if (e?.name !== 'ConfigError') throw e; } };
// CPU time, not wall time: on a busy machine the process waits for a core, which is not work
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const time = (t) => { globalThis.gc(); const t0 = cpu(); run(t); return cpu() - t0; };
run(small); run(small);
let s = Infinity, b = Infinity;
// best of two rounds, and a third only when the first two look superlinear
for (let i = 0; i < 3 && (i < 2 || b / s > 15); i++) { s = Math.min(s, time(small), time(small)); b = Math.min(b, time(big)); }
process.stdout.write(JSON.stringify({ s, b }));
`;

const bundles = new Map<string, string>();
/** The module (a path from the project root) bundled into one ESM file, once per test process. */
export function bundled(module: string): string {
  let out = bundles.get(module);
  if (out) return out;
  const dir = mkdtempSync(join(tmpdir(), 'txl-bundle-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  out = join(dir, 'bundle.mjs');
  const r = spawnSync(join(ROOT, 'node_modules/.bin/esbuild'), [join(ROOT, module), '--bundle', '--format=esm', '--platform=node',
    '--log-level=error', `--outfile=${out}`, '--external:koffi',
    "--banner:js=import { createRequire as __txlRequire } from 'node:module'; const require = __txlRequire(import.meta.url);"], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`esbuild failed: ${r.stderr}`);
  bundles.set(module, out);
  return out;
}
