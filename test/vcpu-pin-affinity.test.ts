// vcpu-pin on hosts of any size: cpu-lists on a bitmap sized as libxl_cpu_bitmap_alloc
// sizes it (whole bytes over max_cpu_id + 1), and the refusals Xen answers with EINVAL
// decided beforehand. Figures from xl 4.17 on the lab's 2-CPU host (Xen under QEMU):
//   xl vcpu-pin g 0 all     -> 0, vcpu-list "all"       xl vcpu-pin g 0 1-5 -> 0, "1"
//   xl vcpu-pin g 0 5       -> 1 (EINVAL from Xen)       xl vcpu-pin g 0 8   -> 1 ("map is empty")
//   xl vcpu-pin g 0 ^0      -> 1 ("map is empty")        xl vcpu-pin g 0 - 5 -> 0, libxl warns, soft "none"
import { describe, it, expect } from 'vitest';
import { bitmapBits, describeCpuMap, parseCpuList } from '../parsers/devices/index.js';
import { allocatedBits, bitsThatFit } from '../bindings/bitmap.js';
import { parseVcpuWord, planPin, type PinHost, type PinRequest } from '../src/ops/affinity.js';
import { ConfigError, OperationError, UsageError } from '../src/core/errors.js';

const two: PinHost = { maxCpus: 2, nodes: [[0, 1]], poolCpus: [0, 1], poolName: 'Pool-0' };
const req = (hard: string, more: Partial<PinRequest> = {}): PinRequest => ({ vcpu: '0', hard, domain: 'g', ...more });

describe('bitmap sizing (libxl_cpu_bitmap_alloc)', () => {
  it('rounds up to whole bytes, as libxl_bitmap_alloc does', () => {
    expect([1, 2, 8, 9, 16, 17, 64].map(bitmapBits)).toEqual([8, 8, 8, 16, 16, 24, 64]);
    expect([1, 2, 8, 9, 255, 256].map(allocatedBits)).toEqual([8, 8, 8, 16, 256, 256]);
  });

  it('keeps the bits a bitmap of the host size holds and drops the rest, as libxl_bitmap_set does', () => {
    expect(bitsThatFit([0, 1, 2, 7, 8, 100], 2)).toEqual([0, 1, 2, 7]);
    expect(bitsThatFit([0, 8, 15, 16], 9)).toEqual([0, 8, 15]);
    expect(() => bitsThatFit([-1], 2)).toThrow(RangeError);
    expect(() => bitsThatFit([1.5], 2)).toThrow(RangeError);
  });

  it("sizes the parsed map by max_cpu_id + 1, not nr_cpus: 'all' fills the bytes", () => {
    expect(parseCpuList('all', { nr_cpus: 2, nodes: [[0, 1]] })).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(parseCpuList('all', { nr_cpus: 2, max_cpus: 12, nodes: [[0, 1]] })).toHaveLength(16);
    // a host with CPUs offline: 4 online, max_cpu_id 9
    expect(parseCpuList('9', { nr_cpus: 4, max_cpus: 10, nodes: [[0, 1, 2, 3]] })).toEqual([9]);
    expect(parseCpuList('16', { nr_cpus: 4, max_cpus: 10, nodes: [] })).toEqual([]);
    expect(describeCpuMap(parseCpuList('all', { nr_cpus: 2, nodes: [] }), 2)).toBe('all');
  });

  it('every form xl takes on a 2-CPU host', () => {
    const host = { nr_cpus: 2, max_cpus: 2, nodes: [[0, 1]] };
    const cases: [string, number[]][] = [
      ['all', [0, 1, 2, 3, 4, 5, 6, 7]], ['0', [0]], ['1', [1]], ['0-1', [0, 1]], ['1-5', [1, 2, 3, 4, 5]],
      ['all,^1', [0, 2, 3, 4, 5, 6, 7]], ['^0', []], ['0,^0,1', [1]], ['node:0', [0, 1]], ['nodes:0', [0, 1]],
      ['nodes:0-0', [0, 1]], ['nodes:all', [0, 1, 2, 3, 4, 5, 6, 7]], ['nodes:3', []], ['all,^nodes:0', [2, 3, 4, 5, 6, 7]],
      ['8', []], [',0,,1,', [0, 1]],
    ];
    for (const [spec, bits] of cases) expect([spec, parseCpuList(spec, host)]).toEqual([spec, bits]);
    for (const bad of ['^all', '^nodes:all', 'x', '1-0', '0-', 'node:^1', '2 ', '-1']) expect(() => parseCpuList(bad, host)).toThrow(ConfigError);
  });
});

