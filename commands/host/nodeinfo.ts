import { defineCommand } from '../../src/command.js';

export default defineCommand({
  name: 'nodeinfo',
  summary: 'the host\'s CPUs and memory, as virsh prints them',
  examples: ['txl nodeinfo'],
  family: 'virsh',
  group: 'host',
  args: [],
  modifies: false,
  async run({ ctx }) {
    const { nodeinfo } = await import('../../src/ops/host.js');
    return nodeinfo(ctx);
  },
});
