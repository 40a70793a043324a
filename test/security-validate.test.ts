// Names and files txl is handed: src/validate.ts itself, and through bin/txl what each command
// does with a hostile name or an untrustworthy file. Where validate.ts is not yet called by a
// command, the bin/txl tests of that place are skipped, naming the place (see RELIABILITY.md);
// they run, and must pass, as soon as it is.
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.js';
import {
  NAME_MAX_LENGTH, UnsafeFileError, checkDomainName, checkPath, checkTrustedFile, domainNameProblem, insideDir, managedConfigPath, pathProblem, printable,
} from '../src/validate.js';
import { listHooks } from '../src/hooks.js';
import { ROOT, SIM_BIN, simHost, tempDir } from './support/inproc.js';

const src = (f: string) => (existsSync(join(ROOT, f)) ? readFileSync(join(ROOT, f), 'utf8') : '');
/** Where validate.ts should be called from, and whether it is. */
const WIRED = {
  names: /validate\.js/.test(src('src/sim/domains.ts')),
  configFiles: /checkTrustedFile/.test(src('src/formats.ts')),
  // hooks-backend.ts wraps a backend; the hooks run only once a connection is opened through it
  hooks: /withHooks\(/.test(src('src/backend/index.ts') + src('src/ops/connect.ts')),
};

const GOOD = ['web', 'web-01', 'db_2', 'a.b', 'guest:1', 'x'.repeat(NAME_MAX_LENGTH), 'élan', 'Domain-0', 'a1b2', '0x12'];
const BAD: [string, RegExp][] = [
  ['', /empty/],
  ['x'.repeat(NAME_MAX_LENGTH + 1), /longer than 64/],
  ['../../etc/passwd', /'\/'/],
  ['a/b', /'\/'/],
  ['..', /directory/],
  ['.', /directory/],
  ['.hidden', /starts with '\.'/],
  ['-rf', /option/],
  ['a b', /white space/],
  ['tab\tname', /control character U\+0009/],
  ['new\nline', /control character U\+000A/],
  ['esc\u001b[31mred', /control character U\+001B/],
  ['nul\u0000', /control character U\+0000/],
  ['del\u007f', /control character U\+007F/],
  ['c1\u0085', /control character U\+0085/],
  ['sep\u2028', /control character U\+2028/],
  ['a\\b', /'\\'/],
  ['42', /domain id/],
  ['3316cbea-0bbf-4d87-9e74-24c997840c84', /UUID/],
];

describe('validate.ts: domain and managed-config names', () => {
  it.each(GOOD)('accepts %j', (name) => {
    expect(domainNameProblem(name)).toBeUndefined();
    expect(checkDomainName(name)).toBe(name);
  });
  it.each(BAD)('refuses %j', (name, why) => {
    expect(domainNameProblem(name)).toMatch(why);
    expect(() => checkDomainName(name)).toThrow(UsageError);
  });
  it('never echoes control characters back to the terminal', () => {
    try {
      checkDomainName('evil\u001b]0;pwned\u0007');
      expect.fail('accepted');
    } catch (e) {
      expect((e as Error).message).not.toMatch(/[\u0000-\u001f\u007f]/);
      expect((e as Error).message).toContain('\\u001b');
    }
    expect(printable('a\u0000b')).toBe('a\\u0000b');
    expect(printable('a\u{E0001}b')).toBe('a\\u{e0001}b');
  });
  it('a managed config stays in its directory whatever the name', () => {
    const dir = tempDir();
    expect(managedConfigPath(dir, 'web')).toBe(join(dir, 'web.json'));
    for (const [name] of BAD) expect(() => managedConfigPath(dir, name)).toThrow(UsageError);
    for (const name of ['../x', '/etc/x', 'a/../../x', '', '.']) expect(() => insideDir(dir, name)).toThrow(UsageError);
  });
});

describe('validate.ts: paths', () => {
  it.each([['/srv/guests/web.cfg'], ['relative/web.cfg'], ['/x y/é.cfg']])('accepts %j', (p) => expect(pathProblem(p)).toBeUndefined());
  it.each([[''], ['/tmp/a\nb'], ['/tmp/\u001b[2J'], ['/x'.repeat(2100)]])('refuses %j', (p) => expect(() => checkPath(p)).toThrow(UsageError));
});

describe('validate.ts: files others could have written', () => {
  const setup = (mode: number, dirMode = 0o755) => {
    const dir = join(tempDir(), 'etc');
    mkdirSync(dir, { mode: dirMode });
    chmodSync(dir, dirMode);
    const f = join(dir, 'guest.cfg');
    writeFileSync(f, 'name = "g"\n');
    chmodSync(f, mode);
    return f;
  };
  it('accepts a file only its owner can write', () => {
    expect(checkTrustedFile(setup(0o644), 'config').warnings).toEqual([]);
    expect(checkTrustedFile(setup(0o755), 'hook').warnings).toEqual([]);
  });
  it('refuses a file anyone can write, config or hook', () => {
    expect(() => checkTrustedFile(setup(0o666), 'config')).toThrow(UnsafeFileError);
    expect(() => checkTrustedFile(setup(0o777), 'hook')).toThrow(/writable by every user/);
  });
  it('a group-writable config is a warning, a group-writable hook is refused', () => {
    expect(checkTrustedFile(setup(0o664), 'config').warnings.join()).toMatch(/writable by its group/);
    expect(() => checkTrustedFile(setup(0o775), 'hook')).toThrow(/writable by its group/);
  });
  it('refuses a file in a directory anyone can write (without the sticky bit), accepts /tmp-style sticky ones', () => {
    expect(() => checkTrustedFile(setup(0o644, 0o777), 'config')).toThrow(/directory .* writable by every user/);
    expect(checkTrustedFile(setup(0o644, 0o1777), 'config').warnings).toEqual([]);
  });
  it('follows symlinks to the real file', () => {
    const f = setup(0o666);
    const link = join(tempDir(), 'link.cfg');
    symlinkSync(f, link);
    expect(() => checkTrustedFile(link, 'config')).toThrow(UnsafeFileError);
  });
  it('files owned by another user: a warning for configs, refused for hooks', () => {
    const f = setup(0o644);
    const other = (p: string): Stats => ({ ...statSync(p), uid: p === f ? 1234 : statSync(p).uid }) as Stats;
    expect(checkTrustedFile(f, 'config', { stat: other }).warnings.join()).toMatch(/another user \(uid 1234\)/);
    expect(() => checkTrustedFile(f, 'hook', { stat: other })).toThrow(/another user/);
  });
});

describe('through bin/txl: names the simulator refuses today', { timeout: 120_000 }, () => {
  it.each([
    ['create', 'a config naming its domain ../../etc/x', '../../etc/x'],
    ['create', 'a name with white space', 'two words'],
    ['create', 'an all-digit name', '123'],
  ])('%s: %s', (_cmd, _what, name) => {
    const h = simHost();
    h.file('g.cfg', `name = ${JSON.stringify(name)}\ntype = "pv"\nkernel = "/k"\nmemory = 128\n`);
    const r = h.run(['create', 'g.cfg']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/cannot be a domain name/);
    expect(h.run(['list']).stdout).not.toContain(name);
  });
  it('define and rename never write outside the managed directory', () => {
    const h = simHost();
    h.file('g.cfg', `name = "g"\ntype = "pv"\nkernel = "/k"\nmemory = 128\n`);
    expect(h.run(['create', 'g.cfg']).code).toBe(0);
    expect(h.run(['define', 'g.cfg']).code).toBe(0);
    for (const bad of ['../escape', '/tmp/escape', 'a/b']) {
      const r = h.run(['rename', 'g', bad]);
      expect(r.code, r.stderr).not.toBe(0);
    }
    h.file('evil.cfg', `name = "../../evil"\ntype = "pv"\nkernel = "/k"\nmemory = 128\n`);
    expect(h.run(['define', 'evil.cfg']).code).not.toBe(0);
    expect(readdirSync(h.dir).filter((f) => /escape|evil\.json/.test(f))).toEqual([]);
    expect(existsSync(join(h.dir, '..', 'evil.json'))).toBe(false);
  });
});

describe('through bin/txl: the longest name still migrates (its --incoming and --migratedaway names are allowed)', { timeout: 120_000 }, () => {
  it('a domain of a 64-character name moves on the simulator', () => {
    const h = simHost();
    const name = 'm'.repeat(NAME_MAX_LENGTH);
    h.file('g.cfg', `name = "${name}"\ntype = "pv"\nkernel = "/k"\nmemory = 128\n`);
    expect(h.run(['create', 'g.cfg']).code).toBe(0);
    const r = h.run(['migrate', '-s', '', name, `'${process.execPath}' '${SIM_BIN}' --connect '${h.uri}' migrate-receive`]);
    expect(r.code, r.stderr).toBe(0);
    expect(h.state().domains.filter((d: { domid: number }) => d.domid !== 0).map((d: { name: string }) => d.name)).toEqual([name]);
  });
});

describe.skipIf(!WIRED.names)('through bin/txl: every name checked by validate.ts (call checkDomainName from src/sim/domains.ts checkName)', () => {
  it.each(BAD.filter(([n]) => n && !n.includes('\u0000')))('create, rename and define refuse %j', (name) => {
    const h = simHost();
    h.file('g.cfg', `name = "g"\ntype = "pv"\nkernel = "/k"\nmemory = 128\n`);
    expect(h.run(['create', 'g.cfg']).code).toBe(0);
    const r = h.run(['rename', 'g', name]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(h.run(['list']).stdout).toContain('g ');
  });
});

describe.skipIf(!WIRED.configFiles)('through bin/txl: configs others could have written (call checkTrustedFile from src/formats.ts readDomainFile)', () => {
  it('a world-writable config is refused, a group-writable one warned about', () => {
    const h = simHost();
    const f = h.file('g.cfg', `name = "g"\ntype = "pv"\nkernel = "/k"\nmemory = 128\n`);
    chmodSync(f, 0o666);
    const r = h.run(['create', 'g.cfg']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/writable by every user/);
    chmodSync(f, 0o664);
    const w = h.run(['create', 'g.cfg']);
    expect(w.code).toBe(0);
    expect(w.stderr).toMatch(/writable by its group/);
  });
});

describe('src/hooks.ts refuses hooks others could have written (in-process)', () => {
  it.each([
    ['a world-writable hook', 0o777, 0o755],
    ['a group-writable hook', 0o775, 0o755],
    ['a hook in a world-writable directory', 0o755, 0o777],
  ])('%s', (_what, hookMode, dirMode) => {
    const root = join(tempDir(), 'hooks');
    const d = join(root, 'pre-start.d');
    mkdirSync(d, { recursive: true });
    chmodSync(d, dirMode);
    const hook = join(d, '10-x');
    writeFileSync(hook, '#!/bin/sh\n');
    chmodSync(hook, hookMode);
    expect(() => listHooks('pre-start', root)).toThrow(/refusing to run the pre-start hooks/);
    chmodSync(d, 0o755);
    chmodSync(hook, 0o755);
    expect(listHooks('pre-start', root)).toEqual([hook]);
  });
});

describe.skipIf(!WIRED.hooks)('through bin/txl: hooks others could have written are refused (src/hooks.ts; runs once withHooks wraps connections)', () => {
  it.each([
    ['a world-writable hook', 0o777, 0o755],
    ['a group-writable hook', 0o775, 0o755],
    ['a hook in a world-writable directory', 0o755, 0o777],
  ])('%s', (_what, hookMode, dirMode) => {
    const h = simHost();
    const hooks = join(h.dir, 'hooks');
    const d = join(hooks, 'pre-start.d');
    mkdirSync(d, { recursive: true });
    chmodSync(d, dirMode);
    const marker = join(h.dir, 'hook-ran');
    const hook = join(d, '10-touch');
    writeFileSync(hook, `#!/bin/sh\ntouch ${marker}\n`);
    chmodSync(hook, hookMode);
    h.file('g.cfg', `name = "g"\ntype = "pv"\nkernel = "/k"\nmemory = 128\n`);
    const r = h.run(['create', 'g.cfg'], { env: { TXL_HOOKS_DIR: hooks } });
    expect(r.code, r.stderr).not.toBe(0);
    expect(r.stderr).toMatch(/refusing to run the pre-start hooks/);
    expect(existsSync(marker)).toBe(false);
    expect(h.run(['list']).stdout).not.toMatch(/^g /m);
  });
});

describe('wiring status', () => {
  it('says which places call validate.ts', () => {
    console.log(`[security] validate.ts wired: names in src/sim/domains.ts ${WIRED.names ? 'yes' : 'NO'}, config files in src/formats.ts ${WIRED.configFiles ? 'yes' : 'NO'}; hooks wrapped around connections: ${WIRED.hooks ? 'yes' : 'NO'}`);
    expect(typeof checkPath).toBe('function');
  });
});
