// calloc/free from the C library libxl itself uses, bound once per process.
import type { CFunction } from './libxl.js';
import type { Libs } from './load.js';
import { InternalError } from '../src/core/errors.js';

export interface Mem {
  calloc(bytes: number): bigint;
  free(ptr: bigint | null): void;
}

const cache = new WeakMap<Libs, Mem>();

export function mem(libs: Libs): Mem {
  let m = cache.get(libs);
  if (!m) {
    const calloc = libs.libc.func('void *calloc(size_t nmemb, size_t size)') as unknown as CFunction;
    const free = libs.libc.func('void free(void *ptr)') as unknown as CFunction;
    m = {
      calloc(bytes) {
        const p = calloc(1, bytes) as bigint | null;
        if (!p) throw new InternalError(`out of memory (${bytes} bytes)`);
        return p;
      },
      free(ptr) {
        if (ptr) free(ptr);
      },
    };
    cache.set(libs, m);
  }
  return m;
}
