// What every bench run needs before timing anything: the machine's description, a scratch
// directory, a clean environment for the children, and simulated hosts of N domains.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CORPUS = process.env.TXL_CORPUS || join(ROOT, '../shared/corpus');

export function machine() {
  const model = cpus()[0]?.model?.trim() || 'unknown';
  const nproc = spawnSync('nproc', [], { encoding: 'utf8' }).stdout?.trim() || String(cpus().length);
  return {
    nproc: Number(nproc),
    cpu: model,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    kernel: spawnSync('uname', ['-sr'], { encoding: 'utf8' }).stdout?.trim(),
    loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export function scratch() {
  const dir = mkdtempSync(join(tmpdir(), 'txl-bench-'));
  for (const d of ['out', 'home', 'sim', 'convert']) mkdirSync(join(dir, d));
  return dir;
}

/** The children's environment: no inherited txl settings, no colour, a private HOME. */
export function childEnv(dir) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(TXL_|NODE_OPTIONS$|LD_PRELOAD$|FORCE_COLOR$)/.test(k)) env[k] = v;
  return { ...env, NO_COLOR: '1', HOME: join(dir, 'home'), XDG_STATE_HOME: join(dir, 'home/state') };
}

/**
 * A simulator state (test:///default, TXL_SIM_STATE) holding n tiny PVH domains, made by one
 * `txl create` of n files. Returns the state file's path, or throws with txl's complaint.
 */
export function simState(dir, n, { node, txl, env }) {
  const d = join(dir, 'sim', `default-${n}`);
  mkdirSync(d, { recursive: true });
  const files = [];
  for (let i = 0; i < n; i++) {
    const name = `guest${String(i).padStart(4, '0')}`;
    files.push(join(d, `${name}.cfg`));
    writeFileSync(files[i], `name = "${name}"\ntype = "pvh"\nkernel = "/boot/vmlinuz-guest"\nmemory = 8\nvcpus = 1\n`);
  }
  const state = join(d, 'state.json');
  const r = spawnSync(node, [txl, '-q', '-c', 'test:///default', 'create', '-e', ...files], { env: { ...env, TXL_SIM_STATE: state }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`making a simulated host of ${n} domains failed: ${r.stderr.trim().split('\n').slice(-2).join(' / ')}`);
  return state;
}

/** A host file with n small PVH domains; its state is made by the first command that opens it. */
export function simHost(dir, n) {
  const path = join(dir, 'sim', `host-${n}.yaml`);
  const lines = ['name: bench', 'memory: 256g', 'cpus: 8', 'domains:'];
  for (let i = 0; i < n; i++) lines.push(`  - {name: guest${String(i).padStart(4, '0')}, memory: 64, vcpus: 1}`);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** The corpus's xl configs (sorted), or [] when the corpus is not beside the project. */
export function corpusConfigs() {
  const dir = join(CORPUS, 'libvirt-xl');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.cfg')).sort().map((f) => join(dir, f));
}

/** Whether dist/ is older than a source file: the bench measures the build, not the sources. */
export function staleBuild() {
  const cli = join(ROOT, 'dist/cli.cjs');
  if (!existsSync(cli)) return 'dist/cli.cjs is missing: run `npm run build` first';
  const built = statSync(cli).mtimeMs;
  const newer = [];
  const walk = (d) => {
    for (const e of readdirSync(join(ROOT, d), { withFileTypes: true })) {
      const rel = join(d, e.name);
      if (e.isDirectory()) walk(rel);
      else if (/\.ts$/.test(e.name) && statSync(join(ROOT, rel)).mtimeMs > built) newer.push(rel);
    }
  };
  for (const d of ['src', 'commands', 'parsers', 'bindings']) if (existsSync(join(ROOT, d))) walk(d);
  return newer.length ? `dist/ is older than ${newer.length} source file(s) (${newer.slice(0, 3).join(', ')}...): run with --build to measure the current sources` : undefined;
}

export function gitRevision() {
  const r = spawnSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  const dirty = spawnSync('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).stdout?.trim();
  return r.status === 0 ? `${r.stdout.trim()}${dirty ? ' (+ uncommitted changes)' : ''}` : 'unknown';
}

/**
 * Copies the launcher and the build into dir/txl and returns its bin/txl: others rebuild
 * dist/ while they work, and a rebuild in the middle of a run would break it.
 */
export function snapshotBuild(dir) {
  const dest = join(dir, 'txl');
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = statSync(join(ROOT, 'dist/cli.cjs')).mtimeMs;
    rmSync(dest, { recursive: true, force: true });
    mkdirSync(dest);
    for (const f of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, f), join(dest, f), { recursive: true, preserveTimestamps: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dest, 'node_modules'));
    if (existsSync(join(ROOT, 'dist/cli.cjs')) && statSync(join(ROOT, 'dist/cli.cjs')).mtimeMs === before) return join(dest, 'bin/txl');
    spawnSync('sleep', ['2']);
  }
  throw new Error('dist/ keeps changing under the copy (someone is rebuilding): try again');
}
