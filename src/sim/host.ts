// The simulated host: hardware, Domain-0, settings and initial domains. test:///default has a
// built-in host; test:///PATH/host.yaml describes one (every key optional):
//
//   name: lab1                 # hostname shown by `txl info`
//   memory: 16g                # total RAM (a number is MiB; k/m/g/t suffixes)
//   cpus: 8                    # or given by the nodes
//   nodes: [{cpus: 0-3, memory: 8g}, {cpus: 4-7, memory: 8g}]
//   cores_per_socket: 4
//   threads_per_core: 1
//   cpu_mhz: 2400
//   dom0: {memory: 2g, vcpus: 4}
//   scheduler: credit2
//   xen_version: 4.17.7
//   pci_assignable: ['0000:03:00.0']
//   bridges: [xenbr0, xenbr1]  # network bridges in Domain-0 (txl new offers them)
//   reboot_limit: {count: 5, seconds: 60}   # more reboots than this: left shut down
//   shutdown_delay: 0          # ms a guest takes to act on shutdown/reboot
//   fail: disk-attach:2        # fault injection, like TXL_SIM_FAIL
//   domains:                   # created when the state is first made
//     - file: guest.cfg        # any config txl reads, relative to this file
//     - {name: web, memory: 512, vcpus: 2, type: pvh}
import { statSync } from 'node:fs';
import { MAX_YAML_BYTES, readBounded } from '../readlimit.js';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import { InvalidInputError, NotFoundError, TxlError } from '../core/errors.js';
import { writeFileAtomicSync } from '../fsutil.js';
import { loadYaml } from '../yaml.js';
import type { SimPaths } from './paths.js';

export interface SimNode { cpus: number[]; memory_mib: number }

export interface HostSpec {
  name: string;
  memory_mib: number;
  nr_cpus: number;
  nodes: SimNode[];
  cores_per_socket: number;
  threads_per_core: number;
  cpu_mhz: number;
  dom0: { memory_mib: number; vcpus: number };
  scheduler: string;
  xen_version: string;
  pci_assignable: string[];
  /** network bridges in Domain-0 (absent in state files written before they existed) */
  bridges?: string[];
  reboot_limit: { count: number; seconds: number };
  shutdown_delay_ms: number;
  fail?: string;
  domains: ({ file: string } | { name: string; memory_mib: number; vcpus: number; type: 'pv' | 'pvh' | 'hvm' })[];
}

export function defaultHost(): HostSpec {
  return {
    name: 'txl-sim',
    memory_mib: 16384,
    nr_cpus: 8,
    nodes: [{ cpus: [0, 1, 2, 3], memory_mib: 8192 }, { cpus: [4, 5, 6, 7], memory_mib: 8192 }],
    cores_per_socket: 4,
    threads_per_core: 1,
    cpu_mhz: 2400,
    dom0: { memory_mib: 2048, vcpus: 4 },
    scheduler: 'credit2',
    xen_version: '4.17.7',
    pci_assignable: ['0000:03:00.0', '0000:03:00.1'],
    bridges: ['xenbr0'],
    reboot_limit: { count: 5, seconds: 60 },
    shutdown_delay_ms: 0,
    domains: [],
  };
}

const KEYS = new Set(['name', 'memory', 'cpus', 'nodes', 'cores_per_socket', 'threads_per_core', 'cpu_mhz', 'dom0', 'scheduler',
  'xen_version', 'pci_assignable', 'bridges', 'reboot_limit', 'shutdown_delay', 'fail', 'domains']);

/** paths: where the host's state is (the cache goes beside it); by default beside the host file. */
export async function loadHostFile(path: string, paths?: SimPaths): Promise<HostSpec> {
  const cache = await hostCache(path, paths);
  const cached = cache?.read();
  if (cached) return cached;
  const host = await parseHostFile(path);
  cache?.write(host);
  return host;
}

declare const TXL_VERSION: string;
/** Bump when hostFromYaml reads a file differently: older caches are then ignored. */
const CACHE_FORMAT = 1;

/**
 * Every command on test:///PATH/host.yaml needs the host, and parsing YAML (with a long
 * `domains:` list) costs more than the command: the parsed host is kept in the state's
 * directory, valid while the file is the same one (device, inode, size, change times) on the
 * same machine and txl. A cache that is missing, stale, corrupt or unwritable is ignored.
 */
