import { defineCommand, type Forwarded } from '../../src/command.js';
import type { ConsoleOptions } from '../../src/ops/console.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'console',
  summary: 'show a domain\'s console (the simulator shows the console log)',
  examples: ['txl console guest', 'txl console -f guest'],
  family: 'xl',
  group: 'lifecycle',
  args: [domainArg],
  options: [
    { flags: '-f, --follow', summary: 'keep printing new output until the domain stops (Ctrl-C to leave)' },
    { flags: '-t, --type <type>', summary: 'console type: pv or serial', choices: ['pv', 'serial'] },
    { flags: '-n, --num <n>', summary: 'console number', type: 'number' },
  ],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { showConsole } = await import('../../src/ops/console.js');
    return showConsole(ctx, args.domain, opts satisfies Forwarded<typeof opts, ConsoleOptions>);
  },
});
