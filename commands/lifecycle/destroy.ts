import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'destroy',
  summary: 'stop a domain at once (like pulling the power cord)',
  description: 'Asks for confirmation on a terminal unless -f or the global -y is given.',
  examples: ['txl destroy guest', 'txl -y destroy 3'],
  family: 'xl',
  group: 'lifecycle',
  args: [domainArg],
  options: [{ flags: '-f, --force', summary: 'do not ask for confirmation' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { destroyDomain } = await import('../../src/ops/lifecycle.js');
    return destroyDomain(ctx, args.domain, opts);
  },
});
