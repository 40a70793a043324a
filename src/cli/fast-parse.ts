// Command lines plain enough to run without commander: `txl -c URI list`, `txl destroy web`.
// Loading commander and building ~70 commands costs more than many commands themselves, so the
// entry parses these here and hands anything else (help, --version, unknown or bundled flags,
// `--`, a missing or surplus argument, a bad value) to commander, which explains errors.
// test/fast-paths.test.ts checks that both parse every command line alike.
import type { CommandDef, OptDef } from '../command.js';
import type { ContextOptions } from '../context.js';
import { parseOutputFormat } from '../output.js';

export interface GlobalFlag {
  names: string[];
  key: keyof ContextOptions;
  value?: boolean;
  summary: string;
}

/**
 * The global options of buildProgram (cli.ts), as data, for this parser and for completion
 * (complete.ts), neither of which loads commander; test/fast-paths.test.ts compares them.
 */
export const GLOBAL_FLAGS: GlobalFlag[] = [
  { names: ['-c', '--connect'], key: 'connect', value: true, summary: 'connection: xen:///system or test:///default (or test:///PATH/host.yaml)' },
  { names: ['-o', '--output'], key: 'output', value: true, summary: 'output format: text (xl/virsh style), table, json or yaml' },
  { names: ['-N', '--dry-run'], key: 'dryRun', summary: 'show what would be done, change nothing' },
  { names: ['-y', '--yes'], key: 'yes', summary: 'assume yes at every confirmation prompt' },
  { names: ['-v', '--verbose'], key: 'verbose', summary: 'more messages on stderr (repeat for more)' },
  { names: ['-q', '--quiet'], key: 'quiet', summary: 'only errors on stderr' },
  { names: ['--no-color'], key: 'color', summary: 'no colour, even on a terminal (also: NO_COLOR)' },
];

/** commander's --version, which this parser leaves to commander (or dist/fast.cjs) */
export const VERSION_FLAG = { names: ['--version'], summary: 'print the version and exit' };

export interface Parsed {
  def: CommandDef;
  globals: ContextOptions;
  args: Record<string, unknown>;
  opts: Record<string, unknown>;
}

/** Splits `--name=value`; a value must not look like an option (commander would take it, we pass). */
function takeValue(argv: string[], i: number, word: string): { value: string; next: number } | undefined {
  const eq = word.startsWith('--') ? word.indexOf('=') : -1;
  if (eq >= 0) return { value: word.slice(eq + 1), next: i + 1 };
  const value = argv[i + 1];
  if (value === undefined || value.startsWith('-')) return undefined;
  return { value, next: i + 2 };
}

/** The global options and the command's index in argv, or undefined when commander must decide. */
export function parseGlobals(argv: string[]): { globals: ContextOptions; at: number } | undefined {
  const globals: ContextOptions = { verbose: 0, color: true };
  let i = 0;
  while (i < argv.length && argv[i].startsWith('-')) {
    const word = argv[i];
    const name = word.startsWith('--') && word.includes('=') ? word.slice(0, word.indexOf('=')) : word;
    const flag = GLOBAL_FLAGS.find((f) => f.names.includes(name));
    if (!flag) return undefined;
    if (flag.value) {
      const v = takeValue(argv, i, word);
      if (!v) return undefined;
      if (flag.key === 'output') {
        try {
          globals.output = parseOutputFormat(v.value);
        } catch {
          return undefined;
        }
      } else globals.connect = v.value;
      i = v.next;
      continue;
    }
    if (name !== word) return undefined;
    if (flag.key === 'verbose') globals.verbose = (globals.verbose ?? 0) + 1;
    else if (flag.key === 'color') globals.color = false;
    else (globals as Record<string, unknown>)[flag.key] = true;
    i++;
  }
  return i < argv.length ? { globals, at: i } : undefined;
}

interface OptSpec {
  def: OptDef;
  names: string[];
  key: string;
  value: boolean;
  negate: boolean;
}

