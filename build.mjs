// Bundles the CLI into dist/ so that start-up loads a few files instead of hundreds.
// Commands import their heavy modules lazily; code splitting keeps those in separate chunks.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const result = await build({
  // src/entry.ts is small and loads commander (src/cli.ts) only when a command line needs it
  entryPoints: { cli: 'src/entry.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['koffi'],
  define: { TXL_VERSION: JSON.stringify(pkg.version) },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  write: false,
});

// A txl running while we rebuild must never see a half-written file or lose a chunk it
// still has to import: chunks are content-hashed, each file lands by rename, cli.js last,
// and only chunks that the new build no longer uses and that are a minute old are removed.
// CommonJS dependencies inside an ESM bundle still call require() (for Node built-ins), so a
// file that names `require` gets one; only those: createRequire and the import of node:module
// cost every one of the ~25 modules a command loads ~0.1 ms.
const REQUIRE = "import { createRequire as __txlCreateRequire } from 'node:module'; const require = __txlCreateRequire(import.meta.url);\n";
const needsRequire = (text) => /(?<![\w$.])require(?![\w$])/.test(text);
const fresh = new Set();
const files = result.outputFiles.sort((a, b) => (a.path.endsWith('/cli.js') ? 1 : b.path.endsWith('/cli.js') ? -1 : 0));
for (const f of files) {
  mkdirSync(dirname(f.path), { recursive: true });
  const tmp = `${f.path}.${process.pid}.tmp`;
  writeFileSync(tmp, f.path.endsWith('.js') && needsRequire(f.text) ? REQUIRE + f.text : f.contents);
  renameSync(tmp, f.path);
  fresh.add(f.path);
}
const chunks = join(process.cwd(), 'dist', 'chunks');
for (const name of readdirSync(chunks)) {
  const p = join(chunks, name);
  if (!fresh.has(p) && Date.now() - statSync(p).mtimeMs > 60_000) {
    try {
      unlinkSync(p);
    } catch {
      // another build removed it first
    }
  }
}

// dist/fast.cjs answers `txl --version` and `txl --help` for bin/txl before any of the above
// loads. The help is what the build just made prints into a pipe, so it is commander's own.
const help = spawnSync(process.execPath, ['--input-type=module', '-e', "(await import('./dist/cli.js')).main(['--help'])"], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
if (help.status !== 0 || !help.stdout.includes('Usage: txl')) throw new Error(`build: cannot capture txl --help: ${help.stderr}`);
const fast = await build({
  entryPoints: ['src/fast.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  define: { TXL_VERSION: JSON.stringify(pkg.version), TXL_HELP: JSON.stringify(help.stdout) },
  logLevel: 'warning',
  write: false,
});
writeFileSync(`dist/fast.cjs.${process.pid}.tmp`, fast.outputFiles[0].contents);
renameSync(`dist/fast.cjs.${process.pid}.tmp`, 'dist/fast.cjs');

// The manual, man/txl.1, is generated from the command table so that it cannot drift.
const { generateMan } = await import('./scripts/gen-man.mjs');
await generateMan();
