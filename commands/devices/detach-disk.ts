import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'detach-disk',
  summary: 'detach a disk from a domain (virsh style)',
  examples: ['txl detach-disk guest xvdb'],
  family: 'virsh',
  group: 'devices',
  args: [domainArg, { name: 'target', summary: 'the disk\'s target (xvdb) or source path', complete: 'device' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { detachDisk } = await import('../../src/ops/virsh-devices.js');
    return detachDisk(ctx, args.domain, args.target);
  },
});
