// setmem and setmaxmem: one definition (a size and virsh's --config/--live/--current), told
// whether it sets the balloon target or the maximum.
import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';
import { AFFECT_OPTIONS } from './affect.js';

export function virshMem(max: boolean, text: { name: string; summary: string; description: string; examples: string[] }) {
  return defineCommand({
    ...text,
    family: 'virsh',
    group: 'resources',
    args: [domainArg, { name: 'size', summary: 'memory size, KiB unless suffixed', complete: 'none' }],
    options: AFFECT_OPTIONS,
    modifies: true,
    dryRun: true,
    async run({ ctx, args, opts }) {
      const { setmem } = await import('../../src/ops/virsh-mem.js');
      return setmem(ctx, args.domain, args.size, max, opts);
    },
  });
}
