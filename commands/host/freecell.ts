import { defineCommand } from '../../src/command.js';

export default defineCommand({
  name: 'freecell',
  summary: 'the host\'s free memory, in all or per NUMA cell (virsh style)',
  examples: ['txl freecell', 'txl freecell --all', 'txl freecell --cellno 0'],
  family: 'virsh',
  group: 'host',
  args: [],
  options: [
    { flags: '--cellno <n>', summary: 'the free memory of this NUMA cell' },
    { flags: '--all', summary: 'every cell, and the total' },
  ],
  modifies: false,
  async run({ ctx, opts }) {
    const { freecell } = await import('../../src/ops/virsh-host.js');
    return freecell(ctx, opts);
  },
});
