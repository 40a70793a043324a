// A read-only look at xenstore, for what libxl's *info structs leave out (a device's
// frontend state). Opened on first use and closed with the backend.
import type { CFunction } from './libxl.js';
import type { Libs } from './load.js';
import { mem } from './mem.js';

export class XenstoreReader {
  private handle: bigint | null | undefined;
  private readonly open: CFunction;
  private readonly read_: CFunction;
  private readonly close_: CFunction;
  private readonly directory_: CFunction;

  constructor(private readonly libs: Libs) {
    this.open = libs.xs.func('void *xs_open(unsigned long flags)') as unknown as CFunction;
    this.read_ = libs.xs.func('str! xs_read(void *h, uint32_t t, const char *path, _Out_ uint32_t *len)') as unknown as CFunction;
    this.close_ = libs.xs.func('void xs_close(void *h)') as unknown as CFunction;
    // char **: one malloc'd block (the pointers, then the strings), freed with one free()
    this.directory_ = libs.xs.func('void *xs_directory(void *h, uint32_t t, const char *path, _Out_ uint32_t *num)') as unknown as CFunction;
  }

  private handle_(): bigint | null {
    if (this.handle === undefined) this.handle = (this.open(0) as bigint | null) ?? null;
    return this.handle;
  }

  /** The value at path, or undefined when it does not exist or xenstore cannot be reached. */
  read(path: string): string | undefined {
    const h = this.handle_();
    if (!h) return undefined;
    const v = this.read_(h, 0, path, [0]) as string | null;
    return v ?? undefined;
  }

  /** The names of path's children, or undefined when path does not exist or xenstore cannot be reached. */
  directory(path: string): string[] | undefined {
    const h = this.handle_();
    if (!h) return undefined;
    const num: number[] = [0];
    const ptr = this.directory_(h, 0, path, num) as bigint | null;
    if (!ptr) return undefined;
    try {
      const { koffi } = this.libs;
      const n = num[0];
      if (n <= 0) return [];
      // n char pointers at ptr, each decoded as the string it points to
      return koffi.decode(ptr, 'const char *', n) as string[];
    } finally {
      mem(this.libs).free(ptr);
    }
  }

  close(): void {
    if (this.handle) this.close_(this.handle);
    this.handle = null;
  }
}
