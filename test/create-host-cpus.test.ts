// A created or defined domain's cpu lists are read against the connection's host, as xl reads
// them against libxl's: on a 16-CPU host `cpus = "all"` is all 16 and CPU 12 exists (the
// parsers' default host, the corpus one, has 8).
import { describe, it, expect } from 'vitest';
import { simHost } from './support/inproc.js';
import { ok, boot } from './support/simcheck.js';

const GUEST = 'name = "guest"\ntype = "pv"\nkernel = "/boot/vmlinuz"\nmemory = 128\nvcpus = 2\ncpus = ["12", "all"]\n';
const hard = (h: ReturnType<typeof simHost>, name: string) =>
  (JSON.parse(ok(h, ['-o', 'json', 'vcpu-list', name]).stdout) as { cpumap: number[] }[]).map((v) => v.cpumap);

describe('cpu lists of a config on the host it is created on', () => {
  it('create: CPU 12 and all 16 CPUs of a 16-CPU host', () => {
    const h = simHost('cpus: 16\n');
    boot(h, GUEST);
    expect(hard(h, 'guest')).toEqual([[12], Array.from({ length: 16 }, (_, i) => i)]);
  });

  it('define, then start: the same', () => {
    const h = simHost('cpus: 16\n');
    ok(h, ['define', h.file('d.cfg', GUEST.replace('"guest"', '"d"'))]);
    ok(h, ['start', 'd']);
    expect(hard(h, 'd')).toEqual([[12], Array.from({ length: 16 }, (_, i) => i)]);
  });
});
