// Hooks around a connection's lifecycle calls: create (pre-start), destroy (pre-destroy,
// post-destroy) and reboot (pre-reboot), whichever command makes them. A hook gets the
// domain's config as a libxl JSON file. On Xen the hooks come from /etc/txl/hooks (or
// TXL_HOOKS_DIR); on the simulator only from an explicit TXL_HOOKS_DIR, so that simulated
// domains never run a real host's hooks.
import type { Backend, CreateOptions, ShutdownOptions } from './core/backend-types.js';
import type { DomainConfig } from './core/model.js';
import { DEFAULT_HOOKS_DIR, HookError, listHooks, runHooks, withConfigFile, type HookPhase } from './hooks.js';

const RAW = Symbol('txl.unhookedBackend');

export interface HookedOptions {
  /** told about failing post-hooks */
  warn(message: string): void;
  /** the hooks root; default: by connection kind (see above) */
  dir?: string;
}

/** The hooks root a connection of this kind uses, or undefined for none. */
export function hooksDirFor(kind: Backend['kind']): string | undefined {
  if (process.env.TXL_HOOKS_DIR) return process.env.TXL_HOOKS_DIR;
  return kind === 'xen' ? DEFAULT_HOOKS_DIR : undefined;
}

/** The same backend, with hooks run around create, destroy and reboot. */
export function withHooks(be: Backend, o: HookedOptions): Backend {
  const dir = o.dir ?? hooksDirFor(be.kind);
  if (!dir) return be;
  const any = (phase: HookPhase): boolean => {
    try {
      return listHooks(phase, dir).length > 0;
    } catch (e) {
      // a refused hook: a pre-phase must stop (runHooks throws it), a post-phase only warns
      return e instanceof HookError;
    }
  };
  const run = async (phase: HookPhase, name: string, domid: number | null, config: () => Promise<DomainConfig | undefined>) => {
    if (!any(phase)) return; // no hooks: no config to fetch
    const cfg = await config().catch(() => undefined);
    const { modelToLibxlJson } = await import('../parsers/libxl-json.js');
    const text = cfg ? modelToLibxlJson({ ...cfg, side: undefined }) : JSON.stringify({ c_info: { name } });
    await withConfigFile(text, (path) => runHooks(phase, { name, domid, config: path }, { dir, uri: be.uri, onWarning: o.warn }));
  };
  const named = async (domid: number) => (await be.domainInfo(domid)).name;
  const hooked: Partial<Backend> = {
    async create(cfg: DomainConfig, opts?: CreateOptions) {
      await run('pre-start', cfg.c_info?.name ?? '', null, async () => cfg);
      return be.create(cfg, opts);
    },
    async destroy(domid: number) {
      const name = await named(domid);
      let cfg: DomainConfig | undefined;
      const config = async () => (cfg ??= await be.domainConfig(domid));
      // the config must be read while the domain still exists
      if (any('post-destroy')) await config().catch(() => undefined);
      await run('pre-destroy', name, domid, config);
      await be.destroy(domid);
      await run('post-destroy', name, domid, config);
    },
    async reboot(domid: number, opts?: ShutdownOptions) {
      await run('pre-reboot', await named(domid), domid, () => be.domainConfig(domid));
      return be.reboot(domid, opts);
    },
  };
  return new Proxy(be, {
    get(target, prop, receiver) {
      if (prop === RAW) return target;
      if (typeof prop === 'string' && prop in hooked) return hooked[prop as keyof Backend];
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/** The backend without hooks (a migration moves a domain; it neither starts nor destroys it). */
export function unhooked(be: Backend): Backend {
  return ((be as unknown as Record<symbol, Backend>)[RAW]) ?? be;
}
