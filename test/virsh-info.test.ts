// virsh's resource and information commands on the simulator: vcpucount, setvcpus, setmem,
// setmaxmem, vcpuinfo, schedinfo, domblkstat, domifstat, freecell, sysinfo, hostname and
// version. virsh's text, -o json, the --live/--config/--current rules and one-line errors.
import { describe, it, expect, beforeEach } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simHost, type SimHost } from './support/inproc.js';
import { ok, fails, boot } from './support/simcheck.js';
import { PVH_GUEST } from './support/guests.js';
import { parseVirshSize } from '../src/ops/virsh-mem.js';
import { readDmi, sysinfoXml, xenVersion } from '../src/ops/virsh-host.js';
import { UsageError } from '../src/core/errors.js';
import type { HostInfo } from '../src/core/backend-types.js';

const GUEST = PVH_GUEST;

const MANAGED = `name = "kept"
type = "pvh"
kernel = "/boot/vmlinuz"
memory = 256
maxmem = 512
vcpus = 1
maxvcpus = 2
`;

const json = (h: SimHost, args: string[]) => JSON.parse(ok(h, ['-o', 'json', ...args]).stdout);
/** the one error line, and nothing else on stderr */
const oneLine = (h: SimHost, args: string[], code: number, msg: RegExp) => {
  const r = fails(h, args, code, new RegExp(msg.source, msg.flags + 'm'));
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stdout).toBe('');
};

describe('vcpucount', () => {
  let h: SimHost;
  beforeEach(() => {
    h = simHost();
    boot(h, GUEST);
  });

  it("prints virsh's table, live rows only for a transient domain", () => {
    expect(ok(h, ['vcpucount', 'guest']).stdout).toBe('maximum      live           4\ncurrent      live           2\n\n');
    expect(json(h, ['vcpucount', 'guest'])).toEqual({ name: 'guest', maximum: { config: null, live: 4 }, current: { config: null, live: 2 } });
  });

  it('gives one number for a flag, in the current state unless told', () => {
    expect(ok(h, ['vcpucount', 'guest', '--maximum']).stdout).toBe('4\n\n');
    expect(ok(h, ['-q', 'vcpucount', 'guest', '--active', '--live']).stdout).toBe('2\n');
    expect(ok(h, ['-q', 'vcpucount', 'guest', '--guest']).stdout).toBe('2\n');
    expect(json(h, ['vcpucount', 'guest', '--maximum', '--current'])).toEqual({ name: 'guest', which: 'maximum', state: 'live', count: 4 });
  });

  it('refuses contradictory flags and a config a transient domain lacks, in one line', () => {
    oneLine(h, ['vcpucount', 'guest', '--maximum', '--active'], 2, /^txl: error: Options --maximum and --active are mutually exclusive$/);
    oneLine(h, ['vcpucount', 'guest', '--current', '--live'], 2, /^txl: error: Options --current and --live are mutually exclusive$/);
    oneLine(h, ['vcpucount', 'guest', '--config'], 1, /^txl: error: Requested operation is not valid: transient domains do not have any persistent config$/);
    oneLine(h, ['vcpucount', 'nope'], 1, /^txl: error: no domain 'nope'$/);
  });

  it('shows a managed domain: config rows when off, all four while it runs', () => {
    ok(h, ['define', h.file('kept.cfg', MANAGED)]);
    expect(ok(h, ['vcpucount', 'kept']).stdout).toBe('maximum      config         2\ncurrent      config         1\n\n');
    oneLine(h, ['vcpucount', 'kept', '--live'], 1, /^txl: error: Requested operation is not valid: domain is not running$/);
    ok(h, ['start', 'kept']);
    expect(ok(h, ['-q', 'vcpucount', 'kept']).stdout.split('\n').filter(Boolean)).toHaveLength(4);
  });
});

