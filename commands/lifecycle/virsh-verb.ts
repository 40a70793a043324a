// The virsh verbs that act on one domain and take no options (domjobabort, dompmwakeup,
// managedsave): one definition, told which op runs it. The op is loaded on use, as every
// command's is, so that `txl help` and completion never load the ops.
import { defineCommand, type CommandInfo, type Result } from '../../src/command.js';
import type { Context } from '../../src/context.js';
import { domainArg } from '../shared/args.js';

type Text = Pick<CommandInfo, 'name' | 'summary' | 'description' | 'examples'>;

export function virshVerb(text: Text, load: () => Promise<(ctx: Context, domain: string) => Promise<Result>>) {
  return defineCommand({
    ...text,
    family: 'virsh',
    group: 'lifecycle',
    args: [domainArg],
    modifies: true,
    dryRun: true,
    async run({ ctx, args }) {
      const op = await load();
      return op(ctx, args.domain);
    },
  });
}
