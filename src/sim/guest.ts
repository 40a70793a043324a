// Lifecycle of a simulated domain: what the hypervisor does (pause, destroy) and what the guest
// does when asked or on its own (power off, reboot, crash), followed by the config's on_* action
// as xl's per-domain monitor would apply it, with reboot-loop suppression.
import { OperationError } from '../core/errors.js';
import type { ShutdownAction } from '../core/model.js';
import type { GuestAction, ShutdownReason } from '../core/backend-types.js';
import { appendConsole, bootLines, removeConsole, shutdownLines } from './console.js';
import { createDomain, liveConfig } from './domains.js';
import { accrue, logXen, newUuid, pushEvent, type SimDomain } from './state.js';
import { replaceFile } from '../fsutil.js';
import type { Tx } from './store.js';
import { join } from 'node:path';

export function refuseDom0(d: SimDomain, what: string): void {
  if (d.domid === 0) throw new OperationError(`cannot ${what} Domain-0: it is the host's control domain`);
}

function mustBeLive(d: SimDomain, what: string): void {
  if (d.status === 'shutdown' || d.status === 'dying') {
    throw new OperationError(`cannot ${what} domain '${d.name}': it is ${d.status === 'dying' ? 'dying' : 'shut down'}`, "destroy it with 'txl destroy'");
  }
}

export function destroyDomain(tx: Tx, d: SimDomain, why = 'destroyed'): void {
  refuseDom0(d, 'destroy');
  accrue(d, tx.now);
  tx.st.domains.splice(tx.st.domains.indexOf(d), 1);
  pushEvent(tx.st, 'destroy', d, { detail: why === 'destroyed' ? undefined : why }, tx.now);
  logXen(tx.st, `d${d.domid}: domain destroyed`);
  const domid = d.domid;
  tx.after(() => removeConsole(tx.paths, domid));
}

export function pauseDomain(tx: Tx, d: SimDomain): void {
  refuseDom0(d, 'pause');
  mustBeLive(d, 'pause');
  if (d.status === 'paused') return;
  accrue(d, tx.now);
  d.run_since = null;
  d.status = 'paused';
  pushEvent(tx.st, 'pause', d, {}, tx.now);
}

export function unpauseDomain(tx: Tx, d: SimDomain): void {
  mustBeLive(d, 'unpause');
  if (d.status !== 'paused') throw new OperationError(`domain '${d.name}' is not paused`);
  const firstRun = d.cpu_ns === 0;
  tx.faults.hit('domain-unpause', `unpausing domain '${d.name}'`);
  d.status = 'running';
  d.run_since = tx.now;
  for (const x of d.devices) {
    x.backend_state = 4;
    x.frontend_state = 4;
  }
  pushEvent(tx.st, 'unpause', d, {}, tx.now);
  if (firstRun) tx.after(() => appendConsole(tx.paths, d.domid, bootLines(d)));
}

/** A shutdown or reboot asked of the guest from outside (xl shutdown / reboot). */
export function requestGuest(tx: Tx, d: SimDomain, action: 'poweroff' | 'reboot', fallbackAcpi: boolean): void {
  refuseDom0(d, action === 'poweroff' ? 'shut down' : 'reboot');
  mustBeLive(d, action === 'poweroff' ? 'shut down' : 'reboot');
  if (!d.pv_control && !fallbackAcpi) {
    const what = action === 'poweroff' ? 'shutdown' : 'reboot';
    throw new OperationError(
      `PV control interface not available: external graceful ${what} of domain '${d.name}' not possible`,
      `use -F to send an ACPI ${action === 'poweroff' ? 'power' : 'reset'} button event instead`,
    );
  }
  if (d.status === 'paused') {
    // a paused guest cannot act on the request until it runs again
    d.pending = { action, due: Number.MAX_SAFE_INTEGER };
    return;
  }
  if (tx.host.shutdown_delay_ms > 0) d.pending = { action, due: tx.now + tx.host.shutdown_delay_ms };
  else guestDoes(tx, d, action);
}

/** Carries out the requests whose time has come (at the start of every transaction); true when that changed the state. */
export function settle(tx: Tx): boolean {
  let changed = false;
  for (const d of [...tx.st.domains]) {
    if (!d.pending || d.status !== 'running') continue;
    if (d.pending.due === Number.MAX_SAFE_INTEGER) {
      d.pending.due = tx.now + tx.host.shutdown_delay_ms;
      changed = true;
    }
    if (d.pending.due <= tx.now) {
      guestDoes(tx, d, d.pending.action);
      changed = true;
    }
  }
  return changed;
}

