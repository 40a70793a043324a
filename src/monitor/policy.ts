// What the monitor does when its domain shuts down: the config's on_* action for the
// reason, as xl's monitor maps it, and the limit that keeps a guest that reboots in a loop
// from being restarted forever (xl has none; the simulator has the same rule).
import type { DomainConfig, ShutdownAction } from '../core/model.js';
import { DEFAULT_REBOOT_LIMIT, type RebootLimit } from '../core/reboot-limit.js';
import type { ShutdownReason } from '../core/backend-types.js';

export const REASON_CODES: Record<ShutdownReason, number> = {
  poweroff: 0, reboot: 1, suspend: 2, crash: 3, watchdog: 4, soft_reset: 5,
};

export function reasonFromCode(code: number): ShutdownReason | 'unknown' {
  const hit = Object.entries(REASON_CODES).find(([, c]) => c === code);
  return hit ? (hit[0] as ShutdownReason) : 'unknown';
}

/** The config's action for a shutdown reason; libxl's default (an absent key) is destroy. */
export function actionFor(reason: Exclude<ShutdownReason, 'suspend'> | 'unknown', cfg: DomainConfig): ShutdownAction {
  if (reason === 'unknown') return 'destroy';
  return cfg[`on_${reason}`] ?? 'destroy';
}

/** xl's spelling of an action in its log ("coredump-restart", "rename-restart"). */
export function actionName(a: ShutdownAction): string {
  return a === 'restart_rename' ? 'rename-restart' : a.replace('_', '-');
}

/** Remembers restart times; refuses the one that would exceed the limit. */
export class RebootLoopGuard {
  private times: number[] = [];
  constructor(readonly limit: RebootLimit = DEFAULT_REBOOT_LIMIT) {}

  /** Records a restart at `now` (ms) if allowed; false when it would be a loop. */
  allow(now: number): boolean {
    const recent = this.times.filter((t) => now - t < this.limit.seconds * 1000);
    if (recent.length + 1 > this.limit.count) {
      this.times = recent;
      return false;
    }
    this.times = [...recent, now];
    return true;
  }

  /** restarts counted within the window at `now` */
  recent(now: number): number {
    return this.times.filter((t) => now - t < this.limit.seconds * 1000).length;
  }
}

/** xl's rename-restart suffix: "-YYYYMMDDTHHMMZ" in UTC. */
export function renameSuffix(now: number): string {
  const t = new Date(now).toISOString();
  return `-${t.slice(0, 4)}${t.slice(5, 7)}${t.slice(8, 10)}T${t.slice(11, 13)}${t.slice(14, 16)}Z`;
}

/** Where coredump-* actions write: xl's XEN_DUMP_DIR and the domain's name. */
export function corePath(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '')}/${name}`;
}