/** commander's attribute name: the long name (else the short one), `no-` dropped, camelCased. */
function attributeName(names: string[]): { key: string; negate: boolean } {
  const long = names.find((n) => n.startsWith('--'));
  const name = long ? long.slice(2) : names[0].slice(1);
  const negate = Boolean(long?.startsWith('--no-'));
  const base = negate ? name.slice(3) : name;
  return { key: base.split('-').reduce((s, w) => s + w[0].toUpperCase() + w.slice(1)), negate };
}

function optSpecs(def: CommandDef): OptSpec[] | undefined {
  const specs: OptSpec[] = [];
  for (const o of def.options ?? []) {
    if (o.flags.includes('[')) return undefined;
    const names = o.flags.split(/[\s,|]+/).filter((f) => f.startsWith('-'));
    specs.push({ def: o, names, value: o.flags.includes('<'), ...attributeName(names) });
  }
  return specs;
}

/** What commander starts a command's options at: defaults, counts at 0, lone `--no-x` true. */
function defaults(specs: OptSpec[]): Record<string, unknown> {
  const opts: Record<string, unknown> = {};
  for (const s of specs) {
    if (s.negate) {
      const positive = '--' + s.names.find((n) => n.startsWith('--no-'))!.slice(5);
      if (!specs.some((t) => t.names.includes(positive))) opts[s.key] = s.def.default ?? true;
    } else if (s.def.type === 'count') opts[s.key] = s.def.default ?? 0;
    else if (s.def.default !== undefined) opts[s.key] = s.def.default;
  }
  return opts;
}

function optionValue(s: OptSpec, raw: string, prev: unknown): { ok: boolean; value?: unknown } {
  if (s.def.choices && !s.def.choices.includes(raw)) return { ok: false };
  if (s.def.type === 'number') {
    if (!/^-?(0x[0-9a-f]+|\d+)$/i.test(raw.trim())) return { ok: false };
    return { ok: true, value: Number(raw.trim()) };
  }
  if (s.def.type === 'list') return { ok: true, value: [...((prev as string[] | undefined) ?? []), raw] };
  if (s.def.type === 'count') return { ok: false };
  return { ok: true, value: raw };
}

/** The command line as commander would hand it to the command, or undefined to let commander do it. */
export function fastParse(argv: string[], commands: CommandDef[]): Parsed | undefined {
  const g = parseGlobals(argv);
  if (!g) return undefined;
  const name = argv[g.at];
  const def = commands.find((c) => c.name === name || c.aliases?.includes(name));
  const specs = def && optSpecs(def);
  if (!def || !specs) return undefined;
  const opts = defaults(specs);
  const positional: string[] = [];
  for (let i = g.at + 1; i < argv.length;) {
    const word = argv[i];
    if (word === '-' || !word.startsWith('-')) {
      positional.push(word);
      i++;
      continue;
    }
    const flag = word.startsWith('--') && word.includes('=') ? word.slice(0, word.indexOf('=')) : word;
    const s = specs.find((t) => t.names.includes(flag));
    if (!s) return undefined;
    if (!s.value) {
      if (flag !== word) return undefined;
      opts[s.key] = s.def.type === 'count' ? Number(opts[s.key] ?? 0) + 1 : !s.negate;
      i++;
      continue;
    }
    const v = takeValue(argv, i, word);
    const parsed = v && optionValue(s, v.value, opts[s.key]);
    if (!v || !parsed?.ok) return undefined;
    opts[s.key] = parsed.value;
    i = v.next;
  }
  const last = def.args[def.args.length - 1];
  const variadic = Boolean(last?.variadic);
  const required = def.args.filter((a) => a.required !== false).length;
  if (positional.length < required || (!variadic && positional.length > def.args.length)) return undefined;
  const args: Record<string, unknown> = {};
  def.args.forEach((a, i) => {
    if (a.variadic) args[a.name] = positional.slice(i);
    else args[a.name] = positional[i];
  });
  return { def, globals: g.globals, args, opts };
}
