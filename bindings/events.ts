// libxl's domain events (what xl's per-domain monitor waits on) and the calls a monitor
// makes when its domain shuts down: core dump, preserve under a new name, soft reset,
// removing xl's stored config. Same conventions as libxl.ts: real 4.17 prototypes,
// structs as opaque pointers, except libxl_uuid, which libxl_domain_preserve takes by value.
import type { CFunction } from './libxl.js';
import type { Libs } from './load.js';
import { InternalError } from '../src/core/errors.js';

export const EVENT_PROTOTYPES = {
  libxl_evenable_domain_death: 'int libxl_evenable_domain_death(void *ctx, uint32_t domid, uint64_t user, _Out_ void **evgen_out)',
  libxl_evdisable_domain_death: 'void libxl_evdisable_domain_death(void *ctx, void *evgen)',
  libxl_event_wait: 'int libxl_event_wait(void *ctx, _Out_ void **event_r, uint64_t typemask, void *predicate, void *predicate_user)',
  libxl_event_check: 'int libxl_event_check(void *ctx, _Out_ void **event_r, uint64_t typemask, void *predicate, void *predicate_user)',
  libxl_event_free: 'void libxl_event_free(void *ctx, void *event)',
  libxl_event_to_json: 'str! libxl_event_to_json(void *ctx, void *event)',
  libxl_domain_core_dump: 'int libxl_domain_core_dump(void *ctx, uint32_t domid, const char *filename, void *ao_how)',
  libxl_userdata_unlink: 'int libxl_userdata_unlink(void *ctx, uint32_t domid, const char *userdata_userid)',
  libxl_domain_soft_reset: 'int libxl_domain_soft_reset(void *ctx, void *d_config, uint32_t domid, void *ao_how, void *aop_console_how)',
} as const;

/** LIBXL_EVENTMASK_ALL */
export const EVENTMASK_ALL = 0xffffffffffffffffn;
/** libxl_event_type */
export const EVENT_TYPES: Readonly<Record<number, string>> = {
  1: 'domain_shutdown', 2: 'domain_death', 3: 'disk_eject', 4: 'operation_complete', 5: 'domain_create_console_available',
};
export const ERROR_NOT_READY = -11;
export const ERROR_GUEST_TIMEDOUT = -8;

export type EventFunctions = Record<keyof typeof EVENT_PROTOTYPES, CFunction> & {
  /** int libxl_domain_preserve(ctx, domid, libxl_domain_create_info *info, const char *suffix, libxl_uuid new_uuid) */
  libxl_domain_preserve: CFunction;
};

const cache = new WeakMap<Libs, EventFunctions>();

export function eventFunctions(libs: Libs): EventFunctions {
  let f = cache.get(libs);
  if (f) return f;
  const { koffi, xl } = libs;
  f = {} as EventFunctions;
  for (const [name, proto] of Object.entries(EVENT_PROTOTYPES)) (f as Record<string, CFunction>)[name] = xl.func(proto) as unknown as CFunction;
  // anonymous, so that it never clashes with a type named elsewhere in the process
  const uuid = koffi.struct({ uuid: koffi.array('uint8_t', 16) });
  f.libxl_domain_preserve = xl.func('libxl_domain_preserve', 'int', ['void *', 'uint32_t', 'void *', 'const char *', uuid]) as unknown as CFunction;
  cache.set(libs, f);
  return f;
}

/** A UUID string as the value libxl_domain_preserve takes. */
export function uuidValue(uuid: string): { uuid: number[] } {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new InternalError(`'${uuid}' is not a UUID`);
  return { uuid: Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16)) };
}

export interface DecodedEvent {
  domid: number;
  type: string;
  /** libxl_shutdown_reason's number, for domain_shutdown */
  shutdownReason?: number;
}

/** Reads libxl_event_to_json's text: keyed unions come as "type.<name>": {...}. */
export function decodeEvent(json: string): DecodedEvent {
  const o = JSON.parse(json) as Record<string, unknown>;
  const ev: DecodedEvent = { domid: typeof o.domid === 'number' ? o.domid : -1, type: typeof o.type === 'string' ? o.type : 'unknown' };
  for (const [k, v] of Object.entries(o)) {
    if (!k.startsWith('type.')) continue;
    ev.type = k.slice(5);
    const r = (v as Record<string, unknown> | null)?.shutdown_reason;
    if (typeof r === 'number') ev.shutdownReason = r;
  }
  if (ev.type === 'domain_shutdown' && ev.shutdownReason === undefined) ev.shutdownReason = 0; // a field at its default is left out
  return ev;
}
