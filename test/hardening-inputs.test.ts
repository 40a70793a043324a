// Issue 15, unbounded work and stack traces: every reader of txl, fed size-extreme and
// malformed inputs through the real binary. For each input: exit 2 (1 for a corrupt save
// image or state file, as xl), one `txl: error:` line and no stack trace, at most 64 KiB of
// output, at most 5 s and 200 MB of peak RSS (GNU time; without it, time only, and it says so).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIM_BIN } from './support/sim.js';

const dir = mkdtempSync(join(tmpdir(), 'txl-hardening-'));
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const MB = 1024 * 1024;
const CFG = 'name = "g"\ntype = "pvh"\nkernel = "/boot/vmlinuz"\nmemory = 64\n';
const file = (name: string, text: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

interface Measured { code: number; out: number; stderr: string; seconds: number; rssMb?: number }

function measure(args: string[], opts: { env?: Record<string, string>; input?: string | Buffer; home?: string } = {}): Measured {
  const home = opts.home ?? mkdtempSync(join(dir, 'home-'));
  const env: Record<string, string | undefined> = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'c'), XDG_STATE_HOME: join(home, 's'), NO_COLOR: '1', ...opts.env };
  for (const k of ['TXL_CONNECT', 'TXL_SIM_STATE', 'TXL_SIM_FAIL', 'TXL_WRITE_FAIL']) if (!opts.env?.[k]) delete env[k];
  const stats = join(home, 'time.out');
  const cmd = TIME ? [TIME, '-f', '%M %e', '-o', stats, process.execPath, SIM_BIN, ...args] : [process.execPath, SIM_BIN, ...args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd[0], cmd.slice(1), { env, input: opts.input ?? '', maxBuffer: 64 * MB, timeout: 30_000 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let rssMb: number | undefined;
  if (TIME && existsSync(stats)) {
    const [kb] = readFileSync(stats, 'utf8').trim().split('\n').pop()!.split(' ');
    rssMb = Number(kb) / 1024;
  }
  return { code: r.status ?? -1, out: r.stdout.length + r.stderr.length, stderr: r.stderr.toString('utf8'), seconds, rssMb };
}

const figures: string[] = [];
function bounded(what: string, m: Measured, code = 2): void {
  figures.push(`${what}: exit ${m.code}, ${m.out} B out, ${m.seconds.toFixed(2)} s, ${m.rssMb === undefined ? '? MB' : `${m.rssMb.toFixed(0)} MB`}`);
  expect(m.stderr, what).not.toMatch(/internal error|\n\s+at |this is a bug/);
  expect(m.stderr, what).toMatch(/^txl: error: /m);
  expect(m.code, `${what}: ${m.stderr.slice(0, 500)}`).toBe(code);
  expect(m.out, what).toBeLessThanOrEqual(64 * 1024);
  expect(m.seconds, what).toBeLessThan(5);
  if (m.rssMb !== undefined) expect(m.rssMb, what).toBeLessThan(200);
}

const nested = (open: string, n: number) => open.repeat(n);
const T = ['-c', 'test:///default'];

describe('every reader, fed extreme and malformed inputs (real binary)', () => {
  it('xl.cfg', () => {
    const cases: [string, string][] = [
      ['/dev/zero', '/dev/zero'],
      ['17 MiB file', file('big.cfg', 'a'.repeat(17 * MB))],
      ['10 MB unterminated string', file('str.cfg', 'name = "' + 'x'.repeat(10_000_000) + '\n')],
      ['1 MB of junk on one line', file('junk.cfg', '@#$%'.repeat(256 * 1024))],
      ['100k lines of errors', file('lines.cfg', 'x = \n'.repeat(100_000))],
      ['100k nested [', file('nest.cfg', 'a = ' + nested('[', 100_000))],
      ['1 MB of random bytes', file('rand.cfg', Buffer.from(Array.from({ length: MB }, (_, i) => (i * 7919 + 13) % 256)))],
    ];
    for (const [what, path] of cases) bounded(`xl.cfg ${what}`, measure([...T, 'create', '-N', path]));
    bounded('xl.cfg 17 MiB on stdin', measure([...T, 'create', '-N', '-'], { input: 'a'.repeat(17 * MB) }));
  });

  it('domain XML', () => {
    const head = "<domain type='xen'><name>a</name><memory>1024</memory><os><type>linux</type></os>";
    const cases: [string, string][] = [
      ['10 MB attribute, root not closed', file('attr.xml', `${head}<description x='${'y'.repeat(10_000_000)}'/>`)],
      ['10 MB text, root not closed', file('text.xml', `${head}<description>${'y'.repeat(10_000_000)}`)],
      ['10k unknown attributes, no name', file('attrs.xml', `<domain type='xen' ${Array.from({ length: 10_000 }, (_, i) => `a${i}='1'`).join(' ')}><memory>1</memory></domain>`)],
      ['100k nested elements', file('deep.xml', nested('<a>', 100_000))],
      ['1 MB of <', file('lt.xml', '<'.repeat(MB))],
      ['100k repeated attributes', file('dup.xml', `<domain ${"a='1' ".repeat(100_000)}/>`)],
      // an error message quoting the value: the summary line is cut as the diagnostic is
      ['1 MB memory unit', file('unit.xml', `<domain type='xen'><name>a</name><memory unit='${'Q'.repeat(MB)}'>5</memory><os><type>hvm</type></os></domain>`)],
    ];
    for (const [what, path] of cases) bounded(`XML ${what}`, measure([...T, 'create', '-N', path]));
  });

  it('libxl JSON', () => {
    const keys = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, 1]));
    const cases: [string, string][] = [
      ['10k unknown keys', file('keys.json', JSON.stringify({ c_info: { name: 'a', type: 'pv' }, ...keys }))],
      ['100k nested [', file('nest.json', nested('[', 100_000))],
      ['10 MB unterminated string', file('str.json', '{"c_info": {"name": "' + 'x'.repeat(10_000_000))],
      ['1 MB of {"a":', file('obj.json', '{"a":'.repeat(200_000))],
    ];
    for (const [what, path] of cases) bounded(`JSON ${what}`, measure([...T, 'create', '-N', path]));
  });

  it('host YAML', () => {
    const cases: [string, string][] = [
      ['cpus: 100000000', 'cpus: 100000000\n'],
      ['nodes: [{cpus: 0-2000000000}]', 'nodes: [{cpus: 0-2000000000}]\n'],
      ['memory: 99999999999t', 'memory: 99999999999t\n'],
      ['100k nested [', 'a: ' + nested('[', 100_000)],
      ['10k unknown keys', Array.from({ length: 10_000 }, (_, i) => `k${i}: 1`).join('\n')],
      ['a key given twice', 'cpus: 4\nmemory: 8g\ncpus: 8\n'],
      ['600 KiB of domains', 'domains:\n' + '  - {name: d, memory: 512, vcpus: 2}\n'.repeat(16_000)],
      ['an alias bomb', 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`).join('\n') + '\n'],
    ];
    for (const [what, text] of cases) {
      const d = mkdtempSync(join(dir, 'host-'));
      writeFileSync(join(d, 'host.yaml'), text);
      bounded(`host YAML ${what}`, measure(['-c', `test://${join(d, 'host.yaml')}`, 'list']));
    }
    bounded('host YAML /dev/zero', measure(['-c', 'test:///dev/zero', 'list']));
  });

  it('xl.conf', () => {
    const cfg = file('ok.cfg', CFG);
    for (const [what, path] of [['/dev/zero', '/dev/zero'], ['10 MB junk line', file('xl.conf', '#'.repeat(10) + '@'.repeat(10_000_000))], ['100k nested [', file('nest.conf', 'a = ' + nested('[', 100_000))]]) {
      bounded(`xl.conf ${what}`, measure([...T, 'create', '-N', cfg], { env: { TXL_XL_CONF: path } }));
    }
  });

  it('save header (a corrupt image is an operation failure, exit 1, as xl)', () => {
    const magic = Buffer.from('Xen saved domain, xl format\n \0 \r', 'latin1');
    const fixed = (optlen: number) => {
      const b = Buffer.alloc(16);
      b.writeUInt32LE(0x01020304, 0);
      b.writeUInt32LE(3, 4);
      b.writeUInt32LE(optlen, 12);
      return b;
    };
    const cases: [string, string][] = [
      ['optional data of 4 GiB', file('huge.save', Buffer.concat([magic, fixed(0xffffffff)]))],
      ['truncated header', file('trunc.save', magic.subarray(0, 20))],
      ['config length past the data', file('len.save', Buffer.concat([magic, fixed(8), Buffer.from([255, 255, 255, 255, 0, 0, 0, 0])]))],
      ['/dev/zero', '/dev/zero'],
      ['/dev/urandom', '/dev/urandom'],
    ];
    for (const [what, path] of cases) bounded(`save header ${what}`, measure([...T, 'restore', path]), 1);
  });

  it('the state file: validated when read, one line naming it (exit 1)', () => {
    for (const [what, text] of [['a domain without its fields', '{"version":1,"domains":[{"x":1}]}'], ['17 MiB', ' '.repeat(17 * MB)], ['100k nested [', nested('[', 100_000)]]) {
      const home = mkdtempSync(join(dir, 'state-'));
      const state = join(home, 'state.json');
      writeFileSync(state, text);
      const m = measure([...T, 'list'], { home, env: { TXL_SIM_STATE: state } });
      bounded(`state file ${what}`, m, 1);
      expect(m.stderr).toContain(`the simulator state ${state} is unreadable`);
    }
    if (!TIME) console.log('[hardening] /usr/bin/time not found: peak RSS not measured');
    console.log(`[hardening] figures per input:\n  ${figures.join('\n  ')}`);
  });
});

