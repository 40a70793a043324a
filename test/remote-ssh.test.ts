// Remote hosts over ssh (src/remote/*, src/cli/remote.ts) against a real sshd on the loopback
// address, started here with a throw-away host key and user key; the remote txl is this
// checkout's bin/txl on the simulator (test+ssh://). Three sshd: one whose PATH has txl, one
// without txl, one with a txl of another version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { BIN, ROOT, tempDir, type Run } from './support/txl.js';
import { parseRemoteUri } from '../src/remote/uri.js';
import { localFiles, splitGlobals } from '../src/remote/argv.js';
import { remoteScript, shellQuote } from '../src/remote/forward.js';

const SSHD = '/usr/sbin/sshd';
const root = process.getuid?.() === 0;
function which(cmd: string): boolean {
  return (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, cmd)));
}
const skipReason = !existsSync(SSHD)
  ? `no ${SSHD} (apt-get install openssh-server)`
  : !which('ssh') || !which('ssh-keygen')
    ? 'no ssh or ssh-keygen on PATH (openssh-client)'
    : !root && !existsSync('/run/sshd')
      ? 'sshd needs /run/sshd, which only root can make'
      : undefined;
if (skipReason) console.warn(`test/remote-ssh.test.ts: the tests against a real sshd are skipped: ${skipReason}`);

describe('remote URIs and command lines (no ssh)', () => {
  it('parses xen+ssh and test+ssh URIs', () => {
    expect(parseRemoteUri('xen+ssh://root@dom0:2222/system')).toMatchObject({ user: 'root', host: 'dom0', port: 2222, local: 'xen:///system' });
    expect(parseRemoteUri('xen+ssh://dom0/')).toMatchObject({ user: undefined, host: 'dom0', port: undefined, local: 'xen:///system' });
    expect(parseRemoteUri('test+ssh://h/default').local).toBe('test:///default');
    expect(parseRemoteUri('test+ssh://h/srv/host.yaml').local).toBe('test:///srv/host.yaml');
    expect(parseRemoteUri('xen+ssh://[::1]:22/system')).toMatchObject({ host: '::1', port: 22 });
    expect(() => parseRemoteUri('xen+ssh://-oProxyCommand=x/system')).toThrow(/bad host/);
    expect(() => parseRemoteUri('xen+ssh://dom0/session')).toThrow(/unknown Xen connection path/);
    expect(() => parseRemoteUri('qemu+ssh://dom0/system')).toThrow(/not a remote connection URI/);
  });

  it('quotes every word for the remote shell', () => {
    expect(shellQuote('list')).toBe('list');
    expect(shellQuote("a b'c")).toBe("'a b'\\''c'");
    expect(shellQuote('$(id)')).toBe("'$(id)'");
    const script = remoteScript(['-c', 'xen:///system', 'dominfo', '; rm -rf /'], false, '1.2.3');
    expect(script).toContain("exec txl -c xen:///system dominfo '; rm -rf /'");
    expect(script).toContain("[ \"$v\" = 1.2.3 ]");
  });

  it('takes --connect out of the global options and keeps the rest', () => {
    expect(splitGlobals(['-c', 'prod', '-o', 'json', '-N', 'list', '-c'])).toEqual({ connect: 'prod', globals: ['-o', 'json', '-N'], rest: ['list', '-c'] });
    expect(splitGlobals(['--connect=x+ssh://h/', '-y', 'destroy', 'g'])).toEqual({ connect: 'x+ssh://h/', globals: ['-y'], rest: ['destroy', 'g'] });
  });

  it('sends a config file of this machine on stdin, leaves a remote path alone', () => {
    const dir = tempDir();
    const cfg = join(dir, 'g.cfg');
    writeFileSync(cfg, 'name="g"\n');
    expect(localFiles(['create', '-p', cfg, 'memory=64'])).toEqual({ words: ['create', '-p', '-', 'memory=64'], stdin: Buffer.from('name="g"\n') });
    expect(localFiles(['create', '--config=' + cfg, 'x']).words).toEqual(['create', '--config', '-', 'x']);
    expect(localFiles(['define', '/nonexistent/on/this/host.cfg'])).toEqual({ words: ['define', '/nonexistent/on/this/host.cfg'] });
    expect(() => localFiles(['create', cfg, cfg])).toThrow(/one config file/);
  });
});

