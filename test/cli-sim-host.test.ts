// Host information, managed domains, save/restore, console and the guest simulator, end to end.
import { describe, it, expect } from 'vitest';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simHost, guestJson } from './support/inproc.js';

describe('info, nodeinfo, capabilities, dmesg, uptime', () => {
  const h = simHost('name: lab1\nmemory: 8g\nnodes: [{cpus: 0-3, memory: 4g}, {cpus: 4-7, memory: 4g}]\ncores_per_socket: 4\ndom0: {memory: 1g, vcpus: 2}\nxen_version: 4.17.5\n');

  it('info prints xl\'s key : value lines in xl\'s order, with free memory accounted', () => {
    h.run(['create', h.file('g.json', guestJson('g', 1024))]);
    const r = h.run(['info']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const keys = lines.map((l) => l.slice(0, 23).trimEnd());
    expect(keys.slice(0, 5)).toEqual(['host', 'release', 'version', 'machine', 'nr_cpus']);
    expect(keys.at(-1)).toBe('xend_config_format');
    expect(lines.every((l) => /^[a-z_]+ *: ?/.test(l) && l[23] === ':')).toBe(true);
    const kv = Object.fromEntries(lines.map((l) => [l.slice(0, 23).trim(), l.slice(25)]));
    expect(kv).toMatchObject({ host: 'lab1', nr_cpus: '8', nr_nodes: '2', total_memory: '8192', free_memory: '6144', xen_version: '4.17.5', xen_extra: '.5', xen_scheduler: 'credit2' });
  });

  it('info KEY prints just the value; info -n adds topology and NUMA', () => {
    expect(h.run(['info', 'free_memory']).stdout).toBe('6144\n');
    expect(h.run(['info', 'xen_ma']).stdout).toBe('4\n');
    const n = h.run(['info', '-n']).stdout;
    expect(n).toContain('cpu_topology           :\ncpu:    core    socket     node\n  0:       0        0        0\n');
    expect(n).toMatch(/numa_info {14}:\nnode: {4}memsize {4}memfree {4}distances\n {3}0: {4} {2}4096 {5} +\d+ {6}10,20\n {3}1:/);
  });

  it('nodeinfo and capabilities', () => {
    expect(h.run(['nodeinfo']).stdout).toMatch(/^CPU model: +\S+\nCPU\(s\): {14}8\nCPU frequency: {7}2400 MHz\nCPU socket\(s\): {7}2\nCore\(s\) per socket: {2}4\nThread\(s\) per core: {2}1\nNUMA cell\(s\): {8}2\nMemory size: {9}8388608 KiB\n$/);
    const caps = h.run(['capabilities']).stdout;
    expect(caps).toMatch(/^<capabilities>/);
    expect(caps).toContain("<cells num='2'>");
    expect(caps).toContain('<os_type>hvm</os_type>');
    expect(caps).toContain('<os_type>xenpvh</os_type>');
  });

  it('dmesg shows the hypervisor\'s messages, and -c clears them', () => {
    const d = h.run(['dmesg']).stdout;
    expect(d).toContain('(XEN) Xen version 4.17.5');
    expect(d).toMatch(/\(XEN\) d1: PV domain 'g' created/);
    expect(h.run(['dmesg', '-c']).code).toBe(0);
    expect(h.run(['dmesg']).stdout).toBe('');
  });

  it('uptime in xl\'s columns, and -s', () => {
    const u = h.run(['uptime']).stdout.split('\n');
    expect(u[0]).toBe('Name                                ID Uptime');
    expect(u[1]).toMatch(/^Domain-0 {26} {3}0 {1,2}\d:\d\d:\d\d$/);
    expect(u[2]).toMatch(/^g {33} {3}1 {1,2}\d:\d\d:\d\d$/);
    expect(h.run(['uptime', '-s', 'g']).stdout).toMatch(/^ \d\d:\d\d:\d\d up {1,2}\d:\d\d, g \(1\)\n$/);
  });
});

describe('define, list --all, start, undefine', () => {
  const h = simHost();
  const file = h.file('m.json', guestJson('m', 256));

  it('define stores the config; list --all shows it shut off', () => {
    const r = h.run(['define', file]);
    expect([r.code, r.stdout]).toEqual([0, `Domain 'm' defined from ${file}\n`]);
    expect(existsSync(join(h.dir, 'managed', 'm.json'))).toBe(true);
    expect(h.run(['list']).stdout).not.toContain('\nm ');
    const all = h.run(['list', '--all']).stdout.split('\n');
    expect(all[2]).toBe('m                                            -   256     1     ------         -');
    expect(h.run(['domstate', 'm']).stdout).toBe('shut off\n');
    expect(h.run(['domid', 'm']).stdout).toBe('-\n');
    expect(h.run(['dominfo', 'm']).stdout).toMatch(/^Id: {13}-\n[\s\S]*Persistent: {5}yes\n/);
  });

  it('start runs it; starting it twice is refused', () => {
    const uuid = h.run(['domuuid', 'm']).stdout;
    expect(h.run(['start', 'm']).stdout).toBe("Domain 'm' started\n");
    expect(h.run(['domuuid', 'm']).stdout).toBe(uuid);
    const again = h.run(['start', 'm']);
    expect([again.code, again.stderr]).toEqual([1, "txl: error: domain 'm' is already running (id 1)\n"]);
    expect(h.run(['-o', 'json', 'list', '--all']).stdout).toContain('"managed": true');
  });

  it('undefine forgets the config but the domain keeps running', () => {
    expect(h.run(['undefine', 'm']).stdout).toBe("Domain 'm' has been undefined\n");
    expect(existsSync(join(h.dir, 'managed', 'm.json'))).toBe(false);
    expect(h.run(['domid', 'm']).stdout).toBe('1\n');
    const r = h.run(['undefine', 'm']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("domain 'm' is not a managed domain");
  });
});

describe('save and restore', () => {
  const h = simHost();
  h.run(['create', h.file('s.json', guestJson('s', 256))]);
  const file = join(h.dir, 's.save');

  it('save writes xl\'s header and config, then stops the domain', () => {
    const r = h.run(['save', 's', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^Saving to ${file} new xl format \\(info 0x3/0x0/\\d+\\)\n$`));
    const b = readFileSync(file);
    expect(b.subarray(0, 32).toString('latin1')).toBe('Xen saved domain, xl format\n \0 \r');
    expect(b.readUInt32LE(32)).toBe(0x01020304);
    expect(b.readUInt32LE(36)).toBe(3);
    expect(b.readUInt32LE(40)).toBe(0);
    const optlen = b.readUInt32LE(44);
    const cfglen = b.readUInt32LE(48);
    expect(optlen).toBe(4 + cfglen);
    const cfg = b.subarray(52, 52 + cfglen);
    expect(cfg[cfg.length - 1]).toBe(0);
    expect(JSON.parse(cfg.subarray(0, -1).toString()).c_info.name).toBe('s');
    expect(b.subarray(52 + cfglen).toString()).toMatch(/^TXLSIM-STREAM 1\n\{/);
    expect(h.run(['domid', 's']).code).toBe(1);
  });

  it('restore brings it back under a new domid', () => {
    const r = h.run(['restore', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Loading new save file ${file} (new xl fmt info 0x3/0x0/`);
    expect(r.stderr).toContain('Parsing config from <saved>');
    expect(h.run(['domid', 's']).stdout).toBe('2\n');
    expect(h.run(['console', 's']).stdout).toContain('resuming after restore');
  });

  it('save -c leaves it running; restoring beside it is refused by name', () => {
    expect(h.run(['save', '-c', 's', file]).code).toBe(0);
    expect(h.run(['domstate', 's']).stdout).toBe('running\n');
    const r = h.run(['restore', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('domain with name "s" already exists');
  });

  it('a file that is not a save file is refused with xl\'s words', () => {
    const bad = h.file('bad.save', 'hello, this is not a save file at all, not even close');
    const r = h.run(['restore', bad]);
    expect([r.code, r.stderr]).toEqual([1, 'txl: error: File has wrong magic number - corrupt or for a different tool?\n']);
  });
});

describe('console and sim-guest', () => {
  const h = simHost();
  h.run(['create', h.file('c.json', guestJson('c', 128, { on_crash: 'preserve' }))]);

  it('console shows the boot log', () => {
    const r = h.run(['console', 'c']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Linux version');
    expect(r.stdout).toMatch(/c login: \n$/);
  });

  it('sim-guest crash with on_crash=preserve leaves it crashed, and it shows everywhere', () => {
    expect(h.run(['sim-guest', 'c', 'crash']).code).toBe(0);
    expect(h.run(['list', 'c']).stdout).toMatch(/\nc +1 +128 +1 +---sc- /);
    expect(h.run(['domstate', '--reason', 'c']).stdout).toBe('crashed (preserved after crash (on_crash = preserve))\n');
    expect(h.run(['console', 'c']).stdout).toContain('Kernel panic');
    const bad = h.run(['sim-guest', 'c', 'explode']);
    expect(bad.code).toBe(2);
  });

  it('a reboot loop ends shut down with a clear reason', () => {
    const loop = simHost('reboot_limit: {count: 2, seconds: 60}\n');
    loop.run(['create', loop.file('l.json', guestJson('l', 128))]);
    for (let i = 0; i < 2; i++) expect(loop.run(['sim-guest', 'l', 'reboot']).code).toBe(0);
    expect(loop.run(['domid', 'l']).stdout).toBe('3\n');
    loop.run(['sim-guest', 'l', 'reboot']);
    expect(loop.run(['domstate', '--reason', 'l']).stdout).toBe('shut off (reboot loop: restarted 3 times within 60 s, left shut down)\n');
    expect(loop.run(['list', 'l']).stdout).toMatch(/\nl +3 +128 +1 +---sr- /);
  });

  it('sim-guest refuses a non-simulator connection', () => {
    writeFileSync(join(h.dir, 'x'), '');
    const r = h.run(['--connect', 'xen:///system', 'sim-guest', 'c', 'crash']);
    expect(r.code).toBe(1);
  });
});
