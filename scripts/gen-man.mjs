// Writes man/txl.1 from the command table (src/man.ts). Run by build.mjs, or by hand:
// `node scripts/gen-man.mjs`. The table is bundled with every dynamic import left out, so
// this needs only the command definitions, never the parsers or backends behind them.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function generateMan() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const dir = mkdtempSync(join(tmpdir(), 'txl-man-'));
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, [
      `import { COMMANDS } from ${JSON.stringify(join(root, 'commands/table.ts'))};`,
      `import { buildProgram } from ${JSON.stringify(join(root, 'src/cli/commander.ts'))};`,
      `import { renderMan } from ${JSON.stringify(join(root, 'src/cli/man.ts'))};`,
      `export const page = renderMan(COMMANDS, buildProgram(COMMANDS), ${JSON.stringify(pkg.version)});`,
    ].join('\n'));
    const out = join(dir, 'man.mjs');
    await build({
      entryPoints: [entry],
      outfile: out,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
      nodePaths: [join(root, 'node_modules')],
      banner: { js: "import { createRequire as __txlCreateRequire } from 'node:module'; const require = __txlCreateRequire(import.meta.url);" },
      plugins: [{
        name: 'no-dynamic-imports',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (a) => (a.kind === 'dynamic-import' ? { path: a.path, external: true } : undefined));
        },
      }],
    });
    const { page } = await import(pathToFileURL(out).href);
    mkdirSync(join(root, 'man'), { recursive: true });
    writeFileSync(join(root, 'man', 'txl.1'), page);
    return page;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await generateMan();
