// Finding and loading the Xen libraries. Only the xen backend imports this (lazily), so a
// machine without Xen never loads koffi or libxenlight and `txl --help` stays fast.
import type * as KoffiModule from 'koffi';
import { createRequire } from 'node:module';

export type Koffi = typeof KoffiModule;
export type Library = ReturnType<Koffi['load']>;

/** libxenlight's SONAME carries Xen's version: 4.17 first (the ABI the layout table is for), then newer. */
export const XENLIGHT_VERSIONS = ['4.17', '4.18', '4.19', '4.20', '4.21', '4.22'];

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
  const candidates = libxenlight ? [{ name: libxenlight, version: versionOf(libxenlight) }] : XENLIGHT_VERSIONS.map((v) => ({ name: `libxenlight.so.${v}`, version: v }));
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
  if (!xl) throw new LibraryMissingError('libxenlight', tried);
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
  return loadOne(koffi, 'libxlutil', [`libxlutil.so.${version}`, ...XENLIGHT_VERSIONS.map((v) => `libxlutil.so.${v}`)]);
}

function versionOf(path: string): string {
  return /\.so\.(\d+\.\d+)/.exec(path)?.[1] ?? 'unknown';
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}
