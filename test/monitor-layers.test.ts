// The monitor reaches the hypervisor through the same layers as `txl create` (composeBackend):
// a domain it re-creates (on_reboot = restart) is checked against the host's boot policy and
// passes the pre-start hooks, which it used to skip; its own hook phases (pre-reboot,
// pre-destroy, post-destroy) run through the hooks layer. The simulator stands in for libxl
// below the layers; libxl's event functions are stubbed (the monitor only re-creates here).
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeBackend } from '../src/backend/index.js';
import { OperationError } from '../src/core/errors.js';
import type { DomainConfig } from '../src/core/model.js';
import { HookError } from '../src/hooks.js';
import { hookRunner } from '../src/hooks-backend.js';
import { monitorContext } from '../src/monitor/run.js';
import { XenMonitorHost } from '../src/monitor/xen.js';
import { openSimulator } from '../src/sim/backend.js';
import { tempDir } from './support/txl.js';

const fakeLibxl = { libs: { koffi: { struct: () => ({}), array: () => ({}) }, xl: { func: () => () => 0 } } } as never;

function setup() {
  const dir = tempDir('txl-monlayers-');
  chmodSync(dir, 0o755);
  const hooks = join(dir, 'hooks');
  const kernels = join(dir, 'kernels');
  mkdirSync(kernels);
  writeFileSync(join(kernels, 'vmlinuz'), 'k');
  const conf = join(dir, 'txl.yaml');
  writeFileSync(conf, `boot:\n  kernel_dirs: [${kernels}]\n`);
  chmodSync(conf, 0o644);
  const env = { PATH: process.env.PATH, TXL_SIM_STATE: join(dir, 'state.json'), TXL_HOOKS_DIR: hooks, TXL_CONF: conf };
  let logged = '';
  const ctx = monitorContext(env, (text) => (logged += text));
  const hook = (phase: string, body: string) => {
    mkdirSync(join(hooks, `${phase}.d`), { recursive: true, mode: 0o755 });
    chmodSync(hooks, 0o755);
    chmodSync(join(hooks, `${phase}.d`), 0o755);
    writeFileSync(join(hooks, `${phase}.d`, '50-test'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  };
  const guest = (name: string, kernel = join(kernels, 'vmlinuz')): DomainConfig => ({
    c_info: { type: 'pv', name },
    b_info: { max_vcpus: 1, max_memkb: 65536, target_memkb: 65536, kernel, 'type.pv': {} },
  });
  return { dir, env, ctx, hook, guest, logged: () => logged };
}

async function monitorOn(s: ReturnType<typeof setup>) {
  const raw = await openSimulator('test:///default', 'default', s.env);
  const be = composeBackend(s.ctx, raw);
  return { raw, be, host: new XenMonitorHost(fakeLibxl, (m) => s.ctx.info(m), be) };
}

describe('the monitor on the connection\'s layers', () => {
  it('a re-created domain passes the pre-start hooks: a refusing one stops the restart', async () => {
    const s = setup();
    const { raw, host } = await monitorOn(s);
    s.hook('pre-start', `echo "$1 started" >> ${s.dir}/seen`);
    const domid = await host.create(s.guest('web'));
    expect((await raw.domainInfo(domid)).name).toBe('web');
    expect(readFileSync(join(s.dir, 'seen'), 'utf8')).toBe('web started\n');
    s.hook('pre-start', 'echo "not now" >&2; exit 1');
    const err = await host.create(s.guest('db')).catch((e) => e);
    expect(err).toBeInstanceOf(HookError);
    expect(err.hint).toContain('not now');
    expect((await raw.listDomains()).map((d) => d.name)).not.toContain('db');
  });

  it('a re-created domain keeps to the boot policy', async () => {
    const s = setup();
    const { raw, host } = await monitorOn(s);
    const err = await host.create(s.guest('web', join(s.dir, 'elsewhere'))).catch((e) => e);
    expect(err).toBeInstanceOf(OperationError);
    expect(err.message).toMatch(/refusing to create domain 'web': its kernel .* is not in boot.kernel_dirs/);
    expect((await raw.listDomains()).map((d) => d.name)).not.toContain('web');
  });

  it('its hook phases run through the hooks layer; a failing post-hook is a line of its log', async () => {
    const s = setup();
    const { be } = await monitorOn(s);
    const run = hookRunner(be)!;
    s.hook('pre-reboot', `echo "$TXL_HOOK $1 $2 $(grep -c web "$3")" >> ${s.dir}/seen`);
    await run('pre-reboot', 'web', 5, async () => s.guest('web'));
    expect(readFileSync(join(s.dir, 'seen'), 'utf8')).toBe('pre-reboot web 5 1\n');
    s.hook('post-destroy', 'exit 3');
    await run('post-destroy', 'web', 5, async () => s.guest('web'));
    expect(s.logged()).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z warning: the post-destroy hook .* exited with status 3\n$/);
  });
});
