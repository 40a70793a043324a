import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'domjobinfo',
  summary: 'the long-running job (save, migration) on a domain, as virsh prints it',
  description: 'A save or migration by any txl process on this host records itself; its process is not asked.',
  examples: ['txl domjobinfo guest', 'txl -o json domjobinfo guest'],
  family: 'virsh',
  group: 'information',
  args: [domainArg],
  modifies: false,
  async run({ ctx, args }) {
    const { domJobInfo } = await import('../../src/ops/jobs.js');
    return domJobInfo(ctx, args.domain);
  },
});
