// txl never widens what listens on the network. VNC and SPICE listen where the config says,
// else where libxl puts them (127.0.0.1): no writer adds an address the input did not have.
// Migration goes over the transport's pipes and consoles over files and xenconsole: neither
// opens a server socket, proven by running them under a trap on net.Server#listen.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseDomainText, writeDomain, type Format } from '../src/formats.js';
import type { DomainConfig } from '../src/core/model.js';
import { CORPUS, HAVE_CORPUS, tempDir } from './support/txl.js';
import { guestJson, SIM_BIN, simHost } from './support/sim.js';

/** Every address a config asks VNC or SPICE to listen on. */
function listens(cfg: DomainConfig): string[] {
  const h = cfg.b_info?.['type.hvm'];
  return [h?.vnc?.listen, h?.spice?.host, ...(cfg.vfbs ?? []).map((v) => v.vnc?.listen)].filter((x): x is string => x !== undefined);
}
const WILDCARDS = ['0.0.0.0', '::', '[::]'];

function corpusInputs(): string[] {
  if (!HAVE_CORPUS) return [];
  const out: string[] = [];
  for (const dir of ['libvirt-xl', 'libvirt-libxl-json', 'xen-examples']) {
    for (const f of readdirSync(join(CORPUS, dir))) out.push(join(CORPUS, dir, f));
  }
  return out.filter((f) => !f.endsWith('.md'));
}

describe.skipIf(!HAVE_CORPUS)('writers never invent a listen address (corpus)', () => {
  it('every corpus config, written as xl.cfg, XML and libxl JSON and read back, listens only where its input said', async () => {
    let read = 0;
    let withListen = 0;
    let wildcard = 0;
    let unreadable = 0;
    for (const file of corpusInputs()) {
      const text = readFileSync(file, 'utf8');
      let cfg: DomainConfig;
      try {
        cfg = (await parseDomainText(text, file)).config;
      } catch {
        continue; // the corpus holds configs txl refuses on purpose
      }
      read++;
      const want = listens(cfg);
      if (want.length) withListen++;
      for (const a of want) expect(text, `${file}: the model listens on ${a}`).toContain(a);
      if (want.some((a) => WILDCARDS.includes(a))) wildcard++;
      for (const to of ['xl', 'xml', 'json'] as Format[]) {
        const out = await writeDomain(cfg, to);
        if (!text.includes('0.0.0.0')) expect(out, `${file} as ${to}`).not.toContain('0.0.0.0');
        let back: DomainConfig;
        try {
          back = (await parseDomainText(out, `${file}.${to}`, { from: to })).config;
        } catch {
          unreadable++; // a check against this machine (vNUMA wider than its CPUs): the text check above still ran
          continue;
        }
        for (const a of listens(back)) expect(want, `${file} as ${to}: listens on ${a}`).toContain(a);
      }
    }
    console.log(`[listen] ${read} corpus configs read, ${withListen} with a listen address (${wildcard} on all interfaces), each written 3 ways (${unreadable} outputs not read back)`);
    expect(unreadable).toBeLessThan(10);
    expect(read).toBeGreaterThan(100);
    expect(withListen).toBeGreaterThan(10);
    expect(wildcard).toBeGreaterThan(5);
  });
});

