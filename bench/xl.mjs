// Finds a real xl 4.17 to compare with and makes it run without Xen: Debian's xen-utils-4.17
// (installed, or downloaded with `apt-get download` and unpacked with `dpkg -x` into the bench
// cache: installing it would pull in Xen's boot scripts), preloaded with the test shim
// test/shim/xen-shim.c and bench/xl-shim.c (the host queries xl makes beyond that shim).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './setup.mjs';

const XL_PATHS = ['/usr/lib/xen-4.17/bin/xl'];
const SHIM_SOURCES = [join(ROOT, 'bench/xl-shim.c'), join(ROOT, 'test/shim/xen-shim.c')];

const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { encoding: 'utf8', ...opts });
const have = (cmd) => run('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Is this a dom0 with a running hypervisor? Then xl needs no shim. */
export function onRealXen() {
  try {
    return readFileSync('/proc/xen/capabilities', 'utf8').includes('control_d');
  } catch {
    return false;
  }
}

function unpackedXl(cache, fetch, log) {
  const root = join(cache, 'xen-utils');
  const xl = join(root, 'usr/lib/xen-4.17/bin/xl');
  if (existsSync(xl)) return { xl };
  if (!fetch) return { missing: `xl is not installed and --no-fetch was given (would unpack xen-utils-4.17 into ${root})` };
  if (!have('apt-get') || !have('dpkg')) return { missing: 'xl is not installed and this is not a Debian-like system (no apt-get/dpkg to fetch xen-utils-4.17)' };
  const debs = join(cache, 'debs');
  mkdirSync(debs, { recursive: true });
  log('fetching xen-utils-4.17 with apt-get download (unpacked, not installed)');
  const dl = run('apt-get', ['download', 'xen-utils-4.17'], { cwd: debs });
  const deb = readdirSync(debs).find((f) => f.startsWith('xen-utils-4.17_') && f.endsWith('.deb'));
  if (!deb) return { missing: `apt-get download xen-utils-4.17 failed: ${(dl.stderr || '').trim().split('\n').pop()}` };
  const x = run('dpkg', ['-x', join(debs, deb), root]);
  if (x.status !== 0 || !existsSync(xl)) return { missing: `dpkg -x ${deb} failed: ${(x.stderr || '').trim()}` };
  return { xl };
}

function buildShims(cache) {
  if (!have('cc')) return { missing: 'no C compiler (cc) to build the preload shims' };
  if (!existsSync('/usr/include/libxl.h') || !existsSync('/usr/include/xenctrl.h')) return { missing: 'Xen headers missing for the shims (apt install libxen-dev)' };
  const hash = createHash('sha256');
  for (const f of SHIM_SOURCES) hash.update(readFileSync(f));
  const dir = join(cache, `shim-${hash.digest('hex').slice(0, 12)}`);
  mkdirSync(dir, { recursive: true });
  const out = [];
  for (const [src, libs] of [[SHIM_SOURCES[0], ['-ldl']], [SHIM_SOURCES[1], ['-lxentoollog']]]) {
    const so = join(dir, src.replace(/.*\//, '').replace(/\.c$/, '.so'));
    if (!existsSync(so)) {
      const r = run('cc', ['-shared', '-fPIC', '-Wall', '-Werror', '-o', so, src, ...libs]);
      if (r.status !== 0) return { missing: `compiling ${src.slice(ROOT.length)} failed: ${r.stderr.trim().split('\n')[0]}` };
    }
    out.push(so);
  }
  // bench's shim first: it wraps xen-shim's libxl_get_physinfo (RTLD_NEXT)
  return { preload: out.join(':') };
}

/**
 * Returns { argv, env, note } for running `xl` (add `-N create CFG`), or { missing: why }.
 * probeCfg is a config that the real xl turns into JSON: the check that the whole setup works.
 */
export function findXl({ cache, fetch, probeCfg, env, log = () => {} }) {
  const real = onRealXen();
  let xl = process.env.TXL_BENCH_XL || XL_PATHS.find((p) => existsSync(p));
  if (!xl && real && have('xl')) xl = 'xl';
  if (!xl) {
    const u = unpackedXl(cache, fetch, log);
    if (u.missing) return u;
    xl = u.xl;
  }
  let childEnv = { ...env };
  let note = real ? `${xl} on the running hypervisor` : `${xl} under LD_PRELOAD shims`;
  if (!real) {
    if (!existsSync('/usr/lib/x86_64-linux-gnu/libxenlight.so.4.17')) return { missing: 'libxenlight.so.4.17 missing (apt install libxenmisc4.17)' };
    const s = buildShims(cache);
    if (s.missing) return s;
    childEnv = { ...env, LD_PRELOAD: s.preload };
  }
  const p = run(xl, ['-N', 'create', probeCfg], { env: childEnv });
  if (p.signal) return { missing: `${xl} -N create was killed by ${p.signal} (the shim does not cover a call it makes)` };
  if (p.status !== 0 || !p.stdout.includes('"c_info"')) return { missing: `${xl} -N create ${probeCfg} failed (exit ${p.status}): ${p.stderr.trim().split('\n').pop()}` };
  return { argv: [xl], env: childEnv, note };
}
