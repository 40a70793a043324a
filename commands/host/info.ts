import { defineCommand } from '../../src/command.js';

export default defineCommand({
  name: 'info',
  summary: 'facts about the host and the hypervisor, as `key : value` lines',
  description: 'With KEY, only the values of the lines whose name starts with KEY are printed (xl info free_memory).',
  examples: ['txl info', 'txl info free_memory', 'txl info -n'],
  family: 'xl',
  group: 'host',
  args: [{ name: 'key', summary: 'print only this item\'s value', required: false }],
  options: [{ flags: '-n, --numa', summary: 'also the CPU topology and NUMA nodes' }],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { info } = await import('../../src/ops/host.js');
    return info(ctx, Boolean(opts.numa), args.key);
  },
});
