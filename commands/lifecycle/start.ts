import { defineCommand } from '../../src/command.js';
import { managedArg } from '../shared/args.js';

export default defineCommand({
  name: 'start',
  summary: 'start a managed domain from its stored config, or from its managed save',
  examples: ['txl start guest', 'txl start -p guest', 'txl start --force-boot guest'],
  family: 'virsh',
  group: 'lifecycle',
  args: [managedArg],
  options: [
    { flags: '-p, --paused', summary: 'leave it paused' },
    { flags: '--force-boot', summary: 'boot afresh, dropping a managed save image instead of restoring it' },
  ],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { startDomain } = await import('../../src/ops/managed.js');
    return startDomain(ctx, args.domain, opts);
  },
});
