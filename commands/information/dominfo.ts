import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'dominfo',
  summary: 'basic facts about one domain, as virsh prints them',
  examples: ['txl dominfo guest'],
  family: 'virsh',
  group: 'information',
  args: [domainArg],
  modifies: false,
  async run({ ctx, args }) {
    const { domInfo } = await import('../../src/ops/query.js');
    return domInfo(ctx, args.domain);
  },
});