const REASON: Record<GuestAction, ShutdownReason> = { poweroff: 'poweroff', reboot: 'reboot', crash: 'crash', watchdog: 'watchdog' };

/** The guest shuts itself down for a reason; then the monitor applies the config's action. */
export function guestDoes(tx: Tx, d: SimDomain, action: GuestAction): void {
  refuseDom0(d, action);
  mustBeLive(d, action);
  const reason = REASON[action];
  accrue(d, tx.now);
  d.run_since = null;
  d.status = 'shutdown';
  d.shutdown_reason = reason;
  delete d.pending;
  const domid = d.domid;
  tx.after(() => appendConsole(tx.paths, domid, shutdownLines(action)));
  pushEvent(tx.st, action === 'poweroff' ? 'shutdown' : action, d, { reason }, tx.now);
  logXen(tx.st, `d${d.domid}: guest ${action === 'poweroff' ? 'shut down' : action === 'reboot' ? 'rebooted' : action === 'crash' ? 'crashed' : 'watchdog fired'}`);
  if (!d.monitor) {
    d.detail = 'no monitor (created with -e): the on_* action was not applied';
    return;
  }
  const key = `on_${reason}` as 'on_poweroff' | 'on_reboot' | 'on_crash' | 'on_watchdog';
  applyAction(tx, d, d.config[key] ?? 'destroy');
}

function applyAction(tx: Tx, d: SimDomain, action: ShutdownAction): void {
  if (action === 'coredump_destroy' || action === 'coredump_restart') {
    dumpCore(tx, d);
    action = action === 'coredump_destroy' ? 'destroy' : 'restart';
  }
  switch (action) {
    case 'preserve':
      d.detail = `preserved after ${d.shutdown_reason} (on_${d.shutdown_reason} = preserve)`;
      pushEvent(tx.st, 'preserve', d, { reason: d.shutdown_reason }, tx.now);
      return;
    case 'destroy':
      destroyDomain(tx, d, `on_${d.shutdown_reason} = destroy`);
      return;
    case 'restart':
    case 'soft_reset':
    case 'restart_rename':
      restart(tx, d, action);
      return;
  }
}

function restart(tx: Tx, d: SimDomain, action: ShutdownAction): void {
  const limit = tx.host.reboot_limit;
  const recent = [...d.reboots.filter((t) => tx.now - t < limit.seconds * 1000), tx.now];
  if (recent.length > limit.count) {
    d.detail = `reboot loop: restarted ${recent.length} times within ${limit.seconds} s, left shut down`;
    pushEvent(tx.st, 'shutdown', d, { reason: d.shutdown_reason, detail: d.detail }, tx.now);
    logXen(tx.st, `d${d.domid}: ${d.detail}`);
    return;
  }
  const cfg = liveConfig(d);
  const oldName = d.name;
  if (action === 'restart_rename') {
    d.name = `${oldName}-${utcSuffix(tx.now)}`;
    d.uuid = newUuid();
    d.detail = `preserved as '${d.name}' by on_${d.shutdown_reason} = rename-restart`;
    pushEvent(tx.st, 'rename', d, { detail: `from '${oldName}'` }, tx.now);
  } else {
    destroyDomain(tx, d, `on_${d.shutdown_reason} = ${action}`);
  }
  try {
    const fresh = createDomain(tx, cfg, { domid: action === 'soft_reset' ? d.domid : undefined });
    fresh.reboots = recent;
    pushEvent(tx.st, 'restart', fresh, { detail: `from domid ${d.domid}` }, tx.now);
    tx.after(() => appendConsole(tx.paths, fresh.domid, bootLines(fresh)));
  } catch (e) {
    // like xl's monitor: the old domain is gone, the new one could not be made
    pushEvent(tx.st, 'restart', { domid: null, name: oldName, uuid: cfg.c_info.uuid }, { detail: `restart failed: ${(e as Error).message}` }, tx.now);
    logXen(tx.st, `restart of '${oldName}' failed: ${(e as Error).message}`);
  }
}

function utcSuffix(now: number): string {
  const t = new Date(now).toISOString();
  return `${t.slice(0, 4)}${t.slice(5, 7)}${t.slice(8, 10)}T${t.slice(11, 13)}${t.slice(14, 16)}Z`;
}

function dumpCore(tx: Tx, d: SimDomain): void {
  const path = join(tx.paths.dump, `${d.name}.core`);
  const body = JSON.stringify({ txl_sim_core: 1, domid: d.domid, name: d.name, uuid: d.uuid, reason: d.shutdown_reason, time: new Date(tx.now).toISOString() }) + '\n';
  tx.after(() => replaceFile(path, body));
  logXen(tx.st, `d${d.domid}: core dumped to ${path}`);
}
