import { defineCommand } from '../../src/command.js';
import { domainArg, deviceArg } from '../shared/args.js';

export default defineCommand({
  name: 'pci-detach',
  summary: 'take a passed-through PCI device back from a domain',
  examples: ['txl pci-detach guest 03:00.0'],
  family: 'xl',
  group: 'devices',
  args: [domainArg, deviceArg('bdf', 'the PCI device, as BB:DD.F or DDDD:BB:DD.F')],
  options: [{ flags: '-f, --force', summary: 'remove it even if the guest does not release it' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args, opts }) {
    const { pciDetach } = await import('../../src/ops/devices.js');
    return pciDetach(ctx, args.domain, args.bdf, Boolean(opts.force));
  },
});
