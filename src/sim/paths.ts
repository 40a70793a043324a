// Where a simulated host keeps its files: the state (TXL_SIM_STATE, or under
// XDG_STATE_HOME / HOME for test:///default, or beside a host file), its lock, the managed
// configs, the consoles' logs and dumps.
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { NotFoundError, UsageError, type TxlError } from '../core/errors.js';
import type { Environment } from '../env.js';

export interface SimPaths {
  state: string;
  lock: string;
  dir: string;
  managed: string;
  console: string;
  dump: string;
  /** managed save images (managedsave) */
  save: string;
  /** the YAML host description, for test:///PATH */
  hostFile?: string;
  /** a directory that must exist already: txl never creates a missing HOME, nor a host file's directory */
  mustExist?: { dir: string; missing: () => TxlError };
}

/** env: the command's environment (TXL_SIM_STATE, XDG_STATE_HOME, HOME). */
export function simPaths(host: 'default' | string, env: Environment): SimPaths {
  const fromEnv = env.TXL_SIM_STATE;
  let state: string;
  let mustExist: SimPaths['mustExist'];
  if (fromEnv) state = resolve(fromEnv);
  else if (host === 'default') {
    const xdgState = env.XDG_STATE_HOME;
    const xdgSet = Boolean(xdgState && isAbsolute(xdgState));
    // os.homedir() is HOME of the process: the command's HOME comes first
    const home = env.HOME || homedir();
    const xdg = xdgSet ? xdgState! : join(home, '.local', 'state');
    state = join(xdg, 'txl', 'test-default.json');
    const base = xdgSet ? dirname(xdg) : home;
    const what = xdgSet ? `the directory above XDG_STATE_HOME (${xdg})` : 'HOME';
    mustExist = { dir: base, missing: () => new UsageError(`${what} '${base}' does not exist: txl keeps the simulator's state under it and does not create it`,
      `point ${xdgSet ? 'XDG_STATE_HOME' : 'HOME'} at an existing directory, or TXL_SIM_STATE at a state file`) };
  } else {
    state = join(dirname(host), basename(host).replace(/\.ya?ml$/i, '') + '.state.json');
    mustExist = { dir: dirname(host), missing: () => new NotFoundError(`no simulator host file '${host}'`, 'test:///PATH needs a host description in YAML; use test:///default for the built-in host') };
  }
  const dir = dirname(state);
  return {
    state,
    lock: state + '.lock',
    dir,
    managed: join(dir, 'managed'),
    console: join(dir, 'console'),
    dump: join(dir, 'dump'),
    save: join(dir, 'save'),
    hostFile: host === 'default' ? undefined : host,
    mustExist,
  };
}

