// Events on xen:///system from the difference between two looks at the host, as xentop
// learns what changed by polling. Pure: a look is plain data (src/xen/events.ts takes it),
// and step() turns the state kept so far and a new look into the state and events.
//
// libxl's own operations pass through states an admin never asked for, and the rules
// below keep them out of the stream:
// - A create builds the domain paused, adds its devices, and (without -p) unpauses it. A
//   domain that is paused and has never run is "building": its devices are part of the
//   create, and it is announced once it runs (create), or once libxl has finished with it
//   and it stays paused for MADE_HOLD_MS (create -p: create, detail "paused"). libxl writes
//   the domain's "libxl-json" userdata as the last step of a create (domcreate_complete), so
//   that file's presence is what `made` reports; BUILD_MAX_MS bounds the wait without it.
// - A destroy pauses the domain, takes its devices offline, then removes it. So a pause is
//   held back for one look; if the paused domain's devices go, the domain is "doomed" and
//   what it does is held until it is gone (only destroy is reported) or runs again (the
//   held events are reported after all), or DOOMED_MAX_MS passes.
// - A domain without a name in xenstore is not looked at: it is being made, or is past the
//   point of its destroy where libxl removed its xenstore home.
import type { DeviceKind, DomainEvent, EventType, ShutdownReason } from '../core/backend-types.js';

/** how long a made domain must stay paused to be a create -p, not a create between its last step and its unpause */
export const MADE_HOLD_MS = 1000;
export const BUILD_MAX_MS = 60_000;
export const DOOMED_MAX_MS = 30_000;
/** how long after a domain went, after a shutdown other than poweroff, a domain of its name is its restart */
export const RESTART_WINDOW_MS = 120_000;

export interface SeenDevice {
  /** the backend folder and devid, e.g. "vbd/51712" */
  key: string;
  kind: DeviceKind;
  devid: number;
  /** the kind's own name for it (vdev, MAC), as the simulator names devices */
  label: string;
  /** the backend is there and not being taken down (its "online" node is not 0) */
  online: boolean;
}

export interface SeenDomain {
  domid: number;
  name: string;
  uuid: string;
  paused: boolean;
  shutdown: boolean;
  shutdown_reason?: ShutdownReason;
  dying: boolean;
  /** nanoseconds; 0 until the domain first runs */
  cpu_time: number;
  vcpu_online: number;
  /** the balloon target in xenstore, KiB */
  target_kb?: number;
  devices: SeenDevice[];
  /** libxl has finished creating it (looked at only while it is paused and has never run) */
  made?: boolean;
}

export type NewEvent = Omit<DomainEvent, 'seq'>;

interface Tracked {
  dom: SeenDomain;
  phase: 'building' | 'live' | 'doomed';
  /** building: when it was first seen; doomed: when it became so */
  since: number;
  /** building: when it was first seen made */
  madeAt?: number;
  /** a pause seen in the last look, not yet reported */
  pause?: NewEvent;
  /** what a doomed domain did, reported only if it turns out not to be a destroy */
  held: NewEvent[];
}

export interface WatchState {
  domains: Map<number, Tracked>;
  /** domains gone after a shutdown that their monitor may answer with a restart, by name */
  gone: Map<string, { domid: number; reason: ShutdownReason; time: number }>;
}

const building = (d: SeenDomain) => d.paused && d.cpu_time === 0 && !d.shutdown && !d.dying;
const online = (d: SeenDomain) => new Map(d.devices.filter((x) => x.online).map((x) => [x.key, x]));

/** libxl_shutdown_reason as the simulator names the event (poweroff, suspend, soft_reset are "shutdown"). */
function shutdownType(r: ShutdownReason | undefined): EventType {
  return r === 'reboot' || r === 'crash' || r === 'watchdog' ? r : 'shutdown';
}

function ev(type: EventType, d: SeenDomain, time: number, extra: { reason?: ShutdownReason; detail?: string } = {}): NewEvent {
  const e: NewEvent = { time, type, domid: d.domid, name: d.name, uuid: d.uuid };
  if (extra.reason) e.reason = extra.reason;
  if (extra.detail) e.detail = extra.detail;
  return e;
}

/** The state for the first look: what is there already is not reported. */
export function initialState(seen: SeenDomain[], now: number): WatchState {
  const domains = new Map<number, Tracked>();
  for (const d of seen) domains.set(d.domid, { dom: d, phase: building(d) ? 'building' : 'live', since: now, madeAt: d.made ? now : undefined, held: [] });
  return { domains, gone: new Map() };
}

