// Finding and loading the Xen libraries. Only the xen backend imports this (lazily), so a
// machine without Xen never loads koffi or libxenlight and `txl --help` stays fast.
import type * as KoffiModule from 'koffi';
import { createRequire } from 'node:module';
import { readFileSync, realpathSync } from 'node:fs';
import { SUPPORTED_VERSIONS } from './layout.js';

export type Koffi = typeof KoffiModule;
export type Library = ReturnType<Koffi['load']>;

/**
 * The libxenlight versions txl binds (each has a checked layout table in layout.ts), by the
 * Xen version its SONAME carries: libxenlight.so.4.17 (Debian 12), .so.4.20 (Debian 13).
 */
export const XENLIGHT_VERSIONS = SUPPORTED_VERSIONS;

/** Versions probed only to name what an unsupported host has. */
const OTHER_VERSIONS = ['4.14', '4.15', '4.16', '4.18', '4.19', '4.21', '4.22', '4.23', '4.24'];

export interface Libs {
  koffi: Koffi;
  xl: Library;
  xtl: Library;
  /** libxenstore, for reading a device's frontend state */
  xs: Library;
  libc: Library;
  /** the Xen version of the libxenlight loaded, e.g. "4.17" */
  version: string;
  /** the file or SONAME that was loaded */
  path: string;
}

/** A library could not be loaded: says which names were tried and why each failed. */
export class LibraryMissingError extends Error {
  constructor(readonly library: string, readonly tried: { name: string; error: string }[]) {
    super(`cannot load ${library} (tried ${tried.map((t) => t.name).join(', ')}): ${tried[0]?.error ?? 'not found'}`);
    this.name = 'LibraryMissingError';
  }
}

/** The host's libxenlight is a version txl has no layout table for: txl refuses to guess. */
export class UnsupportedLibxlError extends Error {
  constructor(readonly found: string, readonly file: string) {
    super(`txl supports libxl ${SUPPORTED_VERSIONS.join(' and ')}; this host has ${found === 'unknown' ? `${file}, of a version txl cannot tell (name it by its SONAME, e.g. libxenlight.so.${SUPPORTED_VERSIONS.at(-1)})` : found}`);
    this.name = 'UnsupportedLibxlError';
  }
}

// keyed on the file asked for: commands of one process may name different ones
const loading = new Map<string, Promise<Libs>>();

/**
 * Loads koffi and the libraries once per process and file. libxenlight names a file to use
 * instead of the probe (the caller's TXL_LIBXENLIGHT: bindings never read the environment).
 */
export function loadLibs(libxenlight?: string): Promise<Libs> {
  const key = libxenlight ?? '';
  let p = loading.get(key);
  if (!p) {
    p = load(libxenlight).catch((e) => {
      loading.delete(key);
      throw e;
    });
    loading.set(key, p);
  }
  return p;
}

async function load(libxenlight: string | undefined): Promise<Libs> {
  // require, not import(): see src/require.ts
  const koffi = createRequire(import.meta.url)('koffi') as Koffi;
  // libxl runs whole operations (hotplug scripts, qemu start-up, its own event loop) on the
  // stack of the thread that calls it. Forking operations run on koffi's async workers
  // (see libxl.ts for why), whose default stack (128 KiB) is too small for that; koffi only
  // accepts this before its first load.
  try {
    koffi.config({ ...koffi.config(), async_stack_size: 8 << 20 });
  } catch {
    /* koffi already loaded a library in this process: its configuration is fixed */
  }
  const candidates = libxenlight ? [{ name: libxenlight, version: versionOf(libxenlight) }] : probeOrder().map((v) => ({ name: `libxenlight.so.${v}`, version: v }));
  const tried: { name: string; error: string }[] = [];
  let xl: Library | undefined;
  let chosen = candidates[0];
  for (const c of candidates) {
    try {
      xl = koffi.load(c.name);
      chosen = c;
      break;
    } catch (e) {
      tried.push({ name: c.name, error: firstLine(e) });
    }
  }
  if (!xl) {
    const other = libxenlight ? undefined : OTHER_VERSIONS.find((v) => loads(koffi, `libxenlight.so.${v}`));
    if (other) throw new UnsupportedLibxlError(other, `libxenlight.so.${other}`);
    throw new LibraryMissingError('libxenlight', tried);
  }
  if (!SUPPORTED_VERSIONS.includes(chosen.version)) throw new UnsupportedLibxlError(chosen.version, chosen.name);
  return {
    koffi,
    xl,
    xtl: loadOne(koffi, 'libxentoollog', ['libxentoollog.so.1']),
    xs: loadOne(koffi, 'libxenstore', ['libxenstore.so.4', 'libxenstore.so.3.0']),
    libc: loadOne(koffi, 'libc', ['libc.so.6']),
    version: chosen.version,
    path: chosen.name,
  };
}

function loadOne(koffi: Koffi, library: string, names: string[]): Library {
  const tried: { name: string; error: string }[] = [];
  for (const name of names) {
    try {
      return koffi.load(name);
    } catch (e) {
      tried.push({ name, error: firstLine(e) });
    }
  }
  throw new LibraryMissingError(library, tried);
}

/** libxlutil (the xl.cfg parser library), for tests that use it as an oracle. */
export async function loadXlutil(libxenlight?: string): Promise<Library> {
  const { koffi, version } = await loadLibs(libxenlight);
  return loadOne(koffi, 'libxlutil', [`libxlutil.so.${version}`]);
}

/** The Xen version in a libxenlight's file name, or in the name of the file a link points to. */
function versionOf(path: string): string {
  const v = /\.so\.(\d+\.\d+)/.exec(path)?.[1];
  if (v) return v;
  try {
    return /\.so\.(\d+\.\d+)/.exec(realpathSync(path))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Supported versions, the running hypervisor's first: after an upgrade from Debian 12 to 13
 * both libraries can be installed, and only the one that matches Xen can talk to it.
 */
function probeOrder(): string[] {
  const newestFirst = [...SUPPORTED_VERSIONS].reverse();
  let running = '';
  try {
    const read = (f: string) => readFileSync(`/sys/hypervisor/version/${f}`, 'utf8').trim();
    running = `${read('major')}.${read('minor')}`;
  } catch {
    /* not on Xen, or no sysfs: the newest library first */
  }
  return newestFirst.includes(running) ? [running, ...newestFirst.filter((v) => v !== running)] : newestFirst;
}

function loads(koffi: Koffi, name: string): boolean {
  try {
    koffi.load(name);
    return true;
  } catch {
    return false;
  }
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}
