import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'detach-interface',
  summary: 'detach a network interface from a domain (virsh style)',
  examples: ['txl detach-interface guest bridge --mac 00:16:3e:00:00:09'],
  family: 'virsh',
  group: 'devices',
  args: [domainArg, { name: 'type', summary: 'bridge or ethernet', complete: ['bridge', 'ethernet'] }],
  options: [{ flags: '--mac <mac>', summary: 'which interface, when the domain has several of that type' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { detachInterface } = await import('../../src/ops/virsh-devices.js');
    return detachInterface(ctx, args.domain, args.type, opts.mac);
  },
});
