// One write to xenstore, for the few requests libxl has no call for (the S3 request xenopsd
// makes through control/shutdown). Its own short-lived connection: the reader stays read-only.
import type { Libs } from './load.js';

/** Writes value at path; false when xenstore cannot be reached or refuses the write. */
export function xenstoreWrite(libs: Libs, path: string, value: string): boolean {
  const open = libs.xs.func('void *xs_open(unsigned long flags)');
  const write = libs.xs.func('bool xs_write(void *h, uint32_t t, const char *path, const void *data, unsigned int len)');
  const close = libs.xs.func('void xs_close(void *h)');
  const h = open(0) as bigint | null;
  if (!h) return false;
  try {
    const data = Buffer.from(value, 'utf8');
    return Boolean(write(h, 0, path, data, data.length));
  } finally {
    close(h);
  }
}