async function hostCache(path: string, paths?: SimPaths): Promise<{ read(): HostSpec | undefined; write(h: HostSpec): void } | undefined> {
  let key: string;
  try {
    const st = statSync(path, { bigint: true });
    key = JSON.stringify([CACHE_FORMAT, typeof TXL_VERSION === 'string' ? TXL_VERSION : 'dev', resolve(path), hostname(),
      String(st.dev), String(st.ino), String(st.size), String(st.mtimeNs), String(st.ctimeNs)]);
  } catch {
    return undefined;
  }
  const state = paths?.state ?? (await import('./paths.js')).simPaths(path, {}).state;
  const file = state.replace(/\.json$/, '') + '.host-cache.json';
  return {
    read() {
      try {
        const c = JSON.parse(readBounded(file, 'a host cache').toString('utf8')) as { key?: string; host?: HostSpec };
        return c.key === key && c.host && typeof c.host === 'object' && Array.isArray(c.host.domains) ? c.host : undefined;
      } catch {
        return undefined;
      }
    },
    write(host) {
      try {
        writeFileAtomicSync(file, JSON.stringify({ key, host }) + '\n', 0o600);
      } catch {
        // a read-only directory: parse again next time
      }
    },
  };
}

async function parseHostFile(path: string): Promise<HostSpec> {
  let text: string;
  try {
    text = readBounded(path, 'a host description', MAX_YAML_BYTES).toString('utf8');
  } catch (e) {
    if (e instanceof TxlError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError(`no simulator host file '${path}'`, 'test:///PATH needs a host description in YAML; use test:///default for the built-in host');
    throw new TxlError(`cannot read '${path}': ${(e as Error).message}`);
  }
  const deep = flowDepthOver(text, MAX_DEPTH);
  if (deep) throw new InvalidInputError(`${path}: nested more than ${MAX_DEPTH} levels deep (line ${deep}): not a host description`);
  const YAML = await loadYaml();
  let doc: unknown;
  try {
    // the yaml package's own duplicate-key check is quadratic (10,000 keys: 10 s): ours is not
    const parsed = YAML.parseDocument(text, { uniqueKeys: false });
    if (parsed.errors.length) throw parsed.errors[0];
    const dup = duplicateKey(parsed.contents, YAML.isMap, YAML.isSeq, YAML.isScalar);
    if (dup) throw new InvalidInputError(`the key '${dup}' is given twice`);
    doc = parsed.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (e) {
    throw new InvalidInputError(`${path}: not valid YAML: ${(e as Error).message.split('\n')[0].slice(0, 200)}`);
  }
  return hostFromYaml(doc, path);
}

export function hostFromYaml(doc: unknown, file: string): HostSpec {
  const bad = (msg: string): never => {
    throw new InvalidInputError(`${file}: ${msg}`, 'see the host file keys in the txl manual (section SIMULATOR)');
  };
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) bad('a host file is a YAML mapping of keys');
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d)) if (!KEYS.has(k)) bad(`unknown key '${k}'`);
  const h = defaultHost();
  const num = (k: string, v: unknown, min = 0): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) bad(`'${k}' must be a whole number of at least ${min}`);
    return v as number;
  };
  if (d.name !== undefined) h.name = String(d.name);
  else h.name = hostname();
  if (d.nodes !== undefined) {
    if (!Array.isArray(d.nodes) || !d.nodes.length) bad("'nodes' must be a list of {cpus, memory}");
    if ((d.nodes as unknown[]).length > MAX_NODES) bad(`'nodes' lists ${(d.nodes as unknown[]).length} nodes; Xen has at most ${MAX_NODES}`);
    h.nodes = (d.nodes as unknown[]).map((n, i) => {
      const o = (n ?? {}) as Record<string, unknown>;
      return { cpus: cpuList(o.cpus, `nodes[${i}].cpus`, bad), memory_mib: size(o.memory, `nodes[${i}].memory`, bad) };
    });
    const all = h.nodes.flatMap((n) => n.cpus);
    if (all.length > MAX_CPUS) bad(`the nodes list ${all.length} CPUs; Xen has at most ${MAX_CPUS}`);
    h.nr_cpus = all.reduce((m, c) => Math.max(m, c), 0) + 1;
    h.memory_mib = h.nodes.reduce((s, n) => s + n.memory_mib, 0);
  }
  if (d.cpus !== undefined) {
    h.nr_cpus = num('cpus', d.cpus, 1);
    if (h.nr_cpus > MAX_CPUS) bad(`'cpus' is ${h.nr_cpus}; Xen has at most ${MAX_CPUS} (NR_CPUS)`);
    if (d.nodes === undefined) h.nodes = [{ cpus: range(h.nr_cpus), memory_mib: 0 }];
  }
  if (d.memory !== undefined) h.memory_mib = size(d.memory, 'memory', bad);
  if (d.nodes === undefined) spreadMemory(h);
  if (d.cores_per_socket !== undefined) h.cores_per_socket = num('cores_per_socket', d.cores_per_socket, 1);
  else h.cores_per_socket = h.nr_cpus;
  if (d.threads_per_core !== undefined) h.threads_per_core = num('threads_per_core', d.threads_per_core, 1);
  if (d.cpu_mhz !== undefined) h.cpu_mhz = num('cpu_mhz', d.cpu_mhz, 1);
  if (d.dom0 !== undefined) {
    const o = (d.dom0 ?? {}) as Record<string, unknown>;
    if (o.memory !== undefined) h.dom0.memory_mib = size(o.memory, 'dom0.memory', bad);
    if (o.vcpus !== undefined) h.dom0.vcpus = num('dom0.vcpus', o.vcpus, 1);
  }
  h.dom0.vcpus = Math.min(h.dom0.vcpus, h.nr_cpus);
  if (h.dom0.memory_mib >= h.memory_mib) bad(`dom0.memory (${h.dom0.memory_mib} MiB) must be less than the host's memory (${h.memory_mib} MiB)`);
  if (d.scheduler !== undefined) {
    if (!['credit', 'credit2', 'rtds', 'arinc653', 'null'].includes(String(d.scheduler))) bad(`unknown scheduler '${d.scheduler}'`);
    h.scheduler = String(d.scheduler);
  }
  if (d.xen_version !== undefined) {
    if (!/^\d+\.\d+(\.\d+|[-.][\w.-]+)?$/.test(String(d.xen_version))) bad(`'xen_version' must look like 4.17.7`);
    h.xen_version = String(d.xen_version);
  }
  if (d.pci_assignable !== undefined) {
    if (!Array.isArray(d.pci_assignable)) bad("'pci_assignable' must be a list of BDFs like 0000:03:00.0");
    h.pci_assignable = (d.pci_assignable as unknown[]).map((b) => normaliseBdf(String(b)) ?? bad(`'${b}' is not a PCI address like 0000:03:00.0`));
  }
  if (d.bridges !== undefined) {
    const ok = (b: unknown) => typeof b === 'string' && /^[^\s/:]{1,15}$/.test(b);
    if (!Array.isArray(d.bridges) || !d.bridges.every(ok)) bad("'bridges' must be a list of interface names like xenbr0");
    h.bridges = (d.bridges as string[]).map(String);
  }
  if (d.reboot_limit !== undefined) {
    const o = (d.reboot_limit ?? {}) as Record<string, unknown>;
    h.reboot_limit = { count: num('reboot_limit.count', o.count ?? h.reboot_limit.count, 1), seconds: num('reboot_limit.seconds', o.seconds ?? h.reboot_limit.seconds, 1) };
  }
  if (d.shutdown_delay !== undefined) h.shutdown_delay_ms = num('shutdown_delay', d.shutdown_delay, 0);
  if (d.fail !== undefined) h.fail = String(d.fail);
  if (d.domains !== undefined) {
    if (!Array.isArray(d.domains)) bad("'domains' must be a list");
    if ((d.domains as unknown[]).length > MAX_DOMAINS) bad(`'domains' lists ${(d.domains as unknown[]).length} domains; at most ${MAX_DOMAINS}`);
    h.domains = (d.domains as unknown[]).map((x, i) => {
      const o = (x ?? {}) as Record<string, unknown>;
      if (typeof o.file === 'string') return { file: resolve(dirname(file), o.file) };
      if (typeof o.name !== 'string' || !o.name) bad(`domains[${i}] needs a 'file' or a 'name'`);
      const type = String(o.type ?? 'pvh');
      if (!['pv', 'pvh', 'hvm'].includes(type)) bad(`domains[${i}].type must be pv, pvh or hvm`);
      return { name: o.name as string, memory_mib: size(o.memory ?? 512, `domains[${i}].memory`, bad), vcpus: num(`domains[${i}].vcpus`, o.vcpus ?? 1, 1), type: type as 'pv' };
    });
  }
  return h;
}

