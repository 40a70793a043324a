// Hooks: third-party executables that txl runs around a domain's lifecycle, from
// /etc/txl/hooks/PHASE.d/ (TXL_HOOKS_DIR instead of /etc/txl/hooks). Each one gets the
// domain's name, id and config path as arguments and in its environment. A pre-hook that
// fails stops the operation (its output is in the error); a post-hook that fails is only
// reported. Hooks run as the user running txl (root on a Xen host), so a hook anyone else
// could have written is refused: owned by another user than root (or the running user), or
// writable by group or others: the file, any directory above it, any symlink on the way and
// anything above the symlink's target (src/trust.ts).
// node:child_process is loaded only when a hook runs: it pulls in net, dgram and streams,
// ~6 ms on every command that opens a connection, most of which run no hook.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OperationError } from './core/errors.js';
import type { Environment } from './env.js';
import { lazyRequire } from './require.js';
import { untrustedComponent } from './trust.js';

export const HOOK_PHASES = ['pre-start', 'pre-destroy', 'post-destroy', 'pre-reboot'] as const;
export type HookPhase = (typeof HOOK_PHASES)[number];

export const DEFAULT_HOOKS_DIR = '/etc/txl/hooks';
const DEFAULT_TIMEOUT_MS = 60_000;
/** output kept per hook for messages; a chatty hook must not fill memory */
const MAX_OUTPUT = 64 * 1024;

export interface HookTarget {
  name: string;
  /** null when the domain does not run (yet) */
  domid: number | null;
  /** the domain's config file, or '' when there is none */
  config?: string;
}

export interface HookRun {
  hook: string;
  code: number | null;
  signal: string | null;
  output: string;
  ok: boolean;
}

export interface HookOptions {
  /** the hooks root instead of env's TXL_HOOKS_DIR or /etc/txl/hooks */
  dir?: string;
  /**
   * the command's environment (ctx.env): hooks run with it, and TXL_HOOKS_DIR and
   * TXL_HOOK_TIMEOUT come from it; without it a hook gets only the TXL_ variables below
   */
  env?: Environment;
  timeoutMs?: number;
  /** connection URI, given to hooks as TXL_CONNECT */
  uri?: string;
  /** told about each post-hook failure (a pre-hook failure throws instead) */
  onWarning?: (message: string) => void;
}

/** A pre-hook failed or a hook was refused: the operation did not happen. */
export class HookError extends OperationError {
  constructor(message: string, hint: string | undefined, readonly run?: HookRun) {
    super(message, hint);
  }
}

export function hooksRoot(dir?: string, env: Environment = {}): string {
  return dir ?? (env.TXL_HOOKS_DIR || DEFAULT_HOOKS_DIR);
}

/** Package managers' leftovers and editor backups are never hooks. */
function ignoredName(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || /\.(dpkg-(old|new|dist|tmp|bak)|rpm(new|save|orig)|swp|disabled)$/.test(name);
}

/** The hooks of a phase, in name order; throws HookError when one is refused. */
export function listHooks(phase: HookPhase, dir?: string, env?: Environment): string[] {
  const d = join(hooksRoot(dir, env), `${phase}.d`);
  let names: string[];
  try {
    const dst = statSync(d);
    if (!dst.isDirectory()) return [];
    names = readdirSync(d);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw new HookError(`cannot read the ${phase} hooks in ${d}: ${(e as Error).message}`, undefined);
  }
  const hooks: string[] = [];
  for (const name of names.filter((n) => !ignoredName(n)).sort(byteOrder)) {
    const path = join(d, name);
    let st: Stats;
    try {
      st = statSync(path);
    } catch {
      continue; // a dangling link, or removed meanwhile
    }
    if (!st.isFile() || !(st.mode & 0o111)) continue;
    refuseIfUntrusted(path, phase);
    hooks.push(path);
  }
  return hooks;
}

/**
 * Whoever can change any directory above a hook, a symlink on the way to it or any
 * directory above the symlink's target can swap the hook: each is checked (src/trust.ts).
 */
