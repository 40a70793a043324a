import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';
import { AFFECT_OPTIONS } from './affect.js';

export default defineCommand({
  name: 'setmaxmem',
  summary: 'set the most memory a domain may have, now or at its next boot (virsh style)',
  description: 'SIZE as virsh reads it: KiB unless suffixed (b, KiB or k, KB, MiB or M, MB, GiB or G, GB, TiB or T, TB). Lowering it below the configured memory lowers that too.',
  examples: ['txl setmaxmem guest 1G --config', 'txl setmaxmem guest 2097152'],
  family: 'virsh',
  group: 'resources',
  args: [domainArg, { name: 'size', summary: 'memory size, KiB unless suffixed', complete: 'none' }],
  options: AFFECT_OPTIONS,
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { setmem } = await import('../../src/ops/virsh-mem.js');
    return setmem(ctx, args.domain, args.size, true, opts);
  },
});