/** The first key given twice in one mapping, anywhere in the document (one pass). */
function duplicateKey(node: unknown, isMap: (n: unknown) => boolean, isSeq: (n: unknown) => boolean, isScalar: (n: unknown) => boolean): string | undefined {
  const todo = [node];
  while (todo.length) {
    const n = todo.pop() as { items?: { key?: unknown; value?: unknown }[] } | undefined;
    if (isMap(n)) {
      const seen = new Set<string>();
      for (const item of n!.items!) {
        const k = isScalar(item.key) ? String((item.key as { value: unknown }).value) : undefined;
        if (k !== undefined && seen.has(k)) return k;
        if (k !== undefined) seen.add(k);
        todo.push(item.value);
      }
    } else if (isSeq(n)) for (const item of n!.items as unknown[]) todo.push(item);
  }
  return undefined;
}

/** Xen's limits (NR_CPUS of a default x86 build, MAX_NUMNODES), and sanity bounds of ours. */
const MAX_CPUS = 4096;
const MAX_NODES = 64;
const MAX_DOMAINS = 4096;
const MAX_DEPTH = 64;
/** the most memory a size may give: libxl counts KiB in a uint64, JavaScript exactly up to 2^53 */
const MAX_MIB = Math.floor(Number.MAX_SAFE_INTEGER / 1024);

