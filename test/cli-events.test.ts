// events, top and domstats through the real binary on a private simulated host.
import { describe, it, expect, beforeEach } from 'vitest';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
// the commands that change the host, and domstats, run in this process; events and top, whose
// subject is a process that waits, watches or ends by itself, in bin/txl
import { SIM_BIN, simHost, type SimHost } from './support/inproc.js';
import { PVH_GUEST_NO_NET } from './support/guests.js';

// no fixed MAC: a second domain is created from the same text
const GUEST = `${PVH_GUEST_NO_NET}vif = [ "bridge=xenbr0" ]
`;

function ok(h: SimHost, args: string[], run = (a: string[]) => h.run(a)) {
  const r = run(args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

function hostEnv(h: SimHost): Record<string, string> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...h.env };
  for (const k of Object.keys(env)) if (env[k] === '' && k.startsWith('TXL_')) delete env[k];
  return env;
}

/** The command line in a bin/txl of its own, stdin empty. */
function spawned(h: SimHost, args: string[]) {
  const r = spawnSync(process.execPath, [SIM_BIN, '--connect', h.uri, ...args], { cwd: h.dir, input: '', encoding: 'utf8', env: hostEnv(h), timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const okSpawned = (h: SimHost, args: string[]) => ok(h, args, (a) => spawned(h, a));

interface Live { p: ChildProcessWithoutNullStreams; out: () => string; err: () => string; done: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }

/**
 * Starts `txl -v events ...` and resolves once it says it is listening and has read where the
 * events stand: the start of its second transaction (its first poll, announced by a hold of
 * 0 ms) comes after the first, that read. A change made before that read would not be news to it.
 */
async function listen(h: SimHost, args: string[]): Promise<Live> {
  // events reads where the events stand in its first transaction after the domain's look-up
  // (if one is named); the change the test makes must come after that read, so the test
  // waits until the transaction after it begins (held 0 ms: only to be told)
  const named = args.some((a, i) => !a.startsWith('-') && !(i > 0 && /^--(count|timeout|since)$/.test(args[i - 1])));
  const after = named ? 3 : 2;
  const p = spawn(process.execPath, [SIM_BIN, '--connect', h.uri, '-v', 'events', ...args], { cwd: h.dir, env: { ...hostEnv(h), TXL_SIM_DELAY: `transaction:${after}:0` } });
  let out = '';
  let err = '';
  p.stdout.on('data', (c) => (out += c));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => p.on('close', (code, signal) => r({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`events did not start: ${err}`)), 20_000);
    p.stderr.on('data', (c) => {
      err += c;
      if (err.includes('listening for events') && err.includes(`holding step 'transaction:${after}'`)) (clearTimeout(t), resolve());
    });
    p.on('close', () => (clearTimeout(t), reject(new Error(`events ended early: ${err}`))));
  });
  return { p, out: () => out, err: () => err, done };
}

describe('events', () => {
  let h: SimHost;
  beforeEach(() => {
    h = simHost();
    ok(h, ['create', h.file('guest.cfg', GUEST)]);
  });

  it('prints one line per state change as it happens, and stops after --count', async () => {
    const ev = await listen(h, ['--count', '4', '--timeout', '30']);
    ok(h, ['pause', 'guest']);
    ok(h, ['unpause', 'guest']);
    ok(h, ['mem-set', 'guest', '768m']);
    ok(h, ['destroy', 'guest']);
    const { code } = await ev.done;
    expect(code).toBe(0);
    const lines = ev.out().trim().split('\n');
    expect(lines.map((l) => l.split(' ').slice(1, 4).join(' '))).toEqual(['pause guest 1', 'unpause guest 1', 'memory guest 1', 'destroy guest 1']);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z pause guest 1$/);
    expect(lines[2]).toMatch(/ memory guest 1 target 786432 KiB$/);
    expect(ev.err()).not.toMatch(/error|warning/i);
  });

  it('prints one JSON object per line with --json, for one domain only if asked', async () => {
    ok(h, ['create', h.file('other.cfg', GUEST.replace('"guest"', '"other"'))]);
    const ev = await listen(h, ['--json', '--count', '2', '--timeout', '30', 'guest']);
    ok(h, ['pause', 'other']);
    ok(h, ['block-attach', 'guest', 'vdev=xvdb,target=/srv/b.img']);
    ok(h, ['pause', 'guest']);
    await ev.done;
    const events = ev.out().trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => [e.type, e.name, e.domid])).toEqual([['device-attach', 'guest', 1], ['pause', 'guest', 1]]);
    expect(events[0]).toMatchObject({ detail: 'disk xvdb', uuid: h.state().domains[1].uuid });
    expect(events[1].seq).toBeGreaterThan(events[0].seq);
    expect(typeof events[0].time).toBe('number');
  });

  it('replays kept events with --since, and -o yaml gives YAML documents', () => {
    const r = okSpawned(h, ['events', '--since', '0', '--count', '1', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ seq: 1, type: 'create', name: 'guest', domid: 1 });
    const y = okSpawned(h, ['-o', 'yaml', 'events', '--since', '0', '--count', '1']);
    expect(y.stdout).toMatch(/^---\nseq: 1\ntime: \d+\ntype: create\ndomid: 1\nname: guest\n/);
  });

  it('ends cleanly at --timeout, on SIGINT and on SIGTERM', async () => {
    const t0 = Date.now();
    const r = okSpawned(h, ['events', '--timeout', '1']);
    expect(r.stdout).toBe('');
    expect(Date.now() - t0).toBeLessThan(15_000);
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      const ev = await listen(h, []);
      ev.p.kill(sig);
      const { code } = await ev.done;
      expect(code, `${sig}: ${ev.err()}`).toBe(0);
      expect(ev.err()).not.toMatch(/error/i);
    }
  });

  it('ends cleanly when the reader of its pipe goes away', async () => {
    const ev = await listen(h, ['--timeout', '30']);
    ok(h, ['pause', 'guest']);
    await new Promise<void>((r) => {
      const check = () => (ev.out().includes('pause') ? r() : setTimeout(check, 50));
      check();
    });
    ev.p.stdout.destroy();
    ok(h, ['unpause', 'guest']);
    ok(h, ['pause', 'guest']);
    const { code } = await ev.done;
    expect(code).toBe(0);
    expect(ev.err()).not.toMatch(/internal error|EPIPE/);
  });

  it('rejects bad numbers', () => {
    for (const a of [['--count', 'x'], ['--timeout', '-1'], ['--count', '1.5']]) {
      const r = h.run(['events', ...a]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/must be a/);
    }
    expect(h.run(['events', 'nope']).stderr).toMatch(/^txl: error: no domain 'nope'$/m);
  });
});

