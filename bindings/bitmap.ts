// libxl_bitmap, the one struct txl fills itself: { uint32_t size; uint8_t *map; } passed by
// pointer for vCPU affinity and online masks. libxl allocates the map (libxl_bitmap_alloc)
// and frees it (libxl_bitmap_dispose); txl only owns the 16-byte header.
import type { Libxl } from './context.js';
import { LAYOUTS } from './layout.js';
import { mem } from './mem.js';

export interface NativeBitmap {
  ptr: bigint;
  dispose(): void;
}

/**
 * The bits of a bitmap libxl allocates for `nbits` bits: it rounds up to whole bytes, so a
 * 2-CPU host's cpumap holds bits 0-7 (and xl's `all` sets all eight).
 */
export function allocatedBits(nbits: number): number {
  return Math.ceil(Math.max(nbits, 1) / 8) * 8;
}

/** The bits of `bits` a bitmap of `nbits` bits keeps: libxl_bitmap_set drops the others. */
export function bitsThatFit(bits: number[], nbits: number): number[] {
  const bad = bits.find((b) => !Number.isInteger(b) || b < 0);
  if (bad !== undefined) throw new RangeError(`${bad} is not a bit number`);
  const cap = allocatedBits(nbits);
  return bits.filter((b) => b < cap);
}

/**
 * A bitmap of `nbits` bits (0 = libxl_cpu_bitmap_alloc's size: max_cpu_id + 1 of the host)
 * with the given bits set; those beyond it are dropped, as libxl does.
 */
export function makeBitmap(lx: Libxl, bits: number[], nbits = 0): NativeBitmap {
  const m = mem(lx.libs);
  const size = nbits > 0 ? nbits : Math.max(lx.fn.libxl_get_max_cpus(lx.ctx) as number, 1);
  const keep = bitsThatFit(bits, size);
  const ptr = m.calloc(LAYOUTS.libxl_bitmap.size);
  lx.fn.libxl_bitmap_init(ptr);
  try {
    lx.call('libxl_bitmap_alloc', lx.ctx, ptr, size);
  } catch (e) {
    m.free(ptr);
    throw e;
  }
  for (const b of keep) lx.fn.libxl_bitmap_set(ptr, b);
  return {
    ptr,
    dispose() {
      lx.fn.libxl_bitmap_dispose(ptr);
      m.free(ptr);
    },
  };
}

/** The bits set in a bitmap at ptr (for tests and for bitmaps libxl filled). */
export function readBitmap(lx: Libxl, ptr: bigint): number[] {
  const { koffi } = lx.libs;
  const bytes = koffi.decode(ptr, LAYOUTS.libxl_bitmap.offsets.size, 'uint32_t') as number;
  const map = koffi.decode(ptr, LAYOUTS.libxl_bitmap.offsets.map, 'void *') as bigint | null;
  if (!map || !bytes) return [];
  const raw = new Uint8Array(koffi.view(map, bytes));
  const out: number[] = [];
  raw.forEach((byte, i) => {
    for (let b = 0; b < 8; b++) if (byte & (1 << b)) out.push(i * 8 + b);
  });
  return out;
}

/** An empty bitmap header for libxl to fill (libxl allocates the map; dispose frees it). */
export function emptyBitmap(lx: Libxl): NativeBitmap {
  const m = mem(lx.libs);
  const ptr = m.calloc(LAYOUTS.libxl_bitmap.size);
  lx.fn.libxl_bitmap_init(ptr);
  return {
    ptr,
    dispose() {
      lx.fn.libxl_bitmap_dispose(ptr);
      m.free(ptr);
    },
  };
}
