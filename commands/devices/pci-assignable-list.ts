import { defineCommand } from '../../src/command.js';

export default defineCommand({
  name: 'pci-assignable-list',
  summary: 'list the host PCI devices that can be passed through',
  examples: ['txl pci-assignable-list'],
  family: 'xl',
  group: 'devices',
  args: [],
  options: [{ flags: '-n, --show-names', summary: 'also show the names given to them' }],
  modifies: false,
  async run({ ctx, opts }) {
    const { pciAssignableList } = await import('../../src/ops/devices.js');
    return pciAssignableList(ctx, Boolean(opts.showNames));
  },
});
