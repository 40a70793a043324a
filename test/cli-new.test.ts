// txl new: the checks behind every answer, the real binary without a terminal (flags only,
// missing flags named at once, bad specs refused, files never overwritten by surprise), and
// the questions in a real terminal (tmux) answered key by key.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, tempDir, txl } from './support/inproc.js';
import { checkDisk, checkMemory, checkNetwork, checkVcpus, renderConfig, type NewAnswers } from '../src/ops/new-config.js';
import { localBridges } from '../src/ops/new.js';
import { xlcfgToModel } from '../parsers/xlcfg/to-model.js';

const dir = tempDir('txl-new-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// a private simulated host with two bridges; nothing here reads the real host's settings
mkdirSync(join(dir, 'home'));
writeFileSync(join(dir, 'host.yaml'), 'bridges: [xenbr0, br-lan]\ncpus: 4\nmemory: 8g\n');
const env = {
  HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'home'), TXL_CONNECT: `test://${join(dir, 'host.yaml')}`,
  TXL_SIM_STATE: join(dir, 'state.json'), TXL_XL_CONF: join(dir, 'xl.conf'),
};
writeFileSync(env.TXL_XL_CONF, '# empty: xl\'s built-in defaults\n');
const run = (args: string[]) => txl(args, { env });
const FULL = ['web', '--type', 'pvh', '--memory', '1G', '--vcpus', '2', '--kernel', '/boot/vmlinuz', '--ramdisk', '/boot/initrd.img',
  '--cmdline', 'root=/dev/xvda1 ro', '--disk', '/dev/vg0/web', '--disk', 'format=qcow2, vdev=xvdb, target=/srv/data.qcow2', '--network', 'xenbr0'];

