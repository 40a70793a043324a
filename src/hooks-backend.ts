// Hooks around a connection's lifecycle calls: create (pre-start), destroy (pre-destroy,
// post-destroy) and reboot (pre-reboot), whichever command makes them. A hook gets the
// domain's config as a libxl JSON file. On Xen the hooks come from /etc/txl/hooks (or
// TXL_HOOKS_DIR); on the simulator only from an explicit TXL_HOOKS_DIR, so that simulated
// domains never run a real host's hooks.
import type { Backend, CreateOptions, ShutdownOptions } from './core/backend-types.js';
import type { DomainConfig } from './core/model.js';
import { BackendLayer } from './backend-layer.js';
import type { Environment } from './env.js';
import { DEFAULT_HOOKS_DIR, HookError, listHooks, runHooks, withConfigFile, type HookPhase } from './hooks.js';

export interface HookedOptions {
  /** told about failing post-hooks */
  warn(message: string): void;
  /** the command's environment (ctx.env): the hooks' own, and TXL_HOOKS_DIR */
  env: Environment;
  /** the hooks root; default: by connection kind (see above) */
  dir?: string;
}

/** The hooks root a connection of this kind uses, or undefined for none. */
export function hooksDirFor(kind: Backend['kind'], env: Environment): string | undefined {
  if (env.TXL_HOOKS_DIR) return env.TXL_HOOKS_DIR;
  return kind === 'xen' ? DEFAULT_HOOKS_DIR : undefined;
}

/** The same backend, with hooks run around create, destroy and reboot. */
export class HookedBackend extends BackendLayer {
  constructor(inner: Backend, private readonly dir: string, private readonly o: HookedOptions) {
    super(inner);
  }

  override async create(cfg: DomainConfig, opts?: CreateOptions): Promise<number> {
    await this.runPhase('pre-start', cfg.c_info?.name ?? '', null, async () => cfg);
    return this.inner.create(cfg, opts);
  }

  override async destroy(domid: number): Promise<void> {
    const name = await this.named(domid);
    let cfg: DomainConfig | undefined;
    const config = async () => (cfg ??= await this.inner.domainConfig(domid));
    // the config must be read while the domain still exists
    if (this.any('post-destroy')) await config().catch(() => undefined);
    await this.runPhase('pre-destroy', name, domid, config);
    await this.inner.destroy(domid);
    await this.runPhase('post-destroy', name, domid, config);
  }

  override async reboot(domid: number, opts?: ShutdownOptions): Promise<void> {
    await this.runPhase('pre-reboot', await this.named(domid), domid, () => this.inner.domainConfig(domid));
    return this.inner.reboot(domid, opts);
  }

  /**
   * Runs a phase's hooks for a domain, its config given to them as a libxl JSON file: throws
   * HookError when a pre-hook fails. The monitor runs its phases through this too.
   */
  async runPhase(phase: HookPhase, name: string, domid: number | null, config: () => Promise<DomainConfig | undefined>): Promise<void> {
    if (!this.any(phase)) return; // no hooks: no config to fetch
    const cfg = await config().catch(() => undefined);
    const { modelToLibxlJson } = await import('../parsers/libxl-json.js');
    const text = cfg ? modelToLibxlJson({ ...cfg, side: undefined }) : JSON.stringify({ c_info: { name } });
    await withConfigFile(text, (path) =>
      runHooks(phase, { name, domid, config: path }, { dir: this.dir, env: this.o.env, uri: this.uri, onWarning: (m) => this.o.warn(m) }));
  }

  private any(phase: HookPhase): boolean {
    try {
      return listHooks(phase, this.dir).length > 0;
    } catch (e) {
      // a refused hook: a pre-phase must stop (runHooks throws it), a post-phase only warns
      return e instanceof HookError;
    }
  }

  private async named(domid: number): Promise<string> {
    return (await this.inner.domainInfo(domid)).name;
  }
}

/** The same backend, with hooks run around create, destroy and reboot (none where no hooks root applies). */
export function withHooks(be: Backend, o: HookedOptions): Backend {
  const dir = o.dir ?? hooksDirFor(be.kind, o.env);
  return dir ? new HookedBackend(be, dir, o) : be;
}

/** Runs a phase's hooks as HookedBackend.runPhase does. */
export type HookRunner = (phase: HookPhase, name: string, domid: number | null, config: () => Promise<DomainConfig | undefined>) => Promise<void>;

/** The hooks of a composed backend, for phases that no Backend call makes (the monitor's); undefined when it runs none. */
export function hookRunner(be: Backend): HookRunner | undefined {
  if (!(be instanceof HookedBackend)) return undefined;
  return (phase, name, domid, config) => be.runPhase(phase, name, domid, config);
}

/** The backend without hooks (a migration moves a domain; it neither starts nor destroys it). */
export function unhooked(be: Backend): Backend {
  return be instanceof HookedBackend ? be.inner : be;
}
