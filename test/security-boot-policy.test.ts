// The host's boot allow-lists (src/policy.ts, /etc/txl/txl.yaml): the check itself against
// paths that try to leave an allowed directory, the file's own rules, and through bin/txl on
// the simulator that create, restore and an incoming migration are all refused the same way.
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, NotFoundError, OperationError } from '../src/core/errors.js';
import { UnsafeFileError } from '../src/validate.js';
import { bootFiles, bootloaderPath, checkBoot, isInside, loadBootPolicy, realPath, type BootPolicy } from '../src/policy.js';
import type { DomainConfig } from '../src/core/model.js';
import { SIM_BIN, simHost, spawnSimHost, tempDir, type SimHost } from './support/inproc.js';

/** A host layout: allowed/ with a kernel, outside/ with a secret, and links between them. */
function layout() {
  const root = tempDir('txl-policy-');
  const allowed = join(root, 'allowed');
  const outside = join(root, 'outside');
  mkdirSync(join(allowed, 'sub'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(allowed, 'vmlinuz'), 'k');
  writeFileSync(join(allowed, 'initrd'), 'r');
  writeFileSync(join(outside, 'shadow'), 's');
  symlinkSync(join(outside, 'shadow'), join(allowed, 'escape'));
  symlinkSync(outside, join(allowed, 'outdir'));
  symlinkSync(join(allowed, 'vmlinuz'), join(outside, 'to-allowed'));
  return { root, allowed, outside };
}

const cfg = (b: Record<string, unknown>, pv: Record<string, unknown> = {}): DomainConfig =>
  ({ c_info: { name: 'g', type: 'pv' }, b_info: { ...b, ...(Object.keys(pv).length ? { 'type.pv': pv } : {}) } }) as DomainConfig;

const refused = (c: DomainConfig, p: BootPolicy, cwd?: string): string => {
  try {
    checkBoot(c, p, cwd, []);
  } catch (e) {
    expect(e).toBeInstanceOf(OperationError);
    return (e as Error).message;
  }
  return '';
};

describe('policy.ts: what a path really names', () => {
  it('follows symlinks and .. by the kernel\'s rules, not by folding the text', () => {
    const { allowed, outside } = layout();
    expect(realPath(join(allowed, 'escape'))).toBe(join(outside, 'shadow'));
    // outdir/.. is the parent of outside/, not allowed/: a lexical fold would say allowed/vmlinuz
    expect(realPath(`${allowed}/outdir/../allowed/vmlinuz`)).toBe(join(allowed, 'vmlinuz'));
    expect(realPath(`${allowed}/outdir/../outside/shadow`)).toBe(join(outside, 'shadow'));
    expect(realPath(`${allowed}/sub/../vmlinuz`)).toBe(join(allowed, 'vmlinuz'));
  });
  it('takes a relative path from the working directory, as libxl opens it', () => {
    const { root, allowed } = layout();
    expect(realPath('allowed/vmlinuz', root)).toBe(join(allowed, 'vmlinuz'));
    expect(realPath('vmlinuz', allowed)).toBe(join(allowed, 'vmlinuz'));
  });
  it('resolves a missing file through its directory, and gives up on a missing directory', () => {
    const { allowed } = layout();
    expect(realPath(join(allowed, 'not-yet'))).toBe(join(allowed, 'not-yet'));
    expect(realPath(join(allowed, 'nodir', 'k'))).toBeUndefined();
    expect(realPath(`${allowed}/nodir/..`)).toBeUndefined();
  });
  it('a directory contains its files only, not itself, its parent or a sibling with the same prefix', () => {
    expect(isInside('/boot/guest', '/boot/guest/k')).toBe(true);
    expect(isInside('/boot/guest', '/boot/guest/a/b')).toBe(true);
    expect(isInside('/boot/guest', '/boot/guest')).toBe(false);
    expect(isInside('/boot/guest', '/boot/guestx/k')).toBe(false);
    expect(isInside('/boot/guest', '/boot/k')).toBe(false);
    expect(isInside('/boot/guest', '/boot/guest/..k')).toBe(true);
  });
  it('reads kernel, ramdisk and bootloader from 4.17\'s fields and the old PV ones', () => {
    expect(bootFiles(cfg({ kernel: '/a', ramdisk: '/b' }, { kernel: '/c', bootloader: 'pygrub' }))).toEqual({ kernel: ['/a', '/c'], ramdisk: ['/b'], bootloader: ['pygrub'] });
  });
});

describe('policy.ts: checkBoot', () => {
  it('accepts files inside the allowed directories, however they are spelt', () => {
    const { root, allowed } = layout();
    const p: BootPolicy = { file: '/etc/txl/txl.yaml', kernelDirs: [`${allowed}/`] };
    for (const k of [join(allowed, 'vmlinuz'), `${allowed}//sub/../vmlinuz`, join(allowed, 'not-yet'), join(root, 'outside', 'to-allowed')]) {
      expect(refused(cfg({ kernel: k, ramdisk: join(allowed, 'initrd') }), p), k).toBe('');
    }
    expect(refused(cfg({ kernel: 'allowed/vmlinuz' }), p, root)).toBe('');
    expect(refused(cfg({}), p)).toBe('');
  });
  it.each([
    ['a symlink out of the directory', (a: string) => join(a, 'escape')],
    ['.. out of the directory', (a: string) => `${a}/../outside/shadow`],
    ['.. after a symlinked directory', (a: string) => `${a}/outdir/../outside/shadow`],
    ['a sibling sharing the prefix', (a: string) => `${a}-evil/k`],
    ['the directory itself', (a: string) => a],
    ['a file under a missing directory', (a: string) => `${a}/nodir/../vmlinuz`],
  ])('refuses %s, in one line naming the path, the allowed list and the file to edit', (_what, path) => {
    const { allowed } = layout();
    const p: BootPolicy = { file: '/etc/txl/txl.yaml', kernelDirs: [allowed, '/boot/guest'] };
    const m = refused(cfg({ kernel: path(allowed) }), p);
    expect(m).toContain(`its kernel '${path(allowed)}'`);
    expect(m).toContain(`boot.kernel_dirs of /etc/txl/txl.yaml (allowed: ${allowed}, /boot/guest)`);
    expect(m).not.toContain('\n');
  });
  it('a relative kernel is taken from the working directory: the same words pass or not by where txl runs', () => {
    const { root, allowed, outside } = layout();
    writeFileSync(join(outside, 'vmlinuz'), 'k');
    const p: BootPolicy = { file: 'f', kernelDirs: [allowed] };
    expect(refused(cfg({ kernel: 'vmlinuz' }), p, allowed)).toBe('');
    expect(refused(cfg({ kernel: 'vmlinuz' }), p, outside)).toMatch(/really '.*outside\/vmlinuz'/);
    expect(refused(cfg({ kernel: '../outside/vmlinuz' }), p, allowed)).toMatch(/is not in boot.kernel_dirs/);
    expect(refused(cfg({ kernel: 'allowed/vmlinuz' }), p, root)).toBe('');
  });
  it('ramdisks follow kernel_dirs unless ramdisk_dirs is given; the old PV fields are checked too', () => {
    const { allowed, outside } = layout();
    const secret = join(outside, 'shadow');
    expect(refused(cfg({ kernel: join(allowed, 'vmlinuz'), ramdisk: secret }), { file: 'f', kernelDirs: [allowed] })).toMatch(/its ramdisk .* boot.kernel_dirs/);
    expect(refused(cfg({ kernel: join(allowed, 'vmlinuz'), ramdisk: secret }), { file: 'f', kernelDirs: [allowed], ramdiskDirs: [outside] })).toBe('');
    expect(refused(cfg({ ramdisk: join(allowed, 'initrd') }), { file: 'f', kernelDirs: [allowed], ramdiskDirs: [outside] })).toMatch(/boot.ramdisk_dirs/);
    expect(refused(cfg({}, { kernel: secret }), { file: 'f', kernelDirs: [allowed] })).toMatch(/its kernel/);
    expect(refused(cfg({ kernel: join(allowed, 'vmlinuz') }), { file: 'f', kernelDirs: [] })).toMatch(/allowed: none/);
    // no list: no restriction of that kind
    expect(refused(cfg({ kernel: secret }), { file: 'f', ramdiskDirs: [allowed] })).toBe('');
  });
  it('bootloaders: by name in Xen\'s bin directory or on PATH, or by path; anything else refused', () => {
    const { root } = layout();
    const bin = join(root, 'xenbin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'pygrub'), '#!/bin/sh\n');
    chmodSync(join(bin, 'pygrub'), 0o755);
    symlinkSync(join(bin, 'pygrub'), join(root, 'pygrub-link'));
    const p: BootPolicy = { file: 'f', bootloaders: ['pygrub'] };
    const check = (bl: string) => {
      try {
        checkBoot(cfg({ bootloader: bl }), p, root, [bin], process.env.PATH);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(bootloaderPath('pygrub', [bin])).toBe(join(bin, 'pygrub'));
    expect(check('pygrub')).toBe('');
    expect(check(join(bin, 'pygrub'))).toBe('');
    expect(check('pygrub-link')).toMatch(/cannot be resolved/); // not in the bin dir, not on PATH
    expect(check(join(root, 'pygrub-link'))).toBe(''); // the same program
    expect(check('/bin/sh')).toMatch(/its bootloader '\/bin\/sh'.* boot.bootloaders of f \(allowed: pygrub\)/);
    expect(check('sh')).toMatch(/its bootloader 'sh' \(really '\/.+'\) is not in/);
  });
});

describe('policy.ts: the settings file', () => {
  const saved = process.env.TXL_CONF;
  afterEach(() => {
    if (saved === undefined) delete process.env.TXL_CONF;
    else process.env.TXL_CONF = saved;
  });
  const conf = (text: string, mode = 0o644) => {
    const f = join(tempDir('txl-conf-'), 'txl.yaml');
    writeFileSync(f, text);
    chmodSync(f, mode);
    return f;
  };
  it('absent file, or no boot key: no restriction', async () => {
    delete process.env.TXL_CONF;
    expect(await loadBootPolicy('/nonexistent/txl.yaml')).toBeUndefined();
    expect(await loadBootPolicy(conf('connect: test:///default\n'))).toBeUndefined();
  });
  it('reads the three lists', async () => {
    const f = conf('boot:\n  kernel_dirs: [/boot/guest/]\n  ramdisk_dirs: [/srv/initrd]\n  bootloaders: [pygrub]\n');
    expect(await loadBootPolicy(f)).toEqual({ file: f, kernelDirs: ['/boot/guest/'], ramdiskDirs: ['/srv/initrd'], bootloaders: ['pygrub'] });
    expect(await loadBootPolicy(conf('boot:\n  kernel_dirs:\n'))).toMatchObject({ kernelDirs: [] });
  });
  it.each([
    ['a misspelt key', 'boot:\n  kernal_dirs: [/boot]\n', /unknown key 'boot.kernal_dirs'/],
    ['a relative directory', 'boot:\n  kernel_dirs: [boot/guest]\n', /relative path 'boot\/guest'/],
    ['a string instead of a list', 'boot:\n  kernel_dirs: /boot\n', /must be a list/],
    ['boot as a list', 'boot: [/boot]\n', /must be a mapping/],
    ['broken YAML', 'boot: [\n', /cannot read it as YAML/],
  ])('refuses %s (fails closed)', async (_what, text, why) => {
    await expect(loadBootPolicy(conf(text))).rejects.toThrow(ConfigError);
    await expect(loadBootPolicy(conf(text))).rejects.toThrow(why);
  });
  it.each([[0o666, /writable by every user/], [0o664, /writable by its group/]])('refuses a file with mode %o', async (mode, why) => {
    const f = conf('boot:\n  kernel_dirs: [/boot]\n', mode);
    await expect(loadBootPolicy(f)).rejects.toThrow(UnsafeFileError);
    await expect(loadBootPolicy(f)).rejects.toThrow(why);
  });
  it('TXL_CONF names the file; a TXL_CONF that does not exist is an error, not "no restriction"', async () => {
    const f = conf('boot:\n  kernel_dirs: [/boot]\n');
    expect(await loadBootPolicy(undefined, { TXL_CONF: f })).toMatchObject({ file: f });
    await expect(loadBootPolicy(undefined, { TXL_CONF: `${f}.missing` })).rejects.toThrow(NotFoundError);
    expect(existsSync(f)).toBe(true);
  });
});

describe('through bin/txl on the simulator: create, restore and an incoming migration keep to the allow-list', { timeout: 180_000 }, () => {
  const systemConf = existsSync('/etc/txl/txl.yaml');
  /** A host with kernels/ allowed by its TXL_CONF, and other/ not (spawn: bin/txl runs each command). */
  function host(spawn = false) {
    const h = spawn ? spawnSimHost() : simHost();
    const kernels = join(h.dir, 'kernels');
    const other = join(h.dir, 'other');
    mkdirSync(kernels);
    mkdirSync(other);
    writeFileSync(join(kernels, 'vmlinuz'), 'k');
    writeFileSync(join(other, 'vmlinuz'), 'k');
    symlinkSync(join(other, 'vmlinuz'), join(kernels, 'escape'));
    const conf = h.file('txl.yaml', `connect: test:///default\nboot:\n  kernel_dirs: [${kernels}/]\n`);
    chmodSync(conf, 0o644);
    const guest = (name: string, kernel: string) => h.file(`${name}.cfg`, `name = "${name}"\ntype = "pv"\nkernel = "${kernel}"\nmemory = 128\n`);
    return { h, kernels, other, conf, env: { TXL_CONF: conf }, guest };
  }
  // no state file at all: the host was never touched
  const domains = (h: SimHost) => !existsSync(h.env.TXL_SIM_STATE) ? [] : (h.state().domains as { name: string; status: string; domid: number }[]).filter((d) => d.domid !== 0).map((d) => `${d.name}:${d.status}`);
  const oneError = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('txl: error:'));

  it('create: a kernel outside kernel_dirs (directly, or through a symlink) is refused in one line and nothing is created', () => {
    const { h, kernels, other, conf, env, guest } = host();
    for (const [name, kernel] of [['out', join(other, 'vmlinuz')], ['link', join(kernels, 'escape')], ['dots', `${kernels}/../other/vmlinuz`]]) {
      const r = h.run(['create', guest(name, kernel)], { env });
      expect(r.code, r.stderr).toBe(1);
      const errors = oneError(r.stderr);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`its kernel '${kernel}'`);
      expect(errors[0]).toContain(`boot.kernel_dirs of ${conf} (allowed: ${kernels}/)`);
    }
    expect(domains(h)).toEqual([]);
    // inside (also relative to where txl runs, as libxl opens it): created
    expect(h.run(['create', guest('in', join(kernels, 'vmlinuz'))], { env }).code).toBe(0);
    expect(h.run(['create', guest('rel', 'kernels/vmlinuz')], { env }).code).toBe(0);
    expect(domains(h)).toEqual(['in:running', 'rel:running']);
  });

  it('start of a managed domain is checked too', () => {
    const { h, other, env, guest } = host();
    expect(h.run(['define', guest('m', join(other, 'vmlinuz'))]).code).toBe(0);
    const r = h.run(['start', 'm'], { env });
    expect(r.code, r.stderr).toBe(1);
    expect(oneError(r.stderr)).toEqual([expect.stringContaining(`its kernel '${join(other, 'vmlinuz')}'`)]);
    expect(h.run(['start', 'm']).code).toBe(0);
  });

  it.skipIf(systemConf)('without the file there is no restriction (so the file is what refuses)', () => {
    const { h, other, guest } = host();
    const r = h.run(['create', guest('free', join(other, 'vmlinuz'))]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('a txl.yaml others could rewrite stops every create', () => {
    const { h, kernels, conf, env, guest } = host();
    chmodSync(conf, 0o666);
    const r = h.run(['create', guest('in', join(kernels, 'vmlinuz'))], { env });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/refusing to use the settings file .*writable by every user/);
    expect(domains(h)).toEqual([]);
  });

  it('restore: a saved domain whose kernel is outside is refused, and its image kept', () => {
    const { h, other, env, guest } = host();
    expect(h.run(['create', guest('g', join(other, 'vmlinuz'))]).code).toBe(0);
    const img = join(h.dir, 'g.save');
    expect(h.run(['save', 'g', img]).code).toBe(0);
    const before = readFileSync(img);
    const r = h.run(['restore', img], { env });
    expect(r.code, r.stderr).toBe(1);
    expect(oneError(r.stderr)).toEqual([expect.stringContaining(`its kernel '${join(other, 'vmlinuz')}'`)]);
    expect(domains(h)).toEqual([]);
    expect(readFileSync(img).equals(before)).toBe(true);
    expect(h.run(['restore', img]).code).toBe(0);
    expect(domains(h)).toEqual(['g:running']);
  });

  it('migrate-receive: the receiving host refuses it, and the sender keeps its domain running', () => {
    // the receiver's messages reach the sender's stderr through the transport's inherited fd 2
    const { h, other, conf, guest } = host(true);
    expect(h.run(['create', guest('g', join(other, 'vmlinuz'))]).code).toBe(0);
    const receiver = `env TXL_CONF='${conf}' '${process.execPath}' '${SIM_BIN}' --connect '${h.uri}' migrate-receive`;
    const r = h.run(['migrate', '-s', '', 'g', receiver]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/migration target: Domain creation failed \(refusing to create domain 'g--incoming': its kernel/);
    expect(domains(h)).toEqual(['g:running']);
  });
});