describe('planPin: what vcpu-pin asks of Xen', () => {
  it("'all' on a 2-CPU host is the whole byte, which Xen reads as CPUs 0-1", () => {
    const p = planPin(req('all'), two);
    expect(p).toMatchObject({ vcpu: 0, hard: [0, 1, 2, 3, 4, 5, 6, 7], soft: undefined, warnings: [] });
    expect(planPin(req('all', { vcpu: 'all' }), two).vcpu).toBe('all');
  });

  it("'-' leaves one affinity alone; both '-' is a usage error", () => {
    expect(planPin(req('-', { soft: '0' }), two)).toMatchObject({ hard: undefined, soft: [0] });
    expect(planPin(req('1', { soft: '-' }), two)).toMatchObject({ hard: [1], soft: undefined });
    expect(() => planPin(req('-', { soft: '-' }), two)).toThrow(UsageError);
    expect(() => planPin(req('-'), two)).toThrow(UsageError);
  });

  it('takes CPUs partly beyond the host, as Xen does (1-5 is CPU 1)', () => {
    expect(planPin(req('1-5'), two).hard).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses, in one sentence, a hard affinity with no CPU of the host', () => {
    expect(() => planPin(req('5'), two)).toThrow(OperationError);
    expect(() => planPin(req('5'), two)).toThrow("cannot pin vCPU 0 of 'g' to CPU 5: the host has CPUs 0-1");
    expect(() => planPin(req('5-6', { vcpu: 'all' }), two)).toThrow("cannot pin the vCPUs of 'g' to CPUs 5-6: the host has CPUs 0-1");
    expect(() => planPin(req('^0'), two)).toThrow("cannot pin vCPU 0 of 'g': '^0' leaves no CPU for its hard affinity");
    expect(() => planPin(req('nodes:3'), two)).toThrow(OperationError);
    // a bit beyond the bitmap is dropped before Xen sees it (xl: "vcpu hard affinity map is empty")
    expect(() => planPin(req('8'), two)).toThrow("leaves no CPU for its hard affinity");
  });

  it("refuses CPUs of the host outside the domain's cpupool", () => {
    const pooled: PinHost = { maxCpus: 4, nodes: [[0, 1, 2, 3]], poolCpus: [0, 1], poolName: 'Pool-0' };
    expect(() => planPin(req('2-3'), pooled)).toThrow("cannot pin vCPU 0 of 'g' to CPUs 2-3: none is in its cpupool 'Pool-0' (CPUs 0-1)");
    expect(planPin(req('1-3'), pooled).hard).toEqual([1, 2, 3]);
  });

  it('warns, as libxl does, when no CPU of the soft affinity is reachable', () => {
    const p = planPin(req('-', { soft: '5' }), two);
    expect(p.soft).toEqual([5]);
    expect(p.warnings).toEqual(["all CPUs in the soft affinity of vCPU 0 of 'g' are unreachable (5): only the hard affinity will be considered for scheduling"]);
    expect(planPin(req('-', { soft: '0' }), two).warnings).toEqual([]);
  });

  it("narrows the hard affinity by xl.conf's masks; an empty result is refused", () => {
    expect(planPin(req('all', { masks: ['0-1', undefined] }), two).hard).toEqual([0, 1]);
    expect(planPin(req('all', { masks: ['all', '1'] }), two).hard).toEqual([1]);
    expect(planPin(req('all,^1', { masks: ['0'] }), two).parsed.hard).toEqual([0, 2, 3, 4, 5, 6, 7]);
    expect(() => planPin(req('0', { masks: ['1'] }), two)).toThrow(/hard affinity map is empty after xl.conf's global masks/);
    expect(planPin(req('-', { soft: '1', masks: ['0'] }), two).soft).toEqual([1]);
  });

  it('reads the vCPU word: a number or all; --force only with a number', () => {
    expect(['0', ' 3', '+2', '12'].map(parseVcpuWord)).toEqual([0, 3, 2, 12]);
    expect(parseVcpuWord('all')).toBe('all');
    for (const bad of ['x', '-1', '1x', 'ALL', '']) expect(() => parseVcpuWord(bad)).toThrow(UsageError);
    expect(() => planPin(req('0', { vcpu: 'all', force: true }), two)).toThrow("--force and 'all' as VCPU not allowed");
    expect(planPin(req('0', { force: true }), two).vcpu).toBe(0);
  });
});
