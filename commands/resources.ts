import { defineCommand, type CommandDef } from '../src/command.js';

const domainArg = { name: 'domain', summary: 'domain name, id or UUID', complete: 'domain' as const };

export const vcpuList = defineCommand({
  name: 'vcpu-list',
  summary: 'list the vCPUs of domains: where they run, their state, time and affinity',
  description: 'Without a domain, every domain. The text is xl\'s: Name ID VCPU CPU State Time(s) Affinity (Hard / Soft).',
  examples: ['txl vcpu-list', 'txl vcpu-list guest', 'txl -o json vcpu-list guest'],
  family: 'xl',
  group: 'resources',
  args: [{ ...domainArg, required: false, variadic: true }],
  modifies: false,
  async run({ ctx, args }) {
    const { vcpuList: run } = await import('../src/ops/resources.js');
    return run(ctx, (args.domain as string[] | undefined) ?? []);
  },
});

export const vcpuSet = defineCommand({
  name: 'vcpu-set',
  summary: 'set how many vCPUs of a domain are online',
  description: 'Up to the domain\'s maxvcpus. More vCPUs than the host has CPUs is refused unless -i.',
  examples: ['txl vcpu-set guest 2'],
  family: 'xl',
  group: 'resources',
  args: [domainArg, { name: 'count', summary: 'number of online vCPUs', complete: 'none' }],
  options: [{ flags: '-i, --ignore-host', summary: 'allow more vCPUs than the host has physical CPUs' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { vcpuSet: run } = await import('../src/ops/resources.js');
    return run(ctx, args.domain, args.count, opts);
  },
});

export const vcpuPin = defineCommand({
  name: 'vcpu-pin',
  summary: 'set the CPUs a vCPU may run on (hard affinity) and prefers (soft affinity)',
  description: 'CPU lists as in xl.cfg\'s cpus=: "all", "2", "0-3,^1", "node:1", "nodes:0-1". A "-" leaves that affinity as it is. ' +
    'CPUs beyond the host are ignored, as Xen does; a hard affinity left with no CPU of the domain\'s cpupool is refused. ' +
    'xl.conf\'s vm.cpumask, vm.pv.cpumask and vm.hvm.cpumask narrow the hard affinity, as with xl. ' +
    'With -N, prints the maps as xl does and changes nothing.',
  examples: ['txl vcpu-pin guest 0 2-3', 'txl vcpu-pin guest all all', 'txl vcpu-pin guest 0 all,^1', 'txl vcpu-pin guest 1 - node:1'],
  family: 'xl',
  group: 'resources',
  args: [
    domainArg,
    { name: 'vcpu', summary: "vCPU number, or 'all'", complete: ['all'] },
    { name: 'hard', summary: "hard affinity: a CPU list, or '-'", complete: 'none' },
    { name: 'soft', summary: "soft affinity: a CPU list, or '-' (default: unchanged)", required: false, complete: 'none' },
  ],
  options: [
    { flags: '-f, --force', summary: 'also undo a pinning the guest kernel made (one vCPU, not all)' },
    { flags: '-i, --ignore-global-affinity-masks', summary: "do not narrow the hard affinity by xl.conf's vm.cpumask masks" },
  ],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { vcpuPin: run } = await import('../src/ops/resources.js');
    return run(ctx, args.domain, args.vcpu, args.hard, args.soft, opts);
  },
});

function sched(name: 'credit' | 'credit2'): CommandDef {
  const options = [
    { flags: '-d, --domain <domain>', summary: 'the domain to show or change', complete: 'domain' as const },
    { flags: '-w, --weight <weight>', summary: 'relative weight (1-65535, default 256)' },
    { flags: '-c, --cap <cap>', summary: 'cap in percent of one CPU (0 = none)' },
    { flags: '-p, --cpupool <pool>', summary: 'only this cpupool', complete: 'cpupool' as const },
    { flags: '-s, --schedparam', summary: 'show the cpupool-wide parameters' },
    { flags: '-r, --ratelimit_us <us>', summary: 'with -s: set the rate limit (not on the simulator)' },
  ];
  if (name === 'credit') options.push({ flags: '-t, --tslice_ms <ms>', summary: 'with -s: set the time slice (not on the simulator)' });
  return defineCommand({
    name: `sched-${name}`,
    summary: `show or set the ${name === 'credit' ? 'credit' : 'credit2'} scheduler parameters of domains (weight, cap)`,
    description: 'Without -d, lists every domain of every cpupool that runs this scheduler, as xl does.',
    examples: [`txl sched-${name}`, `txl sched-${name} -d guest`, `txl sched-${name} -d guest -w 512 -c 50`],
    family: 'xl',
    group: 'resources',
    args: [],
    options,
    modifies: true,
    dryRun: true,
    async run({ ctx, opts }) {
      const { schedCredit } = await import('../src/ops/resources.js');
      return schedCredit(ctx, name, { ...opts, ratelimitUs: opts.ratelimit_us, tsliceMs: opts.tslice_ms });
    },
  });
}

export const schedCredit = sched('credit');
export const schedCredit2 = sched('credit2');

function mem(name: 'mem-set' | 'mem-max', summary: string): CommandDef {
  return defineCommand({
    name,
    summary,
    description: 'SIZE as xl reads it: a number with a k, m, g or t suffix (or b for bytes); a plain number is MiB.',
    examples: [`txl ${name} guest 512m`, `txl ${name} guest 2g`],
    family: 'xl',
    group: 'resources',
    args: [domainArg, { name: 'size', summary: 'memory size, e.g. 512m or 2g', complete: 'none' }],
    modifies: true,
    dryRun: true,
    async run({ ctx, args }) {
      const { memSet } = await import('../src/ops/resources.js');
      return memSet(ctx, args.domain, args.size, name === 'mem-max');
    },
  });
}

export const memSet = mem('mem-set', 'set the memory a domain should use now (balloon target)');
export const memMax = mem('mem-max', 'set the most memory a domain may ever use');

export const cpupoolList = defineCommand({
  name: 'cpupool-list',
  summary: 'list the cpupools: CPUs, scheduler, domains',
  examples: ['txl cpupool-list', 'txl cpupool-list -c'],
  family: 'xl',
  group: 'resources',
  args: [{ name: 'pool', summary: 'only this cpupool', required: false, complete: 'cpupool' }],
  options: [{ flags: '-c, --cpus', summary: 'list the CPUs of each pool instead' }],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { cpupoolList: run } = await import('../src/ops/resources.js');
    return run(ctx, args.pool, Boolean(opts.cpus));
  },
});
