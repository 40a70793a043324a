// Shell completion as a user meets it: the real `txl __complete`, and the real scripts in
// completions/ loaded into a real bash (driven through COMP_WORDS and the completion function),
// zsh (a real TAB in a tmux pane) and fish (`complete -C`).
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../commands/table.js';
import { ROOT, tempDir, txl } from './support/inproc.js';

const visible = COMMANDS.filter((c) => !c.hidden);
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const PATH = `${join(ROOT, 'bin')}:${process.env.PATH}`;

function words(out: string): string[] {
  return out.split('\n').filter(Boolean).map((l) => l.split('\t')[0]);
}

/** Splits a command line the way readline does for COMP_WORDS: at blanks, and around ':' and '='. */
function compWords(line: string): string[] {
  const out: string[] = [];
  for (const token of line.split(/\s+/).filter(Boolean)) out.push(...token.split(/([:=]+)/).filter(Boolean));
  if (line === '' || /\s$/.test(line)) out.push('');
  return out;
}

/** What TAB offers in bash at the end of `line`: COMPREPLY after running _txl. */
function bashTab(line: string, opts: { cwd?: string; env?: Record<string, string> } = {}): string[] {
  const w = compWords(line);
  const script = [
    `source ${JSON.stringify(join(ROOT, 'completions/txl.bash'))}`,
    `COMP_WORDS=(${w.map((x) => `'${x.replace(/'/g, `'\\''`)}'`).join(' ')})`,
    `COMP_CWORD=${w.length - 1}`,
    `COMP_LINE='${line.replace(/'/g, `'\\''`)}'`,
    `COMP_POINT=${line.length}`,
    '_txl',
    `printf '%s\\n' "\${COMPREPLY[@]}"`,
  ].join('\n');
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, PATH, NO_COLOR: '1', ...opts.env },
    timeout: 30_000,
  });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean).sort();
}

describe('txl __complete (the protocol the scripts read)', () => {
  it('offers every visible command of the table, with its summary', () => {
    const r = txl(['__complete', '']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const got = words(r.stdout);
    for (const c of visible) expect(got).toContain(c.name);
    expect(got).toContain('help');
    const create = r.stdout.split('\n').find((l) => l.startsWith('create\t'));
    expect(create).toBe(`create\t${COMMANDS.find((c) => c.name === 'create')!.summary}`);
  });

  it("offers a command's own long options, and global options before the command", () => {
    const def = visible.find((c) => (c.options ?? []).some((o) => !o.hidden && o.flags.includes('--')))!;
    const longs = def.options!.filter((o) => !o.hidden).flatMap((o) => o.flags.match(/--[\w-]+/g) ?? []);
    expect(words(txl(['__complete', def.name, '--']).stdout).sort()).toEqual([...longs, '--help'].sort());
    const globals = words(txl(['__complete', '--']).stdout);
    expect(globals).toEqual(expect.arrayContaining(['--connect', '--output', '--dry-run', '--yes', '--quiet', '--version', '--help']));
  });

  it('completes option values, also in --opt=value form and after `help`', () => {
    expect(words(txl(['__complete', '-o', '']).stdout).sort()).toEqual(['json', 'table', 'text', 'yaml']);
    expect(words(txl(['__complete', '--output=y']).stdout)).toEqual(['--output=yaml']);
    expect(words(txl(['__complete', '-c', 'test:///d']).stdout)).toEqual(['test:///default']);
    expect(words(txl(['__complete', 'help', 'cre']).stdout)).toEqual(['create']);
    const withChoices = visible.flatMap((c) => (c.options ?? []).filter((o) => o.choices && /<.*>/.test(o.flags)).map((o) => ({ c, o })))[0];
    if (withChoices) {
      const flag = withChoices.o.flags.match(/--[\w-]+/)![0];
      expect(words(txl(['__complete', withChoices.c.name, flag, '']).stdout).sort()).toEqual([...withChoices.o.choices!].sort());
    }
  });

  it('asks the shell for config files where a command takes one', () => {
    const def = visible.find((c) => c.args[0]?.complete === 'cfgfile')!;
    expect(txl(['__complete', def.name, '']).stdout).toBe(':cfgfile\n');
  });

  it('completes nothing, silently and at once, when the connection fails', () => {
    const def = visible.find((c) => c.args.some((a) => a.complete === 'domain'));
    const name = def?.name ?? 'create';
    for (const uri of ['bogus://nowhere', 'test:///nonexistent/dir/host.yaml', 'xen:///system']) {
      const r = txl(['__complete', '-c', uri, name, '']);
      expect(r).toMatchObject({ code: 0, stdout: expect.not.stringMatching(/error/), stderr: '' });
    }
  });

  it('prints the scripts themselves through `txl completion SHELL`', () => {
    for (const [shell, file] of [['bash', 'txl.bash'], ['zsh', '_txl'], ['fish', 'txl.fish']]) {
      const r = txl(['completion', shell]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(readFileSync(join(ROOT, 'completions', file), 'utf8'));
    }
    const bad = txl(['completion', 'tcsh']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no completion for shell 'tcsh'/);
    expect(txl(['completion'], { env: { SHELL: '/usr/bin/zsh' } }).stdout).toContain('#compdef txl');
  });
});

describe.skipIf(!has('bash'))('bash, with completions/txl.bash loaded', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('txl-comp-');
    for (const f of ['web.cfg', 'db.xml', 'vm.json', 'notes.txt']) writeFileSync(join(dir, f), '');
    mkdirSync(join(dir, 'more'));
    mkdirSync(join(dir, 'plain'));
    writeFileSync(join(dir, 'plain', 'guest'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('completes command names', () => {
    expect(bashTab('txl cr')).toEqual(['create']);
    expect(bashTab('txl ')).toEqual(expect.arrayContaining(visible.map((c) => c.name)));
  });

  it('completes options, and values after ":" that bash splits into separate words', () => {
    expect(bashTab('txl -o ')).toEqual(['json', 'table', 'text', 'yaml']);
    expect(bashTab('txl --ou')).toEqual(['--output']);
    // COMP_WORDS is [txl, -c, test, :, ///d]; readline replaces only '///d'
    expect(bashTab('txl -c test:///d')).toEqual(['///default']);
    expect(bashTab('txl --output=js')).toEqual(['json']);
  });

  it('offers *.cfg, *.xml, *.json and directories for config files, and every file when none matches', () => {
    const def = visible.find((c) => c.args[0]?.complete === 'cfgfile')!;
    expect(bashTab(`txl ${def.name} `, { cwd: dir })).toEqual(['db.xml', 'more', 'plain', 'vm.json', 'web.cfg']);
    expect(bashTab(`txl ${def.name} w`, { cwd: dir })).toEqual(['web.cfg']);
    expect(bashTab(`txl ${def.name} plain/`, { cwd: dir })).toEqual(['plain/guest']);
  });

  const domainCmd = visible.find((c) => c.args[0]?.complete === 'domain');
  it.skipIf(!domainCmd)('offers live domain names and ids from the simulator named by -c', () => {
    const state = join(dir, 'sim', 'state.json');
    const env = { TXL_SIM_STATE: state };
    for (const name of ['web1', 'web2', 'db1']) {
      const cfg = join(dir, `${name}.guest`);
      writeFileSync(cfg, `name = "${name}"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 128\nvcpus = 1\ndisk = [ "vdev=xvda, target=/dev/vg/${name}" ]\n`);
      const r = txl(['-c', 'test:///default', 'create', cfg], { env });
      expect(r.stderr + r.stdout).not.toMatch(/error/);
      expect(r.code).toBe(0);
    }
    const cmd = domainCmd!.name;
    expect(bashTab(`txl -c test:///default ${cmd} web`, { env })).toEqual(['web1', 'web2']);
    expect(bashTab(`txl -c test:///default ${cmd} `, { env })).toEqual(['Domain-0', 'db1', 'web1', 'web2']);
    expect(bashTab(`txl -c test:///default ${cmd} 1`, { env })).toEqual(['1']);
    // the connection may also come from TXL_CONNECT, and --connect=URI
    expect(bashTab(`txl ${cmd} d`, { env: { ...env, TXL_CONNECT: 'test:///default' } })).toEqual(['db1']);
    expect(bashTab(`txl --connect=test:///default ${cmd} d`, { env })).toEqual(['db1']);
    // a detach command offers the devices of the domain named before it
    const detach = visible.find((c) => c.args[0]?.complete === 'domain' && c.args[1]?.complete === 'device' && /block|disk/.test(c.name));
    if (detach) expect(bashTab(`txl -c test:///default ${detach.name} web2 `, { env })).toEqual(['xvda']);
    // and a broken connection offers nothing, without a word on stderr
    expect(bashTab(`txl -c bogus:///x ${cmd} `, { env })).toEqual([]);
  });
});

