import { defineCommand } from '../../src/command.js';
import { managedArg } from '../shared/args.js';

export default defineCommand({
  name: 'undefine',
  summary: 'forget a managed domain\'s config (a running domain keeps running)',
  examples: ['txl undefine guest'],
  family: 'virsh',
  group: 'lifecycle',
  args: [managedArg],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { undefineDomain } = await import('../../src/ops/managed.js');
    return undefineDomain(ctx, args.domain);
  },
});
