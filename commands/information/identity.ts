// domid, domname and domuuid: one lookup, printing a different field.
import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export function identity(name: 'domid' | 'domname' | 'domuuid', summary: string, family: 'xl' | 'virsh') {
  return defineCommand({
    name,
    summary,
    examples: [`txl ${name} guest`],
    family,
    group: 'information',
    args: [domainArg],
    modifies: false,
    async run({ ctx, args }) {
      const { domIdentity } = await import('../../src/ops/query.js');
      return domIdentity(ctx, args.domain, name);
    },
  });
}
