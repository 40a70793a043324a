// The package as an admin installs it: `npm pack`, then `npm install -g` of the tarball into a
// scratch prefix (offline, from npm's cache), and the installed txl runs, with its man page
// and completion scripts in place.
import { describe, expect, it, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from './support/txl.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const HAVE_NPM = spawnSync('npm', ['--version']).status === 0;
const BUILT = existsSync(join(ROOT, 'dist/cli.cjs')) && existsSync(join(ROOT, 'man/txl.1'));

describe.skipIf(!HAVE_NPM || !BUILT)('npm pack + npm install -g', () => {
  const dir = tempDir('txl-pack-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let tarball = '';

  it('packs bin/, dist/, man/txl.1 and the completion scripts, and no sources or tests', () => {
    // --ignore-scripts: pack what the build already made, without rebuilding the shared dist/
    const r = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const [info] = JSON.parse(r.stdout);
    tarball = join(dir, info.filename);
    const files: string[] = info.files.map((f: { path: string }) => f.path);
    for (const f of ['bin/txl', 'dist/cli.cjs', 'dist/cli.cjs.cache', 'man/txl.1', 'completions/txl.bash', 'completions/_txl', 'completions/txl.fish', 'package.json', 'README.md']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => /^(src|test|commands|parsers)\//.test(f) || f.endsWith('.ts'))).toEqual([]);
  });

  it('installs globally into a prefix: txl on PATH, its man page under share/man/man1', () => {
    const prefix = join(dir, 'prefix');
    // npm ci caches the dependencies' tarballs but not their registry metadata, which an
    // install of a tarball needs: from the cache where it can, else from the registry; a
    // machine with neither skips, saying so
    const r = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], {
      encoding: 'utf8', timeout: 300_000, env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    if (r.status !== 0 && /ENOTCACHED|EAI_AGAIN|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|ENETUNREACH/.test(r.stderr)) {
      console.log(`skipped: npm install -g needs the npm registry or a cache holding the dependencies' metadata: ${r.stderr.split('\n')[0]}`);
      return;
    }
    expect(r.status, r.stderr).toBe(0);
    const bin = join(prefix, 'bin', 'txl');
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(pkg.version);
    expect(version.status).toBe(0);
    expect(readFileSync(join(prefix, 'share/man/man1/txl.1'), 'utf8')).toBe(readFileSync(join(ROOT, 'man/txl.1'), 'utf8'));

    // the installed copy finds its own completion scripts and answers completion queries
    const script = spawnSync(bin, ['completion', 'bash'], { encoding: 'utf8' });
    expect(script.stdout).toBe(readFileSync(join(ROOT, 'completions/txl.bash'), 'utf8'));
    const words = spawnSync(bin, ['__complete', 'hel'], { encoding: 'utf8' });
    expect(words.stdout.split('\t')[0]).toBe('help');
    // the code cache made by the build is the installed bundle's own: used, not made again
    const cache = join(prefix, 'lib/node_modules/txl/dist/cli.cjs.cache');
    expect(readFileSync(cache).equals(readFileSync(join(ROOT, 'dist/cli.cjs.cache')))).toBe(true);
    // and man finds the page through the prefix's share/man
    if (spawnSync('sh', ['-c', 'command -v man']).status === 0) {
      const man = spawnSync('man', ['-M', join(prefix, 'share/man'), '-P', 'cat', 'txl'], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '80' } });
      expect(man.stdout).toMatch(/^TXL\(1\)/);
    }
  });
});
