// The floors of docs/ARCHITECTURE.md, checked over the import graph: the model, diagnostics
// and errors (src/core) at the bottom; pure parsers and the libxl bindings above them; the
// core (backends, ops, output, the Context) above those; the commands; the CLI entry on top.
// An import may only go to its own floor or one below, and no files or folders import in a circle.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/txl.js';

const SOURCE_DIRS = ['src', 'commands', 'parsers', 'bindings'];

export function floorOf(file: string): number {
  if (file.startsWith('src/core/')) return 0;
  if (file.startsWith('parsers/') || file.startsWith('bindings/')) return 1;
  if (file.startsWith('src/cli/')) return 4;
  if (file.startsWith('commands/')) return 3;
  return 2;
}
const FLOOR_NAMES = ['core (model, errors)', 'parsers and bindings', 'core services (src)', 'commands', 'cli entry'];

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(join(ROOT, dir))) {
    const p = join(dir, e);
    if (statSync(join(ROOT, p)).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|lazyRequire\([^'"]*['"](\.{1,2}\/[^'"]+)['"]/g;

/** file -> the project files it imports (static, dynamic and type-only alike) */
export function importGraph(): Map<string, string[]> {
  const files = SOURCE_DIRS.flatMap((d) => walk(d));
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(join(ROOT, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const deps = new Set<string>();
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      const target = relative(ROOT, resolve(ROOT, dirname(f), spec)).replace(/\.js$/, '.ts');
      if (known.has(target)) deps.add(target);
    }
    graph.set(f, [...deps]);
  }
  return graph;
}

/** Strongly connected components with more than one member (Tarjan). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>(), on = new Set<string>(), stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index); low.set(v, index); index++; stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

function folderGraph(graph: Map<string, string[]>): Map<string, string[]> {
  const g = new Map<string, Set<string>>();
  for (const [f, deps] of graph) {
    const a = dirname(f);
    if (!g.has(a)) g.set(a, new Set());
    for (const d of deps) if (dirname(d) !== a) g.get(a)!.add(dirname(d));
  }
  return new Map([...g].map(([k, v]) => [k, [...v]]));
}

const graph = importGraph();

describe('architecture: floors without cycles', () => {
  it('finds the source files and their imports (the check itself works)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('src/cli/entry.ts')).toContain('commands/table.ts');
    // a planted cycle and a planted down-floor import are found
    expect(cycles(new Map([['a', ['b']], ['b', ['a']], ['c', []]]))).toEqual([['a', 'b']]);
    expect(floorOf('parsers/xml/read.ts')).toBeLessThan(floorOf('src/ops/create.ts'));
  });

  it('imports go to the same floor or below', () => {
    const wrong: string[] = [];
    for (const [f, deps] of graph) for (const d of deps) {
      if (floorOf(d) > floorOf(f)) wrong.push(`${f} (${FLOOR_NAMES[floorOf(f)]}) imports ${d} (${FLOOR_NAMES[floorOf(d)]})`);
    }
    expect(wrong).toEqual([]);
  });

  it('no files import each other in a circle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('no folders import each other in a circle', () => {
    expect(cycles(folderGraph(graph))).toEqual([]);
  });
});

/** Source lines matching re, outside comments, as "file:line: text". */
function offenders(re: RegExp, allowed: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const f of graph.keys()) {
    if (allowed(f)) continue;
    const lines = readFileSync(join(ROOT, f), 'utf8').split('\n');
    lines.forEach((line, i) => {
      const code = line.replace(/\/\*.*?\*\//g, '').replace(/\/\/.*$/, '');
      if (/^\s*\*/.test(code)) return;
      if (re.test(code)) out.push(`${f}:${i + 1}: ${line.trim()}`);
    });
  }
  return out;
}

describe('architecture: effects go through the Context', () => {
  it('process.env is read only by the environment loader (src/env.ts)', () => {
    expect(offenders(/process\.env\b/, (f) => f === 'src/env.ts')).toEqual([]);
  });
  it('process.exit is called only by the entry (src/cli/)', () => {
    expect(offenders(/process\.exit\s*\(/, (f) => f.startsWith('src/cli/'))).toEqual([]);
  });
  it('errors are typed: no plain Error is thrown or made', () => {
    expect(offenders(/new Error\s*\(|\bError\s*\(\s*['"`]/, () => false)).toEqual([]);
  });
  it('command options are typed: no `any` in commands/', () => {
    expect(offenders(/:\s*any\b|<any>|as any\b|Record<string,\s*any>/, (f) => !f.startsWith('commands/') && f !== 'src/command.ts')).toEqual([]);
  });
});
