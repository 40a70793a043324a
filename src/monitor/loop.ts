// The per-domain monitor: waits for its domain to shut down and applies the config's
// on_poweroff/on_reboot/on_crash/on_watchdog/on_soft_reset action, as xl's monitor does
// (destroy, restart, rename-restart, preserve, coredump-destroy, coredump-restart,
// soft-reset), then either follows the restarted domain or exits. It talks to the
// hypervisor only through MonitorHost, so that the decisions are tested on any machine.
import type { DomainConfig, ShutdownAction } from '../core/model.js';
import type { ShutdownReason } from '../core/backend-types.js';
import type { HookPhase } from '../hooks.js';
import { actionFor, actionName, corePath, RebootLoopGuard, renameSuffix } from './policy.js';
import type { RebootLimit } from '../core/reboot-limit.js';

export type MonitorEvent =
  | { type: 'shutdown'; reason: ShutdownReason | 'unknown'; code: number }
  | { type: 'death' };

/** What the monitor needs from libxl (or a fake, in tests). */
export interface MonitorHost {
  /** starts watching the domain for shutdown and death (libxl_evenable_domain_death) */
  watch(domid: number): Promise<void>;
  /** stops watching (before a restart, or while a suspended domain waits) */
  unwatch(): Promise<void>;
  /** the next event of the watched domain */
  next(): Promise<MonitorEvent>;
  /** null when the domain is gone; whether it is shut down otherwise */
  state(domid: number): Promise<{ name: string; shutdown: boolean } | null>;
  /** the config to restart with: xl's "xl" userdata if any (then removed), else the live one */
  reloadConfig(domid: number): Promise<{ config: DomainConfig; source: string }>;
  destroy(domid: number): Promise<void>;
  coreDump(domid: number, file: string): Promise<void>;
  /** renames the shut-down domain with a suffix and gives it a new UUID (libxl_domain_preserve) */
  preserve(domid: number, config: DomainConfig, suffix: string): Promise<void>;
  /** creates and unpauses a domain; returns its domid */
  create(config: DomainConfig): Promise<number>;
  /** rebuilds the domain in place (libxl_domain_soft_reset) */
  softReset(domid: number, config: DomainConfig): Promise<void>;
}

export interface MonitorOptions {
  domid: number;
  /** the domain's config as it is now (for its on_* actions and name) */
  config: DomainConfig;
  log(message: string): void;
  /** runs a phase's hooks; throws when a pre-hook fails */
  hooks?(phase: HookPhase, target: { name: string; domid: number | null }, config: DomainConfig): Promise<void>;
  rebootLimit?: RebootLimit;
  /** pause before re-creating (xl sleeps 2 s: re-creation right away sometimes fails) */
  restartDelayMs?: number;
  /** between checks of a suspended domain */
  pollMs?: number;
  dumpDir?: string;
  now?(): number;
  sleep?(ms: number): Promise<void>;
}

export interface MonitorOutcome {
  /** process exit code: 0 when the monitor's work ended normally */
  code: number;
  /** what ended it */
  why: string;
  /** the domid the monitor followed last */
  domid: number;
  restarts: number;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runMonitor(host: MonitorHost, o: MonitorOptions): Promise<MonitorOutcome> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? defaultSleep;
  const guard = new RebootLoopGuard(o.rebootLimit);
  let domid = o.domid;
  let config = o.config;
  let restarts = 0;
  const name = () => config.c_info?.name ?? `domain ${domid}`;
  const end = (code: number, why: string): MonitorOutcome => {
    o.log(code === 0 ? 'Done. Exiting now' : `Giving up: ${why}`);
    return { code, why, domid, restarts };
  };

