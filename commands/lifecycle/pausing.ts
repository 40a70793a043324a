// pause and unpause: one definition, told which way to go.
import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export function pausing(pause: boolean, text: { name: string; aliases: string[]; summary: string }) {
  return defineCommand({
    name: text.name,
    aliases: text.aliases,
    summary: text.summary,
    examples: [`txl ${text.name} guest`],
    family: 'xl',
    group: 'lifecycle',
    args: [domainArg],
    modifies: true,
    dryRun: true,
    async run({ ctx, args }) {
      const { pauseOrUnpause } = await import('../../src/ops/lifecycle.js');
      return pauseOrUnpause(ctx, args.domain, pause);
    },
  });
}
