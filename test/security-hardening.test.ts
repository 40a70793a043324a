// Issue 15 (second half): secrets hidden from views of a config and kept in owner-only files,
// diagnostics that never echo a password or a file txl was not asked to read, trust in the
// files and directories txl uses, names that cannot pass for another, and an environment
// checked before it is used.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listHooks } from '../src/hooks.js';
import { confusableWith, foldConfusables } from '../src/confusables.js';
import { checkDomainName } from '../src/validate.js';
import { environmentProblem } from '../src/env.js';
import { describe, expect, it } from 'vitest';
import { redactDiagnostic, redactSecrets, secretValues } from '../src/core/redact.js';
import { SIM_BIN, simHost } from './support/inproc.js';
import { leaks, SECRET_CFG } from './support/secrets.js';

const CFG = SECRET_CFG;

describe('redaction of diagnostics excerpts', () => {
  it.each([
    ['vncpasswd="SECRET', 'vncpasswd="******'],
    ["vncpasswd='SECRET", "vncpasswd='******"],
    ['spicepasswd=["S3cretSP"]', 'spicepasswd=["********"]'],
    ['spicepasswd=[ "ab", "c" ]', 'spicepasswd=[ "**", "*" ]'],
    ['vncpasswd = "my secret" junk', 'vncpasswd = "*********" junk'],
    // side.xml's attribute pairs, in an #@txl line and in the XML writer's <metadata>
    ['"attrs":[["type","rdp"],["passwd","S3cretRDP"]]', '"attrs":[["type","rdp"],["passwd","*********"]]'],
    ["value='[[&quot;passwd&quot;,&quot;S3cretRDP&quot;]]'", "value='[[&quot;passwd&quot;,&quot;*********&quot;]]'"],
    ["{&quot;passwd&quot;:&quot;S3cret&quot;}", "{&quot;passwd&quot;:&quot;******&quot;}"],
  ])('%s', (input, output) => {
    expect(redactSecrets(input)).toBe(output);
    expect(redactSecrets(input).length).toBe(input.length);
  });
  it('gives the secret values of unterminated strings and lists', () => {
    expect(secretValues('vncpasswd="SECRET')).toEqual(['SECRET']);
    expect(secretValues('["passwd","S3cretRDP"]')).toEqual(['S3cretRDP']);
    expect(secretValues('[&quot;passwd&quot;,&quot;S3cretRDP&quot;]')).toEqual(['S3cretRDP']);
    expect(secretValues('spicepasswd=["S3cretSP"]')).toEqual(['S3cretSP']);
  });
  it('an unterminated password and a password in a list never reach stderr (bin/txl)', () => {
    const h = simHost();
    h.file('u.cfg', 'name = "x"\ntype = "hvm"\nvncpasswd = "S3cretVNC\n');
    h.file('l.cfg', 'name = "x"\ntype = "hvm"\nspicepasswd = ["S3cretSPICE"]\n');
    for (const f of ['u.cfg', 'l.cfg']) {
      const r = h.run(['create', '-N', f]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${f.replace('.', '\\.')}:3:`));
      expect(leaks(r.stderr), r.stderr).toEqual([]);
    }
  });
});

describe('passwords hidden from views of a config unless --security-info', () => {
  const h = simHost();
  h.file('sec.cfg', CFG);
  const created = h.run(['create', 'sec.cfg']);
  it.each([
    [['dumpxml', 'sec']],
    [['-o', 'json', 'dumpxml', 'sec']],
    [['-o', 'yaml', 'dumpxml', 'sec']],
    [['config', 'sec']],
    [['config', 'sec', '--as', 'xml']],
    [['config', 'sec', '--as', 'json']],
    [['-o', 'json', 'config', 'sec']],
    [['-o', 'yaml', 'config', 'sec']],
    [['list', '-l']],
    [['-o', 'json', 'list', '-l']],
    [['-o', 'yaml', 'list', '-l', 'sec']],
    [['-o', 'json', 'dominfo', 'sec']],
    [['domblklist', 'sec']],
  ])('%j shows none, and with --security-info all of them', (args) => {
    expect(created.code, created.stderr).toBe(0);
    const r = h.run(args);
    expect(r.code, r.stderr).toBe(0);
    expect(leaks(r.stdout + r.stderr), r.stdout).toEqual([]);
    if (['dumpxml', 'config', 'list'].some((c) => args.includes(c))) {
      const s = h.run([...args, '--security-info']);
      expect(s.code, s.stderr).toBe(0);
      // domain XML has one VNC graphics element: the vfb's wins over the HVM one
      expect(leaks(s.stdout).length, s.stdout).toBeGreaterThanOrEqual(args.includes('dumpxml') || args.includes('xml') ? 2 : 3);
    }
  });
  it('a passwd libvirt element that libxl cannot take (kept in side.xml) too', () => {
    h.file('rdp.xml', `<domain type='xen'><name>rdp</name><memory unit='MiB'>64</memory><os><type>hvm</type></os>
  <devices><graphics type='rdp' passwd='S3cretVNC'/><graphics type='vnc' passwdValidTo='2030-01-01T00:00:00'/></devices></domain>`);
    expect(h.run(['define', 'rdp.xml']).code).toBe(0);
    for (const args of [['dumpxml', 'rdp'], ['config', 'rdp'], ['-o', 'json', 'config', 'rdp']]) {
      const r = h.run(args);
      expect(leaks(r.stdout), r.stdout).toEqual([]);
      expect(r.stdout).toContain('passwdValidTo');
      expect(leaks(h.run([...args, '--security-info']).stdout)).toEqual(['S3cretVNC']);
    }
  });
  it('a managed domain\'s stored config too', () => {
    h.file('m.cfg', CFG.replace('"sec"', '"msec"'));
    expect(h.run(['define', 'm.cfg']).code).toBe(0);
    for (const args of [['dumpxml', 'msec'], ['config', 'msec']]) expect(leaks(h.run(args).stdout)).toEqual([]);
  });
});

describe('files that can hold secrets are owner-only from their creation', () => {
  it('a save image, even over an older world-readable file of the same name', () => {
    const h = simHost();
    h.file('sec.cfg', CFG);
    expect(h.run(['create', 'sec.cfg']).code).toBe(0);
    const old = h.file('sec.save', 'old image');
    chmodSync(old, 0o644);
    const r = h.run(['save', 'sec', 'sec.save']);
    expect(r.code, r.stderr).toBe(0);
    expect((statSync(old).mode & 0o777).toString(8)).toBe('600');
    expect(readFileSync(old).includes('S3cretVNC')).toBe(true);
  });
  it('convert -d of a config holding a password; one without keeps the usual mode', () => {
    const h = simHost();
    h.file('sec.cfg', CFG);
    h.file('plain.cfg', 'name = "plain"\ntype = "hvm"\n');
    mkdirSync(join(h.dir, 'out'));
    const r = h.run(['convert', '--to', 'xml', '-d', 'out', 'sec.cfg', 'plain.cfg']);
    expect(r.code, r.stderr).toBe(0);
    expect((statSync(join(h.dir, 'out/sec.xml')).mode & 0o777).toString(8)).toBe('600');
    expect(statSync(join(h.dir, 'out/plain.xml')).mode & 0o044).not.toBe(0);
    expect(lstatSync(join(h.dir, 'out/sec.xml')).isFile()).toBe(true);
  });
});

describe('files the user did not name as a config: positions, never their lines', () => {
  const SHADOW = 'root:$6$S3cretHASH:19000:0:99999:7:::\nS3cretUSER = bar\n';
  it('TXL_XL_CONF naming a file that is not an xl.conf', () => {
    const h = simHost();
    const shadow = h.file('shadow', SHADOW);
    h.file('g.cfg', 'name = "g"\ntype = "hvm"\n');
    const r = h.run(['create', '-N', 'g.cfg'], { env: { TXL_XL_CONF: shadow } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${shadow}:1:5`);
    expect(r.stderr).toContain('TXL_XL_CONF');
    expect(r.stderr).not.toMatch(/S3cret|root|bar/);
  });
  it('a file named by a host YAML', () => {
    const h = simHost('domains:\n  - file: shadow\n');
    const shadow = h.file('shadow', SHADOW);
    const r = h.run(['list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${shadow}:1:5`);
    expect(r.stderr).not.toMatch(/S3cret|root:|bar/);
  });
  it('a config named on the command line still shows its line', () => {
    const h = simHost();
    h.file('bad.cfg', 'name = "g"\nmemory = lots\n');
    expect(h.run(['create', '-N', 'bad.cfg']).stderr).toContain('memory = lots');
  });
});

describe('hooks: every component of the path and of a symlink\'s target', () => {
  const isRoot = process.geteuid?.() === 0;
  const tree = () => {
    const top = mkdtempSync(join(tmpdir(), 'txl-trust-'));
    chmodSync(top, 0o755);
    const root = join(top, 'hooks');
    mkdirSync(join(root, 'pre-start.d'), { recursive: true, mode: 0o755 });
    return { top, root, d: join(root, 'pre-start.d') };
  };
  const script = (p: string) => {
    writeFileSync(p, '#!/bin/sh\ntrue\n');
    chmodSync(p, 0o755);
  };
  it('a hook reached through a symlink into a world-writable directory without the sticky bit', () => {
    const { top, root, d } = tree();
    mkdirSync(join(top, 'open'));
    chmodSync(join(top, 'open'), 0o777);
    script(join(top, 'open', 'h'));
    symlinkSync(join(top, 'open', 'h'), join(d, '10-h'));
    expect(() => listHooks('pre-start', root)).toThrow(/open is writable by group and others \(mode 0777\) \(on the way to .*10-h\)/);
    chmodSync(join(top, 'open'), 0o1777); // sticky: only the owner (root) may rename the hook
    expect(listHooks('pre-start', root)).toEqual([join(d, '10-h')]);
  });
  it('a hooks root whose parent is world-writable', () => {
    const { top, root, d } = tree();
    script(join(d, 'h'));
    chmodSync(top, 0o777);
    expect(() => listHooks('pre-start', root)).toThrow(/txl-trust-\w+ is writable by group and others/);
    chmodSync(top, 0o755);
    expect(listHooks('pre-start', root)).toHaveLength(1);
  });
  it('a symlinked phase directory whose target sits in a group-writable directory', () => {
    const { top, root } = tree();
    rmSync(join(root, 'pre-start.d'), { recursive: true });
    mkdirSync(join(top, 'shared', 'real'), { recursive: true });
    chmodSync(join(top, 'shared'), 0o775);
    script(join(top, 'shared', 'real', 'h'));
    symlinkSync(join(top, 'shared', 'real'), join(root, 'pre-start.d'));
    expect(() => listHooks('pre-start', root)).toThrow(/shared is writable by its group/);
  });
  it.skipIf(!isRoot)('a symlink target owned by another user', () => {
    const { top, d } = tree();
    const t = join(top, 'theirs');
    script(t);
    chownSync(t, 65534, 65534);
    symlinkSync(t, join(d, 'h'));
    expect(() => listHooks('pre-start', join(top, 'hooks'))).toThrow(/owned by uid 65534/);
  });
});

describe('a hand-edited state', () => {
  it('with a duplicated domid is refused in one line naming the state file', () => {
    const h = simHost();
    h.file('g.cfg', 'name = "g"\ntype = "hvm"\nmemory = 128\n');
    expect(h.run(['create', 'g.cfg']).code).toBe(0);
    const st = h.state();
    st.domains.push({ ...st.domains[1], name: 'g2' });
    const path = h.file('state.json', JSON.stringify(st) + '\n');
    chmodSync(path, 0o600);
    const r = h.run(['list']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(path);
    expect(r.stderr).toMatch(/domains\[2\]\.domid 1 is also domains\[1\]'s/);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('txl: error'))).toHaveLength(1);
  });
});

describe('the simulator\'s own files: refused when others could write them', () => {
  const isRoot = process.geteuid?.() === 0;
  const defined = () => {
    const h = simHost();
    h.file('g.cfg', 'name = "g"\ntype = "hvm"\nmemory = 128\n');
    expect(h.run(['define', 'g.cfg']).code).toBe(0);
    return { h, managed: join(h.dir, 'managed'), file: join(h.dir, 'managed', 'g.json') };
  };
  it('a world-writable managed/ directory', () => {
    const { h, managed } = defined();
    chmodSync(managed, 0o777);
    const r = h.run(['start', 'g']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`refusing to use the managed config directory '${managed}'`);
    expect(r.stderr).toContain(`hint: chmod go-w ${managed}`);
    expect(h.state().domains).toHaveLength(1);
  });
  it('a 0666 managed config, with chmod 600 in the hint', () => {
    const { h, file } = defined();
    chmodSync(file, 0o666);
    const r = h.run(['start', 'g']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`hint: chmod 600 ${file}`);
    expect(h.state().domains).toHaveLength(1);
  });
  it.skipIf(!isRoot)('a managed config owned by nobody', () => {
    const { h, file } = defined();
    chownSync(file, 65534, 65534);
    const r = h.run(['start', 'g']);
    expect(r.stderr).toMatch(/owned by uid 65534/);
    expect(r.code).toBe(1);
  });
  it('a symlinked managed/ is not written through', () => {
    const h = simHost();
    const elsewhere = mkdtempSync(join(tmpdir(), 'txl-elsewhere-'));
    symlinkSync(elsewhere, join(h.dir, 'managed'));
    h.file('g.cfg', 'name = "g"\ntype = "hvm"\nmemory = 128\n');
    const r = h.run(['define', 'g.cfg']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/managed config directory .* is a symbolic link/);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
  it('a 0666 state file in a 0777 directory', () => {
    const h = simHost();
    expect(h.run(['list']).code).toBe(0);
    chmodSync(h.dir, 0o777);
    chmodSync(join(h.dir, 'state.json'), 0o666);
    let r = h.run(['list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refusing to use the simulator's state directory .* writable by group and others/);
    chmodSync(h.dir, 0o700);
    r = h.run(['list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`hint: chmod 600 ${join(h.dir, 'state.json')}`);
    chmodSync(join(h.dir, 'state.json'), 0o600);
    expect(h.run(['list']).code).toBe(0);
  });
});

describe('directories txl makes for the simulator', () => {
  it('are its own (0700) under a umask of 002, so that the next command does not refuse them', () => {
    const h = simHost();
    const env: Record<string, string> = { ...(process.env as Record<string, string>), ...h.env };
    for (const k of Object.keys(env)) if (k.startsWith('TXL_') && (env[k] === '' || k === 'TXL_SIM_STATE')) delete env[k];
    const run = () => spawnSync('sh', ['-c', 'umask 002; exec "$0" "$@"', process.execPath, SIM_BIN, '--connect', 'test:///default', 'list'], { cwd: h.dir, env, encoding: 'utf8' });
    for (const r of [run(), run()]) expect([r.status, r.stderr]).toEqual([0, '']);
    for (const d of ['xdgstate', 'xdgstate/txl']) expect((statSync(join(h.dir, d)).mode & 0o777).toString(8)).toBe('700');
  });
});

describe('names that hide characters or pass for another', () => {
  it.each([
    ['\u202E0-niamoD', /bidirectional control character U\+202E at position 1/],
    ['g\u200Bx', /invisible character U\+200B at position 2/],
    ['Domain-0\u200D', /invisible character U\+200D/],
    ['a\u2066b', /bidirectional control character U\+2066/],
    ['a\u00ADb', /invisible character U\+00AD/],
    ['a\uFEFFb', /invisible character U\+FEFF/],
  ])('%j is refused (both backends check with checkDomainName)', (name, why) => {
    expect(() => checkDomainName(name)).toThrow(why);
    expect(() => checkDomainName(name)).not.toThrow(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\u00AD\uFEFF]/);
  });
  it('folds dashes, quotes and Cyrillic/Greek look-alikes, not case', () => {
    expect(foldConfusables('Domain\u20130')).toBe('Domain-0');
    expect(foldConfusables('\u0440\u0430y\u0440\u0430l')).toBe('paypal');
    expect(foldConfusables('\u039Fps')).toBe('Ops');
    expect(confusableWith('Domain\u20140', ['Domain-0', 'web'])).toBe('Domain-0');
    expect(confusableWith('guest', ['Guest'])).toBeUndefined();
  });
  it('create warns in one line on stderr when a new name reads as an existing one; create -N refuses an XML name with a newline', () => {
    const h = simHost();
    h.file('d.cfg', 'name = "Domain\u20130"\ntype = "hvm"\nmemory = 64\n');
    const r = h.run(['create', 'd.cfg']);
    expect(r.code, r.stderr).toBe(0);
    const warned = r.stderr.split('\n').filter((l) => l.startsWith('txl: warning'));
    expect(warned).toEqual(["txl: warning: 'Domain\u20130' reads like the existing domain 'Domain-0' (U+2013): check which one you mean"]);
    h.file('n.xml', "<domain type='xen'><name>a&#10;b/c</name><memory unit='MiB'>128</memory><os><type>hvm</type></os></domain>");
    const n = h.run(['create', '-N', 'n.xml']);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain("'a\\u000ab/c' cannot be a domain name");
    expect(n.stdout).toBe('');
  });
});

describe('the environment', () => {
  it('a missing HOME is never created; a host file\'s missing directory neither', () => {
    const h = simHost();
    const gone = join(h.dir, 'no-such-home');
    const r = h.run(['list'], { env: { HOME: gone, XDG_STATE_HOME: '', TXL_SIM_STATE: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`HOME '${gone}' does not exist`);
    expect(existsSync(gone)).toBe(false);
    const far = join(h.dir, 'nowhere', 'dir');
    const t = h.run(['--connect', `test://${far}/host.yaml`, 'list']);
    expect(t.code).toBe(1);
    expect(existsSync(join(h.dir, 'nowhere'))).toBe(false);
  });
  it('a relative HOME is refused in one line naming HOME, and nothing is written under the working directory', () => {
    const h = simHost();
    const r = h.run(['list'], { env: { HOME: 'rel', XDG_STATE_HOME: '', TXL_SIM_STATE: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('txl: error: HOME="rel" cannot be used: HOME takes an absolute path\n');
    expect(existsSync(join(h.dir, 'rel'))).toBe(false);
  });
  it.each([
    ['TXL_SIM_FAIL', 'garbage'],
    ['TXL_SIM_FAIL', 'disk-attach:0'],
    ['TXL_SIM_FAIL', 'disk-atach'],
    ['TXL_SIM_DELAY', 'transactoin:0'],
    ['TXL_SIM_LOCK_TIMEOUT', '5s'],
    ['TXL_SIM_LOCK_TIMEOUT', '-1'],
    ['TXL_SIM_DELAY', 'transaction:forever'],
    ['TXL_SIM_DELAY', 'transaction'],
    ['TXL_SIM_CHECK_READONLY', 'yes'],
    ['TXL_HOOK_TIMEOUT', '0'],
    ['TXL_REBOOT_LIMIT', 'lots'],
    ['TXL_HOOKS_DIR', 'relative/hooks'],
    ['TXL_CONNECT', 'no such/alias'],
    ['TXL_WRITE_FAIL', 'ENOSPACE'],
  ])('%s=%j exits 2 with one line naming it and what it takes', (name, value) => {
    const h = simHost();
    const r = h.run(['list'], { env: { [name]: value } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^txl: error: ${name}=".*" cannot be used: ${name} takes .+\\n$`));
  });
  it('good values and empty ones pass', () => {
    const h = simHost();
    const ok = h.run(['list'], { env: { TXL_SIM_FAIL: 'disk-attach:2,nic-attach,vif-hotplug:1', TXL_SIM_LOCK_TIMEOUT: '300', TXL_SIM_DELAY: 'transaction:1:0', TXL_HOOK_TIMEOUT: '1.5', TXL_REBOOT_LIMIT: '5/60', TXL_SIM_CHECK_READONLY: '1' } });
    expect(ok.code, ok.stderr).toBe(0);
    expect(environmentProblem({ TXL_SIM_FAIL: '', HOME: '' })).toBeUndefined();
  });
});

describe('managed configs on Xen (ManagedStore) follow the same rule', () => {
  it('a 0666 file or a world-writable directory is refused, not skipped', async () => {
    const { ManagedStore } = await import('../src/xen/managed.js');
    const dir = mkdtempSync(join(tmpdir(), 'txl-xen-managed-'));
    const store = new ManagedStore(dir);
    store.define({ c_info: { type: 'pv', name: 'g' }, b_info: {} } as never);
    expect(store.list().map((m) => m.name)).toEqual(['g']);
    chmodSync(join(dir, 'g.json'), 0o666);
    expect(() => store.list()).toThrow(/refusing to use the managed config '.*g\.json': .* writable by group and others/);
    chmodSync(join(dir, 'g.json'), 0o600);
    chmodSync(dir, 0o777);
    expect(() => store.define({ c_info: { type: 'pv', name: 'h' }, b_info: {} } as never)).toThrow(/managed config directory/);
    expect(existsSync(join(dir, 'h.json'))).toBe(false);
  });
});

describe('redaction of a second string after a password', () => {
  it('masks every string of the value, and the message quoting the second', () => {
    expect(redactSecrets('spicepasswd = "a" "S3cretSP"')).toBe('spicepasswd = "*" "********"');
    expect(secretValues('spicepasswd = "a" "S3cretSP"')).toEqual(['a', 'S3cretSP']);
    expect(redactSecrets('vncpasswd = S3cretVNC junk')).toBe('vncpasswd = ********* junk');
    expect(redactSecrets("passwd='x y'")).toBe("passwd='***'");
  });
});

describe('a short password in a message', () => {
  it('is masked where the message quotes it, not inside other words', () => {
    const d = redactDiagnostic({ message: 'expected end of line after the value, found string "a"', excerpt: 'spicepasswd = "a" "a"' });
    expect(d.message).toBe('expected end of line after the value, found string "*"');
  });
});

describe('the settings file (txl.yaml, as strict as a hook)', () => {
  it('reached through a symlink in a world-writable directory is refused', async () => {
    const { loadBootPolicy } = await import('../src/policy.js');
    const top = mkdtempSync(join(tmpdir(), 'txl-policy-'));
    chmodSync(top, 0o755);
    mkdirSync(join(top, 'etc'), { mode: 0o755 });
    const real = join(top, 'etc', 'txl.yaml');
    writeFileSync(real, 'boot:\n  kernel_dirs: [/boot]\n', { mode: 0o644 });
    expect((await loadBootPolicy(real))?.kernelDirs).toEqual(['/boot']);
    mkdirSync(join(top, 'open'));
    chmodSync(join(top, 'open'), 0o777);
    symlinkSync(real, join(top, 'open', 'txl.yaml'));
    await expect(loadBootPolicy(join(top, 'open', 'txl.yaml'))).rejects.toThrow(/open is writable by group and others .*on the way to it/);
  });
});
