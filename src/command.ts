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

export interface Invocation<A = Record<string, unknown>, O = Record<string, unknown>> {
  ctx: Context;
  /** positional arguments by their ArgDef name (variadic ones as arrays) */
  args: A;
  /** the command's own options by their camelCase long name */
  opts: O;
}

/** Everything about a command but its arguments, options and run. */
export interface CommandInfo {
  name: string;
  aliases?: readonly string[];
  summary: string;
  description?: string;
  examples?: readonly string[];
  /** whose verb this is: xl's names print xl's text by default, virsh's print virsh's */
  family: 'xl' | 'virsh' | 'txl';
  group: 'lifecycle' | 'information' | 'resources' | 'devices' | 'config' | 'formats' | 'host' | 'shell' | 'testing';
  /** changes state on the connection (guards prompts, dry-run and the man page) */
  modifies: boolean;
  /** honours the global --dry-run */
  dryRun?: boolean;
  hidden?: boolean;
}

/**
 * A command as the table holds it. `run` is a method so that a command typed by defineCommand
 * (narrow args and opts) still fits the table's widened `CommandDef`.
 */
export interface CommandDef<A = Record<string, unknown>, O = Record<string, unknown>> extends CommandInfo {
  args: readonly ArgDef[];
  options?: readonly OptDef[];
  run(inv: Invocation<A, O>): Promise<Result | void>;
}

// The types `run` receives, read from the declarations as fast-parse.ts and commander.ts read
// them at run time: an option's key is its long name (else its short one), `no-` dropped,
// camelCased; a value option (`<x>`) is a string unless typed or limited to choices.

type Flatten<T> = { [K in keyof T]: T[K] } & {};

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

/** '-j, --jobs <n>' -> 'jobs'; '--no-monitor' -> 'no-monitor'; '-F' -> 'F' */
type FlagName<F extends string> =
  F extends `${string}--${infer Rest}` ? (Rest extends `${infer Name} ${string}` ? Name : Rest)
  : F extends `-${infer Short}` ? (Short extends `${infer C}${' ' | ','}${string}` ? C : Short)
  : never;

type Unnegated<N extends string> = N extends `no-${infer Base}` ? Base : N;

/** The key of an option in `opts`. */
export type OptKey<F extends string> = string extends F ? string : CamelCase<Unnegated<FlagName<F>>>;

type ValueOf<O extends OptDef> =
  O extends { type: 'count' | 'number' } ? number
  : O extends { type: 'list' } ? string[]
  : O extends { type: 'boolean' } ? boolean
  : O['flags'] extends `${string}[${string}` ? string | boolean
  : O['flags'] extends `${string}<${string}` ? (O extends { choices: readonly (infer C extends string)[] } ? C : string)
  : boolean;

/** The `opts` a command's run receives for these option declarations. */
export type OptsOf<O extends readonly OptDef[]> = Flatten<{ [D in O[number] as OptKey<D['flags']>]?: ValueOf<D> }>;

type ArgValue<A extends ArgDef> = A extends { variadic: true } ? string[] : string;

/** The `args` a command's run receives: optional ones (required: false) may be undefined. */
export type ArgsOf<A extends readonly ArgDef[]> = Flatten<
  { [D in A[number] as D extends { required: false } ? never : D['name']]: ArgValue<D> } &
  { [D in A[number] as D extends { required: false } ? D['name'] : never]?: ArgValue<D> }
>;

/** What defineCommand is given: `run` receives args and opts typed from `args` and `options`. */
export interface CommandSpec<A extends readonly ArgDef[], O extends readonly OptDef[]> extends CommandInfo {
  args: A;
  options?: O;
  run(inv: Invocation<ArgsOf<A>, OptsOf<O>>): Promise<Result | void>;
}

export function defineCommand<const A extends readonly ArgDef[], const O extends readonly OptDef[] = readonly []>(
  def: CommandSpec<A, O>,
): CommandDef<ArgsOf<A>, OptsOf<O>> {
  return def;
}

/**
 * An op's options type, as the `opts` a command hands on whole must satisfy it: a value of the
 * wrong type already fails at the call; this also fails when the op reads an option the command
 * does not declare, so the op's options and the command's flags cannot drift apart.
 * Use: `op(ctx, opts satisfies Forwarded<typeof opts, OpOptions>)`.
 */
export type Forwarded<Opts, OpOptions> = [Exclude<keyof OpOptions, keyof Opts>] extends [never]
  ? OpOptions
  : { [K in Exclude<keyof OpOptions, keyof Opts>]: 'an option the op reads but the command does not declare' };
