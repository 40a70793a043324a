import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'domstate',
  summary: 'a domain\'s state in one word (running, paused, shut off, crashed...)',
  examples: ['txl domstate guest', 'txl domstate --reason guest'],
  family: 'virsh',
  group: 'information',
  args: [domainArg],
  options: [{ flags: '-r, --reason', summary: 'also say why it is in that state' }],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { domState } = await import('../../src/ops/query.js');
    return domState(ctx, args.domain, Boolean(opts.reason));
  },
});