describe('diagnostics capped per file', () => {
  it('check and create -N print 20 of 30 errors and count the rest', () => {
    const cfg = file('thirty.cfg', 'name = "a"\n' + Array.from({ length: 30 }, (_, i) => `bad${i} = \n`).join(''));
    for (const args of [['check', cfg], ['create', '-N', cfg]]) {
      const r = spawnSync(process.execPath, [SIM_BIN, ...T, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      const out = r.stdout + r.stderr;
      expect(r.status, out).toBe(2);
      expect(out.match(/: error: missing value/g)?.length, out).toBe(20);
      expect(out).toContain(`${cfg}: … and 10 more diagnostics not shown\n`);
    }
  });
});

describe('inputs that are not plain files, and outputs that fail', () => {
  it('a config on /dev/stdin (a pipe, a socket) and on <(...)', () => {
    const cfg = file('pipe.cfg', CFG);
    const viaPipe = spawnSync('bash', ['-c', `cat '${cfg}' | '${process.execPath}' '${SIM_BIN}' -c test:///default create -N /dev/stdin`], { encoding: 'utf8', env: { ...process.env, HOME: dir } });
    expect([viaPipe.status, viaPipe.stderr]).toEqual([0, expect.not.stringMatching(/error/)]);
    expect(viaPipe.stdout).toContain('"name": "g"');
    const viaSocket = measure([...T, 'create', '-N', '/dev/stdin'], { input: CFG });
    expect([viaSocket.code, viaSocket.stderr]).toEqual([0, expect.not.stringMatching(/error/)]);
    const viaSubst = spawnSync('bash', ['-c', `'${process.execPath}' '${SIM_BIN}' -c test:///default create -N <(cat '${cfg}')`], { encoding: 'utf8', env: { ...process.env, HOME: dir } });
    expect([viaSubst.status, viaSubst.stderr]).toEqual([0, expect.not.stringMatching(/error/)]);
  });

  it('list > /dev/full, list >&-: one line, exit 1; list > /dev/null is fine', () => {
    const run = (redir: string) => spawnSync('bash', ['-c', `'${process.execPath}' '${SIM_BIN}' -c test:///default list ${redir}`], { encoding: 'utf8', env: { ...process.env, HOME: dir, TXL_SIM_STATE: join(dir, 'io-state.json') } });
    const full = run('> /dev/full');
    expect([full.status, full.stderr]).toEqual([1, 'txl: error: cannot write standard output: no space left on device\n']);
    const devnull = run('> /dev/null');
    expect([devnull.status, devnull.stderr]).toEqual([0, '']);
    // a program's read-write /dev/null (Python's DEVNULL, stdio 'ignore') is not a closed stdout
    const ignored = spawnSync(process.execPath, [SIM_BIN, '-c', 'test:///default', 'list'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { ...process.env, HOME: dir, TXL_SIM_STATE: join(dir, 'io-state.json') } });
    expect([ignored.status, ignored.stderr]).toEqual([0, '']);
  });

  it('list >&- typed at a terminal: one line, exit 1', () => {
    const cmd = `'${process.execPath}' '${SIM_BIN}' -c test:///default list >&-`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: { ...process.env, HOME: dir, TXL_SIM_STATE: join(dir, 'io-state.json') } });
    if (r.error) return void console.log(`skipped: no script(1) for a terminal (${r.error.message})`);
    expect([r.status, r.stdout.replace(/\r/g, '').trim()]).toEqual([1, 'txl: error: cannot write standard output: it is closed']);
  });
});

mkdirSync(dir, { recursive: true });
