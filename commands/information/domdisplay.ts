import { defineCommand, type Forwarded } from '../../src/command.js';
import type { DomDisplayOptions } from '../../src/ops/display.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'domdisplay',
  summary: 'the URI of a running domain\'s graphical display (vnc://127.0.0.1:0, spice://...)',
  examples: ['txl domdisplay guest', 'txl domdisplay --type spice --include-password guest'],
  family: 'virsh',
  group: 'information',
  args: [domainArg],
  options: [
    { flags: '--type <type>', summary: 'only a display of this type', choices: ['vnc', 'spice'] },
    { flags: '--include-password', summary: 'put the display\'s password in the URI' },
    { flags: '--all', summary: 'every display, one URI a line' },
  ],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { domDisplay } = await import('../../src/ops/display.js');
    return domDisplay(ctx, args.domain, opts satisfies Forwarded<typeof opts, DomDisplayOptions>);
  },
});
