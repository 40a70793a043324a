import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'domblkstat',
  summary: 'a running domain\'s disk counters: requests and bytes read and written (virsh style)',
  description: 'DEVICE is the guest\'s name for the disk (xvda) or its source path; without it, the sum over every disk. On Xen, blkback\'s counters; errs is its out-of-requests count.',
  examples: ['txl domblkstat guest xvda', 'txl domblkstat guest --human', 'txl -o json domblkstat guest xvda'],
  family: 'virsh',
  group: 'information',
  args: [domainArg, { name: 'device', summary: 'target (xvda) or source path', required: false, complete: 'device' }],
  options: [{ flags: '--human', summary: 'the counters in words' }],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { domblkstat } = await import('../../src/ops/virsh-stats.js');
    return domblkstat(ctx, args.domain, args.device, Boolean(opts.human));
  },
});
