import { defineCommand } from '../../src/command.js';
import { domainArg } from '../shared/args.js';

const ACTIONS = ['poweroff', 'reboot', 'crash', 'watchdog'] as const;

function isAction(word: string): word is (typeof ACTIONS)[number] {
  return (ACTIONS as readonly string[]).includes(word);
}

export default defineCommand({
  name: 'sim-guest',
  summary: 'simulator only: make a guest power off, reboot, crash or trip its watchdog by itself',
  examples: ['txl -c test:///default sim-guest guest crash'],
  family: 'txl',
  group: 'testing',
  hidden: true,
  args: [
    domainArg,
    { name: 'action', summary: 'poweroff, reboot, crash or watchdog', complete: ACTIONS },
  ],
  modifies: true,
  async run({ ctx, args }) {
    const { UsageError } = await import('../../src/core/errors.js');
    const action = args.action;
    if (!isAction(action)) throw new UsageError(`unknown guest action '${action}'`, 'use poweroff, reboot, crash or watchdog');
    const { simGuest } = await import('../../src/ops/console.js');
    return simGuest(ctx, args.domain, action);
  },
});
