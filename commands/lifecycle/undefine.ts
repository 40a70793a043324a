import { defineCommand, type Forwarded } from '../../src/command.js';
import type { UndefineOptions } from '../../src/ops/managed.js';
import { managedArg } from '../shared/args.js';

export default defineCommand({
  name: 'undefine',
  summary: 'forget a managed domain\'s config (a running domain keeps running)',
  examples: ['txl undefine guest', 'txl undefine --managed-save guest'],
  family: 'virsh',
  group: 'lifecycle',
  args: [managedArg],
  options: [{ flags: '--managed-save', summary: 'also remove its managed save image (without it, one is refused)' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { undefineDomain } = await import('../../src/ops/managed.js');
    return undefineDomain(ctx, args.domain, opts satisfies Forwarded<typeof opts, UndefineOptions>);
  },
});
