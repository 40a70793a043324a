// Runs TypeScript against the real libxenlight in a child `node`, optionally under the
// LD_PRELOAD shim (xen-shim.c) that lets libxl_ctx_alloc succeed without Xen. The child is a
// bundle built here with esbuild (koffi stays external, found from the project), since
// LD_PRELOAD only works on a fresh process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SHIM_SRC = join(ROOT, 'test/shim/xen-shim.c');

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

const LIB_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib', '/lib/x86_64-linux-gnu'];

export function haveLib(soname: string): boolean {
  return LIB_DIRS.some((d) => existsSync(join(d, soname)));
}

export const HAVE_CC = which('cc');
export const HAVE_LIBXL = haveLib('libxenlight.so.4.17');
export const HAVE_HEADERS = existsSync('/usr/include/libxl.h') && existsSync('/usr/include/xenctrl.h');
/** Why shim tests cannot run here, or undefined when they can. */
export const SHIM_MISSING = !HAVE_CC ? 'no C compiler (cc)' : !HAVE_LIBXL ? 'libxenlight.so.4.17 is not installed (apt install libxenmisc4.17)' : !HAVE_HEADERS ? 'Xen headers missing (apt install libxen-dev)' : undefined;

/** Compiles the shim into dir and returns the .so path. */
export function compileShim(dir: string): string {
  const out = join(dir, 'xen-shim.so');
  const r = spawnSync('cc', ['-shared', '-fPIC', '-Wall', '-Werror', '-o', out, SHIM_SRC, '-lxentoollog'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`compiling the shim failed:\n${r.stderr}`);
  return out;
}

/** Bundles a TypeScript entry point into dir as a standalone ESM file and returns its path. */
export async function bundle(entry: string, dir: string): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = join(dir, entry.replace(/.*\//, '').replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [join(ROOT, entry)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    // the bundle lives in a temporary directory: what the sources load with createRequire
    // (koffi, in bindings/load.ts) is found from the project, as in dist/cli.cjs
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(ROOT, 'bindings/load.ts')).href) },
  });
  return outfile;
}

export interface ChildRun { code: number; stdout: string; stderr: string; signal: string | null }

export function runNode(script: string, args: string[], opts: { preload?: string; env?: Record<string, string | undefined>; input?: string; timeout?: number } = {}): ChildRun {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...opts.env };
  if (opts.preload) env.LD_PRELOAD = opts.preload;
  else delete env.LD_PRELOAD;
  const r = spawnSync(process.execPath, [script, ...args], { env: env as NodeJS.ProcessEnv, input: opts.input ?? '', encoding: 'utf8', timeout: opts.timeout ?? 60_000, maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