describe.skipIf(!has('zsh') || !has('tmux'))('zsh, with completions/_txl on fpath (a real TAB in tmux)', () => {
  const server = `txl-test-${process.pid}`;
  const session = 'z';
  const tmux = (...args: string[]) => spawnSync('tmux', ['-L', server, ...args], { encoding: 'utf8' });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  async function screenAfter(keys: string[], expectText: RegExp): Promise<string> {
    if (keys.length) tmux('send-keys', '-t', session, '--', ...keys);
    let screen = '';
    for (let n = 0; n < 60; n++) {
      await sleep(100);
      screen = tmux('capture-pane', '-p', '-t', session).stdout;
      if (expectText.test(screen)) break;
    }
    return screen;
  }
  beforeAll(async () => {
    const zshrc = tempDir('txl-zsh-');
    writeFileSync(join(zshrc, '.zshrc'), [
      `fpath=(${join(ROOT, 'completions')} $fpath)`,
      'autoload -U compinit && compinit -u -D',
      "zstyle ':completion:*' format '%d'",
      "PS1='ready%% '",
    ].join('\n'));
    tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '40',
      `env -i HOME=${zshrc} ZDOTDIR=${zshrc} TERM=xterm PATH=${PATH} zsh -i`);
    await screenAfter([], /ready%/);
  });
  afterAll(() => tmux('kill-server'));

  it('completes a command name, then its options with descriptions', async () => {
    // tmux trims the space zsh put after the completed word
    let screen = await screenAfter(['txl cr', 'Tab'], /% txl create$/m);
    expect(screen).toMatch(/% txl create$/m);
    const create = COMMANDS.find((c) => c.name === 'create')!;
    screen = await screenAfter(['--', 'Tab'], /--paused/);
    for (const o of create.options!.filter((o) => !o.hidden && o.flags.includes('--'))) {
      expect(screen).toContain(o.flags.match(/--[\w-]+/)![0]);
    }
    expect(screen).toContain(create.options!.find((o) => o.flags.includes('--paused'))!.summary);
    tmux('send-keys', '-t', session, 'C-u');
  });
});

