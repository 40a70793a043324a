// txl must start fast: what dist/cli.js loads statically (itself and the chunks it imports,
// transitively) may hold the command definitions and the small core, never commander (loaded
// only for command lines src/fast-parse.ts leaves to it), the parsers, the backends or the
// heavy libraries, which commands load lazily. `--version` and `--help` skip it (dist/fast.cjs).
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ROOT, txl } from './support/txl.js';

const ENTRY = join(ROOT, 'dist/cli.js');

/** Source files (esbuild's `// path` markers) in a bundle file and everything it imports statically. */
function staticGraph(entry: string): { files: Set<string>; sources: Set<string> } {
  const files = new Set<string>();
  const sources = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\/\/ (\S+\.(?:[cm]?js|ts|json))$/gm)) sources.add(m[1]);
    for (const m of text.matchAll(/^import\s*(?:[^'"]*?from\s*)?["'](\.[^"']+)["'];?$/gm)) visit(resolve(dirname(file), m[1]));
  };
  visit(entry);
  return { files, sources };
}

describe.skipIf(!existsSync(ENTRY))('the start-up path', () => {
  const { sources } = staticGraph(ENTRY);

  it('holds the entry and the command table, not commander', () => {
    expect([...sources]).toEqual(expect.arrayContaining(['src/entry.ts', 'src/fast-parse.ts', 'commands/table.ts']));
    expect([...sources].filter((s) => s.includes('node_modules/commander/') || s === 'src/cli.ts')).toEqual([]);
  });

  it('holds no parser, backend, simulator, binding or heavy library', () => {
    const heavy = [...sources].filter((s) =>
      /^(parsers|bindings|src\/backend|src\/sim|src\/ops)\//.test(s) ||
      /node_modules\/(yaml|cli-table3|@inquirer|fast-xml-parser|koffi|chalk)\//.test(s));
    expect(heavy).toEqual([]);
  });

  it('`txl --help` and `txl __complete` answer without touching a backend', () => {
    const r = txl(['__complete', ''], { env: { TXL_CONNECT: 'xen:///system' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('help\t');
    expect(txl(['--help']).code).toBe(0);
  });
});