describe('setvcpus', () => {
  let h: SimHost;
  beforeEach(() => {
    h = simHost();
    boot(h, GUEST);
  });

  it('changes the online vCPUs of the running domain, silently', () => {
    expect(ok(h, ['setvcpus', 'guest', '3']).stdout).toBe('');
    expect(json(h, ['vcpucount', 'guest']).current.live).toBe(3);
    expect(json(h, ['vcpu-list', 'guest']).filter((v: { online: boolean }) => v.online)).toHaveLength(3);
  });

  it('refuses a count above the maximum, --config on a transient domain, --maximum live, a bad count', () => {
    oneLine(h, ['setvcpus', 'guest', '9'], 1, /^txl: error: invalid argument: requested vcpus is greater than max allowable vcpus for the live domain: 9 > 4$/);
    oneLine(h, ['setvcpus', 'guest', '2', '--config'], 1, /^txl: error: Requested operation is not valid: cannot change persistent config of a transient domain$/);
    oneLine(h, ['setvcpus', 'guest', '4', '--maximum'], 1, /cannot set maximum vCPUs of a running domain/);
    fails(h, ['setvcpus', 'guest', 'two'], 2, /^txl: error: Invalid number of virtual CPUs$/m);
    fails(h, ['setvcpus', 'guest', '1', '--current', '--config'], 2, /mutually exclusive/);
    expect(json(h, ['vcpucount', 'guest']).current.live).toBe(2);
  });

  it('changes the config of a managed domain, its maximum with --maximum, and the next boot has it', () => {
    ok(h, ['define', h.file('kept.cfg', MANAGED)]);
    ok(h, ['setvcpus', 'kept', '4', '--maximum']);
    ok(h, ['setvcpus', 'kept', '3']);
    expect(json(h, ['vcpucount', 'kept'])).toMatchObject({ maximum: { config: 4 }, current: { config: 3 } });
    oneLine(h, ['setvcpus', 'kept', '5', '--config'], 1, /greater than max allowable vcpus for the persistent domain: 5 > 4$/);
    ok(h, ['start', 'kept']);
    expect(json(h, ['vcpucount', 'kept'])).toEqual({ name: 'kept', maximum: { config: 4, live: 4 }, current: { config: 3, live: 3 } });
    ok(h, ['setvcpus', 'kept', '2', '--live', '--config']);
    expect(json(h, ['vcpucount', 'kept']).current).toEqual({ config: 2, live: 2 });
  });

  it('-N changes nothing', () => {
    ok(h, ['-N', 'setvcpus', 'guest', '3']);
    expect(json(h, ['vcpucount', 'guest']).current.live).toBe(2);
  });
});

describe('setmem and setmaxmem', () => {
  let h: SimHost;
  beforeEach(() => {
    h = simHost();
    boot(h, GUEST);
  });

  it("reads virsh's sizes: KiB by default, binary and decimal suffixes, bytes rounded up", () => {
    expect(parseVirshSize('524288')).toBe(524288);
    expect(parseVirshSize('512M')).toBe(524288);
    expect(parseVirshSize('512MiB')).toBe(524288);
    expect(parseVirshSize('1g')).toBe(1048576);
    expect(parseVirshSize('1GB')).toBe(976563);
    expect(parseVirshSize('1KB')).toBe(1);
    expect(parseVirshSize('1025b')).toBe(2);
    expect(parseVirshSize('2048bytes')).toBe(2);
    expect(() => parseVirshSize('1X')).toThrow(UsageError);
    expect(() => parseVirshSize('-5')).toThrow(/malformed or out of range/);
    expect(() => parseVirshSize('1MiBs')).toThrow(/unknown suffix/);
  });

  it('sets the live balloon target up to the maximum, and the maximum itself', () => {
    expect(ok(h, ['setmem', 'guest', '600M']).stdout).toBe('');
    expect(json(h, ['dominfo', 'guest']).used_memory_kib).toBe(614400);
    oneLine(h, ['setmem', 'guest', '2G'], 1, /^txl: error: invalid argument: cannot set memory higher than max memory$/);
    ok(h, ['setmaxmem', 'guest', '2097152']);
    expect(json(h, ['dominfo', 'guest']).max_memory_kib).toBe(2097152);
    ok(h, ['setmem', 'guest', '2G']);
    expect(json(h, ['dominfo', 'guest']).used_memory_kib).toBe(2097152);
  });

  it('changes the config of a managed domain; lowering its maximum lowers its memory', () => {
    oneLine(h, ['setmem', 'guest', '1024', '--config'], 1, /cannot change persistent config of a transient domain$/);
    ok(h, ['define', h.file('kept.cfg', MANAGED)]);
    ok(h, ['setmem', 'kept', '384M']);
    oneLine(h, ['setmem', 'kept', '1G', '--config'], 1, /cannot set memory higher than max memory$/);
    oneLine(h, ['setmem', 'kept', '1G', '--live'], 1, /^txl: error: Requested operation is not valid: domain is not running$/);
    ok(h, ['setmaxmem', 'kept', '200M', '--config']);
    const d = json(h, ['dominfo', 'kept']);
    expect(d.max_memory_kib).toBe(204800);
    ok(h, ['start', 'kept']);
    expect(json(h, ['dominfo', 'kept']).used_memory_kib).toBe(204800);
  });
});