  o.log(`Waiting for domain ${name()} (domid ${domid}) to die [pid ${process.pid}]`);
  await host.watch(domid);
  for (;;) {
    const ev = await host.next();
    if (ev.type === 'death') {
      o.log(`Domain ${domid} has been destroyed.`);
      await host.unwatch();
      return end(0, 'destroyed');
    }
    o.log(`Domain ${domid} has shut down, reason code ${ev.code} 0x${(ev.code & 0xff).toString(16)}`);
    if (ev.reason === 'suspend') {
      o.log('Domain has suspended.');
      await host.unwatch();
      // saved or migrating: gone soon, or resumed (save -c / -p, a failed migration)
      const back = await waitResumedOrGone(host, domid, o.pollMs ?? 1000, sleep);
      if (!back) {
        o.log(`Domain ${domid} has been destroyed.`);
        return end(0, 'destroyed after suspend');
      }
      o.log(`Domain ${domid} has resumed; watching it again`);
      await host.watch(domid);
      continue;
    }

    let action: ShutdownAction = actionFor(ev.reason, config);
    if (ev.reason === 'unknown') o.log(`Unknown shutdown reason code ${ev.code}. Destroying domain.`);
    o.log(`Action for shutdown reason code ${ev.code} is ${actionName(action)}`);
    await host.unwatch();

    if (action === 'coredump_destroy' || action === 'coredump_restart') {
      const file = corePath(o.dumpDir ?? '/var/lib/xen/dump', name());
      o.log(`dumping core to ${file}`);
      try {
        await host.coreDump(domid, file);
      } catch (e) {
        o.log(`core dump failed: ${(e as Error).message}`); // carry on, as xl does
      }
      action = action === 'coredump_destroy' ? 'destroy' : 'restart';
    }

    if (action === 'preserve') {
      o.log(`Domain ${domid} is preserved: left shut down (on_${ev.reason} = preserve)`);
      return end(0, 'preserved');
    }

    if (action === 'destroy') {
      try {
        await o.hooks?.('pre-destroy', { name: name(), domid }, config);
      } catch (e) {
        o.log(`Domain ${domid} left shut down: ${(e as Error).message}`);
        return end(1, 'a pre-destroy hook failed');
      }
      o.log(`Domain ${domid} needs to be cleaned up: destroying the domain`);
      await host.destroy(domid);
      await o.hooks?.('post-destroy', { name: name(), domid }, config).catch((e) => o.log(String((e as Error).message)));
      return end(0, 'destroyed');
    }

    // restart, rename-restart, soft-reset
    if (!guard.allow(now())) {
      o.log(`Domain ${domid} left shut down: reboot loop (restarted ${guard.limit.count} times within ${guard.limit.seconds} s)`);
      return end(0, 'reboot loop');
    }
    try {
      await o.hooks?.('pre-reboot', { name: name(), domid }, config);
    } catch (e) {
      o.log(`Domain ${domid} left shut down: ${(e as Error).message}`);
      return end(1, 'a pre-reboot hook failed');
    }
    const fresh = await host.reloadConfig(domid).catch((e) => {
      o.log(`failed to retrieve the guest's configuration (${(e as Error).message}); reusing the old one`);
      return { config, source: 'previous' };
    });
    if (fresh.source === 'xl') o.log('"xl" configuration found, using it');
    config = withoutDomid(fresh.config);

    if (action === 'soft_reset') {
      o.log(`Soft-resetting domain ${domid}`);
      try {
        await host.softReset(domid, config);
      } catch (e) {
        return end(1, `soft reset failed: ${(e as Error).message}`);
      }
    } else {
      if (action === 'restart_rename') {
        const suffix = renameSuffix(now());
        o.log(`Preserving domain ${domid} ${name()} with suffix${suffix}`);
        try {
          await host.preserve(domid, config, suffix);
        } catch (e) {
          // the old domain stays as it is; nothing is restarted over it
          return end(1, `could not preserve domain ${domid}: ${(e as Error).message}`);
        }
      } else {
        o.log(`Domain ${domid} needs to be cleaned up: destroying the domain`);
        await host.destroy(domid);
      }
      o.log('Done. Rebooting now');
      await sleep(o.restartDelayMs ?? 2000);
      try {
        domid = await host.create(config);
      } catch (e) {
        return end(1, `restart of ${name()} failed: ${(e as Error).message}`);
      }
    }
    restarts++;
    o.log(`Domain ${name()} restarted as domid ${domid}`);
    o.log(`Waiting for domain ${name()} (domid ${domid}) to die [pid ${process.pid}]`);
    await host.watch(domid);
  }
}

/** A restart takes a fresh domid: the old one must not be asked for. */
function withoutDomid(cfg: DomainConfig): DomainConfig {
  if (cfg.c_info?.domid === undefined) return cfg;
  const { domid: _, ...c_info } = cfg.c_info;
  return { ...cfg, c_info };
}

async function waitResumedOrGone(host: MonitorHost, domid: number, pollMs: number, sleep: (ms: number) => Promise<void>): Promise<boolean> {
  for (;;) {
    const s = await host.state(domid);
    if (!s) return false;
    if (!s.shutdown) return true;
    await sleep(pollMs);
  }
}

