import { defineCommand } from '../../src/command.js';
import { domainArg, deviceArg } from '../shared/args.js';

export default defineCommand({
  name: 'network-detach',
  summary: 'detach a network interface from a domain',
  examples: ['txl network-detach guest 1', 'txl network-detach guest 00:16:3e:00:00:02'],
  family: 'xl',
  group: 'devices',
  args: [domainArg, deviceArg('device', 'the interface: its devid or MAC address')],
  modifies: true,
  dryRun: true,
  async run({ ctx, args }) {
    const { networkDetach } = await import('../../src/ops/devices.js');
    return networkDetach(ctx, args.domain, args.device);
  },
});
