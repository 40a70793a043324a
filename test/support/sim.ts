// Helpers for the simulator tests: a private simulated host per test, the real binary run
// against it, and direct access to the simulator's state file.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, type Run } from './txl.js';
import { runInProcess } from './inproc-run.js';
import type { DomainConfig } from '../../src/core/model.js';

/** TXL_TEST_BIN lets a developer point the tests at another build of the launcher. */
export const SIM_BIN = process.env.TXL_TEST_BIN ?? BIN;

export interface SimHost {
  dir: string;
  uri: string;
  env: Record<string, string>;
  run(args: string[], opts?: { env?: Record<string, string>; input?: string }): Run;
  start(args: string[], opts?: { env?: Record<string, string> }): Promise<Run>;
  state(): any;
  file(name: string, text: string): string;
}

/**
 * A fresh host: test:///default with its state in a temp dir, or a host.yaml if given.
 * run() spawns bin/txl, or with `inproc` runs the command line in this process
 * (support/inproc-run.ts; but still spawned for input on stdin or another TXL_TEST_BIN);
 * start() always spawns.
 */
export function simHost(hostYaml?: string, runner: 'spawn' | 'inproc' = 'spawn'): SimHost {
  const dir = mkdtempSync(join(tmpdir(), 'txl-sim-'));
  const env: Record<string, string> = {
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_STATE_HOME: join(dir, 'xdgstate'),
    NO_COLOR: '1',
    TXL_CONNECT: '',
    TXL_SIM_FAIL: '',
    TXL_SIM_LOCK_TIMEOUT: '',
  };
  let uri = 'test:///default';
  let statePath = join(dir, 'state.json');
  if (hostYaml !== undefined) {
    const host = join(dir, 'host.yaml');
    writeFileSync(host, hostYaml);
    uri = `test://${host}`;
    statePath = join(dir, 'host.state.json');
  } else {
    env.TXL_SIM_STATE = statePath;
  }
  const fullEnv = (extra?: Record<string, string>) => {
    const e: Record<string, string> = { ...(process.env as Record<string, string>), ...env, ...extra };
    for (const k of Object.keys(e)) if (e[k] === '' && k.startsWith('TXL_')) delete e[k];
    return e;
  };
  return {
    dir,
    uri,
    env,
    run(args, opts = {}) {
      if (runner === 'inproc' && !opts.input && SIM_BIN === BIN) return runInProcess(['--connect', uri, ...args], fullEnv(opts.env), dir);
      const r = spawnSync(process.execPath, [SIM_BIN, '--connect', uri, ...args], {
        cwd: dir, input: opts.input ?? '', encoding: 'utf8', env: fullEnv(opts.env), timeout: 60_000,
      });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    start(args, opts = {}) {
      return new Promise((resolve) => {
        const p = spawn(process.execPath, [SIM_BIN, '--connect', uri, ...args], { cwd: dir, env: fullEnv(opts.env) });
        let stdout = '';
        let stderr = '';
        p.stdout.on('data', (c) => (stdout += c));
        p.stderr.on('data', (c) => (stderr += c));
        p.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr }));
      });
    },
    state() {
      return JSON.parse(readFileSync(statePath, 'utf8'));
    },
    file(name, text) {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
  };
}

/** A small PV guest in the model (libxl JSON), with optional extras. */
export function guest(name: string, memMiB = 256, extra: Partial<DomainConfig> = {}): DomainConfig {
  return {
    c_info: { type: 'pv', name },
    b_info: { max_vcpus: 1, max_memkb: memMiB * 1024, target_memkb: memMiB * 1024, kernel: '/boot/vmlinuz', 'type.pv': {} },
    on_reboot: 'restart',
    ...extra,
  };
}

export function guestJson(name: string, memMiB = 256, extra: Partial<DomainConfig> = {}): string {
  return JSON.stringify(guest(name, memMiB, extra), null, 2);
}

export { ROOT };
