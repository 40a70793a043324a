import { defineCommand } from '../../src/command.js';
import { managedArg } from '../shared/args.js';

export default defineCommand({
  name: 'managedsave-remove',
  summary: 'drop a managed domain\'s managed save image, so that its next start boots afresh',
  examples: ['txl managedsave-remove guest'],
  family: 'virsh',
  group: 'lifecycle',
  args: [managedArg],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { managedSaveRemove } = await import('../../src/ops/managedsave.js');
    return managedSaveRemove(ctx, args.domain);
  },
});
