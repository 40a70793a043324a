import { defineCommand } from '../../src/command.js';

export default defineCommand({
  name: 'cpupool-list',
  summary: 'list the cpupools: CPUs, scheduler, domains',
  examples: ['txl cpupool-list', 'txl cpupool-list -c'],
  family: 'xl',
  group: 'resources',
  args: [{ name: 'pool', summary: 'only this cpupool', required: false, complete: 'cpupool' }],
  options: [{ flags: '-c, --cpus', summary: 'list the CPUs of each pool instead' }],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { cpupoolList: run } = await import('../../src/ops/resources.js');
    return run(ctx, args.pool, Boolean(opts.cpus));
  },
});
