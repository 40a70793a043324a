import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'domjobabort',
  summary: 'stop the job on a domain (a save or migration) and wait until it has undone its work',
  description: 'Sends SIGINT to the txl process running the job, which unwinds it: the domain keeps running and no partial image is left.',
  examples: ['txl domjobabort guest'],
  family: 'virsh',
  group: 'lifecycle',
  args: [domainArg],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { domJobAbort } = await import('../../src/ops/jobs.js');
    return domJobAbort(ctx, args.domain);
  },
});