describe('vcpuinfo', () => {
  it("prints virsh's block per vCPU, offline ones without a CPU; JSON rows", () => {
    const h = simHost();
    boot(h, GUEST);
    const out = ok(h, ['vcpuinfo', 'guest']).stdout;
    const blocks = out.trim().split('\n\n');
    expect(blocks).toHaveLength(4);
    expect(blocks[0]).toMatch(/^VCPU: {11}0\nCPU: {12}\d\nState: {10}(running|blocked)\nCPU time: {7}\d+\.\ds\nCPU Affinity: {3}y{8}$/);
    expect(blocks[3]).toBe('VCPU:           3\nCPU:            N/A\nState:          offline\nCPU Affinity:   yyyyyyyy');
    expect(ok(h, ['vcpuinfo', 'guest', '--pretty']).stdout).toContain('CPU Affinity:   0-7 (out of 8)');
    const rows = json(h, ['vcpuinfo', 'guest']);
    expect(rows[3]).toMatchObject({ vcpu: 3, cpu: null, state: 'offline', affinity: 'yyyyyyyy' });
    ok(h, ['vcpu-pin', 'guest', '0', '2-3']);
    expect(json(h, ['vcpuinfo', 'guest'])[0].affinity).toBe('--yy----');
    ok(h, ['define', h.file('kept.cfg', MANAGED)]);
    expect(ok(h, ['vcpuinfo', 'kept']).stdout).toContain('State:          N/A\nCPU time:       N/A');
  });
});

describe('schedinfo', () => {
  let h: SimHost;
  beforeEach(() => {
    h = simHost();
    boot(h, GUEST);
  });

  it("shows the scheduler and weight and cap as virsh does; sets them and shows the result", () => {
    expect(ok(h, ['schedinfo', 'guest']).stdout).toBe('Scheduler      : credit2\nweight         : 256\ncap            : 0\n\n');
    expect(ok(h, ['schedinfo', 'guest', '--weight', '512', '--cap', '50']).stdout).toBe('Scheduler      : credit2\nweight         : 512\ncap            : 50\n\n');
    ok(h, ['schedinfo', 'guest', '--set', 'weight=300']);
    expect(json(h, ['schedinfo', 'guest'])).toEqual({ name: 'guest', scheduler: 'credit2', weight: 300, cap: 50 });
    expect(json(h, ['sched-credit2', '-d', 'guest'])).toMatchObject({ weight: 300, cap: 50 });
  });

  it('refuses an unknown parameter, a bad value, a weight out of range and --config on a transient domain', () => {
    fails(h, ['schedinfo', 'guest', '--set', 'foo=1'], 2, /^txl: error: invalid scheduler option: foo$/m);
    fails(h, ['schedinfo', 'guest', '--set', 'weight=x'], 2, /invalid value 'x'/);
    oneLine(h, ['schedinfo', 'guest', '--weight', '0'], 1, /^txl: error: invalid argument: weight 0 is out of range \(1-65535\)$/);
    oneLine(h, ['schedinfo', 'guest', '--weight', '9', '--config'], 1, /cannot change persistent config of a transient domain$/);
  });

  it("keeps a managed domain's parameters in its config, for its next boot", () => {
    ok(h, ['define', h.file('kept.cfg', MANAGED)]);
    ok(h, ['schedinfo', 'kept', '--set', 'weight=700']);
    expect(json(h, ['schedinfo', 'kept', '--config'])).toMatchObject({ weight: 700 });
    ok(h, ['start', 'kept']);
    expect(json(h, ['schedinfo', 'kept', '--live'])).toMatchObject({ scheduler: 'credit2', weight: 700 });
  });
});