describe('the checks behind each answer', () => {
  it('reads sizes as MiB or with binary units, and refuses what xl.cfg cannot say', () => {
    expect(checkMemory('512')).toEqual({ ok: true, value: 512 });
    expect(checkMemory('2G')).toEqual({ ok: true, value: 2048 });
    expect(checkMemory('1.5g')).toEqual({ ok: true, value: 1536 });
    expect(checkMemory('512MiB')).toEqual({ ok: true, value: 512 });
    for (const bad of ['', 'lots', '100k', '0', '-5']) expect(checkMemory(bad).ok).toBe(false);
    expect(checkVcpus('4')).toEqual({ ok: true, value: 4 });
    for (const bad of ['0', 'two', '1.5', '999']) expect(checkVcpus(bad).ok).toBe(false);
  });

  it('makes a path into a disk on the next free vdev, and refuses a vdev used twice', () => {
    const first = checkDisk('/dev/vg0/a', []);
    expect(first).toEqual({ ok: true, value: 'format=raw, vdev=xvda, access=rw, target=/dev/vg0/a' });
    const second = checkDisk('/srv/b.qcow2', [first.ok ? first.value : '']);
    expect(second).toEqual({ ok: true, value: 'format=qcow2, vdev=xvdb, access=rw, target=/srv/b.qcow2' });
    const clash = checkDisk('vdev=xvda, target=/x', [first.ok ? first.value : '']);
    expect(clash.ok).toBe(false);
    expect(clash.ok ? '' : clash.message).toMatch(/already xvda/);
    expect(checkDisk('/srv/install.iso', [], 'hvm')).toEqual({ ok: true, value: 'format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/srv/install.iso' });
    expect(checkDisk('rel/a.img', [], undefined, '/srv')).toMatchObject({ ok: true, value: expect.stringContaining('target=/srv/rel/a.img') });
  });

  it('gives the disk and vif readers\' own messages for bad specs', () => {
    const disk = checkDisk('vdev=xvda, format=blah, target=/x', []);
    expect(disk.ok).toBe(false);
    if (!disk.ok) {
      expect(disk.message).toMatch(/unknown value for format \(at column 19/);
      expect(disk.error?.diagnostics[0]?.col).toBe(19);
    }
    expect(checkDisk('webdisk', []).ok).toBe(false);
    expect(checkNetwork('xenbr0')).toEqual({ ok: true, value: 'bridge=xenbr0' });
    expect(checkNetwork('bridge=br0, mac=00:16:3e:00:00:01').ok).toBe(true);
    const vif = checkNetwork('bridge=br0, colour=red');
    expect(vif.ok ? '' : vif.message).toMatch(/unrecognized argument/);
    expect(checkNetwork('a bridge with spaces').ok).toBe(false);
  });

  it('renders a config that the xl.cfg reader takes, with a comment above every key', () => {
    const a: NewAnswers = {
      type: 'hvm', name: 'win', memory: 4096, vcpus: 2, firmware: 'uefi',
      disks: ['format=raw, vdev=xvda, access=rw, target=/dev/vg0/win'], networks: ['bridge=xenbr0', 'bridge=br1, mac=00:16:3e:00:00:02'],
    };
    const text = renderConfig(a);
    const m = xlcfgToModel(text, 'win.cfg');
    expect(m.warnings).toEqual([]);
    expect(m.config.c_info).toMatchObject({ name: 'win', type: 'hvm' });
    expect(m.config.b_info['type.hvm']?.bios).toBe('ovmf');
    expect(m.config.b_info.target_memkb).toBe(4096 * 1024);
    expect(m.config.nics?.map((n) => n.bridge)).toEqual(['xenbr0', 'br1']);
    const lines = text.split('\n');
    lines.forEach((l, i) => {
      if (/^\w+ = /.test(l)) expect(lines[i - 1], `comment above ${l}`).toMatch(/^# [A-Z].*\.$/);
    });
  });

  it('finds bridges by their sysfs bridge directory', () => {
    const sys = join(dir, 'sys');
    for (const [n, bridge] of [['eth0', false], ['xenbr0', true], ['br1', true]] as const) {
      mkdirSync(join(sys, n, bridge ? 'bridge' : 'statistics'), { recursive: true });
    }
    expect(localBridges(sys)).toEqual(['br1', 'xenbr0']);
    expect(localBridges(join(dir, 'no-such-dir'))).toEqual([]);
  });
});

describe('txl new without a terminal', () => {
  it('writes the whole config from flags to stdout, one txl check and create -N accept', () => {
    const r = run(['new', ...FULL]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Memory at boot, MiB\.\nmemory = 1024$/m);
    const file = join(dir, 'web.cfg');
    writeFileSync(file, r.stdout);
    const check = run(['check', file]);
    expect(check.stdout).toContain(`${file}: ok (0 errors, 0 warnings)`);
    const created = run(['create', '-N', file]);
    expect(created.code).toBe(0);
    const json = JSON.parse(created.stdout);
    expect(json.c_info).toMatchObject({ name: 'web', type: 'pvh' });
    expect(json.b_info).toMatchObject({
      max_vcpus: 2, avail_vcpus: [0, 1], target_memkb: 1024 * 1024, max_memkb: 1024 * 1024,
      kernel: '/boot/vmlinuz', ramdisk: '/boot/initrd.img', cmdline: 'root=/dev/xvda1 ro',
    });
    expect(json.disks).toEqual([
      { pdev_path: '/dev/vg0/web', vdev: 'xvda', format: 'raw', readwrite: 1 },
      { pdev_path: '/srv/data.qcow2', vdev: 'xvdb', format: 'qcow2', readwrite: 1 },
    ]);
    expect(json.nics).toEqual([{ devid: 0, bridge: 'xenbr0' }]);
  });

  it('fails at once naming every missing flag, and never waits for input', () => {
    const t0 = Date.now();
    const none = run(['new']);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^txl: error: missing NAME, --type pv\|pvh\|hvm, --memory SIZE, --kernel PATH/);
    const some = run(['new', 'web', '--type', 'pv', '--kernel', '/boot/vmlinuz']);
    expect(some.code).toBe(2);
    expect(some.stderr).toMatch(/missing --memory SIZE \(there is no terminal/);
    expect(some.stderr.split('\n')[0]).not.toMatch(/NAME|--type|--kernel/);
    // an HVM guest boots from its firmware: no kernel is missing
    const hvm = run(['new', 'win', '--type', 'hvm']);
    expect(hvm.stderr).toMatch(/missing --memory SIZE \(/);
    expect(hvm.stderr.split('\n')[0]).not.toContain('--kernel');
  });

  it('refuses a bad disk spec with the reader\'s message and a caret, writing nothing', () => {
    const out = join(dir, 'bad.cfg');
    const r = run(['new', 'web', '--type', 'pv', '--memory', '512', '--kernel', '/k', '--disk', 'vdev=xvda, format=blah, target=/x', '-f', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('command line:1:19: error: unknown value for format');
    expect(r.stderr).toContain('  vdev=xvda, format=blah, target=/x\n                    ^^^^');
    expect(existsSync(out)).toBe(false);
    // --disk takes one value and may be repeated, so NAME may come after it
    const name = run(['new', '--disk', '/srv/a.img', 'web', '--disk', '/srv/b.img', '--type', 'pv', '--memory', '512', '--kernel', '/k']);
    expect(name.code, name.stderr).toBe(0);
    expect(name.stdout).toMatch(/^name = "web"$/m);
    expect(name.stdout).toMatch(/target=\/srv\/a\.img/);
    expect(name.stdout).toMatch(/target=\/srv\/b\.img/);
    const bad = run(['new', '9', '--type', 'pv', '--memory', '512', '--kernel', '/k']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/NAME '9': not a usable domain name: .*domain id/);
    const fw = run(['new', 'g', '--type', 'pvh', '--memory', '512', '--firmware', 'uefi']);
    expect(fw.code).toBe(2);
    expect(fw.stderr).toMatch(/pvgrub32 or pvgrub64/);
  });

  it('saves to -f FILE, refuses to overwrite it without --force, replaces it with --force', () => {
    const out = join(dir, 'saved.cfg');
    const first = run(['new', 'saved', '--type', 'hvm', '--memory', '2G', '--firmware', 'uefi', '--network', 'br-lan', '-f', out]);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr).toContain(`wrote ${out}`);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^firmware = "uefi"$/m);
    expect(JSON.parse(run(['create', '-N', out]).stdout).b_info['type.hvm'].bios).toBe('ovmf');

    const again = run(['new', 'other', '--type', 'pv', '--memory', '512', '--bootloader', 'pygrub', '-f', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; not overwritten\n  hint: add --force/);
    expect(readFileSync(out, 'utf8')).toBe(text);

    const dry = run(['-N', 'new', 'other', '--type', 'pv', '--memory', '512', '--bootloader', 'pygrub', '-f', out, '--force']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^bootloader = "pygrub"$/m);
    expect(dry.stderr).toContain(`dry run: would replace ${out}`);
    expect(readFileSync(out, 'utf8')).toBe(text);

    const forced = run(['new', 'other', '--type', 'pv', '--memory', '512', '--bootloader', 'pygrub', '-f', out, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^name = "other"$/m);
    expect(run(['check', out]).code).toBe(0);
  });

  it('gives the written config as data with -o json', () => {
    const r = run(['-o', 'json', 'new', 'j', '--type', 'pv', '--memory', '256', '--firmware', 'pvgrub64']);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout);
    expect(data).toMatchObject({ name: 'j', type: 'pv', file: null, written: false });
    expect(data.config.b_info.kernel).toMatch(/\/pvgrub64\.bin$/);
    expect(data.xl_cfg).toContain('firmware = "pvgrub64"');
  });
});

// ---- a real terminal -------------------------------------------------------------------
const HAVE_TMUX = spawnSync('sh', ['-c', 'command -v tmux']).status === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quoteSh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
let sessions = 0;

/** One txl run in its own tmux server, driven by keys; its exit status lands in a file. */
class Term {
  private server = `txl-new-${process.pid}-${++sessions}`;
  private codeFile = join(dir, `code-${sessions}`);
  constructor(args: string[], redirect = '') {
    const vars = Object.entries({ ...env, NO_COLOR: '1' }).map(([k, v]) => `${k}=${quoteSh(v)}`).join(' ');
    const cmd = `env ${vars} ${quoteSh(process.execPath)} ${quoteSh(BIN)} ${args.map(quoteSh).join(' ')}${redirect}; echo $? > ${this.codeFile}; sleep 60`;
    this.tmux('new-session', '-d', '-s', 't', '-x', '150', '-y', '40', cmd);
  }
  private tmux(...a: string[]) {
    return spawnSync('tmux', ['-L', this.server, ...a], { encoding: 'utf8' });
  }
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 't').stdout;
  }
  async waitFor(re: RegExp): Promise<string> {
    for (let n = 0; n < 150; n++) {
      const s = this.screen();
      if (re.test(s)) return s;
      await sleep(100);
    }
    throw new Error(`the terminal never showed ${re}; it shows:\n${this.screen()}`);
  }
  /** Answers the question `re` (once it is on screen) with text and/or keys. */
  async answer(re: RegExp, text: string, ...keys: string[]): Promise<void> {
    await this.waitFor(re);
    if (text) this.tmux('send-keys', '-t', 't', '-l', text);
    if (keys.length) this.tmux('send-keys', '-t', 't', ...keys);
    await sleep(150);
  }
  async code(): Promise<string> {
    for (let n = 0; n < 150; n++) {
      if (existsSync(this.codeFile)) {
        const c = readFileSync(this.codeFile, 'utf8').trim();
        if (c) return c;
      }
      await sleep(100);
    }
    return 'timeout';
  }
  close(): void {
    this.tmux('kill-server');
  }
}

describe.skipIf(!HAVE_TMUX)('txl new on a terminal (tmux)', () => {
  it('asks what the flags left open, re-asks a bad disk with the reader\'s message, saves a valid file', async () => {
    const out = join(dir, 'asked.cfg');
    const t = new Term(['new', '-f', out]);
    try {
      await t.answer(/Guest type/, '', 'Enter');                 // PVH, the default
      await t.answer(/Domain name \(asked\)/, 'web', 'Enter');   // the file's name is offered; typed over
      await t.answer(/Memory \(MiB.*MiB free on the host/, '2g', 'Enter');
      await t.answer(/vCPUs \(the host has 4 CPUs\)/, '2', 'Enter');
      await t.answer(/How does it boot/, '', 'Enter');           // a kernel file
      await t.answer(/Kernel \(a path/, '/boot/vmlinuz-6.1', 'Enter');
      await t.answer(/Initrd/, '', 'Enter');                     // none
      await t.answer(/Kernel command line/, '', 'Enter');        // the default
      await t.answer(/Add a disk\?/, '', 'Enter');
      await t.answer(/Disk 1 .*\/var\/lib\/xen\/images\/web\.img/, '', 'C-u');
      await t.answer(/Disk 1/, 'vdev=xvda, format=blah, target=/x', 'Enter');
      const err = await t.waitFor(/unknown value for format/);
      expect(err).toContain("unknown value for format (at column 19 of 'vdev=xvda, format=blah, target=/x')");
      await t.answer(/unknown value for format/, '', 'C-u');
      await t.answer(/Disk 1/, '/srv/web.qcow2', 'Enter');
      await t.answer(/Add another disk\?/, '', 'Enter');         // no, the default
      await t.answer(/Network interface 1[\s\S]*bridge br-lan/, '', 'Down', 'Enter');
      await t.answer(/Network interface 2/, '', 'Enter');        // no more
      expect(await t.code()).toBe('0');
      expect(t.screen()).toContain(`wrote ${out}`);
    } finally {
      t.close();
    }
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^name = "web"$/m);
    expect(text).toMatch(/^type = "pvh"$/m);
    expect(text).toMatch(/^memory = 2048$/m);
    expect(text).toMatch(/^vcpus = 2$/m);
    expect(text).toMatch(/^kernel = "\/boot\/vmlinuz-6\.1"$/m);
    expect(text).toMatch(/^cmdline = "root=\/dev\/xvda1 ro console=hvc0"$/m);
    expect(text).not.toMatch(/^ramdisk/m);
    expect(text).toContain('    "format=qcow2, vdev=xvda, access=rw, target=/srv/web.qcow2",');
    expect(text).toContain('    "bridge=br-lan",');
    expect(run(['check', out]).stdout).toContain('ok (0 errors, 0 warnings)');
  });

  it('puts the questions on stderr when the config goes to stdout', async () => {
    const out = join(dir, 'piped.cfg');
    const t = new Term(['new', 'piped', '--type', 'hvm', '--memory', '4G', '--vcpus', '2', '--network', 'xenbr0'], ` > ${quoteSh(out)}`);
    try {
      await t.answer(/Firmware/, '', 'Down', 'Enter');           // UEFI
      await t.answer(/Add a disk\?/, 'n', 'Enter');
      expect(await t.code()).toBe('0');
    } finally {
      t.close();
    }
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('# piped: a domain config')).toBe(true);
    expect(text).not.toMatch(/Firmware|disk\?/);
    expect(text).toMatch(/^firmware = "uefi"$/m);
    expect(text).not.toMatch(/^disk/m);
  });

  it('asks before replacing a file ("n" is exit 130), and Ctrl-C writes nothing', async () => {
    const out = join(dir, 'kept.cfg');
    writeFileSync(out, 'name = "kept"\n');
    const no = new Term(['new', 'x', '--type', 'pv', '--memory', '512', '--kernel', '/k', '-f', out]);
    try {
      await no.answer(/already exists\. Replace it\?/, 'n', 'Enter');
      expect(await no.code()).toBe('130');
    } finally {
      no.close();
    }
    expect(readFileSync(out, 'utf8')).toBe('name = "kept"\n');

    const fresh = join(dir, 'never.cfg');
    const c = new Term(['new', '-f', fresh]);
    try {
      await c.answer(/Guest type/, '', 'Enter');
      await c.answer(/Domain name/, '', 'C-c');
      expect(await c.code()).toBe('130');
      expect(c.screen()).toContain('cancelled; nothing was written');
    } finally {
      c.close();
    }
    expect(existsSync(fresh)).toBe(false);

    const yes = new Term(['new', 'x', '--type', 'pv', '--memory', '512', '--kernel', '/k', '--disk', '/srv/x.img', '--network', 'xenbr0', '-f', out]);
    try {
      await yes.answer(/already exists\. Replace it\?/, 'y', 'Enter');
      await yes.answer(/vCPUs/, '', 'Enter');
      await yes.answer(/Initrd/, '', 'Enter');
      await yes.answer(/Kernel command line/, '', 'BSpace', 'Enter'); // none
      expect(await yes.code()).toBe('0');
    } finally {
      yes.close();
    }
    const replaced = readFileSync(out, 'utf8');
    expect(replaced).toMatch(/^name = "x"$/m);
    expect(replaced).not.toMatch(/^cmdline/m);
  });
});
