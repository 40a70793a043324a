// Bundles the CLI into dist/ so that start-up loads a few files instead of hundreds.
// Commands import their heavy modules lazily; code splitting keeps those in separate chunks.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['koffi'],
  define: { TXL_VERSION: JSON.stringify(pkg.version) },
  // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
  banner: { js: "import { createRequire as __txlCreateRequire } from 'node:module'; const require = __txlCreateRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});

// The manual, man/txl.1, is generated from the command table so that it cannot drift.
const { generateMan } = await import('./scripts/gen-man.mjs');
await generateMan();