describe('bin/txl: VNC and SPICE without an address are left to libxl (127.0.0.1)', { timeout: 120_000 }, () => {
  const dir = tempDir('txl-listen-');
  const cases: [string, string, RegExp | null][] = [
    ['vnc=1, no vnclisten', 'name="h"\ntype="hvm"\nmemory=256\nvnc=1\n', null],
    ['a vfb with vnc and no listen', 'name="p"\ntype="pv"\nkernel="/k"\nmemory=128\nvfb=["vnc=1"]\n', null],
    ['spice=1, no spicehost', 'name="s"\ntype="hvm"\nmemory=256\nspice=1\nspiceport=6000\nspicedisable_ticketing=1\n', null],
    ['vnclisten given', 'name="h"\ntype="hvm"\nmemory=256\nvnc=1\nvnclisten="0.0.0.0"\n', /0\.0\.0\.0/],
  ];
  it.each(cases)('%s: create -n and convert to XML and JSON', (_what, text, listen) => {
    const f = join(dir, 'g.cfg');
    writeFileSync(f, text, { mode: 0o644 });
    const run = (args: string[]) => spawnSync(process.execPath, [SIM_BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    for (const args of [['create', '-n', f], ['convert', '--to', 'xml', f], ['convert', '--to', 'json', f], ['convert', '--to', 'xl', f]]) {
      const r = run(args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      if (listen) expect(r.stdout).toMatch(listen);
      else {
        expect(r.stdout, args.join(' ')).not.toMatch(/listen|"host"|spicehost|0\.0\.0\.0|127\.0\.0\.1/);
      }
    }
  });
});

/** A module preloaded into every node process of a command (NODE_OPTIONS=--import): it logs
 * each server socket (and refuses it), each UDP bind and each child process. */
function trap(dir: string): { env: Record<string, string>; log: () => string[] } {
  const mod = join(dir, 'trap.mjs');
  const logFile = join(dir, 'trap.log');
  writeFileSync(logFile, '');
  writeFileSync(mod, `
import { appendFileSync } from 'node:fs';
import net from 'node:net';
import dgram from 'node:dgram';
import cp from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
const note = (what) => appendFileSync(${JSON.stringify(logFile)}, process.pid + ' ' + what + '\\n');
note('start ' + JSON.stringify(process.argv.slice(2)));
net.Server.prototype.listen = function (...a) {
  note('listen ' + JSON.stringify(a.filter((x) => typeof x !== 'function')));
  throw new Error('a server socket was opened');
};
dgram.Socket.prototype.bind = function () {
  note('bind');
  throw new Error('a UDP socket was bound');
};
for (const k of ['spawn', 'spawnSync', 'execFile', 'execFileSync', 'exec', 'execSync', 'fork']) {
  const f = cp[k];
  cp[k] = function (...a) {
    note(k + ' ' + JSON.stringify(a[0]));
    return f.apply(this, a);
  };
}
syncBuiltinESMExports();
`);
  return {
    env: { NODE_OPTIONS: `--import ${mod}`, TXL_TRAP_LOG: logFile },
    log: () => readFileSync(logFile, 'utf8').split('\n').filter(Boolean),
  };
}

describe('migration and consoles open no server socket (simulator, under a trap on listen)', { timeout: 180_000 }, () => {
  it('the trap itself catches a server socket (so its silence means something)', () => {
    const t = trap(tempDir('txl-trap-'));
    const r = spawnSync(process.execPath, ['-e', "require('node:net').createServer().listen(0)"], { encoding: 'utf8', env: { ...process.env, ...t.env } });
    expect(r.status).not.toBe(0);
    expect(t.log().some((l) => / listen /.test(l))).toBe(true);
  });

  it('txl migrate and the txl migrate-receive it runs: pipes and a child process only', () => {
    const h = simHost();
    expect(h.run(['create', h.file('web.json', guestJson('web', 128))]).code).toBe(0);
    const t = trap(tempDir('txl-trap-'));
    const receiver = `'${process.execPath}' '${SIM_BIN}' --connect '${h.uri}' migrate-receive`;
    const r = h.run(['migrate', '-s', '', 'web', receiver], { env: t.env });
    expect(r.code, r.stderr).toBe(0);
    const log = t.log();
    // both ends ran under the trap
    expect(log.filter((l) => / start /.test(l)).map((l) => JSON.parse(l.replace(/^\d+ start /, ''))[2])).toEqual(expect.arrayContaining(['migrate', 'migrate-receive']));
    expect(log.filter((l) => / spawn "sh"/.test(l))).toHaveLength(1);
    expect(log.filter((l) => / (listen|bind)\b/.test(l))).toEqual([]);
  });

  it('txl console (and create -c) read the console without a socket', () => {
    const h = simHost();
    const t = trap(tempDir('txl-trap-'));
    expect(h.run(['create', '-c', h.file('web.json', guestJson('web', 128))], { env: t.env }).code).toBe(0);
    const r = h.run(['console', 'web'], { env: t.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/login/);
    const log = t.log();
    expect(log.filter((l) => / start /.test(l))).toHaveLength(2);
    expect(log.filter((l) => / (listen|bind)\b/.test(l))).toEqual([]);
  });
});