/**
 * The line where flow collections (`[`, `{`) nest deeper than max, or 0. The YAML parser
 * takes seconds on 100,000 nested brackets; no host file needs more than a few levels.
 */
function flowDepthOver(text: string, max: number): number {
  let depth = 0;
  let line = 1;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl - 1;
    } else if (c === '[' || c === '{') {
      if (++depth > max) return line;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return 0;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function spreadMemory(h: HostSpec): void {
  const per = Math.floor(h.memory_mib / h.nodes.length);
  h.nodes.forEach((n, i) => (n.memory_mib = i === h.nodes.length - 1 ? h.memory_mib - per * (h.nodes.length - 1) : per));
}

/** A size in MiB: a number is MiB, a string may end in k, m, g or t (binary units). */
export function size(v: unknown, what: string, bad: (m: string) => never): number {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= MAX_MIB) return v;
  const m = /^\s*(\d+)\s*([kmgt]?)i?b?\s*$/i.exec(String(v));
  if (!m) bad(`'${what}' must be a size like 512, 512m or 2g`);
  const n = Number(m![1]);
  const unit = m![2].toLowerCase();
  const mib = unit === 'k' ? n / 1024 : unit === 'g' ? n * 1024 : unit === 't' ? n * 1024 * 1024 : n;
  if (!Number.isInteger(mib) || mib <= 0) bad(`'${what}' must be a whole number of MiB`);
  if (mib > MAX_MIB) bad(`'${what}' is more memory than txl can count (at most ${MAX_MIB} MiB)`);
  return mib;
}

function cpuList(v: unknown, what: string, bad: (m: string) => never): number[] {
  const tooMany = () => bad(`'${what}' names CPUs beyond ${MAX_CPUS - 1}; Xen has at most ${MAX_CPUS} (NR_CPUS)`);
  if (Array.isArray(v) && v.every((c) => Number.isInteger(c) && c >= 0)) {
    if (v.length > MAX_CPUS || v.some((c) => c >= MAX_CPUS)) tooMany();
    return v as number[];
  }
  const out: number[] = [];
  for (const part of String(v ?? '').split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) bad(`'${what}' must be a CPU list like 0-3,6`);
    const a = Number(m![1]);
    const b = m![2] === undefined ? a : Number(m![2]);
    if (b < a) bad(`'${what}': ${a}-${b} runs backwards`);
    if (b >= MAX_CPUS || out.length + b - a + 1 > MAX_CPUS) tooMany();
    for (let c = a; c <= b; c++) out.push(c);
  }
  return out;
}

export function normaliseBdf(s: string): string | undefined {
  const m = /^(?:([0-9a-f]{1,4}):)?([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i.exec(s.trim());
  if (!m) return undefined;
  const hex = (x: string, w: number) => parseInt(x, 16).toString(16).padStart(w, '0');
  return `${hex(m[1] ?? '0', 4)}:${hex(m[2], 2)}:${hex(m[3], 2)}.${m[4]}`;
}
