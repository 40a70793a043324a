import { defineCommand } from '../../src/command.js';

export default defineCommand({
  name: 'capabilities',
  summary: 'what the host can run, as libvirt\'s capabilities XML',
  examples: ['txl capabilities'],
  family: 'virsh',
  group: 'host',
  args: [],
  modifies: false,
  async run({ ctx }) {
    const { capabilities } = await import('../../src/ops/host.js');
    return capabilities(ctx);
  },
});
