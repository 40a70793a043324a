import { defineCommand } from '../src/command.js';

export const console_ = defineCommand({
  name: 'console',
  summary: 'show a domain\'s console (the simulator shows the console log)',
  examples: ['txl console guest', 'txl console -f guest'],
  family: 'xl',
  group: 'lifecycle',
  args: [{ name: 'domain', summary: 'domain name, id or UUID', complete: 'domain' }],
  options: [
    { flags: '-f, --follow', summary: 'keep printing new output until the domain stops (Ctrl-C to leave)' },
    { flags: '-t, --type <type>', summary: 'console type: pv or serial', choices: ['pv', 'serial'] },
    { flags: '-n, --num <n>', summary: 'console number', type: 'number' },
  ],
  modifies: false,
  async run({ ctx, args, opts }) {
    const { showConsole } = await import('../src/ops/console.js');
    return showConsole(ctx, args.domain, opts);
  },
});

export const simGuest = defineCommand({
  name: 'sim-guest',
  summary: 'simulator only: make a guest power off, reboot, crash or trip its watchdog by itself',
  examples: ['txl -c test:///default sim-guest guest crash'],
  family: 'txl',
  group: 'testing',
  hidden: true,
  args: [
    { name: 'domain', summary: 'domain name, id or UUID', complete: 'domain' },
    { name: 'action', summary: 'poweroff, reboot, crash or watchdog', complete: ['poweroff', 'reboot', 'crash', 'watchdog'] },
  ],
  modifies: true,
  async run({ ctx, args }) {
    const { UsageError } = await import('../src/core/errors.js');
    if (!['poweroff', 'reboot', 'crash', 'watchdog'].includes(args.action)) throw new UsageError(`unknown guest action '${args.action}'`, 'use poweroff, reboot, crash or watchdog');
    const { simGuest: run } = await import('../src/ops/console.js');
    return run(ctx, args.domain, args.action);
  },
});
