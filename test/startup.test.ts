// txl must start fast: what dist/cli.cjs runs at start-up (the entry and what it imports
// statically, transitively; esbuild's metafile, dist/meta.json, has the import graph) may hold
// the command definitions and the small core, never commander (loaded only for command lines
// src/fast-parse.ts leaves to it), the parsers, the backends or the heavy libraries, which
// commands import lazily and the bundle runs only then. `--version` and `--help` skip it all
// (dist/fast.cjs).
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, txl } from './support/txl.js';

const ENTRY = join(ROOT, 'dist/cli.cjs');
const META = join(ROOT, 'dist/meta.json');

interface Metafile {
  inputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }>;
}

/** The source files the bundle runs at start-up: src/cli/entry.ts and its static imports, transitively. */
function startupSources(meta: Metafile): Set<string> {
  const sources = new Set<string>();
  const visit = (file: string) => {
    if (sources.has(file) || !meta.inputs[file]) return;
    sources.add(file);
    for (const i of meta.inputs[file].imports) if (!i.external && i.kind !== 'dynamic-import') visit(i.path);
  };
  visit('src/cli/entry.ts');
  return sources;
}

describe.skipIf(!existsSync(ENTRY) || !existsSync(META))('the start-up path', () => {
  const meta = JSON.parse(readFileSync(META, 'utf8')) as Metafile;
  const sources = startupSources(meta);

  it('is read from the metafile of this very build, which lazy imports do split', () => {
    expect(Object.keys(meta.inputs)).toContain('src/cli/commander.ts');
    expect(meta.inputs['src/cli/entry.ts'].imports.some((i) => i.kind === 'dynamic-import' && i.path === 'src/cli/commander.ts')).toBe(true);
  });

  it('holds the entry and the command table, not commander', () => {
    expect([...sources]).toEqual(expect.arrayContaining(['src/cli/entry.ts', 'src/cli/fast-parse.ts', 'commands/table.ts']));
    expect([...sources].filter((s) => s.includes('node_modules/commander/') || s === 'src/cli/commander.ts')).toEqual([]);
  });

  it('holds no parser, backend, simulator, binding or heavy library', () => {
    const heavy = [...sources].filter((s) =>
      /^(parsers|bindings|src\/backend|src\/sim|src\/ops)\//.test(s) ||
      /node_modules\/(yaml|cli-table3|@inquirer|koffi|chalk)\//.test(s));
    expect(heavy).toEqual([]);
  });

  it('`txl --help` and `txl __complete` answer without touching a backend', () => {
    const r = txl(['__complete', ''], { env: { TXL_CONNECT: 'xen:///system' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('help\t');
    expect(txl(['--help']).code).toBe(0);
  });
});
