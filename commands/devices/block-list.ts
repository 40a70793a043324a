import { defineCommand } from '../../src/command.js';
import { domainsArg } from '../shared/args.js';

export default defineCommand({
  name: 'block-list',
  summary: 'list the disks of domains, as xl does',
  examples: ['txl block-list guest', 'txl -o json block-list guest'],
  family: 'xl',
  group: 'devices',
  args: [domainsArg],
  modifies: false,
  async run({ ctx, args }) {
    const { blockList } = await import('../../src/ops/devices.js');
    return blockList(ctx, args.domain);
  },
});
