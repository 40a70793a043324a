import { defineCommand } from '../../src/command.js';
import { domainsArg } from '../shared/args.js';

export default defineCommand({
  name: 'network-list',
  summary: 'list the network interfaces of domains, as xl does',
  examples: ['txl network-list guest'],
  family: 'xl',
  group: 'devices',
  args: [domainsArg],
  modifies: false,
  async run({ ctx, args }) {
    const { networkList } = await import('../../src/ops/devices.js');
    return networkList(ctx, args.domain);
  },
});
