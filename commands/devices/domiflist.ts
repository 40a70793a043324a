import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'domiflist',
  summary: 'list the network interfaces of a domain, as virsh does',
  examples: ['txl domiflist guest'],
  family: 'virsh',
  group: 'devices',
  args: [domainArg],
  modifies: false,
  async run({ ctx, args }) {
    const { domiflist } = await import('../../src/ops/virsh-devices.js');
    return domiflist(ctx, args.domain);
  },
});