describe.skipIf(!has('fish'))('fish, with completions/txl.fish sourced', () => {
  const fishTab = (line: string) => {
    const r = spawnSync('fish', ['--no-config', '-c', `source ${join(ROOT, 'completions/txl.fish')}; complete -C ${JSON.stringify(line)}`], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, PATH },
    });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  };
  it('completes commands with their summaries and option values', () => {
    expect(fishTab('txl cr')).toEqual([`create\t${COMMANDS.find((c) => c.name === 'create')!.summary}`]);
    expect(fishTab('txl -o ').sort()).toEqual(['json', 'table', 'text', 'yaml']);
  });
});

describe('completions() for argument kinds the table may use (fake backend)', async () => {
  const { completions } = await import('../src/cli/complete.js');
  const { defineCommand } = await import('../src/command.js');
  const run = async () => undefined;
  const commands = [
    defineCommand({ name: 'block-detach', summary: 's', family: 'xl', group: 'devices', modifies: true, run,
      args: [{ name: 'domain', summary: 'd', complete: 'domain' }, { name: 'devid', summary: 'd', complete: 'device' }] }),
    defineCommand({ name: 'network-detach', summary: 's', family: 'xl', group: 'devices', modifies: true, run,
      args: [{ name: 'domain', summary: 'd', complete: 'domain' }, { name: 'devid', summary: 'd', complete: 'device' }] }),
    defineCommand({ name: 'cpupool-destroy', summary: 's', family: 'xl', group: 'host', modifies: true, run,
      args: [{ name: 'pool', summary: 'p', complete: 'cpupool' }] }),
    defineCommand({ name: 'start', summary: 's', family: 'virsh', group: 'lifecycle', modifies: true, run,
      args: [{ name: 'name', summary: 'n', complete: 'managed' }] }),
    defineCommand({ name: 'make', summary: 's', family: 'xl', group: 'lifecycle', modifies: true, run,
      args: [{ name: 'file', summary: 'f', variadic: true, complete: 'cfgkey' }],
      options: [{ flags: '-j, --jobs <n>', summary: 'n', type: 'number' }] }),
  ];
  const dom = (domid: number, name: string) => ({ domid, name, state: 'running', current_memkb: 262144 });
  const backend = {
    uri: 'test:///fake', kind: 'test', close: async () => {},
    listDomains: async () => [dom(0, 'Domain-0'), dom(7, 'web')],
    listManaged: async () => [{ name: 'web' }, { name: 'spare' }],
    listCpupools: async () => [{ poolid: 0, pool_name: 'Pool-0', sched: 'credit2', n_dom: 2, cpumap: [0, 1] }, { poolid: 1, pool_name: 'batch', sched: 'credit2', n_dom: 0, cpumap: [2] }],
    resolve: async (ref: string) => (ref === 'web' || ref === '7' ? 7 : Promise.reject(new Error('no domain'))),
    listDevices: async (_domid: number, kind: string) =>
      kind === 'disk' ? [{ devid: 51712, config: { vdev: 'xvda', pdev_path: '/dev/vg/web' } }]
        : kind === 'nic' ? [{ devid: 0, config: { mac: '00:16:3e:00:00:01', bridge: 'xenbr0' } }] : [],
  };
  const opened: (string | undefined)[] = [];
  const open = async (uri?: string) => (opened.push(uri), backend as never);
  const ask = async (w: string[], env: NodeJS.ProcessEnv = {}) => (await completions(w, { commands, env, open })).candidates.map((c) => c.value);

  it('completes device ids of the domain named earlier, by the command\'s device kind', async () => {
    expect(await ask(['block-detach', 'web', ''])).toEqual(['xvda']);
    expect(await ask(['block-detach', 'web', '5'])).toEqual(['51712']);
    expect(await ask(['network-detach', '7', ''])).toEqual(['0']);
    expect(await ask(['block-detach', 'nosuch', ''])).toEqual([]);
  });

  it('completes cpupool names and managed domains, through the connection on the line', async () => {
    opened.length = 0;
    expect(await ask(['-c', 'test:///x', 'cpupool-destroy', ''])).toEqual(['Pool-0', 'batch']);
    expect(await ask(['start', 's'], { TXL_CONNECT: 'test:///env' })).toEqual(['spare']);
    expect(opened).toEqual(['test:///x', 'test:///env']);
  });

  it('completes a config file first, then xl.cfg keys and their values', async () => {
    const first = await completions(['make', ''], { commands, open });
    expect(first).toEqual({ candidates: [], directive: 'cfgfile' });
    const keys = await completions(['make', '-j', '2', 'g.cfg', 'mem'], { commands, open });
    expect(keys.candidates.map((c) => c.value)).toEqual(['memory=']);
    expect(keys.nospace).toBe(true);
    expect(await ask(['make', 'g.cfg', 'on_crash=re'])).toEqual(['on_crash=restart', 'on_crash=rename-restart']);
    expect(await ask(['make', 'g.cfg', 'type='])).toEqual(['type=pv', 'type=pvh', 'type=hvm']);
  });

  it('offers nothing when the backend fails', async () => {
    const failing = async () => { throw new Error('no xen'); };
    expect((await completions(['cpupool-destroy', ''], { commands, open: failing })).candidates).toEqual([]);
  });
});
