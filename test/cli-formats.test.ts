// The format commands, driven through the real binary as a user would.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, HAVE_CORPUS, tempDir, txl } from './support/inproc.js';

const PV = `name = "web1"
type = "pv"
kernel = "/boot/vmlinuz"
memory = 512
vcpus = 2
disk = [ "format=raw,vdev=xvda,access=rw,target=/dev/vg0/web1" ]
vif = [ "mac=00:16:3e:00:00:01,bridge=xenbr0" ]
`;

function cfgFile(text: string, name = 'guest.cfg'): string {
  const dir = tempDir();
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('txl create -N', () => {
  it('prints the libxl JSON with memory in KiB and the devices', () => {
    const r = txl(['create', '-N', cfgFile(PV)]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.c_info).toMatchObject({ type: 'pv', name: 'web1' });
    expect(j.b_info.max_memkb).toBe(512 * 1024);
    expect(j.b_info.max_vcpus).toBe(2);
    expect(j.disks[0]).toMatchObject({ pdev_path: '/dev/vg0/web1', vdev: 'xvda' });
    expect(j.nics[0]).toMatchObject({ mac: '00:16:3e:00:00:01', bridge: 'xenbr0' });
  });

  it('applies key=value overrides after the file, and the global -N works too', () => {
    const r = txl(['-N', 'create', cfgFile(PV), 'memory=1024', 'name="db1"']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.b_info.target_memkb).toBe(1024 * 1024);
    expect(j.c_info.name).toBe('db1');
  });

  it.skipIf(!HAVE_CORPUS)('gives the same JSON as the real xl for a corpus config', () => {
    const cfg = join(CORPUS, 'libvirt-xl/test-fullvirt-pci.cfg');
    const r = txl(['create', '-N', cfg]);
    expect(r.code, r.stderr).toBe(0);
    const xl = JSON.parse(readFileSync(join(CORPUS, 'xl-dryrun/libvirt-xl/test-fullvirt-pci.json'), 'utf8'));
    expect(JSON.parse(r.stdout)).toEqual(xl);
    expect(r.stderr).toMatch(/device model override given without specific DM version/);
  });

  it('reports a config error with file:line:col, the line and exit 2', () => {
    const p = cfgFile('name = "x"\nmemory = [ 1, \n');
    const r = txl(['create', '-N', p]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${p.replace(/[.]/g, '\\.')}:\\d+:\\d+: error: `));
    expect(r.stdout).toBe('');
  });

  it('says a missing file is missing, exit 1', () => {
    const r = txl(['create', '-N', '/nonexistent/guest.cfg']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^txl: error: no such file '\/nonexistent\/guest.cfg'/m);
  });
});

describe('txl convert', () => {
  it('round-trips xl.cfg -> XML -> xl.cfg to the same libxl JSON', () => {
    const dir = tempDir();
    const cfg = cfgFile(PV);
    const xml = txl(['convert', cfg, '--to', 'xml']);
    expect(xml.code, xml.stderr).toBe(0);
    expect(xml.stdout).toMatch(/^(<!--[^]*?-->\n)?<domain type='xen'>/);
    writeFileSync(join(dir, 'g.xml'), xml.stdout);
    const back = txl(['convert', join(dir, 'g.xml'), '--to', 'xl']);
    expect(back.code, back.stderr).toBe(0);
    writeFileSync(join(dir, 'back.cfg'), back.stdout);
    const a = JSON.parse(txl(['create', '-N', cfg]).stdout);
    const b = JSON.parse(txl(['create', '-N', join(dir, 'back.cfg')]).stdout);
    // libvirt's mapping adds its own choices (nictype, on_soft_reset); what the user wrote must survive
    expect(b.c_info).toEqual(a.c_info);
    for (const k of ['max_memkb', 'target_memkb', 'max_vcpus', 'avail_vcpus', 'kernel']) expect(b.b_info[k]).toEqual(a.b_info[k]);
    expect(b.disks).toEqual(a.disks);
    expect(b.nics.map((n: { mac: string; bridge: string }) => [n.mac, n.bridge])).toEqual([['00:16:3e:00:00:01', 'xenbr0']]);
  });

  it('converts many files into --out-dir, one output each', () => {
    const src = tempDir();
    const out = tempDir();
    for (const n of ['a', 'b', 'c']) writeFileSync(join(src, `${n}.cfg`), PV.replace('web1', n));
    const r = txl(['convert', ...['a', 'b', 'c'].map((n) => join(src, `${n}.cfg`)), '--to', 'json', '-d', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['a.json', 'b.json', 'c.json']);
    expect(JSON.parse(readFileSync(join(out, 'b.json'), 'utf8')).c_info.name).toBe('b');
  });

  it('refuses several files without --out-dir (exit 2) and needs --to', () => {
    const a = cfgFile(PV);
    expect(txl(['convert', a, a, '--to', 'xml']).code).toBe(2);
    const r = txl(['convert', a]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--to/);
  });

  it('reads stdin with --from', () => {
    const r = txl(['convert', '--from', 'xl', '--to', 'json', '-'], { input: PV });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).c_info.name).toBe('web1');
  });
});

describe('txl check', () => {
  it('passes a good config with exit 0', () => {
    const r = txl(['check', cfgFile(PV)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ok \(0 errors/);
  });

  it('warns about an unknown key with a suggestion, and -o json gives data', () => {
    const p = cfgFile(PV + 'memroy = 4\n');
    const r = txl(['-o', 'json', 'check', p]);
    expect(r.code).toBe(0);
    const [rep] = JSON.parse(r.stdout);
    const d = rep.diagnostics.find((x: { message: string }) => /memroy/.test(x.message));
    expect(d).toMatchObject({ severity: 'warning', line: 8, col: 1 });
    expect(d.hint).toMatch(/memory/);
  });

  it('fails with exit 2 and the position of a syntax error', () => {
    const p = cfgFile('name = "x"\nvcpus = 2 3\n');
    const r = txl(['check', p]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/:2:\d+: error: /);
    expect(r.stdout).toMatch(/invalid \(1 error/);
  });
});

describe('virsh domxml commands', () => {
  it('domxml-from-native and domxml-to-native agree with convert', () => {
    const cfg = cfgFile(PV);
    const xml = txl(['domxml-from-native', 'xen-xl', cfg]);
    expect(xml.code, xml.stderr).toBe(0);
    expect(xml.stdout).toBe(txl(['convert', cfg, '--to', 'xml']).stdout);
    const p = join(tempDir(), 'd.xml');
    writeFileSync(p, xml.stdout);
    const native = txl(['domxml-to-native', 'xen-xl', p]);
    expect(native.code, native.stderr).toBe(0);
    expect(native.stdout).toMatch(/name = "web1"/);
  });

  it('refuses formats it does not speak', () => {
    const r = txl(['domxml-from-native', 'xen-sxpr', cfgFile(PV)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unsupported native format 'xen-sxpr'/);
  });
});

describe('the command line itself', () => {
  it('suggests the nearest command for a typo, exit 2', () => {
    const r = txl(['convrt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/convert/);
  });
  it('rejects an unknown output format', () => {
    expect(txl(['-o', 'xmlish', 'check', 'x']).code).toBe(2);
  });
});

describe('pipes', () => {
  it('a reader that closes early (txl help | true) ends txl quietly with exit 0', async () => {
    const { spawnSync } = await import('node:child_process');
    const { BIN } = await import('./support/txl.js');
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" help | true`], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(r.status).toBe(0);
  });
});