describe('domblkstat and domifstat', () => {
  let h: SimHost;
  beforeEach(() => {
    h = simHost();
    boot(h, GUEST);
  });

  it("prints a disk's counters by target or source, the sum without one, --human in words", () => {
    expect(ok(h, ['domblkstat', 'guest', 'xvda']).stdout).toBe('xvda rd_req 0\nxvda rd_bytes 0\nxvda wr_req 0\nxvda wr_bytes 0\nxvda errs 0\n\n');
    expect(ok(h, ['-q', 'domblkstat', 'guest', '/srv/guest.img']).stdout).toContain('/srv/guest.img rd_req 0\n');
    expect(ok(h, ['-q', 'domblkstat', 'guest']).stdout).toBe(' rd_req 0\n rd_bytes 0\n wr_req 0\n wr_bytes 0\n errs 0\n');
    const human = ok(h, ['-q', 'domblkstat', 'guest', 'xvda', '--human']).stdout.split('\n');
    expect(human[0]).toBe('Device: xvda');
    expect(human[1]).toMatch(/^ number of read operations: +0$/);
    expect(json(h, ['domblkstat', 'guest', 'xvda'])).toEqual({ name: 'guest', device: 'xvda', devices: ['xvda'], rd_req: 0, rd_bytes: 0, wr_req: 0, wr_bytes: 0, errs: 0 });
    oneLine(h, ['domblkstat', 'guest', 'xvdz'], 1, /^txl: error: invalid argument: invalid path: xvdz$/);
  });

  it("prints an interface's counters by name or MAC", () => {
    expect(ok(h, ['-q', 'domifstat', 'guest', 'vif1.0']).stdout).toBe(
      ['rx_bytes', 'rx_packets', 'rx_errs', 'rx_drop', 'tx_bytes', 'tx_packets', 'tx_errs', 'tx_drop'].map((k) => `vif1.0 ${k} 0\n`).join(''));
    expect(json(h, ['domifstat', 'guest', '00:16:3E:00:00:01'])).toMatchObject({ interface: 'vif1.0', devid: 0, rx_bytes: 0, tx_drop: 0 });
    oneLine(h, ['domifstat', 'guest', 'eth9'], 1, /^txl: error: invalid argument: invalid path, 'eth9' is not a known interface$/);
  });

  it('needs a running domain', () => {
    ok(h, ['define', h.file('kept.cfg', MANAGED)]);
    oneLine(h, ['domblkstat', 'kept'], 1, /^txl: error: Requested operation is not valid: domain is not running$/);
    oneLine(h, ['domifstat', 'kept', 'vif9.0'], 1, /domain is not running$/);
  });
});

