// The state file is txl's own, but a hand edit, a disk error or another program can leave it
// well-formed JSON of the wrong shape, and the simulator would then fail deep inside with a
// TypeError. Its shape is checked once when read: the first thing wrong, with its path.
import { STATE_VERSION } from './state.js';

type Check = (v: unknown) => boolean;
const int: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const str: Check = (v) => typeof v === 'string';
const bool: Check = (v) => typeof v === 'boolean';
const obj: Check = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (each: Check): Check => (v) => Array.isArray(v) && v.every(each);
const oneOf = (...xs: string[]): Check => (v) => xs.includes(v as string);
const opt = (c: Check): Check => (v) => v === undefined || c(v);
const nullable = (c: Check): Check => (v) => v === null || c(v);

const DOMAIN: Record<string, [Check, string]> = {
  domid: [int, 'a domid'],
  name: [str, 'a string'],
  uuid: [str, 'a string'],
  config: [(v) => obj(v) && obj((v as { c_info?: unknown }).c_info), 'a domain config with c_info'],
  status: [oneOf('running', 'paused', 'shutdown', 'dying'), 'running, paused, shutdown or dying'],
  start_time: [num, 'a number'],
  cpu_ns: [num, 'a number'],
  run_since: [nullable(num), 'a number or null'],
  target_kb: [int, 'a whole number'],
  max_kb: [int, 'a whole number'],
  video_kb: [int, 'a whole number'],
  shadow_kb: [int, 'a whole number'],
  max_vcpus: [int, 'a whole number'],
  online_vcpus: [int, 'a whole number'],
  hard_affinity: [arr(arr(int)), 'a list of CPU lists'],
  soft_affinity: [arr(arr(int)), 'a list of CPU lists'],
  sched: [obj, 'an object'],
  cpupool: [int, 'a pool id'],
  devices: [arr((d) => obj(d) && str((d as { kind?: unknown }).kind) && int((d as { devid?: unknown }).devid) && obj((d as { config?: unknown }).config)), 'a list of devices'],
  monitor: [bool, 'true or false'],
  pv_control: [bool, 'true or false'],
  reboots: [arr(num), 'a list of times'],
  saving: [opt(obj), 'a save marker'],
};

const TOP: Record<string, [Check, string]> = {
  boot_time: [num, 'a number'],
  next_domid: [int, 'a domid'],
  next_evtch: [int, 'a whole number'],
  next_gref: [int, 'a whole number'],
  domains: [Array.isArray, 'a list of domains'],
  cpupools: [arr((p) => obj(p) && int((p as { poolid?: unknown }).poolid) && str((p as { name?: unknown }).name) && arr(int)((p as { cpus?: unknown }).cpus)), 'a list of cpupools'],
  event_seq: [int, 'a whole number'],
  events: [arr(obj), 'a list of events'],
  dmesg: [arr(str), 'a list of lines'],
  host: [opt(obj), 'a host description'],
};

/** What is wrong with a parsed state file, or undefined when it has the shape txl writes. */
export function stateProblem(st: unknown): string | undefined {
  if (!obj(st)) return 'not a JSON object';
  const s = st as Record<string, unknown>;
  if (s.version !== STATE_VERSION) return `version ${JSON.stringify(s.version)} is not one this txl understands (${STATE_VERSION})`;
  for (const [k, [ok, what]] of Object.entries(TOP)) if (!ok(s[k])) return `'${k}' must be ${what}`;
  const domains = s.domains as unknown[];
  for (let i = 0; i < domains.length; i++) {
    const d = domains[i];
    if (!obj(d)) return `domains[${i}] must be an object`;
    for (const [k, [ok, what]] of Object.entries(DOMAIN)) {
      if (!ok((d as Record<string, unknown>)[k])) return `domains[${i}].${k} must be ${what}`;
    }
  }
  // a hand edit that copies a domain: every lookup would find only the first of the two
  for (const k of ['domid', 'name'] as const) {
    const first = new Map<unknown, number>();
    for (let i = 0; i < domains.length; i++) {
      const v = (domains[i] as Record<string, unknown>)[k];
      const j = first.get(v);
      if (j !== undefined) return `domains[${i}].${k} ${JSON.stringify(v)} is also domains[${j}]'s`;
      first.set(v, i);
    }
  }
  return undefined;
}
