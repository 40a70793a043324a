import { defineCommand } from '../../src/command.js';
import { optionalPoolArg } from '../shared/args.js';

export default defineCommand({
  name: 'cpupool-list',
  summary: 'list the cpupools: CPUs, scheduler, domains',
  examples: ['txl cpupool-list', 'txl cpupool-list -c'],
  family: 'xl',
  group: 'resources',
  args: [optionalPoolArg],
  options: [{ flags: '-c, --cpus', summary: 'list the CPUs of each pool instead' }],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { cpupoolList } = await import('../../src/ops/resources.js');
    return cpupoolList(ctx, args.pool, Boolean(opts.cpus));
  },
});
