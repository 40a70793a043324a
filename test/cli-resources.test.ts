// vcpu-list, vcpu-set, vcpu-pin, sched-credit(2), mem-set, mem-max, cpupool-list through the
// real binary on a private simulated host: xl's text, JSON fields, state and exit codes.
import { describe, it, expect, beforeEach } from 'vitest';
import { simHost, type SimHost } from './support/inproc.js';
import { ok, fails, dom, stateText, boot as bootCfg } from './support/simcheck.js';
import { PVH_GUEST_NO_NET } from './support/guests.js';
import { parseMemSize } from '../src/ops/resources.js';
import { UsageError } from '../src/core/errors.js';

const GUEST = PVH_GUEST_NO_NET;

const boot = (h: SimHost, cfg = GUEST, name = 'guest.cfg') => bootCfg(h, cfg, name);




describe('vcpu-list', () => {
  let h: SimHost;
  beforeEach(() => {
    h = simHost();
    boot(h);
  });

  it("prints xl's columns for every vCPU of every domain, offline ones as --p", () => {
    const lines = ok(h, ['vcpu-list']).stdout.split('\n').filter(Boolean);
    expect(lines[0]).toBe('Name                                ID  VCPU   CPU State   Time(s) Affinity (Hard / Soft)');
    expect(lines).toHaveLength(1 + 4 + 4);
    const guest = lines.filter((l) => l.startsWith('guest '));
    expect(guest).toHaveLength(4);
    // online: the CPU it is on, blocked; offline: no CPU and "--p"
    expect(guest[0]).toMatch(/^guest {28} {4}1 {5}0 {4}[0-7] {3}-b- {3,}\d+\.\d {2}all \/ all$/);
    expect(guest[2]).toMatch(/^guest {28} {4}1 {5}2 {4}- {3}--p {3,}\d+\.\d {2}all \/ all$/);
    expect(lines[1]).toMatch(/^Domain-0 {25} {4}0 {5}0 {4}[0-7] {3}r-- /);
  });

  it('takes domains by name, id or UUID, and gives libxl field names in JSON', () => {
    const uuid = dom(h).uuid as string;
    for (const ref of ['guest', '1', uuid, uuid.toUpperCase()]) {
      const rows = JSON.parse(ok(h, ['-o', 'json', 'vcpu-list', ref]).stdout);
      expect(rows.map((v: { vcpuid: number }) => v.vcpuid)).toEqual([0, 1, 2, 3]);
      expect(rows[0]).toMatchObject({ domid: 1, name: 'guest', online: true, cpumap: [0, 1, 2, 3, 4, 5, 6, 7] });
      expect(rows[3]).toMatchObject({ online: false, cpu: -1, state: 'offline' });
    }
    fails(h, ['vcpu-list', 'nope'], 1, /^txl: error: no domain 'nope'$/m);
  });
});

