// virsh's domif-getlink: a NIC's link state, as virsh prints it ("IFACE up").
import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'domif-getlink',
  summary: 'show the link state of a domain\'s network interface (virsh style)',
  examples: ['txl domif-getlink guest vif1.0'],
  family: 'virsh',
  group: 'devices',
  args: [domainArg, { name: 'interface', summary: 'vifD.N or the MAC address', complete: 'none' }],
  options: [{ flags: '--config', summary: 'the stored (managed) config' }],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { domifGetlink } = await import('../../src/ops/device-xml.js');
    return domifGetlink(ctx, args.domain, args.interface, opts);
  },
});
