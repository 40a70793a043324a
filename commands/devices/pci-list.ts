import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'pci-list',
  summary: 'list the PCI devices passed through to a domain',
  examples: ['txl pci-list guest'],
  family: 'xl',
  group: 'devices',
  args: [domainArg],
  modifies: false,
  async run({ ctx, args }) {
    const { pciList } = await import('../../src/ops/devices.js');
    return pciList(ctx, args.domain);
  },
});
