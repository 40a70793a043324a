// `txl __complete WORDS...`: the words typed after `txl`, the last one being the word under
// the cursor (possibly ''). Caught before commander parses, so flags and `--` reach it intact.
//
// Answer, on stdout, one line per candidate: `word` or `word<TAB>description`; then directive
// lines the shell scripts act on: `:cfgfile` (let the shell complete *.cfg/*.xml/*.json files
// and directories), `:file` (any path), `:nospace` (no space after the word, e.g. `memory=`).
// It never prompts and never writes to stderr: a shell is waiting on stdout, and a failing
// connection simply completes nothing.
import type { ArgDef, CommandDef, Completion, OptDef } from '../command.js';
import type { Backend, DeviceKind } from '../core/backend-types.js';
import { XL_CFG_VALUES } from '../cfgkeys.js';
import { GLOBAL_FLAGS, VERSION_FLAG } from './fast-parse.js';
import type { Environment } from '../env.js';
import { completeTimeout } from './io.js';

export interface Candidate {
  value: string;
  description?: string;
}

export interface Answer {
  candidates: Candidate[];
  directive?: 'cfgfile' | 'file';
  nospace?: boolean;
}

export interface CompleteOptions {
  commands?: CommandDef[];
  /** the environment (TXL_CONNECT, TXL_COMPLETE_TIMEOUT_MS); none when absent */
  env?: Environment;
  open?: (uri?: string) => Promise<Backend>;
}

interface FlagSpec {
  names: string[];
  takesValue: boolean;
  summary: string;
  choices?: readonly string[];
  complete?: Completion;
}

const URIS: Candidate[] = [
  { value: 'xen:///system', description: 'the local Xen host (libxl)' },
  { value: 'test:///default', description: 'the built-in simulator' },
  { value: 'test:///', description: 'a simulated host described in a YAML file' },
];

