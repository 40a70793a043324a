// A read-only look at xenstore, for what libxl's *info structs leave out (a device's
// frontend state). Opened on first use and closed with the backend.
import type { CFunction } from './libxl.js';
import type { Libs } from './load.js';

export class XenstoreReader {
  private handle: bigint | null | undefined;
  private readonly open: CFunction;
  private readonly read_: CFunction;
  private readonly close_: CFunction;

  constructor(libs: Libs) {
    this.open = libs.xs.func('void *xs_open(unsigned long flags)') as unknown as CFunction;
    this.read_ = libs.xs.func('str! xs_read(void *h, uint32_t t, const char *path, _Out_ uint32_t *len)') as unknown as CFunction;
    this.close_ = libs.xs.func('void xs_close(void *h)') as unknown as CFunction;
  }

  /** The value at path, or undefined when it does not exist or xenstore cannot be reached. */
  read(path: string): string | undefined {
    if (this.handle === undefined) this.handle = (this.open(0) as bigint | null) ?? null;
    if (!this.handle) return undefined;
    const v = this.read_(this.handle, 0, path, [0]) as string | null;
    return v ?? undefined;
  }

  close(): void {
    if (this.handle) this.close_(this.handle);
    this.handle = null;
  }
}
