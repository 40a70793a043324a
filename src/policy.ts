// The host's boot policy from /etc/txl/txl.yaml: which directories direct-boot kernels and
// ramdisks may come from, and which bootloaders may run, as xenopsd restricts them. libxl
// reads a domain's kernel and ramdisk as root and copies them into the guest, and runs its
// bootloader as root: whoever writes a domain config could otherwise read any file of dom0
// into a guest, or run any program. No file (or no `boot:` key) means no restriction.
//
//   boot:
//     kernel_dirs: [/boot/guest]         # kernel = ... must be inside one of these
//     ramdisk_dirs: [/boot/guest]        # ramdisk = ... (default: kernel_dirs)
//     bootloaders: [pygrub]              # bootloader = ... must be one of these
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { delimiter, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ConfigError, NotFoundError, OperationError } from './core/errors.js';
import type { Backend, CreateOptions } from './core/backend-types.js';
import type { DomainConfig } from './core/model.js';
import { BackendLayer } from './backend-layer.js';
import type { Environment } from './env.js';
import { checkTrustedFile, printable } from './validate.js';

export const SYSTEM_CONF = '/etc/txl/txl.yaml';

/** The system txl.yaml: TXL_CONF (tests, other layouts), else /etc/txl/txl.yaml. Never the user's. */
export function policyFile(env: Environment): string {
  return env.TXL_CONF || SYSTEM_CONF;
}

export interface BootPolicy {
  file: string;
  kernelDirs?: string[];
  ramdiskDirs?: string[];
  bootloaders?: string[];
}

const KEYS = { kernel_dirs: 'kernelDirs', ramdisk_dirs: 'ramdiskDirs', bootloaders: 'bootloaders' } as const;

const bad = (file: string, message: string) =>
  new ConfigError([{ severity: 'error', file, line: 1, col: 1, message, hint: 'see "Boot allow-lists" in txl\'s README' }]);

/**
 * The boot policy, or undefined when the file or its `boot:` key is absent. Without `file`,
 * the one env names (TXL_CONF), else the system's.
 */
export async function loadBootPolicy(file?: string, env: Environment = {}): Promise<BootPolicy | undefined> {
  const named = file ?? policyFile(env);
  if (!existsSync(named)) {
    if (file === undefined && env.TXL_CONF) throw new NotFoundError(`no such file '${named}' (from TXL_CONF)`);
    return undefined;
  }
  return readBootPolicy(named);
}

