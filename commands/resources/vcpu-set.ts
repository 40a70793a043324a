import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
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
    const { vcpuSet } = await import('../../src/ops/resources.js');
    return vcpuSet(ctx, args.domain, args.count, opts);
  },
});
