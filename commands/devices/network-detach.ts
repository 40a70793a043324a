import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'network-detach',
  summary: 'detach a network interface from a domain',
  examples: ['txl network-detach guest 1', 'txl network-detach guest 00:16:3e:00:00:02'],
  family: 'xl',
  group: 'devices',
  args: [domainArg, { name: 'device', summary: 'the interface: its devid or MAC address', complete: 'device' }],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { networkDetach } = await import('../../src/ops/devices.js');
    return networkDetach(ctx, args.domain, args.device);
  },
});
