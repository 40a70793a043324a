import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';
import { AFFECT_OPTIONS } from './affect.js';

export default defineCommand({
  name: 'setmem',
  summary: 'set the memory a domain should use (balloon target), now or at its next boot (virsh style)',
  description: 'SIZE as virsh reads it: KiB unless suffixed (b, KiB or k, KB, MiB or M, MB, GiB or G, GB, TiB or T, TB). Up to its maximum memory (setmaxmem).',
  examples: ['txl setmem guest 524288', 'txl setmem guest 512M --live --config'],
  family: 'virsh',
  group: 'resources',
  args: [domainArg, { name: 'size', summary: 'memory size, KiB unless suffixed', complete: 'none' }],
  options: AFFECT_OPTIONS,
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { setmem } = await import('../../src/ops/virsh-mem.js');
    return setmem(ctx, args.domain, args.size, false, opts);
  },
});