/** Parses commander flag syntax ('-j, --jobs <n>') into names and whether a value follows. */
export function flagSpec(o: OptDef): FlagSpec {
  const names = o.flags.split(/[\s,|]+/).filter((f) => f.startsWith('-'));
  return { names, takesValue: /[<[]/.test(o.flags), summary: o.summary, choices: o.choices, complete: o.complete };
}

/** The global options in commander's order (--version first), then the help option. */
function globalFlags(): FlagSpec[] {
  return [
    { names: VERSION_FLAG.names, takesValue: false, summary: VERSION_FLAG.summary },
    ...GLOBAL_FLAGS.map((f) => ({
      names: f.names,
      takesValue: Boolean(f.value),
      summary: f.summary,
      choices: f.key === 'output' ? ['text', 'table', 'json', 'yaml'] : undefined,
    })),
    { names: ['-h', '--help'], takesValue: false, summary: 'show help' },
  ];
}

function findFlag(specs: FlagSpec[], word: string): FlagSpec | undefined {
  const name = word.startsWith('--') ? word.split('=')[0] : word;
  return specs.find((s) => s.names.includes(name));
}

function flagCandidates(specs: FlagSpec[], partial: string): Candidate[] {
  // Long names, plus the short name of options that have no long one (xl's `-n`).
  return specs.flatMap((s) => {
    const long = s.names.filter((n) => n.startsWith('--'));
    const shown = partial.startsWith('--') || long.length ? long : s.names;
    return shown.map((value) => ({ value, description: s.summary }));
  });
}

/** Works out what the word under the cursor may become. Pure except for live look-ups. */
export async function completions(words: string[], opts: CompleteOptions = {}): Promise<Answer> {
  const commands = opts.commands ?? (await import('../../commands/table.js')).COMMANDS;
  const env = opts.env ?? {};
  const partial = words.length ? words[words.length - 1] : '';
  const before = words.slice(0, -1);
  const globals = globalFlags();

  let connect = env.TXL_CONNECT || undefined;
  let i = 0;
  for (; i < before.length; i++) {
    const w = before[i];
    if (w === '--') { i++; break; }
    if (!w.startsWith('-') || w === '-') break;
    const spec = findFlag(globals, w);
    let value: string | undefined;
    if (w.startsWith('--') && w.includes('=')) value = w.slice(w.indexOf('=') + 1);
    else if (spec?.takesValue) value = before[++i];
    else if (!spec && /^-c./.test(w)) value = w.slice(2);
    if (spec?.names.includes('--connect') && value !== undefined) connect = value;
  }
  const live = (kind: LiveKind, extra: string[] = []) => liveCandidates(kind, partial, connect, extra, opts.open, env);

  if (i >= before.length) {
    // Still before the command: a global option, its value, or the command itself.
    const prev = before[before.length - 1];
    const valueOf = prev && !prev.includes('=') ? findFlag(globals, prev) : undefined;
    if (valueOf?.takesValue && before.length) return valueAnswer(valueOf, partial, live);
    if (partial.startsWith('--') && partial.includes('=')) {
      const spec = findFlag(globals, partial);
      if (spec?.takesValue) return withPrefix(await valueAnswer(spec, partial.slice(partial.indexOf('=') + 1), live), partial.slice(0, partial.indexOf('=') + 1));
    }
    if (partial.startsWith('-')) return { candidates: filter(flagCandidates(globals, partial), partial) };
    return { candidates: filter(commandCandidates(commands, partial), partial) };
  }

  const name = before[i];
  if (name === 'help') {
    return before.length - i === 1 ? { candidates: filter(commandCandidates(commands, partial), partial) } : { candidates: [] };
  }
  const def = commands.find((c) => c.name === name || c.aliases?.includes(name));
  if (!def) return { candidates: [] };
  const specs = (def.options ?? []).map(flagSpec);
  const visible = (def.options ?? []).filter((o) => !o.hidden).map(flagSpec);
  visible.push({ names: ['-h', '--help'], takesValue: false, summary: 'show help for this command' });

  // Walk the command's own words: options (and their values) and positionals.
  const positionals: string[] = [];
  let dashdash = false;
  let pendingValue: FlagSpec | undefined;
  for (const w of before.slice(i + 1)) {
    if (pendingValue) { pendingValue = undefined; continue; }
    if (!dashdash && w === '--') { dashdash = true; continue; }
    if (!dashdash && w.startsWith('-') && w !== '-') {
      const spec = findFlag(specs, w);
      if (spec?.takesValue && !w.includes('=')) pendingValue = spec;
      continue;
    }
    positionals.push(w);
  }
  if (pendingValue) return valueAnswer(pendingValue, partial, live);
  if (!dashdash && partial.startsWith('--') && partial.includes('=')) {
    const spec = findFlag(specs, partial);
    if (spec?.takesValue) return withPrefix(await valueAnswer(spec, partial.slice(partial.indexOf('=') + 1), live), partial.slice(0, partial.indexOf('=') + 1));
    return { candidates: [] };
  }
  if (!dashdash && partial.startsWith('-')) return { candidates: filter(flagCandidates(visible, partial), partial) };

  const index = positionals.length;
  const last = def.args[def.args.length - 1];
  const arg: ArgDef | undefined = index < def.args.length ? def.args[index] : last?.variadic ? last : undefined;
  if (!arg) return { candidates: [] };
  // how many words the (variadic) argument already holds
  const argIndex = arg === last && last.variadic ? index - (def.args.length - 1) : 0;
  const domainWord = domainBefore(def, positionals);
  return kindAnswer(arg.complete ?? 'none', partial, live, { commands, def, argIndex, domainWord });
}

type LiveKind = 'domain' | 'managed' | 'cpupool' | 'device';

interface KindContext {
  commands: CommandDef[];
  def?: CommandDef;
  argIndex: number;
  domainWord?: string;
}

async function valueAnswer(spec: FlagSpec, partial: string, live: (k: LiveKind) => Promise<Candidate[]>): Promise<Answer> {
  if (spec.names.includes('--connect')) {
    const hits = filter(URIS, partial);
    return { candidates: hits, nospace: hits.length === 1 && hits[0].value === 'test:///' };
  }
  if (spec.choices) return { candidates: filter(spec.choices.map((value) => ({ value })), partial) };
  return kindAnswer(spec.complete ?? 'none', partial, live, { commands: [], argIndex: 0 });
}

async function kindAnswer(kind: Completion, partial: string, live: (k: LiveKind, extra?: string[]) => Promise<Candidate[]>, k: KindContext): Promise<Answer> {
  if (Array.isArray(kind)) return { candidates: filter(kind.map((value) => ({ value })), partial) };
  switch (kind) {
    case 'cfgfile':
    case 'file':
      return { candidates: [], directive: kind };
    case 'command':
      return { candidates: filter(commandCandidates(k.commands, partial), partial) };
    case 'cfgkey':
      return cfgKeyAnswer(partial, k.argIndex);
    case 'domain':
    case 'managed':
    case 'cpupool':
      return { candidates: filter(await live(kind), partial) };
    case 'device':
      return { candidates: k.domainWord ? filter(await live('device', [k.domainWord, k.def?.name ?? '']), partial) : [] };
    default:
      return { candidates: [] };
  }
}

/** xl's create words: a config file first, then files or `key=value` overrides. */
async function cfgKeyAnswer(partial: string, argIndex: number): Promise<Answer> {
  if (argIndex === 0) return { candidates: [], directive: 'cfgfile' };
  const { KNOWN_KEYS } = await import('../../parsers/xlcfg/keys.js');
  const eq = partial.indexOf('=');
  if (eq >= 0) {
    const key = partial.slice(0, eq);
    const values = XL_CFG_VALUES[key] ?? (KNOWN_KEYS.get(key)?.type === 'bool' ? ['0', '1'] : []);
    return { candidates: filter(values.map((v) => ({ value: `${key}=${v}` })), partial) };
  }
  const keys = [...KNOWN_KEYS.values()].filter((k) => !k.deprecated).map((k) => ({ value: `${k.name}=`, description: k.summary }));
  return { candidates: filter(keys, partial), directive: 'cfgfile', nospace: true };
}

function commandCandidates(commands: CommandDef[], partial: string): Candidate[] {
  const shown = commands.filter((c) => !c.hidden);
  const list: Candidate[] = shown.map((c) => ({ value: c.name, description: c.summary }));
  // Aliases (virsh's names) only once something is typed, to keep the first TAB short.
  if (partial) for (const c of shown) for (const a of c.aliases ?? []) list.push({ value: a, description: `same as ${c.name}` });
  list.push({ value: 'help', description: 'show help for a command' });
  // by code point: the first localeCompare loads ICU's collator (~9 ms, 3 MB) on every TAB
  return list.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** The word given for the command's <domain> argument, if it comes before the cursor. */
function domainBefore(def: CommandDef, positionals: string[]): string | undefined {
  const at = def.args.findIndex((a) => a.complete === 'domain' || a.complete === 'managed');
  return at >= 0 && at < positionals.length ? positionals[at] : undefined;
}

function filter(list: Candidate[], partial: string): Candidate[] {
  const seen = new Set<string>();
  return list.filter((c) => c.value.startsWith(partial) && !seen.has(c.value) && seen.add(c.value));
}

function withPrefix(a: Answer, prefix: string): Answer {
  return { ...a, candidates: a.candidates.map((c) => ({ ...c, value: prefix + c.value })) };
}

/** The detach commands name their device kind: block/disk, network/interface, pci, vtpm... */
function deviceKinds(command: string): DeviceKind[] {
  if (/block|disk|cd-/.test(command)) return ['disk'];
  if (/network|interface|vif|nic/.test(command)) return ['nic'];
  if (/pci/.test(command)) return ['pci'];
  if (/vtpm/.test(command)) return ['vtpm'];
  if (/channel/.test(command)) return ['channel'];
  if (/usb/.test(command)) return ['usbctrl'];
  return ['disk', 'nic', 'pci', 'vtpm'];
}

async function liveCandidates(kind: LiveKind, partial: string, connect: string | undefined, extra: string[], open?: (uri?: string) => Promise<Backend>, env: Environment = {}): Promise<Candidate[]> {
  let backend: Backend | undefined;
  try {
    // completion opens a connection only to read from it: nothing it could say reaches anyone
    backend = await (open ?? (async (uri?: string) => (await import('../backend/index.js')).openBackend(uri, { env, stderr: process.stderr })))(connect);
    switch (kind) {
      case 'domain': {
        const doms = await backend.listDomains();
        // ids only once a digit is typed, so that the first TAB shows names
        if (/^\d/.test(partial)) return doms.map((d) => ({ value: String(d.domid), description: d.name }));
        return doms.map((d) => ({ value: d.name, description: `id ${d.domid}, ${d.state}, ${Math.round(d.current_memkb / 1024)} MiB` }));
      }
      case 'managed': {
        const [managed, doms] = await Promise.all([backend.listManaged(), backend.listDomains()]);
        const running = new Set(doms.map((d) => d.name));
        return managed.map((m) => ({ value: m.name, description: running.has(m.name) ? 'defined, running' : 'defined, shut off' }));
      }
      case 'cpupool': {
        const pools = await backend.listCpupools();
        return pools.map((p) => ({ value: p.pool_name, description: `${p.sched}, ${p.cpumap.length} CPUs, ${p.n_dom} domains` }));
      }
      case 'device': {
        const [ref, command] = extra;
        const domid = await backend.resolve(ref);
        const out: Candidate[] = [];
        for (const k of deviceKinds(command)) {
          const devs = await backend.listDevices(domid, k).catch(() => []);
          for (const d of devs) {
            const cfg = d.config as unknown as Record<string, unknown>;
            // cd-insert/cd-eject name a CD-ROM drive by its vdev only
            if (command.startsWith('cd-')) {
              if (cfg.is_cdrom && cfg.vdev) out.push({ value: String(cfg.vdev), description: cfg.pdev_path ? String(cfg.pdev_path) : 'empty' });
            } else out.push(...deviceCandidates(k, d.devid, cfg, partial));
          }
        }
        return out;
      }
      default:
        return [];
    }
  } catch {
    return [];
  } finally {
    await backend?.close().catch(() => undefined);
  }
}

function deviceCandidates(kind: DeviceKind, devid: number, cfg: Record<string, unknown>, partial: string): Candidate[] {
  if (kind === 'disk') {
    // a disk by its vdev, or by its devid once a digit is typed
    const target = cfg.pdev_path ? String(cfg.pdev_path) : 'empty';
    if (cfg.vdev && !/^\d/.test(partial)) return [{ value: String(cfg.vdev), description: `devid ${devid}, ${target}` }];
    return [{ value: String(devid), description: `${cfg.vdev ?? 'disk'} ${target}` }];
  }
  if (kind === 'nic') return [{ value: String(devid), description: [cfg.mac, cfg.bridge].filter(Boolean).join(' ') || 'network interface' }];
  if (kind === 'pci') {
    const hex = (n: unknown, w: number) => Number(n ?? 0).toString(16).padStart(w, '0');
    return [{ value: `${hex(cfg.domain, 4)}:${hex(cfg.bus, 2)}:${hex(cfg.dev, 2)}.${Number(cfg.func ?? 0).toString(16)}`, description: 'PCI device' }];
  }
  return [{ value: String(devid), description: kind }];
}

/** Renders an answer in the line protocol the shell scripts read. */
export function formatAnswer(a: Answer): string {
  const lines = a.candidates.map((c) => (c.description ? `${c.value}\t${c.description.replace(/[\t\n]/g, ' ')}` : c.value));
  if (a.directive) lines.push(`:${a.directive}`);
  if (a.nospace) lines.push(':nospace');
  return lines.length ? lines.join('\n') + '\n' : '';
}

/**
 * The hidden command itself. Output only on stdout, and within a fixed time: an answer not
 * ready by then is no answer (the real process also exits then: see entry.ts).
 */
export async function complete(words: string[], opts: CompleteOptions & { stdout: NodeJS.WritableStream }): Promise<number> {
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    deadline = setTimeout(() => resolve(undefined), completeTimeout(opts.env ?? {}));
    deadline.unref?.();
  });
  try {
    const answer = await Promise.race([completions(words, opts), late]);
    if (answer) opts.stdout.write(formatAnswer(answer));
  } catch {
    // nothing to offer
  } finally {
    clearTimeout(deadline);
  }
  return 0;
}
