import { defineCommand, type Forwarded } from '../../src/command.js';
import type { TopOpts } from '../../src/ops/top.js';

export default defineCommand({
  name: 'top',
  summary: 'domains\' CPU, memory, network and disk use, like xentop',
  description: 'On a terminal the view refreshes every --delay seconds (q to quit); otherwise, or with -b, one snapshot is printed.',
  examples: ['txl top', 'txl top -b -i 3 -d 1', 'txl -o json top'],
  family: 'xl',
  group: 'information',
  args: [],
  options: [
    { flags: '-d, --delay <sec>', summary: 'seconds between refreshes (default 3)' },
    { flags: '-i, --iterations <n>', summary: 'stop after this many refreshes' },
    { flags: '-b, --batch', summary: 'plain snapshots on stdout, no refreshing screen' },
  ],
  modifies: false,
  async run({ ctx, opts }) {
    const { top } = await import('../../src/ops/top.js');
    return top(ctx, opts satisfies Forwarded<typeof opts, TopOpts>);
  },
});
