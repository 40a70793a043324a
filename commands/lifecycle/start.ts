import { defineCommand } from '../../src/command.js';
import { managedArg } from '../shared/args.js';

export default defineCommand({
  name: 'start',
  summary: 'start a managed domain from its stored config',
  examples: ['txl start guest', 'txl start -p guest'],
  family: 'virsh',
  group: 'lifecycle',
  args: [managedArg],
  options: [{ flags: '-p, --paused', summary: 'leave it paused' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { startDomain } = await import('../../src/ops/managed.js');
    return startDomain(ctx, args.domain, opts);
  },
});