/** The events between the last look and this one, and the state to keep for the next. */
export function step(state: WatchState, seen: SeenDomain[], now: number): { state: WatchState; events: NewEvent[] } {
  const out: NewEvent[] = [];
  const domains = new Map<number, Tracked>();
  const gone = new Map([...state.gone].filter(([, g]) => now - g.time < RESTART_WINDOW_MS));
  const current = new Map(seen.map((d) => [d.domid, d]));

  for (const [domid, t] of state.domains) {
    const d = current.get(domid);
    if (d && d.uuid === t.dom.uuid) continue;
    // gone: a domain still building is reported as made and gone (a create that failed)
    if (t.phase === 'building') out.push(ev('create', t.dom, t.since));
    out.push(ev('destroy', t.dom, now));
    if (t.dom.shutdown && t.dom.shutdown_reason && t.dom.shutdown_reason !== 'poweroff') {
      gone.set(t.dom.name, { domid, reason: t.dom.shutdown_reason, time: now });
    }
  }

  const announce = (d: SeenDomain, detail?: string) => {
    const g = gone.get(d.name);
    if (g) {
      gone.delete(d.name);
      out.push(ev('restart', d, now, { detail: `from domid ${g.domid}` }));
    } else {
      out.push(ev('create', d, now, { detail }));
    }
  };

  for (const d of seen) {
    const t = state.domains.get(d.domid);
    if (!t || t.dom.uuid !== d.uuid) {
      if (building(d)) domains.set(d.domid, { dom: d, phase: 'building', since: now, madeAt: d.made ? now : undefined, held: [] });
      else {
        announce(d);
        domains.set(d.domid, { dom: d, phase: 'live', since: now, held: [] });
        if (d.shutdown) out.push(ev(shutdownType(d.shutdown_reason), d, now, { reason: d.shutdown_reason }));
      }
      continue;
    }
    domains.set(d.domid, compare(t, d, now, out, announce));
  }
  return { state: { domains, gone }, events: out };
}

function compare(t: Tracked, d: SeenDomain, now: number, out: NewEvent[], announce: (d: SeenDomain, detail?: string) => void): Tracked {
  const prev = t.dom;
  if (t.phase === 'building') {
    if (building(d)) {
      const madeAt = t.madeAt ?? (d.made ? now : undefined);
      const done = madeAt !== undefined ? now - madeAt >= MADE_HOLD_MS : now - t.since >= BUILD_MAX_MS;
      if (!done) return { ...t, dom: d, madeAt };
      announce(d, 'paused');
      return { dom: d, phase: 'live', since: now, held: [] };
    }
    // it ran: the create is done, its devices and its unpause were part of it
    announce(d);
    const next: Tracked = { dom: d, phase: 'live', since: now, held: [] };
    if (d.shutdown) out.push(ev(shutdownType(d.shutdown_reason), d, now, { reason: d.shutdown_reason }));
    return next;
  }

  const next: Tracked = { dom: d, phase: t.phase, since: t.since, held: [...t.held], pause: t.pause };
  const emit = (e: NewEvent) => (next.phase === 'doomed' ? next.held.push(e) : out.push(e));

  if (d.name !== prev.name) out.push(ev('rename', d, now, { detail: `from '${prev.name}'` }));

  if (d.shutdown || d.dying) {
    // a shut-down domain only waits to be destroyed: what its teardown does is not news
    if (!prev.shutdown && d.shutdown) {
      release(next, out);
      out.push(ev(shutdownType(d.shutdown_reason), d, now, { reason: d.shutdown_reason }));
    }
    delete next.pause;
    next.held = [];
    if (next.phase === 'doomed') next.phase = 'live';
    return next;
  }

  // devices: a change is news; devices going while the domain is paused mean a destroy
  const before = online(prev);
  const after = online(d);
  const detached = [...before.values()].filter((x) => !after.has(x.key));
  const attached = [...after.values()].filter((x) => !before.has(x.key));
  if (detached.length && d.paused && next.phase === 'live') {
    next.phase = 'doomed';
    next.since = now;
    if (next.pause) next.held.push(next.pause);
    delete next.pause;
  }
  for (const x of detached) emit(ev('device-detach', d, now, { detail: `${x.kind} ${x.label}` }));
  for (const x of attached) emit(ev('device-attach', d, now, { detail: `${x.kind} ${x.label}` }));

  if (prev.target_kb !== undefined && d.target_kb !== undefined && d.target_kb !== prev.target_kb) emit(ev('memory', d, now, { detail: `target ${d.target_kb} KiB` }));
  if (d.vcpu_online !== prev.vcpu_online) emit(ev('vcpus', d, now, { detail: `${d.vcpu_online} online` }));

  if (!prev.paused && d.paused && next.phase === 'live') next.pause = ev('pause', d, now);
  else if (prev.paused && !d.paused) {
    release(next, out);
    out.push(ev('unpause', d, now));
  } else if (d.paused && next.pause && next.pause.time < now) {
    // paused for a whole look with its devices in place: a pause, not the start of a destroy
    out.push(next.pause);
    delete next.pause;
  }
  if (next.phase === 'doomed' && now - next.since >= DOOMED_MAX_MS) release(next, out);
  return next;
}

/** Reports what was held back, in order, and takes the domain out of doubt. */
function release(t: Tracked, out: NewEvent[]): void {
  if (t.pause) out.push(t.pause);
  out.push(...t.held);
  delete t.pause;
  t.held = [];
  if (t.phase === 'doomed') t.phase = 'live';
}