function refuseIfUntrusted(path: string, phase: HookPhase): void {
  const bad = untrustedComponent(path);
  if (bad) {
    throw new HookError(
      `refusing to run the ${phase} hooks: ${bad.why}${bad.path === path ? '' : ` (on the way to ${path})`}`,
      `hooks run as ${process.geteuid?.() === 0 ? 'root' : 'you'}, so only root may be able to change them: chown root ${bad.path}; chmod go-w ${bad.path}`,
    );
  }
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function hookEnv(phase: HookPhase, t: HookTarget, opts: HookOptions): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {
    ...opts.env,
    TXL_HOOK: phase,
    TXL_DOMAIN_NAME: t.name,
    TXL_DOMAIN_ID: t.domid === null ? '' : String(t.domid),
    TXL_DOMAIN_CONFIG: t.config ?? '',
  };
  if (opts.uri) e.TXL_CONNECT = opts.uri;
  return e;
}

async function runOne(path: string, phase: HookPhase, t: HookTarget, opts: HookOptions): Promise<HookRun> {
  const { spawn } = lazyRequire('node:child_process') as typeof import('node:child_process');
  return new Promise((resolve) => {
    const args = [t.name, t.domid === null ? '' : String(t.domid), t.config ?? ''];
    const child = spawn(path, args, { env: hookEnv(phase, t, opts), stdio: ['ignore', 'pipe', 'pipe'], cwd: '/', detached: true });
    let output = '';
    const keep = (chunk: Buffer) => {
      if (output.length < MAX_OUTPUT) output += chunk.toString('utf8').slice(0, MAX_OUTPUT - output.length);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL'); // the hook and whatever it started
      } catch {
        child.kill('SIGKILL');
      }
    }, opts.timeoutMs ?? hookTimeout(opts.env));
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ hook: path, code: null, signal: null, output: `cannot run it: ${e.message}`, ok: false });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) output += `${output && !output.endsWith('\n') ? '\n' : ''}(killed after ${Math.round((opts.timeoutMs ?? hookTimeout(opts.env)) / 1000)} s)`;
      resolve({ hook: path, code, signal, output, ok: code === 0 && !timedOut });
    });
  });
}

function hookTimeout(env: Environment = {}): number {
  const s = Number(env.TXL_HOOK_TIMEOUT);
  return s > 0 ? s * 1000 : DEFAULT_TIMEOUT_MS;
}

function failure(r: HookRun): string {
  return r.signal ? `was killed by ${r.signal}` : r.code === null ? 'could not run' : `exited with status ${r.code}`;
}

/**
 * Runs the phase's hooks in name order. A failing pre-hook stops the rest and throws
 * HookError whose hint is the hook's output; a failing post-hook is reported through
 * onWarning and the others still run. Returns what each hook did.
 */
export async function runHooks(phase: HookPhase, target: HookTarget, opts: HookOptions = {}): Promise<HookRun[]> {
  let hooks: string[];
  try {
    hooks = listHooks(phase, opts.dir, opts.env);
  } catch (e) {
    // after the fact, a refused hook cannot undo the operation: say so and go on
    if (!(e instanceof HookError) || phase.startsWith('pre-')) throw e;
    opts.onWarning?.(e.message);
    return [];
  }
  const runs: HookRun[] = [];
  for (const hook of hooks) {
    const r = await runOne(hook, phase, target, opts);
    runs.push(r);
    if (r.ok) continue;
    const out = r.output.trimEnd();
    if (phase.startsWith('pre-')) {
      const what = phase === 'pre-start' ? 'started' : phase === 'pre-destroy' ? 'destroyed' : 'rebooted';
      throw new HookError(
        `the ${phase} hook ${hook} ${failure(r)}: domain '${target.name}' was not ${what}`,
        out ? `the hook said:\n    ${out.split('\n').slice(-20).join('\n    ')}` : 'the hook printed nothing',
        r,
      );
    }
    opts.onWarning?.(`the ${phase} hook ${hook} ${failure(r)}${out ? `: ${out.split('\n').slice(-5).join(' / ')}` : ''}`);
  }
  return runs;
}

/**
 * Runs fn with the path of a file holding `configText` (for hooks of a domain that has no
 * config file of its own, e.g. one created elsewhere); the file is removed afterwards.
 */
export async function withConfigFile<T>(configText: string, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'txl-hook-'));
  const path = join(dir, 'config.json');
  writeFileSync(path, configText, { mode: 0o600 });
  try {
    return await fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
