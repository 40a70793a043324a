import { defineCommand } from '../../src/command.js';

export default defineCommand({
  name: 'hostname',
  summary: 'the host\'s name (virsh style)',
  examples: ['txl hostname'],
  family: 'virsh',
  group: 'host',
  args: [],
  modifies: false,
  async run({ ctx }) {
    const { hostname } = await import('../../src/ops/virsh-host.js');
    return hostname(ctx);
  },
});