async function readBootPolicy(file: string): Promise<BootPolicy | undefined> {
  // whoever may rewrite this file may lift the restrictions: it must be as safe as a hook
  checkTrustedFile(file, 'policy');
  const { loadYaml } = await import('./yaml.js');
  let doc: unknown;
  try {
    doc = (await loadYaml()).parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw bad(file, `cannot read it as YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const boot = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).boot : undefined;
  if (boot === undefined || boot === null) return undefined;
  if (typeof boot !== 'object' || Array.isArray(boot)) throw bad(file, "'boot' must be a mapping (kernel_dirs, ramdisk_dirs, bootloaders)");
  const policy: BootPolicy = { file };
  for (const [key, value] of Object.entries(boot)) {
    // a misspelt key would silently lift a restriction the admin meant to set
    if (!(key in KEYS)) throw bad(file, `unknown key 'boot.${printable(key)}' (known: ${Object.keys(KEYS).join(', ')})`);
    const list = value === null ? [] : value;
    if (!Array.isArray(list) || list.some((v) => typeof v !== 'string' || !v)) throw bad(file, `'boot.${key}' must be a list of paths`);
    if (key !== 'bootloaders') {
      const rel = list.find((d: string) => !isAbsolute(d));
      if (rel) throw bad(file, `'boot.${key}' lists the relative path '${printable(rel)}': directories must be absolute`);
    }
    policy[KEYS[key as keyof typeof KEYS]] = list as string[];
  }
  return policy;
}

/**
 * Where a path leads, symlinks and `..` followed by the kernel's rules (realpath(3), not
 * Node's, which folds `..` before following links). A relative path is taken from `cwd`,
 * as libxl opens it. A missing file resolves through its directory; undefined if that fails.
 */
export function realPath(path: string, cwd = process.cwd()): string | undefined {
  const full = path.startsWith('/') ? path : `${cwd}/${path}`;
  try {
    return realpathSync.native(full);
  } catch {
    const cut = full.lastIndexOf('/');
    const base = full.slice(cut + 1);
    if (!base || base === '.' || base === '..') return undefined;
    try {
      return join(realpathSync.native(full.slice(0, cut) || '/'), base);
    } catch {
      return undefined;
    }
  }
}

/** A directory of the allow-list as it really is (trailing slashes, symlinks and all). */
function realDir(dir: string): string {
  try {
    return realpathSync.native(dir);
  } catch {
    return resolve(dir);
  }
}

export function isInside(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Where libxl keeps its helpers: a bootloader given without a path is looked for there first. */
export function xenBinDirs(): string[] {
  let versioned: string[] = [];
  try {
    versioned = readdirSync('/usr/lib').filter((d) => /^xen-\d/.test(d)).sort().reverse().map((d) => `/usr/lib/${d}/bin`);
  } catch {
    /* no /usr/lib */
  }
  return [...versioned, '/usr/lib/xen/bin', '/usr/libexec/xen/bin', '/usr/local/lib/xen/bin'];
}

/** The program a bootloader setting runs: libxl's bin directory for a bare name, else `searchPath` (PATH). */
export function bootloaderPath(bl: string, bindirs = xenBinDirs(), cwd = process.cwd(), searchPath = ''): string | undefined {
  if (bl.startsWith('/')) return realPath(bl, cwd);
  for (const d of bindirs) {
    if (existsSync(join(d, bl))) return realPath(join(d, bl), cwd);
  }
  if (bl.includes('/')) return realPath(bl, cwd);
  for (const d of searchPath.split(delimiter).filter(Boolean)) {
    if (existsSync(join(d, bl))) return realPath(join(d, bl), cwd);
  }
  return undefined;
}

interface BootFiles { kernel: string[]; ramdisk: string[]; bootloader: string[] }

/** The kernels, ramdisks and bootloaders a config would have libxl use (4.17's fields and the old PV ones). */
export function bootFiles(cfg: DomainConfig): BootFiles {
  const b = cfg.b_info ?? {};
  const pv = b['type.pv'] ?? {};
  const some = (...v: (string | undefined)[]) => [...new Set(v.filter((x): x is string => Boolean(x)))];
  return { kernel: some(b.kernel, pv.kernel), ramdisk: some(b.ramdisk, pv.ramdisk), bootloader: some(b.bootloader, pv.bootloader) };
}

/**
 * Throws an OperationError (one line: the path, what is allowed, the file to edit) unless cfg
 * keeps to the policy. searchPath: the PATH a bare bootloader name is looked for on.
 */
export function checkBoot(cfg: DomainConfig, policy: BootPolicy, cwd = process.cwd(), bindirs = xenBinDirs(), searchPath = ''): void {
  const name = cfg.c_info?.name ?? '?';
  const files = bootFiles(cfg);
  const refuse = (what: string, path: string, real: string | undefined, allowed: string[], key: string): never => {
    const where = real === undefined ? ' (it cannot be resolved)' : real !== path ? ` (really '${printable(real)}')` : '';
    const list = allowed.length ? allowed.join(', ') : 'none';
    throw new OperationError(
      `refusing to create domain '${printable(name)}': its ${what} '${printable(path)}'${where} is not in boot.${key} of ${policy.file} (allowed: ${list})`,
      `move the file into an allowed directory, or add its directory to boot.${key} in ${policy.file}`,
    );
  };
  const dirCheck = (what: 'kernel' | 'ramdisk', dirs: string[] | undefined, key: string) => {
    if (!dirs) return;
    const real = dirs.map(realDir);
    for (const path of files[what]) {
      const r = realPath(path, cwd);
      if (r === undefined || !real.some((d) => isInside(d, r))) refuse(what, path, r, dirs, key);
    }
  };
  dirCheck('kernel', policy.kernelDirs, 'kernel_dirs');
  if (policy.ramdiskDirs) dirCheck('ramdisk', policy.ramdiskDirs, 'ramdisk_dirs');
  else dirCheck('ramdisk', policy.kernelDirs, 'kernel_dirs');
  if (policy.bootloaders) {
    const allowed = policy.bootloaders.map((b) => bootloaderPath(b, bindirs, cwd, searchPath)).filter((p): p is string => p !== undefined);
    for (const bl of files.bootloader) {
      const r = bootloaderPath(bl, bindirs, cwd, searchPath);
      if (r === undefined || !allowed.includes(r)) refuse('bootloader', bl, r, policy.bootloaders, 'bootloaders');
    }
  }
}

/**
 * The same backend, with every create (new, restore, incoming migration) checked against
 * the host's boot policy first. Read at each create, so that a long-lived caller (the
 * monitor) sees edits. env: the command's environment (TXL_CONF, PATH).
 */
export class BootPolicyBackend extends BackendLayer {
  constructor(inner: Backend, private readonly env: Environment) {
    super(inner);
  }

  override async create(cfg: DomainConfig, opts?: CreateOptions): Promise<number> {
    const policy = await loadBootPolicy(undefined, this.env);
    if (policy) checkBoot(cfg, policy, process.cwd(), xenBinDirs(), this.env.PATH ?? '');
    return this.inner.create(cfg, opts);
  }
}

export function withBootPolicy(be: Backend, env: Environment): Backend {
  return new BootPolicyBackend(be, env);
}
