// bin/txl runs dist/cli.cjs from V8's code cache (dist/cli.cjs.cache, made by the build). A
// cache is used only with the bundle it was made for; a missing, foreign or damaged one is
// passed over, the command still works, and a writable install gets a fresh one.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from './support/txl.js';

const BUILT = existsSync(join(ROOT, 'dist/cli.cjs')) && existsSync(join(ROOT, 'dist/cli.cjs.cache'));

/** A copy of the installed package (bin/, dist/), so that its cache can be spoilt. */
function install(): string {
  const dir = tempDir('txl-cache-');
  for (const f of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, f), join(dir, f), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function list(dir: string, env: Record<string, string> = {}, nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, join(dir, 'bin/txl'), '-c', 'test:///default', 'list'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', TXL_SIM_STATE: join(dir, 'state.json'), ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const buildId = (dir: string) => readFileSync(join(dir, 'dist/cli.cjs'), 'latin1').match(/\/\/txl-build:([0-9a-f]+)\n$/)?.[1];
const stampOf = (dir: string) => readFileSync(join(dir, 'dist/cli.cjs.cache')).toString('latin1').split('\n')[0];

describe.skipIf(!BUILT)('the code cache', () => {
  it("is the build's own: stamped with the bundle's content hash, Node's version and the arch", () => {
    const id = buildId(ROOT);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(stampOf(ROOT)).toBe(`txl code cache ${id} ${process.version} ${process.arch}`);
  });

  it('is used as it is by a copy of the install (the stamp does not depend on where or when)', () => {
    const dir = install();
    const before = readFileSync(join(dir, 'dist/cli.cjs.cache'));
    const r = list(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Domain-0 +0 /m);
    expect(readFileSync(join(dir, 'dist/cli.cjs.cache')).equals(before)).toBe(true);
  });

  it("is passed over when it was made for another bundle, and replaced by the bundle's own", () => {
    const dir = install();
    writeFileSync(join(dir, 'dist/cli.cjs.cache'), `txl code cache 0123456789abcdef0123456789abcdef ${process.version} ${process.arch}\n`);
    const r = list(dir);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^Domain-0 +0 /m);
    expect(stampOf(dir)).toBe(`txl code cache ${buildId(dir)} ${process.version} ${process.arch}`);
  });

  it('is passed over when V8 rejects it (damaged), and replaced', () => {
    const dir = install();
    const stamp = `${stampOf(dir)}\n`;
    writeFileSync(join(dir, 'dist/cli.cjs.cache'), Buffer.concat([Buffer.from(stamp, 'latin1'), Buffer.alloc(4096, 0x5a)]));
    const r = list(dir);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^Domain-0 +0 /m);
    const data = readFileSync(join(dir, 'dist/cli.cjs.cache'));
    expect(data.length).toBeGreaterThan(stamp.length + 4096);
    expect(data.subarray(stamp.length, stamp.length + 16).equals(Buffer.alloc(16, 0x5a))).toBe(false);
  });

  it('is left alone by a node run with other V8 flags (which V8 rejects it for)', () => {
    const dir = install();
    const before = readFileSync(join(dir, 'dist/cli.cjs.cache'));
    for (const r of [list(dir, {}, ['--no-opt']), list(dir, { NODE_OPTIONS: '--max-semi-space-size=8' })]) {
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(/^Domain-0 +0 /m);
      expect(readFileSync(join(dir, 'dist/cli.cjs.cache')).equals(before)).toBe(true);
    }
  });

  it('is not needed: without one txl works, and leaves one behind', () => {
    const dir = install();
    spawnSync('rm', [join(dir, 'dist/cli.cjs.cache')]);
    expect(list(dir)).toMatchObject({ code: 0, stderr: '' });
    expect(stampOf(dir)).toBe(`txl code cache ${buildId(dir)} ${process.version} ${process.arch}`);
  });
});
