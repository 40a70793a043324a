// mem-set and mem-max: one size word, applied to the balloon target or to the ceiling.
import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export function mem(name: 'mem-set' | 'mem-max', summary: string) {
  return defineCommand({
    name,
    summary,
    description: 'SIZE as xl reads it: a number with a k, m, g or t suffix (or b for bytes); a plain number is MiB.',
    examples: [`txl ${name} guest 512m`, `txl ${name} guest 2g`],
    family: 'xl',
    group: 'resources',
    args: [domainArg, { name: 'size', summary: 'memory size, e.g. 512m or 2g', complete: 'none' }],
    modifies: true,
    dryRun: true,
    async run({ ctx, args }) {
      const { memSet } = await import('../../src/ops/resources.js');
      return memSet(ctx, args.domain, args.size, name === 'mem-max');
    },
  });
}
