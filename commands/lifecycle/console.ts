import { defineCommand, type Forwarded } from '../../src/command.js';
import type { ConsoleOptions } from '../../src/ops/console.js';
import { domainArg } from '../shared/args.js';

export default defineCommand({
  name: 'console',
  summary: 'attach to a domain\'s console, as xl console does (Ctrl-] leaves it)',
  description: 'Attaches this terminal to the console until Ctrl-], the end of stdin or the domain\'s end: on Xen through xenconsole, which needs a terminal (under script(1) otherwise); the simulator shows what its guest prints. Without -t, the primary console: serial 0 for an HVM guest, pv 0 for PV and PVH. --log prints the output so far and returns (also what -o json and -o yaml give).',
  examples: ['txl console guest', 'txl console -t serial hvm-guest', 'txl console --log guest'],
  family: 'xl',
  group: 'lifecycle',
  args: [domainArg],
  options: [
    { flags: '-t, --type <type>', summary: 'console type: pv, serial or vuart', choices: ['pv', 'serial', 'vuart'] },
    { flags: '-n, --num <n>', summary: 'console number (default 0)', type: 'number' },
    { flags: '--log', summary: 'print what the console has shown so far and return, without attaching' },
    { flags: '-f, --follow', summary: 'attach (the default; kept for older scripts)' },
  ],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { showConsole } = await import('../../src/ops/console.js');
    return showConsole(ctx, args.domain, opts satisfies Forwarded<typeof opts, ConsoleOptions>);
  },
});
