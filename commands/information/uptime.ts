import { defineCommand } from '../../src/command.js';
import { someDomainsArg } from '../shared/args.js';

export default defineCommand({
  name: 'uptime',
  summary: 'how long domains have been up',
  examples: ['txl uptime', 'txl uptime -s guest'],
  family: 'xl',
  group: 'information',
  args: [someDomainsArg],
  options: [{ flags: '-s, --short', summary: 'uptime(1)-like lines' }],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { uptime } = await import('../../src/ops/query.js');
    return uptime(ctx, args.domain ?? [], Boolean(opts.short));
  },
});