describe('uri_aliases (no ssh)', () => {
  it('-c NAME, TXL_CONNECT=NAME and connect: NAME resolve through txl.yaml; the user\'s file wins', async () => {
    const { chooseUri } = await import('../src/backend/index.js');
    const dir = tempDir();
    const sys = join(dir, 'txl.yaml');
    writeFileSync(sys, 'uri_aliases:\n  sim: test:///default\n  prod: xen+ssh://root@dom0/system\n');
    mkdirSync(join(dir, 'xdg', 'txl'), { recursive: true });
    const env = { TXL_CONF: sys, HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg') };
    expect((await chooseUri('sim', env)).uri).toBe('test:///default');
    expect((await chooseUri(undefined, { ...env, TXL_CONNECT: 'prod' })).uri).toBe('xen+ssh://root@dom0/system');
    expect((await chooseUri('test:///default', env)).uri).toBe('test:///default');
    writeFileSync(join(dir, 'xdg', 'txl', 'txl.yaml'), 'connect: prod\nuri_aliases:\n  prod: test:///default\n');
    expect(await chooseUri(undefined, env)).toEqual({ uri: 'test:///default', from: join(dir, 'xdg', 'txl', 'txl.yaml') });
    await expect(chooseUri('nope', env)).rejects.toThrow("'nope' (from --connect) is neither a connection URI nor an alias (aliases: prod, sim)");
    writeFileSync(sys, 'uri_aliases: [a, b]\n');
    await expect(chooseUri('nope', env)).rejects.toThrow(/must be a mapping/);
  });

  it('TXL_CONNECT takes a URI or an alias name, nothing else', async () => {
    const { environmentProblem } = await import('../src/env.js');
    expect(environmentProblem({ TXL_CONNECT: 'prod' })).toBeUndefined();
    expect(environmentProblem({ TXL_CONNECT: 'xen+ssh://root@h/system' })).toBeUndefined();
    expect(environmentProblem({ TXL_CONNECT: 'a b' })?.message).toMatch(/TXL_CONNECT takes/);
    expect(environmentProblem({ TXL_SSH_OPTS: '-F /x' })).toBeUndefined();
  });
});

/** A port nothing listens on just now. */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Sshd { port: number; proc: ChildProcess; log: string }

describe.skipIf(Boolean(skipReason))('remote hosts over ssh (a real sshd on 127.0.0.1)', () => {
  const dir = tempDir('txl-ssh-');
  const user = userInfo().username;
  const state = join(dir, 'state');
  const daemons: Sshd[] = [];
  let good: Sshd, noTxl: Sshd, otherVersion: Sshd, second: Sshd;
  let uri = '';
  const sshOpts = () => `-F ${join(dir, 'ssh_config')}`;
  const cfg = join(dir, 'g1.cfg');

  async function startSshd(name: string, path: string, simState = state): Promise<Sshd> {
    const port = await freePort();
    const conf = join(dir, `sshd_${name}`);
    const log = join(dir, `sshd_${name}.log`);
    writeFileSync(conf, [
      `HostKey ${join(dir, 'hostkey')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, `sshd_${name}.pid`)}`,
      'ListenAddress 127.0.0.1',
      'StrictModes no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      // the test's simulator state, and a HOME without the login shell's rc files
      `SetEnv PATH=${path} TXL_SIM_STATE=${simState} HOME=${join(dir, 'home')}`,
      'AcceptEnv TXL_SIM_DELAY TXL_SIM_DELAY_UNTIL',
    ].join('\n') + '\n');
    const proc = spawn(SSHD, ['-D', '-f', conf, '-p', String(port), '-E', log], { stdio: 'ignore' });
    const until = Date.now() + 10_000;
    while (!(existsSync(log) && readFileSync(log, 'utf8').includes('Server listening'))) {
      if (Date.now() > until || proc.exitCode !== null) throw new Error(`sshd did not start: ${existsSync(log) ? readFileSync(log, 'utf8') : 'no log'}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const d = { port, proc, log };
    daemons.push(d);
    return d;
  }

  beforeAll(async () => {
    if (root) mkdirSync('/run/sshd', { recursive: true });
    for (const key of ['hostkey', 'userkey', 'otherkey']) {
      const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, key)]);
      expect(r.status).toBe(0);
    }
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'userkey.pub')));
    mkdirSync(join(dir, 'home'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(BIN, join(bin, 'txl'));
    const old = join(dir, 'old');
    mkdirSync(old);
    writeFileSync(join(old, 'txl'), '#!/bin/sh\necho 0.0.9\n');
    chmodSync(join(old, 'txl'), 0o755);
    const node = dirname(process.execPath);
    good = await startSshd('good', `${bin}:${node}:/usr/bin:/bin`);
    noTxl = await startSshd('notxl', '/usr/bin:/bin');
    otherVersion = await startSshd('old', `${old}:/usr/bin:/bin`);
    // another host: its own simulator state
    second = await startSshd('second', `${bin}:${node}:/usr/bin:/bin`, join(dir, 'state2'));
    const hostKey = readFileSync(join(dir, 'hostkey.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    const otherKey = readFileSync(join(dir, 'otherkey.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    writeFileSync(join(dir, 'known_hosts'), daemons.map((d) => `[127.0.0.1]:${d.port} ${hostKey}\n`).join(''));
    writeFileSync(join(dir, 'bad_known_hosts'), daemons.map((d) => `[127.0.0.1]:${d.port} ${otherKey}\n`).join(''));
    for (const [file, known] of [['ssh_config', 'known_hosts'], ['bad_ssh_config', 'bad_known_hosts']]) {
      writeFileSync(join(dir, file), [
        'Host *',
        `  IdentityFile ${join(dir, 'userkey')}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${join(dir, known)}`,
        '  GlobalKnownHostsFile /dev/null',
        '  StrictHostKeyChecking yes',
      ].join('\n') + '\n');
    }
    writeFileSync(cfg, 'name = "g1"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 128\n');
    uri = `test+ssh://${user}@127.0.0.1:${good.port}/default`;
  }, 60_000);

  afterAll(() => {
    for (const d of daemons) d.proc.kill();
  });

  const baseEnv = (): Record<string, string> => {
    const env: Record<string, string> = { ...(process.env as Record<string, string>), NO_COLOR: '1', TXL_SSH_OPTS: sshOpts() };
    // this process's own connection and simulator must not leak into the runs
    delete env.TXL_CONNECT;
    delete env.TXL_SIM_DELAY;
    return env;
  };
  function txl(args: string[], env: Record<string, string> = {}, input = ''): Run {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input, encoding: 'utf8', env: { ...baseEnv(), ...env }, timeout: 30_000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }
  /** the same simulated host, opened here */
  const local = (args: string[]) => txl(['-c', 'test:///default', ...args], { TXL_SIM_STATE: state });
  const names = (r: Run) => (JSON.parse(r.stdout) as { name: string; cpu_time?: number; state: string }[]);
  const withoutTimes = (r: Run) => names(r).map(({ cpu_time: _t, ...d }) => d);
  const errorLines = (r: Run) => r.stderr.split('\n').filter((l) => l && !l.startsWith(' '));

  it('list over ssh is the host\'s list', () => {
    const there = txl(['-c', uri, '-o', 'json', 'list']);
    expect(there.stderr).toBe('');
    expect(there.code).toBe(0);
    expect(withoutTimes(there)).toEqual(withoutTimes(local(['-o', 'json', 'list'])));
    const text = txl(['-c', uri, 'list']);
    expect(text.stdout).toMatch(/^Name +ID +Mem VCPUs\tState\tTime\(s\)\nDomain-0 +0 /);
  }, 30_000);

  it('create (the config file sent from here), -N, destroy: as on the host itself', () => {
    const dry = txl(['-c', uri, '-N', 'create', cfg]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('"name": "g1"');
    expect(names(local(['-o', 'json', 'list'])).map((d) => d.name)).not.toContain('g1');

    const made = txl(['-c', uri, 'create', '-p', cfg]);
    expect(made.code, made.stderr).toBe(0);
    const g1 = names(local(['-o', 'json', 'list'])).find((d) => d.name === 'g1');
    expect(g1?.state).toBe('paused');
    // completion of the remote's domain names
    const completed = txl(['__complete', '-c', uri, 'destroy', 'g']);
    expect(completed.stdout.split('\n').map((l) => l.split('\t')[0])).toContain('g1');

    const gone = txl(['-c', uri, '-y', 'destroy', 'g1']);
    expect(gone.code, gone.stderr).toBe(0);
    expect(names(local(['-o', 'json', 'list'])).map((d) => d.name)).not.toContain('g1');
  }, 30_000);

  it('a migration between two remote hosts, run from here', () => {
    const other = `test+ssh://${user}@127.0.0.1:${second.port}/default`;
    expect(txl(['-c', uri, 'create', '-p', cfg]).code).toBe(0);
    // the first host runs `txl migrate`, which reaches the second over ssh itself
    const moved = txl(['-c', uri, 'migrate', '-s', `ssh -F ${join(dir, 'ssh_config')} -p ${second.port}`, 'g1', '127.0.0.1']);
    expect(moved.code, moved.stderr).toBe(0);
    expect(names(txl(['-c', uri, '-o', 'json', 'list'])).map((d) => d.name)).not.toContain('g1');
    expect(names(txl(['-c', other, '-o', 'json', 'list'])).map((d) => d.name)).toContain('g1');
    expect(txl(['-c', other, 'destroy', 'g1']).code).toBe(0);
  }, 40_000);

  it('the remote txl\'s errors and exit codes come back as they are; words reach it unchanged', () => {
    const canary = join(dir, 'canary');
    const r = txl(['-c', uri, 'dominfo', `x'; touch ${canary}; '$(touch ${canary})`]);
    expect(r.code).toBe(1);
    expect(errorLines(r)).toHaveLength(1);
    expect(r.stderr).toMatch(/no domain/);
    expect(existsSync(canary)).toBe(false);
    const usage = txl(['-c', uri, 'list', '--no-such-option']);
    expect(usage.code).toBe(2);
  }, 30_000);

  it('aliases: -c NAME and TXL_CONNECT=NAME from uri_aliases in txl.yaml; an unknown name lists them', () => {
    const conf = join(dir, 'txl.yaml');
    writeFileSync(conf, `uri_aliases:\n  lab: ${uri}\n  sim: test:///default\n`);
    const byFlag = txl(['-c', 'lab', '-o', 'json', 'list'], { TXL_CONF: conf });
    expect(byFlag.code, byFlag.stderr).toBe(0);
    expect(names(byFlag)[0].name).toBe('Domain-0');
    const byEnv = txl(['-o', 'json', 'list'], { TXL_CONF: conf, TXL_CONNECT: 'lab' });
    expect(byEnv.code, byEnv.stderr).toBe(0);
    const unknown = txl(['-c', 'prod', 'list'], { TXL_CONF: conf });
    expect(unknown.code).toBe(1);
    expect(errorLines(unknown)).toEqual(["txl: error: 'prod' (from --connect) is neither a connection URI nor an alias (aliases: lab, sim)"]);
  }, 30_000);

  it('a wrong host key: one line, exit 255, nothing done', () => {
    const r = txl(['-c', uri, 'create', '-p', cfg], { TXL_SSH_OPTS: `-F ${join(dir, 'bad_ssh_config')}` });
    expect(r.code).toBe(255);
    expect(errorLines(r)).toEqual(['txl: error: cannot connect to 127.0.0.1: Host key verification failed.']);
    expect(names(local(['-o', 'json', 'list'])).map((d) => d.name)).not.toContain('g1');
  }, 30_000);

  it('no sshd listening, no txl on the remote, another txl version, no ssh here: one line each', () => {
    const refused = txl(['-c', `test+ssh://${user}@127.0.0.1:1/default`, 'list']);
    expect(refused.code).toBe(255);
    expect(errorLines(refused)).toEqual([expect.stringMatching(/^txl: error: cannot connect to 127\.0\.0\.1: .*Connection refused/)]);

    const none = txl(['-c', `test+ssh://${user}@127.0.0.1:${noTxl.port}/default`, 'list']);
    expect(none.code).toBe(127);
    expect(errorLines(none)).toEqual(['txl: error: 127.0.0.1 has no txl on its PATH (ssh connected, but \'txl\' was not found there)']);

    const old = txl(['-c', `test+ssh://${user}@127.0.0.1:${otherVersion.port}/default`, 'list']);
    expect(old.code).toBe(1);
    expect(errorLines(old)).toEqual([expect.stringMatching(/^txl: error: 127\.0\.0\.1 runs txl 0\.0\.9, this is txl \S+: both sides must run the same version$/)]);

    const noSsh = txl(['-c', uri, 'list'], { PATH: join(dir, 'home') });
    expect(noSsh.code).toBe(255);
    expect(errorLines(noSsh)).toEqual(['txl: error: cannot run ssh: no ssh client on PATH']);
  }, 30_000);

  it('a connection dropped mid-command: one line saying the remote state is unknown', async () => {
    // the remote txl holds in domain-create until the test creates `release` (after the drop)
    const release = join(dir, 'release-drop');
    const conf = join(dir, 'drop_ssh_config');
    writeFileSync(conf, `${readFileSync(join(dir, 'ssh_config'), 'utf8')}  SetEnv TXL_SIM_DELAY=domain-create:60000 TXL_SIM_DELAY_UNTIL=${release}\n`);
    const child = spawn(process.execPath, [BIN, '-c', uri, 'create', '-p', cfg], {
      cwd: ROOT,
      env: { ...baseEnv(), TXL_SSH_OPTS: `-F ${conf}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const closed = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    let remote: number[] = [];
    try {
      // the remote txl holds in domain-create: then sshd's process for this connection dies
      const until = Date.now() + 15_000;
      while (!stderr.includes('holding step') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(stderr).toContain('holding step');
      const session = childrenOf(good.proc.pid!);
      expect(session.length).toBeGreaterThan(0);
      // the remote txl among them, which outlives the connection
      remote = session.flatMap(descendantsOf);
      expect(remote.length).toBeGreaterThan(0);
      for (const pid of session) process.kill(pid, 'SIGKILL');
      const code = await closed;
      expect(code).toBe(255);
      const lines = stderr.split('\n').filter((l) => l.startsWith('txl: error'));
      expect(lines).toEqual([expect.stringMatching(/^txl: error: the connection to 127\.0\.0\.1 was lost during the command: its state on 127\.0\.0\.1 is unknown/)]);
    } finally {
      writeFileSync(release, '');
    }
    // whatever the remote did, it did whole: the domain is there complete, or not at all
    const until = Date.now() + 20_000;
    while (remote.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(remote.filter(alive), 'the remote txl did not end').toEqual([]);
    const g1 = names(local(['-o', 'json', 'list'])).filter((d) => d.name === 'g1');
    expect(g1.length).toBeLessThanOrEqual(1);
    if (g1.length) {
      expect(g1[0].state).toBe('paused');
      expect(local(['destroy', 'g1']).code).toBe(0);
    }
  }, 40_000);
});

/** The processes whose parent is pid (sshd's per-connection processes). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(p));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Every process below pid. */
function descendantsOf(pid: number): number[] {
  return childrenOf(pid).flatMap((c) => [c, ...descendantsOf(c)]);
}

/** Whether pid is a process still running (not gone, not a zombie). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
