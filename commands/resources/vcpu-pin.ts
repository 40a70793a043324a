import { defineCommand, type Forwarded } from '../../src/command.js';
import type { PinOpts } from '../../src/ops/resources.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
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
    const { vcpuPin } = await import('../../src/ops/resources.js');
    return vcpuPin(ctx, args.domain, args.vcpu, args.hard, args.soft, opts satisfies Forwarded<typeof opts, PinOpts>);
  },
});
