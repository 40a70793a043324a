import { defineCommand } from '../../src/command.js';
import { domainArg, deviceArg } from '../shared/args.js';

export default defineCommand({
  name: 'detach-disk',
  summary: 'detach a disk from a domain (virsh style)',
  examples: ['txl detach-disk guest xvdb'],
  family: 'virsh',
  group: 'devices',
  args: [domainArg, deviceArg('target', 'the disk\'s target (xvdb) or source path')],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { detachDisk } = await import('../../src/ops/virsh-devices.js');
    return detachDisk(ctx, args.domain, args.target);
  },
});
