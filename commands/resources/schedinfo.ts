import { defineCommand, type Forwarded } from '../../src/command.js';
import type { SchedinfoOpts } from '../../src/ops/virsh-sched.js';
import { domainArg } from '../shared/args.js';
import { AFFECT_OPTIONS } from './affect.js';

export default defineCommand({
  name: 'schedinfo',
  summary: 'show or set a domain\'s scheduler parameters (virsh style)',
  description: 'The scheduler of the domain\'s cpupool and its parameters: weight and cap under credit and credit2. After a change, the parameters as they now are.',
  examples: ['txl schedinfo guest', 'txl schedinfo guest --set weight=512', 'txl schedinfo guest --weight 512 --cap 50 --live --config'],
  family: 'virsh',
  group: 'resources',
  args: [domainArg],
  options: [
    { flags: '--set <param=value>', summary: 'set a parameter (weight or cap); may be repeated', type: 'list' },
    { flags: '--weight <n>', summary: 'the same as --set weight=N' },
    { flags: '--cap <n>', summary: 'the same as --set cap=N' },
    ...AFFECT_OPTIONS,
  ],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { schedinfo } = await import('../../src/ops/virsh-sched.js');
    return schedinfo(ctx, args.domain, opts satisfies Forwarded<typeof opts, SchedinfoOpts>);
  },
});
