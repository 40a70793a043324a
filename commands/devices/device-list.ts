// channel-list and vtpm-list: xl's plain per-domain device lists.
import { defineCommand } from '../../src/command.js';
import { domainsArg } from '../shared/args.js';

export function deviceList(name: 'channel-list' | 'vtpm-list', summary: string, fn: 'channelList' | 'vtpmList') {
  return defineCommand({
    name,
    summary,
    examples: [`txl ${name} guest`],
    family: 'xl',
    group: 'devices',
    args: [domainsArg],
    modifies: false,
    async run({ ctx, args }) {
      const ops = await import('../../src/ops/devices.js');
      return ops[fn](ctx, args.domain);
    },
  });
}
