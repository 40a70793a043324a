// Bundles the whole CLI into one CommonJS file, dist/cli.cjs, which bin/txl runs from V8's code
// cache (dist/cli.cjs.cache, made below): Node 20 caches no compiled code for ES modules and
// its ES module loader costs ~0.5 ms a file, so one cached script starts several times faster
// than the same code as ES module chunks. Modules a command imports lazily are still only run
// when imported (esbuild wraps them); dist/meta.json says which ones start-up runs.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const result = await build({
  entryPoints: ['src/cli/entry.ts'],
  outfile: 'dist/cli.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['koffi'],
  // ASCII only (esbuild's default charset): bin/txl reads the file as latin1, twice as fast as utf8
  charset: 'ascii',
  // a quarter less to read and to deserialise at every start; the price: an internal error's
  // stack shows minified names (esbuild's keepNames would give them back at a start-up cost)
  minify: true,
  define: { TXL_VERSION: JSON.stringify(pkg.version), 'import.meta.url': '__txl_import_meta_url' },
  banner: { js: 'var __txl_import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
  metafile: true,
  logLevel: 'warning',
  write: false,
});
const built = result.outputFiles[0].text;
// the last line: what bin/txl ties the code cache to
const bundle = `${built}//txl-build:${createHash('sha256').update(built).digest('hex').slice(0, 32)}\n`;
// vm.Script gives import() nothing to load with (but behind an experimental flag): see src/require.ts
const dynamicImport = bundle.match(/\bimport\(\s*["'][^"']+["']\s*\)/);
if (dynamicImport) throw new Error(`build: dist/cli.cjs must not use import() (found ${dynamicImport[0]}); use lazyRequire from src/require.ts`);
if (/[^\x00-\x7f]/.test(bundle)) throw new Error('build: dist/cli.cjs must be ASCII (bin/txl reads it as latin1)');

// A txl running while we rebuild must never see a half-written file: each lands by rename.
const land = (file, data) => {
  mkdirSync('dist', { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
};
land('dist/meta.json', JSON.stringify(result.metafile));
land('dist/cli.cjs', bundle);
// what older builds made (ES module chunks), never loaded again
rmSync('dist/chunks', { recursive: true, force: true });
rmSync('dist/cli.js', { force: true });

// The code cache: compiled while commands run, so it holds the functions they call, not only
// the top level. Each run adds to what the last one cached (bin/txl, TXL_CODE_CACHE=write).
rmSync('dist/cli.cjs.cache', { force: true });
const warm = mkdtempSync(join(tmpdir(), 'txl-build-'));
try {
  const env = { ...process.env, TXL_CODE_CACHE: 'write', TXL_SIM_STATE: join(warm, 'state.json'), NO_COLOR: '1' };
  delete env.TXL_HOOKS_DIR;
  const sim = ['-c', 'test:///default'];
  for (const args of [[...sim, 'create', 'examples/guest.cfg'], [...sim, 'list'], ['__complete', ...sim, 'destroy', ''], ['-o', 'json', ...sim, 'list']]) {
    const r = spawnSync(process.execPath, ['bin/txl', ...args], { encoding: 'utf8', env });
    if (r.status !== 0) throw new Error(`build: warming the code cache: txl ${args.join(' ')} failed: ${r.stderr}`);
  }
} finally {
  rmSync(warm, { recursive: true, force: true });
}
if (!existsSync('dist/cli.cjs.cache')) throw new Error('build: bin/txl wrote no dist/cli.cjs.cache');

// dist/fast.cjs answers `txl --version` and `txl --help` for bin/txl before any of the above
// loads. The help is what the build just made prints into a pipe, so it is commander's own.
const help = spawnSync(process.execPath, ['-e', "require('./dist/cli.cjs').main(['--help'])"], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
if (help.status !== 0 || !help.stdout.includes('Usage: txl')) throw new Error(`build: cannot capture txl --help: ${help.stderr}`);
const fast = await build({
  entryPoints: ['src/cli/fast.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  define: { TXL_VERSION: JSON.stringify(pkg.version), TXL_HELP: JSON.stringify(help.stdout) },
  logLevel: 'warning',
  write: false,
});
land('dist/fast.cjs', fast.outputFiles[0].contents);

// The manual, man/txl.1, is generated from the command table so that it cannot drift.
const { generateMan } = await import('./scripts/gen-man.mjs');
await generateMan();
