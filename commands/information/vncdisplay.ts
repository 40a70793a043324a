import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'vncdisplay',
  summary: 'the VNC display of a running domain, as virsh prints it (":0", "127.0.0.1:0")',
  examples: ['txl vncdisplay guest'],
  family: 'virsh',
  group: 'information',
  args: [domainArg],
  modifies: false,
  async run({ ctx, args }) {
    const { vncDisplay } = await import('../../src/ops/display.js');
    return vncDisplay(ctx, args.domain);
  },
});
