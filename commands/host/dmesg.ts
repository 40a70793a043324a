import { defineCommand } from '../../src/command.js';

export default defineCommand({
  name: 'dmesg',
  summary: 'the hypervisor\'s message buffer',
  examples: ['txl dmesg', 'txl dmesg -c'],
  family: 'xl',
  group: 'host',
  args: [],
  options: [{ flags: '-c, --clear', summary: 'clear the buffer after printing it' }],
  modifies: false,
  async run({ ctx, opts }) {
    const { dmesg } = await import('../../src/ops/host.js');
    return dmesg(ctx, Boolean(opts.clear));
  },
});
