import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'rename',
  aliases: ['domrename'],
  summary: 'give a domain a new name',
  examples: ['txl rename guest guest-old'],
  family: 'xl',
  group: 'lifecycle',
  args: [domainArg, { name: 'newname', summary: 'the new name' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { renameDomain } = await import('../../src/ops/lifecycle.js');
    return renameDomain(ctx, args.domain, args.newname);
  },
});
