// Where a simulated host keeps its files: the state (TXL_SIM_STATE, or under
// XDG_STATE_HOME / HOME for test:///default, or beside a host file), its lock, the managed
// configs, the consoles' logs and dumps.
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { NotFoundError, UsageError, type TxlError } from '../core/errors.js';

export interface SimPaths {
  state: string;
  lock: string;
  dir: string;
  managed: string;
  console: string;
  dump: string;
  /** the YAML host description, for test:///PATH */
  hostFile?: string;
  /** a directory that must exist already: txl never creates a missing HOME, nor a host file's directory */
  mustExist?: { dir: string; missing: () => TxlError };
}

export function simPaths(host: 'default' | string): SimPaths {
  const env = process.env.TXL_SIM_STATE;
  let state: string;
  let mustExist: SimPaths['mustExist'];
  if (env) state = resolve(env);
  else if (host === 'default') {
    const xdgSet = Boolean(process.env.XDG_STATE_HOME && isAbsolute(process.env.XDG_STATE_HOME));
    const xdg = xdgSet ? process.env.XDG_STATE_HOME! : join(homedir(), '.local', 'state');
    state = join(xdg, 'txl', 'test-default.json');
    const base = xdgSet ? dirname(xdg) : homedir();
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
    hostFile: host === 'default' ? undefined : host,
    mustExist,
  };
}