describe('top', () => {
  it("prints one xentop snapshot when not on a terminal", () => {
    const h = simHost();
    ok(h, ['create', h.file('guest.cfg', GUEST)]);
    ok(h, ['block-attach', 'guest', 'vdev=xvdb,target=/srv/b.img']);
    const lines = okSpawned(h, ['top']).stdout.split('\n');
    expect(lines[0]).toBe('      NAME  STATE   CPU(sec) CPU(%)     MEM(k) MEM(%)  MAXMEM(k) MAXMEM(%) VCPUS NETS NETTX(k) NETRX(k) VBDS   VBD_OO   VBD_RD   VBD_WR  VBD_RSECT  VBD_WSECT SSID');
    expect(lines[1]).toMatch(/^ {2}Domain-0 -----r +\d+ +0\.0 +2097152 +12\.5 +2097152 +12\.5 +4 +0 +0 +0 +0 +0 +0 +0 +0 +0 +0$/);
    expect(lines[2]).toMatch(/^ {5}guest --b--- +\d+ +0\.0 +524288 +3\.1 +1048576 +6\.2 +2 +1 +0 +0 +2 +0 +0 +0 +0 +0 +0$/);
    expect(lines[1]).toHaveLength(lines[0].length);
    expect(lines.slice(3)).toEqual(['']);
    const rows = JSON.parse(okSpawned(h, ['-o', 'json', 'top']).stdout);
    expect(rows[1]).toMatchObject({ domid: 1, name: 'guest', state: '--b---', mem_kb: 524288, maxmem_kb: 1048576, vcpus: 2, nets: 1, vbds: 2 });
    ok(h, ['pause', 'guest']);
    expect(okSpawned(h, ['top', '-b', '-i', '2', '-d', '0.2']).stdout.match(/^ +NAME /gm)).toHaveLength(2);
    expect(okSpawned(h, ['top']).stdout).toMatch(/^ {5}guest ----p- /m);
    expect(spawned(h, ['top', '-d', '0']).code).toBe(2);
  });
});

