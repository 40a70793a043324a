// The JSON bridge: every libxl IDL type T has libxl_T_init, _dispose, _to_json and
// _from_json. An object lives in one zeroed native buffer bigger than any libxl struct
// (OBJECT_BYTES), so txl never mirrors a C layout; data goes in and out as libxl's own JSON.
// Sizes are needed only to step through arrays libxl returns: they are measured from libxl
// itself (init memsets the whole struct) and must equal the loaded version's checked table.
import { OBJECT_BYTES, SIZES_BY_VERSION } from './layout.js';
import type { CFunction } from './libxl.js';
import type { Libs } from './load.js';
import { mem, type Mem } from './mem.js';
import { InternalError } from '../src/core/errors.js';

export interface TypeFunctions {
  init: CFunction;
  dispose: CFunction;
  toJson: CFunction;
  fromJson: CFunction;
}

/** A libxl object in native memory, initialised; `dispose` must be called exactly once. */
export interface LibxlObject {
  type: string;
  ptr: bigint;
}

export class LayoutMismatchError extends Error {}

/** from_json refused the text (libxl logs why): rc is libxl's error code. */
export class FromJsonError extends Error {
  constructor(readonly type: string, readonly rc: number) {
    super(`libxl_${type}_from_json failed (rc ${rc})`);
  }
}

export class JsonBridge {
  private readonly fns = new Map<string, TypeFunctions>();
  private readonly sizes = new Map<string, number>();
  private readonly mem: Mem;
  private live = 0;

  constructor(private readonly libs: Libs, private readonly ctx: () => bigint) {
    this.mem = mem(libs);
  }

  /** The four functions of an IDL type, bound on first use. */
  functions(type: string): TypeFunctions {
    let f = this.fns.get(type);
    if (!f) {
      const { xl } = this.libs;
      f = {
        init: xl.func(`void libxl_${type}_init(void *p)`) as unknown as CFunction,
        dispose: xl.func(`void libxl_${type}_dispose(void *p)`) as unknown as CFunction,
        toJson: xl.func(`str! libxl_${type}_to_json(void *ctx, void *p)`) as unknown as CFunction,
        fromJson: xl.func(`int libxl_${type}_from_json(void *ctx, void *p, const char *s)`) as unknown as CFunction,
      };
      this.fns.set(type, f);
    }
    return f;
  }

  /** sizeof(libxl_<type>), as libxl's init sees it. */
  sizeOf(type: string): number {
    let n = this.sizes.get(type);
    if (n !== undefined) return n;
    const { init } = this.functions(type);
    let last = -1;
    for (const fill of [0xaa, 0x55]) {
      const buf = Buffer.alloc(OBJECT_BYTES, fill);
      init(buf);
      for (let i = buf.length - 1; i > last; i--) if (buf[i] !== fill) { last = i; break; }
    }
    n = last + 1;
    if (n <= 0 || n >= OBJECT_BYTES) throw new LayoutMismatchError(`libxl_${type} measures ${n} bytes: outside what the bridge handles (${OBJECT_BYTES})`);
    const expected = SIZES_BY_VERSION[this.libs.version]?.[type];
    if (expected !== undefined && expected !== n) {
      throw new LayoutMismatchError(`libxl_${type} is ${n} bytes in ${this.libs.path}, but ${expected} in Xen ${this.libs.version}'s headers: this libxenlight does not match its SONAME`);
    }
    this.sizes.set(type, n);
    return n;
  }

  /** A fresh object (libxl_<type>_init on zeroed native memory). */
  create(type: string): LibxlObject {
    const ptr = this.mem.calloc(OBJECT_BYTES);
    this.functions(type).init(ptr);
    this.live++;
    return { type, ptr };
  }

  dispose(obj: LibxlObject): void {
    this.functions(obj.type).dispose(obj.ptr);
    this.mem.free(obj.ptr);
    this.live--;
  }

  /** Objects created and not yet disposed (for tests). */
  get liveObjects(): number {
    return this.live;
  }

  /** A fresh object filled from JSON; disposed again if libxl refuses the text. */
  fromJson(type: string, json: string): LibxlObject {
    const obj = this.create(type);
    const rc = this.functions(type).fromJson(this.ctx(), obj.ptr, json) as number;
    if (rc !== 0) {
      this.dispose(obj);
      throw new FromJsonError(type, rc);
    }
    return obj;
  }

  toJson(type: string, ptr: bigint): string {
    const s = this.functions(type).toJson(this.ctx(), ptr) as string | null;
    if (s === null) throw new InternalError(`libxl_${type}_to_json failed`);
    return s;
  }

  toObject<T = Record<string, unknown>>(type: string, ptr: bigint): T {
    return JSON.parse(this.toJson(type, ptr)) as T;
  }

  /** Runs fn on a fresh object (filled from json when given) and disposes it afterwards. */
  async with<T>(type: string, json: string | undefined, fn: (obj: LibxlObject) => T | Promise<T>): Promise<T> {
    const obj = json === undefined ? this.create(type) : this.fromJson(type, json);
    try {
      return await fn(obj);
    } finally {
      this.dispose(obj);
    }
  }

  /** The elements of an array libxl returned, as objects. */
  list<T = Record<string, unknown>>(type: string, ptr: bigint | null, n: number): T[] {
    if (!ptr || n <= 0) return [];
    const size = BigInt(this.sizeOf(type));
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(this.toObject<T>(type, ptr + BigInt(i) * size));
    return out;
  }

  /** Address of element i of an array libxl returned. */
  element(type: string, ptr: bigint, i: number): bigint {
    return ptr + BigInt(i) * BigInt(this.sizeOf(type));
  }

  freeRaw(ptr: bigint): void {
    this.mem.free(ptr);
  }
}
