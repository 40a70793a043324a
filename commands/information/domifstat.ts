import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'domifstat',
  summary: 'a running domain\'s network interface counters (virsh style)',
  description: 'IFACE is the backend interface in Domain-0 (vif1.0, as domiflist shows) or the MAC address. Counted from the guest\'s side, as virsh does.',
  examples: ['txl domifstat guest vif1.0', 'txl -o json domifstat guest 00:16:3e:12:34:56'],
  family: 'virsh',
  group: 'information',
  args: [domainArg, { name: 'interface', summary: 'interface name (vifD.N) or MAC address', complete: 'none' }],
  modifies: false,
  async run({ ctx, args }) {
    const { domifstat } = await import('../../src/ops/virsh-stats.js');
    return domifstat(ctx, args.domain, args.interface);
  },
});
