// test:///PATH/host.yaml: the parsed host is cached beside the state, used only while the file
// is unchanged, and a corrupt or stale cache is ignored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadHostFile } from '../src/sim/host.js';
import { simHost, tempDir } from './support/inproc.js';

describe('the host file cache, in-process', () => {
  let dir: string;
  let host: string;
  let cache: string;
  const saved = process.env.TXL_SIM_STATE;
  beforeEach(() => {
    delete process.env.TXL_SIM_STATE;
    dir = tempDir('txl-hostcache-');
    host = join(dir, 'lab.yaml');
    cache = join(dir, 'lab.state.host-cache.json');
    writeFileSync(host, 'name: lab1\ncpus: 4\ndomains:\n  - {name: web, memory: 256}\n');
  });
  afterEach(() => {
    if (saved !== undefined) process.env.TXL_SIM_STATE = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the parsed host beside the state, owner-only, and reads it back', async () => {
    const first = await loadHostFile(host);
    expect(first.name).toBe('lab1');
    expect(existsSync(cache)).toBe(true);
    expect(statSync(cache).mode & 0o777).toBe(0o600);
    // a cache whose key matches is believed: prove it by changing what it holds
    const c = JSON.parse(readFileSync(cache, 'utf8'));
    writeFileSync(cache, JSON.stringify({ ...c, host: { ...c.host, name: 'from-cache' } }));
    expect((await loadHostFile(host)).name).toBe('from-cache');
  });

  it('ignores the cache once the file changes, even to the same size', async () => {
    await loadHostFile(host);
    writeFileSync(host, readFileSync(host, 'utf8').replace('lab1', 'lab2'));
    const h = await loadHostFile(host);
    expect(h.name).toBe('lab2');
    expect(h.domains).toEqual([{ name: 'web', memory_mib: 256, vcpus: 1, type: 'pvh' }]);
    expect(JSON.parse(readFileSync(cache, 'utf8')).host.name).toBe('lab2');
  });

  it('ignores a corrupt or foreign cache and replaces it', async () => {
    for (const junk of ['{not json', '[]', JSON.stringify({ key: 'x', host: { name: 'forged', domains: [] } }), JSON.stringify({ host: null })]) {
      writeFileSync(cache, junk);
      expect((await loadHostFile(host)).name).toBe('lab1');
      expect(JSON.parse(readFileSync(cache, 'utf8')).host.name).toBe('lab1');
    }
  });

  it('still reports a bad host file, and caches nothing for it', async () => {
    writeFileSync(host, 'name: [unclosed\n');
    await expect(loadHostFile(host)).rejects.toThrow(/not valid YAML/);
    writeFileSync(host, 'nmae: lab\n');
    await expect(loadHostFile(host)).rejects.toThrow(/unknown key 'nmae'/);
    expect(existsSync(cache)).toBe(false);
  });
});

describe('the host file cache, through bin/txl', { timeout: 60_000 }, () => {
  it('a host file edited between commands is read again', () => {
    const h = simHost('name: lab1\ncpus: 4\ndomains:\n  - {name: web, memory: 256}\n');
    try {
      expect(h.run(['list']).stdout).toMatch(/^web\s+1\s+256 /m);
      expect(h.run(['-o', 'json', 'info']).stdout).toContain('"lab1"');
      writeFileSync(join(h.dir, 'host.yaml'), 'name: lab9\ncpus: 4\ndomains:\n  - {name: web, memory: 256}\n');
      expect(h.run(['-o', 'json', 'info']).stdout).toContain('"lab9"');
      writeFileSync(join(h.dir, 'host.state.host-cache.json'), 'garbage');
      const r = h.run(['-o', 'json', 'info']);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('"lab9"');
    } finally {
      rmSync(h.dir, { recursive: true, force: true });
    }
  });
});
