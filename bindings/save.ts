// Save, restore and migration in libxl: libxl_domain_suspend writes a domain's image to an
// fd, libxl_domain_resume brings a suspended domain back, libxl_domain_create_restore
// builds a domain from an image read from an fd. libxl runs libxl-save-helper for these,
// so they go through Libxl.callAsync (see context.ts on SIGCHLD).
import type { CFunction } from './libxl.js';
import type { Libs } from './load.js';

export const SAVE_PROTOTYPES = {
  libxl_domain_suspend: 'int libxl_domain_suspend(void *ctx, uint32_t domid, int fd, int flags, void *ao_how)',
  libxl_domain_resume: 'int libxl_domain_resume(void *ctx, uint32_t domid, int suspend_cancel, void *ao_how)',
  libxl_domain_create_restore:
    'int libxl_domain_create_restore(void *ctx, void *d_config, _Inout_ uint32_t *domid, int restore_fd, int send_back_fd, void *params, void *ao_how, void *aop_console_how)',
} as const;

/** LIBXL_SUSPEND_* flags */
export const SUSPEND_DEBUG = 1;
export const SUSPEND_LIVE = 2;

export type SaveFunctions = Record<keyof typeof SAVE_PROTOTYPES, CFunction>;

const cache = new WeakMap<Libs, SaveFunctions>();

export function saveFunctions(libs: Libs): SaveFunctions {
  let f = cache.get(libs);
  if (!f) {
    f = {} as SaveFunctions;
    for (const [name, proto] of Object.entries(SAVE_PROTOTYPES)) (f as Record<string, CFunction>)[name] = libs.xl.func(proto) as unknown as CFunction;
    cache.set(libs, f);
  }
  return f;
}