describe('vcpu-set and vcpu-pin', () => {
  let h: SimHost;
  beforeEach(() => {
    h = simHost();
    boot(h);
  });

  it('sets the online vCPUs within maxvcpus', () => {
    ok(h, ['vcpu-set', 'guest', '3']);
    expect(dom(h).online_vcpus).toBe(3);
    expect(ok(h, ['list', 'guest']).stdout).toMatch(/^guest +1 +512 +3 /m);
    fails(h, ['vcpu-set', 'guest', '5'], 1, /maximum is 4/);
    fails(h, ['vcpu-set', 'guest', 'two'], 2, /not a number/);
    fails(h, ['vcpu-set', 'guest', '0'], 2, /1 or more/);
    expect(dom(h).online_vcpus).toBe(3);
    ok(h, ['-N', 'vcpu-set', 'guest', '1']);
    expect(dom(h).online_vcpus).toBe(3);
  });

  it('refuses to overcommit the host without --ignore-host', () => {
    const h2 = simHost();
    boot(h2, GUEST.replace('maxvcpus = 4', 'maxvcpus = 12'));
    fails(h2, ['vcpu-set', 'guest', '10'], 1, /overcommitting: the host has 8 physical CPUs/);
    ok(h2, ['vcpu-set', '--ignore-host', 'guest', '10']);
    expect(dom(h2).online_vcpus).toBe(10);
  });

  it('pins with cpu-lists, leaves "-" alone, and shows it in vcpu-list', () => {
    ok(h, ['vcpu-pin', 'guest', '0', '2-3']);
    expect(dom(h).hard_affinity[0]).toEqual([2, 3]);
    ok(h, ['vcpu-pin', 'guest', 'all', '-', 'node:1']);
    const d = dom(h);
    expect(d.hard_affinity[0]).toEqual([2, 3]);
    expect(d.hard_affinity[1]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(d.soft_affinity.every((m: number[]) => m.join() === '4,5,6,7')).toBe(true);
    const lines = ok(h, ['vcpu-list', 'guest']).stdout.split('\n');
    expect(lines[1]).toMatch(/ 2-3 \/ 4-7$/);
    expect(lines[2]).toMatch(/ all \/ 4-7$/);
    ok(h, ['vcpu-pin', 'guest', '1', '0-7,^5']);
    expect(dom(h).hard_affinity[1]).toEqual([0, 1, 2, 3, 4, 6, 7]);
  });

  it('prints the maps with -N, as xl does, and changes nothing', () => {
    const before = stateText(h);
    expect(ok(h, ['-N', 'vcpu-pin', 'guest', 'all', '0-3', '4']).stdout).toBe('cpumap: 0-3 4\n');
    expect(ok(h, ['-N', 'vcpu-pin', 'guest', '0', '-', 'all']).stdout).toBe('cpumap: - all\n');
    expect(ok(h, ['-N', 'vcpu-pin', 'guest', '0', 'nodes:0-1']).stdout).toBe('cpumap: all\n');
    expect(stateText(h)).toBe(before);
  });

  it('rejects bad lists, vCPUs and CPUs', () => {
    fails(h, ['vcpu-pin', 'guest', '0', 'foo'], 2, /hard affinity:1:1: error: invalid pcpu range `foo'/);
    fails(h, ['vcpu-pin', 'guest', 'x', '1'], 2, /invalid argument 'x' as VCPU/);
    fails(h, ['vcpu-pin', 'guest', '9', '1'], 1, /has no vCPU 9/);
    fails(h, ['vcpu-pin', 'guest', '0', '-', '-'], 2, /nothing to change/);
    fails(h, ['vcpu-pin', 'nope', '0', '1'], 1, /no domain 'nope'/);
  });

  it('rolls back a vcpu-set whose step fails', () => {
    const before = stateText(h);
    fails(h, ['vcpu-set', 'guest', '4'], 1, /simulated fault 'vcpu-set:1'/, { TXL_SIM_FAIL: 'vcpu-set' });
    expect(stateText(h)).toBe(before);
  });
});

describe('sched-credit2 and sched-credit', () => {
  let h: SimHost;
  beforeEach(() => {
    h = simHost();
    boot(h);
  });

  it("lists every domain of the credit2 pools in xl's layout", () => {
    expect(ok(h, ['sched-credit2']).stdout).toBe(
      'Cpupool Pool-0: ratelimit=1000us\n' +
        'Name                                ID Weight  Cap\n' +
        'Domain-0                             0    256    0\n' +
        'guest                                1    256    0\n',
    );
    expect(ok(h, ['sched-credit2', '-s']).stdout).toBe('Cpupool Pool-0: ratelimit=1000us\n');
  });

  it('sets weight and cap of one domain', () => {
    ok(h, ['sched-credit2', '-d', 'guest', '-w', '512', '-c', '50']);
    expect(dom(h).sched).toMatchObject({ weight: 512, cap: 50 });
    expect(ok(h, ['sched-credit2', '-d', '1']).stdout).toBe('Name                                ID Weight  Cap\nguest                                1    512   50\n');
    expect(JSON.parse(ok(h, ['-o', 'json', 'sched-credit2', '-d', 'guest']).stdout)).toEqual({ domid: 1, name: 'guest', cpupool: 0, weight: 512, cap: 50 });
    ok(h, ['sched-credit2', '-d', 'guest', '-c', '0']);
    expect(dom(h).sched).toMatchObject({ weight: 512, cap: 0 });
  });

  it('refuses what xl refuses', () => {
    fails(h, ['sched-credit2', '-w', '512'], 2, /Must specify a domain/);
    fails(h, ['sched-credit2', '-d', 'guest', '-w', '0'], 1, /weight 0 is out of range/);
    fails(h, ['sched-credit2', '-d', 'guest', '-c', '500'], 1, /cap 500 is out of range \(0-400/);
    fails(h, ['sched-credit2', '-d', 'guest', '-w', 'heavy'], 2, /whole number/);
    fails(h, ['sched-credit2', '-p', 'Pool-9'], 1, /unknown cpupool 'Pool-9'/);
    fails(h, ['sched-credit', '-d', 'guest'], 1, /runs under the credit2 scheduler, not credit/);
    fails(h, ['sched-credit2', '-d', 'nope'], 1, /no domain 'nope'/);
    expect(ok(h, ['sched-credit']).stdout).toBe('');
  });

  it('shows credit pools with their time slice on a credit host', () => {
    const c = simHost('scheduler: credit\n');
    boot(c);
    expect(ok(c, ['sched-credit']).stdout).toBe(
      'Cpupool Pool-0: tslice=30ms ratelimit=1000us migration-delay=0us\n' +
        'Name                                ID Weight  Cap\n' +
        'Domain-0                             0    256    0\n' +
        'guest                                1    256    0\n',
    );
    ok(c, ['sched-credit', '-d', 'guest', '-w', '1024']);
    expect(dom(c).sched.weight).toBe(1024);
  });
});

describe('mem-set and mem-max', () => {
  let h: SimHost;
  beforeEach(() => {
    h = simHost();
    boot(h);
  });

  it('reads sizes as xl does: suffixes k m g t b, a plain number in MiB', () => {
    expect(parseMemSize('512')).toBe(512 * 1024);
    expect(parseMemSize('512m')).toBe(512 * 1024);
    expect(parseMemSize('512M')).toBe(512 * 1024);
    expect(parseMemSize('2g')).toBe(2 * 1024 * 1024);
    expect(parseMemSize('1t')).toBe(1024 ** 3);
    expect(parseMemSize('65536k')).toBe(65536);
    expect(parseMemSize('1048576b')).toBe(1024);
    for (const bad of ['1.5g', '12mb', '-5', 'abc', '', '0', 'g', '100x', '999999999999999t']) expect(() => parseMemSize(bad), bad).toThrow(UsageError);
  });

  it('sets the target within the maximum and the maximum above the target', () => {
    ok(h, ['mem-set', 'guest', '768m']);
    expect(dom(h).target_kb).toBe(786432);
    expect(ok(h, ['list', 'guest']).stdout).toMatch(/^guest +1 +768 /m);
    fails(h, ['mem-set', 'guest', '2g'], 1, /its maximum is 1024 MiB/);
    fails(h, ['mem-max', 'guest', '256m'], 1, /it uses 768 MiB now/);
    ok(h, ['mem-max', 'guest', '4g']);
    ok(h, ['mem-set', 'guest', '3072']);
    expect(dom(h)).toMatchObject({ target_kb: 3 * 1024 * 1024, max_kb: 4 * 1024 * 1024 });
    const j = JSON.parse(ok(h, ['-o', 'json', 'mem-set', 'guest', '1g']).stdout);
    expect(j).toMatchObject({ domid: 1, name: 'guest', target_memkb: 1048576, max_memkb: 4194304 });
  });

  it('refuses bad sizes with exit 2, and memory the host does not have with exit 1', () => {
    const before = stateText(h);
    for (const bad of ['1.5g', '12mb', '-5', 'lots']) fails(h, ['mem-set', 'guest', bad], 2, new RegExp(`invalid memory size: '${bad.replace('.', '\\.')}'`));
    fails(h, ['mem-max', 'guest', '0'], 2, /at least 1k/);
    expect(stateText(h)).toBe(before);
    ok(h, ['mem-max', 'guest', '20g']);
    fails(h, ['mem-set', 'guest', '15g'], 1, /not enough free memory to grow 'guest'/);
    fails(h, ['mem-set', 'nope', '1g'], 1, /no domain 'nope'/);
  });

  it('changes nothing with -N or when the step fails', () => {
    const before = stateText(h);
    ok(h, ['-N', 'mem-set', 'guest', '600']);
    expect(stateText(h)).toBe(before);
    fails(h, ['mem-set', 'guest', '600'], 1, /simulated fault/, { TXL_SIM_FAIL: 'memory-set' });
    fails(h, ['mem-max', 'guest', '2g'], 1, /simulated fault/, { TXL_SIM_FAIL: 'memory-set' });
    expect(stateText(h)).toBe(before);
  });
});

describe('cpupool-list', () => {
  it("prints xl's columns, or the CPUs with -c", () => {
    const h = simHost();
    boot(h);
    expect(ok(h, ['cpupool-list']).stdout).toBe('Name               CPUs   Sched     Active   Domain count\nPool-0               8   credit2       y          2\n');
    expect(ok(h, ['cpupool-list', '-c']).stdout).toBe('Name               CPU list\nPool-0             0,1,2,3,4,5,6,7\n');
    expect(ok(h, ['cpupool-list', 'Pool-0']).stdout).toContain('Pool-0 ');
    const [p] = JSON.parse(ok(h, ['-o', 'json', 'cpupool-list']).stdout);
    expect(p).toMatchObject({ poolid: 0, pool_name: 'Pool-0', sched: 'credit2', n_dom: 2, n_cpus: 8, cpumap: [0, 1, 2, 3, 4, 5, 6, 7] });
    fails(h, ['cpupool-list', 'Pool-7'], 1, /Pool 'Pool-7' does not exist/);
    const small = simHost('cpus: 4\nscheduler: credit\n');
    expect(ok(small, ['cpupool-list']).stdout).toBe('Name               CPUs   Sched     Active   Domain count\nPool-0               4    credit       y          1\n');
  });
});
