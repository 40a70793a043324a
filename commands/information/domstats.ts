import { defineCommand } from '../../src/command.js';

export default defineCommand({
  name: 'domstats',
  summary: 'per-domain metrics: memory target and actual (balloon progress), vCPU time, shadow memory, network and disk I/O',
  description: 'Without a domain, every domain. The text is virsh domstats\' "key=value" blocks (net.* from the guest\'s ' +
    'point of view). On xen:///system the I/O counters are those Domain-0 keeps for vifs and blkback disks; ' +
    'memory.shadow is 0 there (libxl cannot read it).',
  examples: ['txl domstats', 'txl domstats guest', 'txl -o json domstats guest'],
  family: 'virsh',
  group: 'information',
  args: [{ name: 'domain', summary: 'domain names, ids or UUIDs', required: false, variadic: true, complete: 'domain' }],
  modifies: false,
  async run({ ctx, args }) {
    const { domStats } = await import('../../src/ops/top.js');
    return domStats(ctx, args.domain ?? []);
  },
});