describe('freecell, sysinfo, hostname, version', () => {
  let h: SimHost;
  beforeEach(() => {
    h = simHost();
  });

  it('freecell: the total, one cell, every cell', () => {
    const info = json(h, ['info', '-n']);
    const free = Number(info.free_memory) * 1024;
    const total = json(h, ['freecell']).total_kib;
    expect(Math.floor(total / 1024)).toBe(Math.floor(free / 1024));
    expect(ok(h, ['freecell']).stdout).toBe(`Total: ${total} KiB\n\n`);
    const all = ok(h, ['-q', 'freecell', '--all']).stdout.split('\n');
    expect(all[0]).toMatch(/^ {4}0: +\d+ KiB$/);
    expect(all.at(-3)).toBe('-'.repeat(20));
    expect(all.at(-2)).toBe(`Total: ${String(total).padStart(10)} KiB`);
    expect(ok(h, ['-q', 'freecell', '--cellno', '1']).stdout).toMatch(/^1: \d+ KiB\n$/);
    expect(json(h, ['freecell', '--all']).cells).toHaveLength(info.numa_info.length);
    oneLine(h, ['freecell', '--cellno', '9'], 1, /^txl: error: invalid argument: NUMA cell 9 does not exist$/);
    fails(h, ['freecell', '--all', '--cellno', '0'], 2, /mutually exclusive/);
  });

  it('sysinfo: SMBIOS XML (simulated here), and from a dmi directory as on Xen', () => {
    const out = ok(h, ['sysinfo']).stdout;
    expect(out).toMatch(/^<sysinfo type='smbios'>\n {2}<bios>\n {4}<entry name='vendor'>txl simulator<\/entry>/);
    expect(out).toContain('</sysinfo>\n');
    expect(json(h, ['sysinfo'])).toMatchObject({ type: 'smbios', source: 'simulated', system: { manufacturer: 'txl simulator' } });
    const dir = mkdtempSync(join(tmpdir(), 'txl-dmi-'));
    mkdirSync(join(dir, 'product_serial')); // unreadable as a file: left out
    writeFileSync(join(dir, 'sys_vendor'), 'QEMU & Co\n');
    writeFileSync(join(dir, 'bios_date'), '04/01/2014\n');
    const { xml, data } = sysinfoXml(readDmi(dir));
    expect(xml).toBe("<sysinfo type='smbios'>\n  <bios>\n    <entry name='date'>04/01/2014</entry>\n  </bios>\n  <system>\n    <entry name='manufacturer'>QEMU &amp; Co</entry>\n  </system>\n</sysinfo>\n");
    expect(data).toEqual({ bios: { date: '04/01/2014' }, system: { manufacturer: 'QEMU & Co' } });
  });

  it("hostname and version: the host's name, txl's version and Xen's", () => {
    const info = json(h, ['info']);
    expect(ok(h, ['hostname']).stdout).toBe(`${info.host}\n\n`);
    expect(json(h, ['hostname'])).toEqual({ hostname: info.host });
    const lines = ok(h, ['-q', 'version']).stdout.split('\n');
    expect(lines[0]).toMatch(/^Compiled against library: txl \d+\.\d+\.\d+/);
    expect(lines[1]).toMatch(/^Using library: txl /);
    expect(lines[2]).toMatch(/^Using API: Xen /);
    expect(lines[3]).toBe(`Running hypervisor: Xen ${info.xen_major}.${info.xen_minor}.${String(info.xen_extra).replace(/^\./, '')}`);
    expect(json(h, ['version'])).toMatchObject({ library: 'txl', hypervisor: 'Xen', hypervisor_version: `${info.xen_major}.${info.xen_minor}.${String(info.xen_extra).replace(/^\./, '')}` });
  });

  it("xenVersion: the release from xen_extra, 0 when it has none", () => {
    const h4 = (extra: string) => ({ version_info: { xen_version_major: 4, xen_version_minor: 17, xen_version_extra: extra } }) as unknown as HostInfo;
    expect(xenVersion(h4('.3'))).toBe('4.17.3');
    expect(xenVersion(h4('-unstable'))).toBe('4.17.0');
    expect(xenVersion(h4('.1-pre'))).toBe('4.17.1');
  });
});
