// The shape of one command's declarative definition. Commander, --help, the man page and
// shell completion are all generated from these definitions, so they cannot drift apart.
import type { Context } from './context.js';

/** What a word on the command line completes to. */
export type Completion =
  | 'domain'      // a live domain name or id on the current connection
  | 'managed'     // a managed (defined) domain name
  | 'cfgfile'     // *.cfg / *.xml / *.json files
  | 'file'        // any path
  | 'cfgkey'      // xl.cfg key=value overrides
  | 'cpupool'
  | 'device'      // a device id of the domain named earlier on the line
  | 'command'     // a txl command name
  | 'none'
  | readonly string[];

export interface ArgDef {
  name: string;
  summary: string;
  required?: boolean;
  variadic?: boolean;
  complete?: Completion;
}

export interface OptDef {
  /** commander flag syntax: '-p, --paused', '-j, --jobs <n>', '--as <format>' */
  flags: string;
  summary: string;
  /** 'list': the option may be repeated and its values are collected in order */
  type?: 'boolean' | 'string' | 'number' | 'count' | 'list';
  choices?: readonly string[];
  default?: string | number | boolean;
  complete?: Completion;
  hidden?: boolean;
}

export interface TableView {
  head: string[];
  rows: (string | number)[][];
}

/** What a command hands back: data for json/yaml, and optional native text or table views. */
export interface Result {
  data: unknown;
  /** xl's (or virsh's) own text, the default output of xl-named commands */
  text?: string;
  table?: TableView;
  /** non-zero without an error (e.g. `check` found problems it already reported) */
  exitCode?: number;
}

export interface Invocation {
  ctx: Context;
  /** positional arguments by their ArgDef name (variadic ones as arrays) */
  args: Record<string, any>;
  /** the command's own options by their camelCase long name */
  opts: Record<string, any>;
}

export interface CommandDef {
  name: string;
  aliases?: string[];
  summary: string;
  description?: string;
  examples?: string[];
  /** whose verb this is: xl's names print xl's text by default, virsh's print virsh's */
  family: 'xl' | 'virsh' | 'txl';
  group: 'lifecycle' | 'information' | 'resources' | 'devices' | 'config' | 'formats' | 'host' | 'shell' | 'testing';
  args: ArgDef[];
  options?: OptDef[];
  /** changes state on the connection (guards prompts, dry-run and the man page) */
  modifies: boolean;
  /** honours the global --dry-run */
  dryRun?: boolean;
  hidden?: boolean;
  run(inv: Invocation): Promise<Result | void>;
}

export function defineCommand(def: CommandDef): CommandDef {
  return def;
}
