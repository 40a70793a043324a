// vcpu-pin through the real binary on a simulated 2-CPU host, the size of the lab's Xen
// host where `vcpu-pin G 0 all` once failed: every cpu-list form, refusals in one line.
import { describe, it, expect } from 'vitest';
import { simHost } from './support/inproc.js';
import { ok, fails, dom, boot } from './support/simcheck.js';

const GUEST = 'name = "guest"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 128\nvcpus = 2\n';
const twoCpus = () => {
  const h = simHost('cpus: 2\n');
  boot(h, GUEST);
  return h;
};
const affinity = (h: ReturnType<typeof simHost>) =>
  ok(h, ['vcpu-list', 'guest']).stdout.split('\n').slice(1).filter(Boolean).map((l) => l.replace(/^.*\d\.\d {2}/, ''));

describe('vcpu-pin on a 2-CPU host', () => {
  it("takes 'all' for either affinity and shows 'all', as xl does", () => {
    const h = twoCpus();
    ok(h, ['vcpu-pin', 'guest', '0', '0']);
    ok(h, ['vcpu-pin', 'guest', '0', 'all']);
    ok(h, ['vcpu-pin', 'guest', 'all', 'all', 'all']);
    expect(affinity(h)).toEqual(['all / all', 'all / all']);
  });

  it("'-' leaves one alone; ranges, ^ and nodes: forms; CPUs partly beyond the host", () => {
    const h = twoCpus();
    ok(h, ['vcpu-pin', 'guest', '0', '-', '0']);
    expect(affinity(h)[0]).toBe('all / 0');
    ok(h, ['vcpu-pin', 'guest', 'all', '0-1']);
    expect(affinity(h)).toEqual(['all / 0', 'all / all']);
    ok(h, ['vcpu-pin', 'guest', '1', 'all,^0']);
    ok(h, ['vcpu-pin', 'guest', '0', 'nodes:0,^1', 'node:0']);
    expect(affinity(h)).toEqual(['0 / all', '1 / all']);
    ok(h, ['vcpu-pin', 'guest', '0', '1-5']);
    expect(dom(h).hard_affinity[0]).toEqual([1]);
  });

  it('refuses a CPU beyond the host in one line, exit 1, and changes nothing', () => {
    const h = twoCpus();
    const before = JSON.stringify(h.state());
    const r = fails(h, ['vcpu-pin', 'guest', '0', '5'], 1, /^txl: error: cannot pin vCPU 0 of 'guest' to CPU 5: the host has CPUs 0-1\n$/);
    expect(r.stdout).toBe('');
    fails(h, ['vcpu-pin', 'guest', 'all', '2-3'], 1, /^txl: error: cannot pin the vCPUs of 'guest' to CPUs 2-3: the host has CPUs 0-1\n$/);
    fails(h, ['vcpu-pin', 'guest', '0', '^0'], 1, /^txl: error: cannot pin vCPU 0 of 'guest': '\^0' leaves no CPU for its hard affinity\n$/);
    fails(h, ['vcpu-pin', 'guest', '0', 'node:1'], 1, /leaves no CPU/);
    expect(JSON.stringify(h.state())).toBe(before);
  });

  it('sets a soft affinity beyond the host with the warning libxl gives', () => {
    const h = twoCpus();
    const r = ok(h, ['vcpu-pin', 'guest', '0', '-', '7']);
    expect(r.stderr).toBe("txl: warning: all CPUs in the soft affinity of vCPU 0 of 'guest' are unreachable (7): only the hard affinity will be considered for scheduling\n");
    expect(affinity(h)[0]).toBe('all / none');
  });

  it('takes -f/--force for one vCPU (not all) and --ignore-global-affinity-masks', () => {
    const h = twoCpus();
    ok(h, ['vcpu-pin', '-f', 'guest', '1', '1']);
    ok(h, ['vcpu-pin', '--force', 'guest', '0', '0']);
    expect(affinity(h)).toEqual(['0 / all', '1 / all']);
    fails(h, ['vcpu-pin', '-f', 'guest', 'all', '0'], 2, /--force and 'all' as VCPU not allowed/);
    ok(h, ['vcpu-pin', '--ignore-global-affinity-masks', 'guest', 'all', 'all']);
    expect(affinity(h)).toEqual(['all / all', 'all / all']);
  });

  it("applies xl.conf's vm.cpumask unless told not to", () => {
    const h = twoCpus();
    const conf = h.file('xl.conf', 'vm.cpumask = "1"\n');
    ok(h, ['vcpu-pin', 'guest', '0', 'all'], { TXL_XL_CONF: conf });
    expect(dom(h).hard_affinity[0]).toEqual([1]);
    fails(h, ['vcpu-pin', 'guest', '0', '0'], 1, /hard affinity map is empty after xl.conf's global masks/, { TXL_XL_CONF: conf });
    ok(h, ['vcpu-pin', '-i', 'guest', '0', '0'], { TXL_XL_CONF: conf });
    expect(dom(h).hard_affinity[0]).toEqual([0]);
  });

  it('prints the maps with -N over the host size, as xl -N does', () => {
    const h = twoCpus();
    expect(ok(h, ['-N', 'vcpu-pin', 'guest', '0', 'all', '^1']).stdout).toBe('cpumap: all none\n');
    expect(ok(h, ['-N', 'vcpu-pin', 'guest', '0', '1-5']).stdout).toBe('cpumap: 1\n');
  });

  it('gives the affinities in JSON as CPU numbers of the host', () => {
    const h = twoCpus();
    ok(h, ['vcpu-pin', 'guest', '0', 'all', '1']);
    expect(JSON.parse(ok(h, ['-o', 'json', 'vcpu-pin', 'guest', '1', 'all', '-']).stdout)).toEqual({ domid: 1, name: 'guest', vcpu: 1, cpumap: [0, 1], cpumap_soft: null });
    const rows = JSON.parse(ok(h, ['-o', 'json', 'vcpu-list', 'guest']).stdout);
    expect(rows[0]).toMatchObject({ vcpuid: 0, cpumap: [0, 1], cpumap_soft: [1], affinity: 'all', affinity_soft: '1' });
  });
});
