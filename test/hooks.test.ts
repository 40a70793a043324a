import { describe, expect, it, beforeEach } from 'vitest';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HookError, listHooks, runHooks, withConfigFile, type HookPhase } from '../src/hooks.js';

const isRoot = process.geteuid?.() === 0;

let root: string;
let log: string;

function hook(phase: HookPhase, name: string, body: string, mode = 0o755): string {
  const d = join(root, `${phase}.d`);
  mkdirSync(d, { recursive: true, mode: 0o755 });
  chmodSync(d, 0o755);
  const p = join(d, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, mode);
  return p;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'txl-hooks-'));
  chmodSync(root, 0o755);
  log = join(root, 'log');
});

const target = { name: 'guest', domid: 7, config: '/etc/xen/guest.cfg' };

describe('hooks: discovery', () => {
  it('finds nothing when the phase directory (or the root) does not exist', async () => {
    expect(listHooks('pre-start', join(root, 'missing'))).toEqual([]);
    expect(listHooks('pre-start', root)).toEqual([]);
    expect(await runHooks('pre-start', target, { dir: root })).toEqual([]);
  });

  it('lists executables in byte order, skipping non-executables, directories and backups', () => {
    hook('pre-start', '20-b', 'true');
    hook('pre-start', '10-a', 'true');
    hook('pre-start', 'B-upper', 'true');
    hook('pre-start', 'README', 'true', 0o644);
    hook('pre-start', '30-c~', 'true');
    hook('pre-start', '40-d.dpkg-old', 'true');
    hook('pre-start', '.hidden', 'true');
    mkdirSync(join(root, 'pre-start.d', '50-dir'));
    expect(listHooks('pre-start', root).map((p) => p.replace(/.*\//, ''))).toEqual(['10-a', '20-b', 'B-upper']);
  });

  it('uses TXL_HOOKS_DIR (of the environment given) when no directory is given', () => {
    hook('pre-reboot', 'x', 'true');
    expect(listHooks('pre-reboot', undefined, { TXL_HOOKS_DIR: root })).toHaveLength(1);
  });
});

describe('hooks: running', () => {
  it('runs each hook in order with name, id and config as arguments and in the environment', async () => {
    hook('pre-start', '10-first', `echo "first $1 $2 $3 $TXL_HOOK $TXL_DOMAIN_NAME $TXL_DOMAIN_ID $TXL_DOMAIN_CONFIG" >> ${log}`);
    hook('pre-start', '20-second', `echo "second $#" >> ${log}`);
    const runs = await runHooks('pre-start', target, { dir: root });
    expect(runs.map((r) => r.ok)).toEqual([true, true]);
    expect(readFileSync(log, 'utf8')).toBe('first guest 7 /etc/xen/guest.cfg pre-start guest 7 /etc/xen/guest.cfg\nsecond 3\n');
  });

  it('passes an empty id for a domain that does not run', async () => {
    hook('post-destroy', 'a', `echo "[$2] [$TXL_DOMAIN_ID]" >> ${log}`);
    await runHooks('post-destroy', { name: 'g', domid: null }, { dir: root });
    expect(readFileSync(log, 'utf8')).toBe('[] []\n');
  });

  it('a failing pre-hook stops the operation and the later hooks, with its output in the error', async () => {
    hook('pre-destroy', '10-guard', 'echo "guest is still in the load balancer" >&2; exit 3');
    hook('pre-destroy', '20-later', `echo ran >> ${log}`);
    const err = await runHooks('pre-destroy', target, { dir: root }).catch((e) => e);
    expect(err).toBeInstanceOf(HookError);
    expect(err.message).toMatch(/pre-destroy hook .*10-guard exited with status 3: domain 'guest' was not destroyed/);
    expect(err.hint).toContain('guest is still in the load balancer');
    expect(existsSync(log)).toBe(false);
  });

  it('a failing post-hook is a warning and the others still run', async () => {
    hook('post-destroy', '10-bad', 'echo oops; exit 1');
    hook('post-destroy', '20-good', `echo good >> ${log}`);
    const warnings: string[] = [];
    const runs = await runHooks('post-destroy', target, { dir: root, onWarning: (w) => warnings.push(w) });
    expect(runs.map((r) => r.ok)).toEqual([false, true]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/post-destroy hook .*10-bad exited with status 1: oops/);
    expect(readFileSync(log, 'utf8')).toBe('good\n');
  });

  it('kills a hook that runs past the timeout, and counts that as a failure', async () => {
    hook('pre-start', 'slow', 'sleep 30');
    const t0 = Date.now();
    const err = await runHooks('pre-start', target, { dir: root, timeoutMs: 300 }).catch((e) => e);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(err).toBeInstanceOf(HookError);
    expect(err.hint).toMatch(/killed after/);
  });

  it('gives hooks the connection URI', async () => {
    hook('pre-reboot', 'u', `echo "$TXL_CONNECT" >> ${log}`);
    await runHooks('pre-reboot', target, { dir: root, uri: 'xen:///system' });
    expect(readFileSync(log, 'utf8')).toBe('xen:///system\n');
  });
});

describe('hooks: refusing hooks others could have written', () => {
  it('refuses a hook writable by group or others, naming the file and the fix', async () => {
    const p = hook('pre-start', 'open', `echo ran >> ${log}`, 0o757);
    const err = await runHooks('pre-start', target, { dir: root }).catch((e) => e);
    expect(err).toBeInstanceOf(HookError);
    expect(err.message).toBe(`refusing to run the pre-start hooks: ${p} is writable by others (mode 0757)`);
    expect(err.hint).toMatch(/chmod go-w/);
    expect(existsSync(log)).toBe(false);
    chmodSync(p, 0o775);
    expect(() => listHooks('pre-start', root)).toThrow(/writable by its group/);
  });

  it('refuses hooks in a directory others can write to', () => {
    hook('pre-start', 'ok', 'true');
    chmodSync(join(root, 'pre-start.d'), 0o777);
    expect(() => listHooks('pre-start', root)).toThrow(/pre-start\.d is writable by group and others/);
    chmodSync(join(root, 'pre-start.d'), 0o755);
    chmodSync(root, 0o775);
    expect(() => listHooks('pre-start', root)).toThrow(/writable by its group/);
  });

  it.skipIf(!isRoot)('refuses a hook owned by another user than root', () => {
    const p = hook('pre-start', 'foreign', 'true');
    chownSync(p, 1, 1);
    expect(() => listHooks('pre-start', root)).toThrow(`${p} is owned by uid 1, not by root`);
  });

  it('a refused post-hook is reported, not thrown: the operation already happened', async () => {
    hook('post-destroy', 'open', 'true', 0o777);
    const warnings: string[] = [];
    expect(await runHooks('post-destroy', target, { dir: root, onWarning: (w) => warnings.push(w) })).toEqual([]);
    expect(warnings[0]).toMatch(/refusing to run the post-destroy hooks/);
  });
});

describe('withConfigFile', () => {
  it('gives a private file with the text, removed afterwards', async () => {
    let seen = '';
    await withConfigFile('{"c_info":{}}', async (p) => {
      seen = p;
      expect(readFileSync(p, 'utf8')).toBe('{"c_info":{}}');
    });
    expect(existsSync(seen)).toBe(false);
  });
});

describe('hooks around a connection (the simulator, in this process)', () => {
  async function sim(dir: string) {
    process.env.TXL_SIM_STATE = join(dir, 'state.json');
    const { openSimulator } = await import('../src/sim/backend.js');
    const { withHooks } = await import('../src/hooks-backend.js');
    const raw = await openSimulator('test:///default', 'default', { ...process.env });
    const warnings: string[] = [];
    return { be: withHooks(raw, { dir: root, env: process.env, warn: (w) => warnings.push(w) }), raw, warnings };
  }
  const guestCfg = (name: string) => ({
    c_info: { type: 'pv' as const, name },
    b_info: { max_vcpus: 1, max_memkb: 65536, target_memkb: 65536, kernel: '/boot/vmlinuz', 'type.pv': {} },
  });

  it('pre-start runs before create with the config as a libxl JSON file; a failure creates nothing', async () => {
    hook('pre-start', '10-record', `cp "$3" ${root}/seen.json; echo "$1 [$2]" >> ${log}`);
    const { be, raw } = await sim(root);
    const domid = await be.create(guestCfg('alpha'));
    expect(readFileSync(log, 'utf8')).toBe('alpha []\n');
    expect(JSON.parse(readFileSync(join(root, 'seen.json'), 'utf8')).c_info.name).toBe('alpha');
    expect((await raw.domainInfo(domid)).name).toBe('alpha');
    hook('pre-start', '20-deny', 'echo "alpha only" >&2; exit 1');
    const err = await be.create(guestCfg('beta')).catch((e) => e);
    expect(err).toBeInstanceOf(HookError);
    expect(err.hint).toContain('alpha only');
    expect((await raw.listDomains()).map((d) => d.name)).not.toContain('beta');
  });

  it('pre-destroy can stop a destroy; post-destroy runs after it with the old id and config', async () => {
    const { be, raw, warnings } = await sim(root);
    const domid = await raw.create(guestCfg('gamma'));
    hook('pre-destroy', 'guard', `[ -e ${root}/allow ] || { echo "not yet"; exit 1; }`);
    hook('post-destroy', 'after', `echo "$1 $2 $(grep -c gamma "$3")" >> ${log}; exit 2`);
    await expect(be.destroy(domid)).rejects.toThrow(/pre-destroy hook .*guard exited with status 1: domain 'gamma' was not destroyed/);
    expect((await raw.listDomains()).some((d) => d.domid === domid)).toBe(true);
    writeFileSync(join(root, 'allow'), '');
    await be.destroy(domid);
    expect((await raw.listDomains()).some((d) => d.domid === domid)).toBe(false);
    expect(readFileSync(log, 'utf8')).toBe(`gamma ${domid} 1\n`);
    expect(warnings[0]).toMatch(/post-destroy hook .*after exited with status 2/);
  });

  it('pre-reboot runs before a reboot request', async () => {
    const { be, raw } = await sim(root);
    const domid = await raw.create(guestCfg('delta'));
    hook('pre-reboot', 'r', 'exit 4');
    await expect(be.reboot(domid)).rejects.toThrow(/pre-reboot hook .* exited with status 4: domain 'delta' was not rebooted/);
  });

  it('other calls pass through untouched, and unhooked() gives the bare connection', async () => {
    hook('pre-destroy', 'deny', 'exit 1');
    const { be, raw } = await sim(root);
    const { unhooked } = await import('../src/hooks-backend.js');
    const domid = await be.create(guestCfg('eps'));
    await be.pause(domid);
    expect((await be.domainInfo(domid)).state).toBe('paused');
    expect(unhooked(be)).toBe(raw);
    await unhooked(be).destroy(domid);
    expect(be.kind).toBe('test');
  });

  it('the simulator runs no hooks unless TXL_HOOKS_DIR names them; Xen defaults to /etc/txl/hooks', async () => {
    const { hooksDirFor } = await import('../src/hooks-backend.js');
    expect(hooksDirFor('test', {})).toBeUndefined();
    expect(hooksDirFor('xen', {})).toBe('/etc/txl/hooks');
    expect(hooksDirFor('test', { TXL_HOOKS_DIR: root })).toBe(root);
  });
});