describe('domstats', () => {
  it('gives memory target, actual and balloon progress, vCPU times, shadow memory and the domid', () => {
    const h = simHost();
    ok(h, ['create', h.file('guest.cfg', GUEST)]);
    ok(h, ['mem-set', 'guest', '768m']);
    const text = ok(h, ['domstats', 'guest']).stdout;
    const shadow = h.state().domains[1].shadow_kb;
    expect(text).toMatch(
      new RegExp(
        "^Domain: 'guest'\\n  domid=1\\n  state\\.state=1\\n  cpu\\.time=\\d+\\n  balloon\\.target=786432\\n  balloon\\.current=786432\\n" +
          `  balloon\\.maximum=1048576\\n  balloon\\.progress=100\\.0\\n  memory\\.shadow=${shadow}\\n  vcpu\\.current=2\\n  vcpu\\.maximum=4\\n` +
          '  vcpu\\.0\\.state=1\\n  vcpu\\.0\\.time=\\d+\\n  vcpu\\.1\\.state=1\\n  vcpu\\.1\\.time=\\d+\\n  vcpu\\.2\\.state=0\\n  vcpu\\.2\\.time=0\\n  vcpu\\.3\\.state=0\\n  vcpu\\.3\\.time=0\\n' +
          // the simulated guest does no I/O: its devices are listed with virsh's keys, at 0
          '  net\\.count=1\\n  net\\.0\\.name=vif1\\.0\\n  net\\.0\\.rx\\.bytes=0\\n(?:  net\\.0\\.[rt]x\\.\\w+=0\\n){7}' +
          '  block\\.count=1\\n  block\\.0\\.name=xvda\\n  block\\.0\\.rd\\.reqs=0\\n(?:  block\\.0\\.[\\w.]+=0\\n){4}\\n$',
      ),
    );
    expect(shadow).toBeGreaterThan(0);
    const [s] = JSON.parse(ok(h, ['-o', 'json', 'domstats', '1']).stdout);
    expect(s).toMatchObject({ domid: 1, name: 'guest', memory: { target_kb: 786432, actual_kb: 786432, max_kb: 1048576, balloon_done: 1 }, shadow_kb: shadow, vcpu_max: 4 });
    expect(s.vcpus).toHaveLength(4);
    expect(s.net).toEqual([expect.objectContaining({ devid: 0, name: 'vif1.0', rx_bytes: 0, tx_bytes: 0 })]);
    expect(s.block).toEqual([expect.objectContaining({ devid: 51712, name: 'xvda', rd_reqs: 0, wr_sectors: 0 })]);
    const all = JSON.parse(ok(h, ['-o', 'json', 'domstats']).stdout);
    expect(all.map((x: { name: string }) => x.name)).toEqual(['Domain-0', 'guest']);
    ok(h, ['pause', 'guest']);
    expect(ok(h, ['domstats', 'guest']).stdout).toContain('  state.state=3\n');
    const r = h.run(['domstats', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^txl: error: no domain 'nope'$/m);
  });
});
